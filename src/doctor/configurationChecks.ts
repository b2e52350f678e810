// What configures the tools, as the extension sees it: nerdctl.toml and the environment variables
// nerdctl, ctr, buildctl and docker read. Listed as facts; DOCKER_BUILDKIT=0 is the one that breaks
// builds (Docker's classic builder), so it is a warning.
import type { NerdctlConfig } from '../nerdctl/toml';
import type { DoctorFinding } from './doctorCheck';
import { buildkitOffFix } from './knownProblems';

/** The variables that change which daemon or folder a tool uses. */
export const toolVariables = ['CONTAINERD_ADDRESS', 'CONTAINERD_NAMESPACE', 'CONTAINERD_SNAPSHOTTER', 'NERDCTL_TOML', 'BUILDKIT_HOST', 'CNI_PATH', 'NETCONFPATH', 'XDG_RUNTIME_DIR', 'DOCKER_HOST', 'DOCKER_BUILDKIT'] as const;

export interface ConfigurationFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nerdctlToml: { readonly path: string; readonly config: NerdctlConfig | undefined };
}

function tomlLines(config: NerdctlConfig): string[] {
  const entries: [string, string | undefined][] = [
    ['address', config.address], ['namespace', config.namespace], ['snapshotter', config.snapshotter], ['data_root', config.dataRoot],
    ['hosts_dir', config.hostsDirs?.join(', ')], ['cni_path', config.cniPath], ['cni_netconfpath', config.cniNetconfPath],
  ];
  return entries.filter((e): e is [string, string] => e[1] !== undefined).map(([key, value]) => `${key} = ${value}`);
}

export function configurationFindings(facts: ConfigurationFacts): DoctorFinding[] {
  const { path, config } = facts.nerdctlToml;
  const set = toolVariables.filter((name) => facts.env[name] !== undefined && facts.env[name] !== '');
  const findings: DoctorFinding[] = [
    config === undefined
      ? { check: 'configuration', level: 'info', message: `No nerdctl.toml at ${path}: nerdctl uses its defaults.`, fix: '' }
      : { check: 'configuration', level: 'info', message: `nerdctl.toml at ${path}${tomlLines(config).length === 0 ? ' sets none of the keys the extension reads' : ''}.`, fix: '', evidence: tomlLines(config) },
    { check: 'configuration', level: 'info', message: set.length > 0 ? `Environment in effect: ${set.join(', ')}.` : 'None of the tools\' environment variables is set.', fix: '', evidence: set.map((name) => `${name}=${facts.env[name] ?? ''}`) },
  ];
  if (facts.env.DOCKER_BUILDKIT?.trim() === '0') {
    findings.push({ check: 'dockerBuilder', level: 'warning', message: 'DOCKER_BUILDKIT=0 is set: docker build uses the classic builder, which fails on RUN --mount and other BuildKit syntax ("the --mount option requires BuildKit").', fix: buildkitOffFix, evidence: ['DOCKER_BUILDKIT=0'] });
  }
  return findings;
}
