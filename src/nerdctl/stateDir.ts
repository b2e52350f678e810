// Which local directory a container's `nerdctl/state-dir` label may send us to. The label is
// container metadata anyone with socket access (or an image's LABEL, through the CRI plugin) can
// set, so it is accepted by its text alone, before touching the disk: it must have exactly the
// shape nerdctl gives it, `<dataRoot>/<addrHash>/containers/<namespace>/<id>`, under a data root
// nerdctl uses on this host, and name the container's own namespace and id.
import { isAbsolute, join, posix } from 'node:path';

export const nerdctlStateDirLabel = 'nerdctl/state-dir';
export const nerdctlNetworkConfigFile = 'network-config.json';

/** nerdctl's address hash: the first 8 hex digits of the socket path's sha256. */
const addressHash = /^[0-9a-f]{8}$/;

export interface StateDirOwner {
  readonly namespace: string;
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * nerdctl's data roots on this host: rootful /var/lib/nerdctl, rootless $XDG_DATA_HOME/nerdctl
 * (~/.local/share/nerdctl), and the `data_root` nerdctl.toml names. Relative ones are dropped.
 */
export function nerdctlDataRoots(env: Readonly<Record<string, string | undefined>>, home: string, configured?: string): string[] {
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const roots = ['/var/lib/nerdctl', join(dataHome, 'nerdctl'), join(home, '.local', 'share', 'nerdctl'), ...(configured ? [configured] : [])];
  return [...new Set(roots.filter(isAbsolute).map((root) => posix.normalize(root).replace(/\/+$/, '')))];
}

/** `KEY=value` pairs of a /proc/PID/environ file (NUL-separated). */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/**
 * The data roots of the user whose rootless daemon a /proc/CHILD/root/... address reaches: nerdctl
 * keeps a rootless container's state (its ports among it) in that user's home, which the caller's
 * own environment does not name. Read from RootlessKit's child's environment; none for any other
 * address, or when it cannot be read.
 */
export async function rootlessOwnerDataRoots(socketPath: string, readEnviron: (path: string) => Promise<string | undefined>): Promise<string[]> {
  const child = /^\/proc\/(\d+)\/root\//.exec(socketPath)?.[1];
  if (child === undefined) return [];
  const text = await readEnviron(`/proc/${child}/environ`);
  if (text === undefined) return [];
  const env = parseEnviron(text);
  return env.HOME ? nerdctlDataRoots(env, env.HOME).filter((root) => root !== '/var/lib/nerdctl') : [];
}

/** The network-config.json the label points at when the label passes the checks above, else undefined. */
export function networkConfigPath(owner: StateDirOwner, dataRoots: readonly string[]): string | undefined {
  const stateDir = owner.labels[nerdctlStateDirLabel];
  if (!stateDir) return undefined;
  for (const root of dataRoots) {
    if (!stateDir.startsWith(`${root}/`)) continue;
    const segments = stateDir.slice(root.length + 1).split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
    const [hash, containers, namespace, id] = segments;
    if (segments.length === 4 && addressHash.test(hash ?? '') && containers === 'containers' && namespace === owner.namespace && id === owner.id) {
      return `${stateDir}/${nerdctlNetworkConfigFile}`;
    }
  }
  return undefined;
}
