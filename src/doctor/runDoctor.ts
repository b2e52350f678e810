// Runs every check side by side and gathers the findings. Everything it reads comes in through
// DoctorSources, so the extension passes the machine and its settings, and a test can run the
// same code as another user or against a folder of its own.
import type { ContainerdApi } from '../containerd/connection/api';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { buildkitHostCandidates, locateHosts } from '../buildkit/buildkitHosts';
import { nativePlatform, readBinfmt } from '../buildkit/binfmt';
import { readWorkers } from '../buildkit/builderProbe';
import type { Read, WorkerInfo } from '../buildkit/builderInfo';
import type { NerdctlConfig } from '../nerdctl/toml';
import { binfmtFindings } from './binfmtChecks';
import { buildkitdFindings } from './buildkitdChecks';
import { cniFindings, cniPathCandidates, readCniFacts } from './cniChecks';
import { configurationFindings } from './configurationChecks';
import type { DoctorFinding } from './doctorCheck';
import { endpointFindings } from './endpointChecks';
import { readEndpointFacts } from './endpointFacts';
import type { DoctorReport } from './report';
import { rootlessFindings } from './rootlessChecks';
import { readRootlessFacts, type FileReads } from './rootlessFacts';
import { readTool, toolFindings, type Run, type ToolName } from './toolChecks';

export interface DoctorSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly user: { readonly name: string; readonly uid: number; readonly home: string | undefined };
  /** Node's process.arch, for the native platform. */
  readonly arch: string;
  /** Every endpoint's status, freshly read. */
  readonly statuses: readonly EndpointStatus[];
  readonly apiOf: (address: string) => ContainerdApi;
  readonly ourPidNamespace: number | undefined;
  /** The namespace builds go to (nerdctl's buildkitd candidates depend on it). */
  readonly namespace: string;
  /** The argv prefixes the settings give for each tool. */
  readonly tools: Readonly<Record<ToolName, readonly string[]>>;
  /** containerd.buildkit.host, when set. */
  readonly buildkitHost: string | undefined;
  readonly run: Run;
  readonly files: FileReads & { readonly isDirectory: (path: string) => Promise<boolean>; readonly isSocket: (path: string) => Promise<boolean> };
  /** /proc/sys/fs/binfmt_misc on a real host. */
  readonly binfmtDir: string;
  /** The platforms the workspace's build tasks build for. */
  readonly platforms: readonly string[];
  readonly nerdctlToml: { readonly path: string; readonly config: NerdctlConfig | undefined };
  readonly now: () => Date;
}

async function buildkitd(sources: DoctorSources): Promise<DoctorFinding[]> {
  const candidates = await locateHosts(buildkitHostCandidates({ namespace: sources.namespace, env: sources.env, uid: sources.user.uid, ...(sources.buildkitHost ? { configured: sources.buildkitHost } : {}) }), sources.files.isSocket);
  const answers = new Map<string, Read<readonly WorkerInfo[]>>();
  await Promise.all(candidates.filter((c) => c.present).map(async (c) => {
    answers.set(c.address, await readWorkers({ command: sources.tools.buildctl, run: sources.run }, c.address));
  }));
  return buildkitdFindings({ namespace: sources.namespace, candidates, answers });
}

async function tools(sources: DoctorSources): Promise<DoctorFinding[]> {
  const names: readonly ToolName[] = ['nerdctl', 'buildctl', 'dlv', 'crictl'];
  return toolFindings(await Promise.all(names.map((name) => readTool(name, sources.tools[name], sources.run))));
}

async function cni(sources: DoctorSources): Promise<DoctorFinding[]> {
  const configured = { ...(sources.env.CNI_PATH ? { env: sources.env.CNI_PATH } : {}), ...(sources.nerdctlToml.config?.cniPath ? { toml: sources.nerdctlToml.config.cniPath } : {}) };
  const facts = await readCniFacts(configured, cniPathCandidates(sources.user.uid !== 0, sources.user.home), sources.files.isDirectory, async (path) => (await sources.files.executableMode(path)) !== undefined);
  return cniFindings(facts);
}

export async function runDoctor(sources: DoctorSources): Promise<DoctorReport> {
  const isRoot = sources.user.uid === 0;
  const parts = await Promise.all([
    readEndpointFacts(sources.statuses, sources.apiOf, { readText: sources.files.readText, ourPidNamespace: sources.ourPidNamespace }).then((facts) => endpointFindings(facts, isRoot)),
    readRootlessFacts({ ...sources.files, env: sources.env, user: sources.user }).then(rootlessFindings),
    buildkitd(sources),
    readBinfmt(sources.binfmtDir).then((state) => binfmtFindings({ dir: sources.binfmtDir, state, native: nativePlatform(sources.arch), platforms: sources.platforms })),
    tools(sources),
    cni(sources),
    Promise.resolve(configurationFindings({ env: sources.env, nerdctlToml: sources.nerdctlToml })),
  ]);
  return { findings: parts.flat(), generatedAt: sources.now(), user: { name: sources.user.name, uid: sources.user.uid } };
}
