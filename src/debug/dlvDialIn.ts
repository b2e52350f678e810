// For a root buildkitd and a non-root editor (asRoot): dlv refuses DAP clients of another user, so
// it must be root's dlv that connects out to us. We listen on a unix socket in a folder only this
// user can enter (root still can), start `sudo dlv dap --client-addr=unix:SOCKET`, and speak DAP on
// the connection dlv makes. Delve before 1.24 cannot dial a unix socket: loopback TCP then.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Process } from '../nerdctl/invocation';

export interface DialInListener {
  /** What `--client-addr` takes: `unix:/path` or `127.0.0.1:PORT`. */
  readonly clientAddr: string;
  /** The first connection dlv makes; rejects when `close` comes first. */
  readonly accepted: Promise<Socket>;
  close(): Promise<void>;
}

/** Whether this dlv can dial a unix socket (`--client-addr=unix:` arrived in 1.24). */
export function dialsUnix(dlvVersion: string | undefined): boolean {
  if (dlvVersion === undefined) return true;
  const [major = 0, minor = 0] = dlvVersion.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 24);
}

/** sudo's argv around dlv: `-n` when no one can type a password (a background start). */
export function sudoDlvProcess(sudo: readonly string[], dlvPath: string, clientAddr: string, flags: readonly string[], interactive: boolean): Process {
  const [file = 'sudo', ...sudoArgs] = sudo;
  return { file, args: [...sudoArgs, ...(interactive ? [] : ['-n']), '--', dlvPath, 'dap', `--client-addr=${clientAddr}`, ...flags] };
}

function listen(server: Server, target: string | { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (typeof target === 'string') server.listen(target, done);
    else server.listen(target.port, target.host, done);
  });
}

export async function listenForDlv(unix: boolean): Promise<DialInListener> {
  const folder = unix ? await mkdtemp(join(tmpdir(), 'containerd-dlv-')) : undefined;
  let settle: { resolve: (socket: Socket) => void; reject: (error: Error) => void } | undefined;
  const accepted = new Promise<Socket>((resolve, reject) => (settle = { resolve, reject }));
  accepted.catch(() => undefined); // a listener closed unused is not an unhandled rejection
  const server = createServer((socket) => {
    server.close(); // one connection: dlv's
    settle?.resolve(socket);
  });
  const socketPath = folder ? join(folder, 'dap.sock') : undefined;
  await listen(server, socketPath ?? { port: 0, host: '127.0.0.1' });
  const address = server.address();
  const clientAddr = socketPath ? `unix:${socketPath}` : `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    clientAddr,
    accepted,
    close: async () => {
      settle?.reject(new Error('dlv did not connect before the session ended'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}
