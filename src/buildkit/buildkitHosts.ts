// Where to look for buildkitd, in nerdctl's order so a build task finds the daemon nerdctl build
// would use: BUILDKIT_HOST when set; then, under /run (rootful) or $XDG_RUNTIME_DIR (rootless),
// the namespace's own buildkit-<namespace>/buildkitd.sock (except for "default"),
// buildkit-default/buildkitd.sock and buildkit/buildkitd.sock. A socket-activated buildkitd
// listens on the same paths (systemd holds the socket), so it is found the same way.

export interface HostSearch {
  /** The containerd namespace the image goes to. */
  readonly namespace: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Who builds: rootless when not root (nerdctl's rule for a normal user's own daemon). */
  readonly uid: number;
  /** The user's `containerd.buildkit.host` setting, which wins over everything else. */
  readonly configured?: string;
}

export interface HostCandidate {
  readonly address: string;
  /** Why it is a candidate, for the "no buildkitd found" message. */
  readonly source: 'task' | 'setting' | 'BUILDKIT_HOST' | 'namespace' | 'default' | 'shared';
}

export function buildkitHostCandidates(search: HostSearch): HostCandidate[] {
  if (search.configured) return [{ address: search.configured, source: 'setting' }];
  const fromEnv = search.env.BUILDKIT_HOST?.trim();
  if (fromEnv) return [{ address: fromEnv, source: 'BUILDKIT_HOST' }];
  const run = search.uid === 0 ? '/run' : search.env.XDG_RUNTIME_DIR?.trim() || `/run/user/${search.uid}`;
  return [
    ...(search.namespace !== 'default' ? [{ address: `unix://${run}/buildkit-${search.namespace}/buildkitd.sock`, source: 'namespace' as const }] : []),
    { address: `unix://${run}/buildkit-default/buildkitd.sock`, source: 'default' },
    { address: `unix://${run}/buildkit/buildkitd.sock`, source: 'shared' },
  ];
}

/** The socket path of a unix:// address, undefined for any other kind (tcp://, kube-pod://...). */
export function unixSocketPath(address: string): string | undefined {
  return address.startsWith('unix://') && address.length > 'unix://'.length ? address.slice('unix://'.length) : undefined;
}

export interface LocatedHost extends HostCandidate {
  /** False for a unix:// candidate whose socket file does not exist: nothing listens there. */
  readonly present: boolean;
}

/** Each candidate with whether something may listen there (any non-unix address may). */
export async function locateHosts(candidates: readonly HostCandidate[], isSocket: (path: string) => Promise<boolean>): Promise<LocatedHost[]> {
  return Promise.all(candidates.map(async (candidate) => {
    const socket = unixSocketPath(candidate.address);
    return { ...candidate, present: socket === undefined || await isSocket(socket) };
  }));
}

export interface FoundHost {
  readonly host: string | undefined;
  /** The candidates looked at, when none was found. */
  readonly tried: string[];
}

/**
 * The task's buildkitd when it names one; else the first candidate that is there: a unix socket
 * that exists (a socket-activated buildkitd's socket exists before buildkitd runs), or any other
 * kind of address, which only connecting can check.
 */
export async function findBuildkitHost(taskHost: string | undefined, search: HostSearch, isSocket: (path: string) => Promise<boolean>): Promise<FoundHost> {
  if (taskHost) return { host: taskHost, tried: [] };
  const located = await locateHosts(buildkitHostCandidates(search), isSocket);
  const found = located.find((candidate) => candidate.present);
  return found ? { host: found.address, tried: [] } : { host: undefined, tried: located.map((c) => c.address) };
}
