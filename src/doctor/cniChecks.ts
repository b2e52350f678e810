// CNI plugins where nerdctl looks for them: --cni-path / CNI_PATH / nerdctl.toml's cni_path, else
// the first existing folder of nerdctl's own list (a rootless user's home folders first). Its
// default "bridge" network needs bridge, portmap, firewall and tuning, with host-local for IPAM.
import { join } from 'node:path';
import type { DoctorFinding } from './doctorCheck';

export const bridgeNetworkPlugins = ['bridge', 'portmap', 'firewall', 'tuning', 'host-local'] as const;

/** nerdctl's candidate folders, in its order (pkg/defaults CNIPath). */
export function cniPathCandidates(rootless: boolean, home: string | undefined): string[] {
  const system = ['/opt/cni/bin', '/usr/local/libexec/cni', '/usr/local/lib/cni', '/home/linuxbrew/.linuxbrew/opt/cni-plugins/bin', '/usr/libexec/cni', '/usr/lib/cni'];
  return rootless && home ? [join(home, 'opt/cni/bin'), join(home, '.local/libexec/cni'), join(home, '.local/lib/cni'), ...system] : system;
}

export interface CniFacts {
  /** The folder nerdctl will use, and why. */
  readonly dir: string;
  readonly source: 'CNI_PATH' | 'nerdctl.toml' | 'found' | 'default';
  /** Which of the bridge network's plugins are executable there. */
  readonly present: readonly string[];
}

export async function readCniFacts(
  configured: { readonly env?: string; readonly toml?: string },
  candidates: readonly string[],
  isDirectory: (path: string) => Promise<boolean>,
  isExecutable: (path: string) => Promise<boolean>,
): Promise<CniFacts> {
  let dir: string;
  let source: CniFacts['source'];
  if (configured.env) [dir, source] = [configured.env, 'CNI_PATH'];
  else if (configured.toml) [dir, source] = [configured.toml, 'nerdctl.toml'];
  else {
    let found: string | undefined;
    for (const candidate of candidates) {
      if (await isDirectory(candidate)) {
        found = candidate;
        break;
      }
    }
    [dir, source] = found ? [found, 'found'] : ['/opt/cni/bin', 'default'];
  }
  const present: string[] = [];
  for (const plugin of bridgeNetworkPlugins) if (await isExecutable(join(dir, plugin))) present.push(plugin);
  return { dir, source, present };
}

const why: Readonly<Record<CniFacts['source'], string>> = {
  CNI_PATH: 'from CNI_PATH',
  'nerdctl.toml': "from nerdctl.toml's cni_path",
  found: "the first of nerdctl's folders that exists",
  default: "none of nerdctl's folders exists, so its default",
};

export function cniFindings(facts: CniFacts): DoctorFinding[] {
  const missing = bridgeNetworkPlugins.filter((p) => !facts.present.includes(p));
  const evidence = [`${facts.dir} (${why[facts.source]}): ${facts.present.length > 0 ? facts.present.join(', ') : 'none of the plugins'}`];
  if (missing.length === 0) return [{ check: 'cni', level: 'ok', message: `CNI plugins for nerdctl's bridge network are in ${facts.dir}.`, fix: '', evidence }];
  return [{
    check: 'cni', level: 'warning',
    message: `nerdctl's default bridge network needs ${missing.join(', ')} in ${facts.dir}, which ${missing.length === 1 ? 'is' : 'are'} missing: nerdctl run fails there unless given --network host or none.`,
    fix: `Install the CNI plugins (Debian: apt install containernetworking-plugins, into /usr/lib/cni; or nerdctl's "full" archive into /opt/cni/bin), or point CNI_PATH or nerdctl.toml's cni_path at the folder holding them.`,
    evidence,
  }];
}
