// Which containerd daemons to show: the configured one and the additional ones the user listed
// always, plus (when discovery is on) the well-known sockets that exist on this machine. Pure: file checks are injected.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { addressFromEnvironment, defaultAddress, parseAddress } from './address';

export interface Endpoint {
  readonly address: string;
  /** Short name shown in the tree. */
  readonly label: string;
  readonly source: 'configured' | 'environment' | 'default' | 'rootful' | 'rootless' | 'docker' | 'k3s' | 'nerdctl';
  /** The namespace this kind of daemon keeps its objects in, when it has a customary one. */
  readonly preferredNamespace?: string;
  /** The snapshotter the user's tools unpack into here (nerdctl.toml, CONTAINERD_SNAPSHOTTER), when they say. */
  readonly snapshotter?: string;
}

export interface DiscoveryInput {
  /** The user's explicit `containerd.address`, if set. */
  readonly configuredAddress: string | undefined;
  /** `containerd.additionalAddresses`: more daemons the user chose, shown whether or not they answer. */
  readonly additionalAddresses?: readonly string[];
  readonly discovery: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isSocket: (path: string) => Promise<boolean>;
  readonly readFile: (path: string) => Promise<string | undefined>;
  /** What the user's nerdctl.toml says (address, namespace, snapshotter), if anything. */
  readonly nerdctl?: { readonly address?: string; readonly namespace?: string; readonly snapshotter?: string };
}

/** The socket path an address names; an invalid address stands for itself (it never equals a path). */
function pathKey(address: string): string {
  const parsed = parseAddress(address);
  return parsed.ok ? parsed.socketPath : address;
}

function samePath(a: string, b: string): boolean {
  return pathKey(a) === pathKey(b);
}

/** The sockets discovery looks for, where rootful containerd, Docker and k3s put them. */
const wellKnownSockets: readonly Endpoint[] = [
  { address: defaultAddress, label: 'rootful', source: 'rootful' },
  { address: '/run/docker/containerd/containerd.sock', label: "Docker's containerd", source: 'docker', preferredNamespace: 'moby' },
  { address: '/run/k3s/containerd/containerd.sock', label: 'k3s', source: 'k3s', preferredNamespace: 'k8s.io' },
];

export async function discoverEndpoints(input: DiscoveryInput): Promise<Endpoint[]> {
  const fromEnv = addressFromEnvironment(input.env);
  const primary: Endpoint = input.configuredAddress !== undefined
    ? { address: input.configuredAddress, label: input.configuredAddress, source: 'configured' }
    : fromEnv !== undefined
      ? { address: fromEnv, label: fromEnv, source: 'environment' }
      : { address: defaultAddress, label: defaultAddress, source: 'default' };
  const nerdctl = input.nerdctl;
  const nerdctlHere = nerdctl !== undefined && (!nerdctl.address || samePath(nerdctl.address, primary.address));
  // What the user's tools default to on this daemon: the environment (as ctr and nerdctl read
  // it), then nerdctl.toml.
  const preferred = input.env.CONTAINERD_NAMESPACE?.trim() || (nerdctlHere ? nerdctl.namespace : undefined);
  const snapshotter = input.env.CONTAINERD_SNAPSHOTTER?.trim() || (nerdctlHere ? nerdctl.snapshotter : undefined);
  const endpoints: Endpoint[] = [{ ...primary, ...(preferred ? { preferredNamespace: preferred } : {}), ...(snapshotter ? { snapshotter } : {}) }];
  for (const address of input.additionalAddresses ?? []) {
    if (endpoints.some((e) => samePath(e.address, address))) continue;
    // A well-known socket added by hand keeps its customary namespace (k3s's k8s.io, Docker's moby).
    const known = wellKnownSockets.find((w) => samePath(w.address, address))?.preferredNamespace;
    endpoints.push({ address, label: address, source: 'configured', ...(known ? { preferredNamespace: known } : {}) });
  }
  if (!input.discovery) return endpoints;

  const candidates: Endpoint[] = [
    ...(nerdctl?.address ? [{
      address: nerdctl.address, label: 'nerdctl.toml', source: 'nerdctl' as const,
      ...(nerdctl.namespace ? { preferredNamespace: nerdctl.namespace } : {}), ...(nerdctl.snapshotter ? { snapshotter: nerdctl.snapshotter } : {}),
    }] : []),
    ...wellKnownSockets,
  ];
  const runtimeDir = input.env.XDG_RUNTIME_DIR;
  if (runtimeDir) {
    // Rootless containerd lives in RootlessKit's mount namespace; its socket is reachable through
    // the child's /proc root.
    const childPid = (await input.readFile(join(runtimeDir, 'containerd-rootless', 'child_pid')))?.trim();
    if (childPid && /^\d+$/.test(childPid)) {
      candidates.push({ address: `/proc/${childPid}/root/run/containerd/containerd.sock`, label: 'rootless', source: 'rootless' });
    }
  }
  for (const candidate of candidates) {
    if (endpoints.some((e) => samePath(e.address, candidate.address))) continue;
    const parsed = parseAddress(candidate.address);
    if (parsed.ok && await input.isSocket(parsed.socketPath)) endpoints.push(candidate);
  }
  return endpoints;
}

/** The file checks discovery needs, on the real file system. */
export const hostFiles: Pick<DiscoveryInput, 'isSocket' | 'readFile'> = {
  isSocket: async (path) => {
    try {
      return (await stat(path)).isSocket();
    } catch {
      return false;
    }
  },
  readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
};
