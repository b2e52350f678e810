// The facts nerdctlInvocation needs about one daemon, read from the file system (injected):
// whether it runs rootless, and as whom, and whether the caller can open its socket.
import { access, constants, stat } from 'node:fs/promises';
import { parseAddress } from '../containerd/connection/address';
import type { DaemonFacts } from './invocation';

export interface FactsInput {
  /** The uid owning a path; undefined when it cannot be read. */
  readonly ownerOf: (path: string) => Promise<number | undefined>;
  /** Whether the caller may connect to a socket (write permission on it). */
  readonly canConnect: (path: string) => Promise<boolean>;
}

export async function daemonFacts(address: string, namespace: string, input: FactsInput): Promise<DaemonFacts> {
  const parsed = parseAddress(address);
  if (!parsed.ok) throw new Error(`${address} is not a containerd address: ${parsed.error}`);
  const socket = parsed.socketPath;
  // A socket reached through /proc/PID/root lives in another mount namespace: RootlessKit's for a
  // rootless daemon (its owner is not root), or a container's for a rootful one.
  const inNamespace = /^\/proc\/(\d+)\/root\//.exec(socket);
  const owner = inNamespace ? await input.ownerOf(`/proc/${inNamespace[1] ?? ''}`) : undefined;
  return {
    address,
    namespace,
    ...(owner !== undefined && owner !== 0 ? { rootlessOwner: owner } : {}),
    callerCanOpen: await input.canConnect(socket),
  };
}

export const hostFactsInput: FactsInput = {
  ownerOf: async (path) => {
    try {
      return (await stat(path)).uid;
    } catch {
      return undefined;
    }
  },
  canConnect: async (path) => {
    try {
      await access(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
};
