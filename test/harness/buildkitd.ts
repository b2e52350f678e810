// Starts the set-up-built buildkitd on a private unix socket, with its own root and config in a
// temp folder, building through a private containerd (the containerd worker) or runc directly
// (the OCI worker), and takes it down again with everything it mounted.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { outcomeText, runProcess, type RunOptions, type RunResult } from '../../src/process/runner';
import { loadComponents } from './components';
import { mountsUnder, type ContainerdDaemon } from './containerdDaemon';
import { freePort } from './freePort';
import { issueCertificate, makeCa } from './testCertificates';
import { waitFor } from './waitFor';
import { terminate } from './terminate';

const run = promisify(execFile);

export type BuildkitWorker = 'containerd' | 'oci';

/**
 * How buildkitd listens: its own unix socket; tcp:// on loopback with TLS that wants client
 * certificates; or socket-activated (`--addr fd://` behind systemd-socket-activate, which holds
 * the unix socket and starts buildkitd on the first connection, as a systemd .socket unit does).
 */
export type BuildkitListen = 'unix' | 'tcp-tls' | 'socket-activated';

export interface BuildkitdOptions {
  readonly worker?: BuildkitWorker;
  /** The containerd namespace the containerd worker builds in and stores images to. */
  readonly namespace?: string;
  readonly listen?: BuildkitListen;
  /** Registries served with a test CA: buildkitd trusts each one's CA when it pushes there. */
  readonly registries?: readonly { readonly host: string; readonly ca: string }[];
  /** Where the unix socket goes (its folder is made); in the daemon's own folder otherwise. */
  readonly socketPath?: string;
  /** Which buildkitd binary runs (a debugging build); the set-up-built one otherwise. */
  readonly binary?: string;
}

/** What a client gives buildctl to reach a tcp+TLS buildkitd. */
export interface ClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface Buildkitd {
  readonly worker: BuildkitWorker;
  /** The containerd worker's namespace (also set for the OCI worker, which ignores it). */
  readonly namespace: string;
  readonly dir: string;
  /** The unix socket; for tcp-tls, none is made. */
  readonly socket: string;
  /** What buildctl's --addr and nerdctl's --buildkit-host take: `unix://` + socket, or `tcp://127.0.0.1:PORT`. */
  readonly address: string;
  /** The client certificates a tcp-tls buildkitd asks for. */
  readonly tls: ClientTls | undefined;
  /** buildkitd's pid; for socket-activated, systemd-socket-activate's until it execs buildkitd. */
  readonly pid: number;
  /** Runs the set-up-built buildctl with `--addr` this daemon; never rejects on a non-zero exit. */
  buildctl(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Stops buildkitd, unmounts whatever it left mounted below its folder and removes the folder. */
  stop(): Promise<void>;
}

/**
 * The containerd worker's runc keeps its state under containerd's host-global
 * /run/containerd/runc/<ns> unless the runtime says otherwise; the config file moves it into our
 * folder. Naming our own config also keeps a host /etc/buildkit/buildkitd.toml out of the tests,
 * and CDI off keeps the host's device specs (/etc/cdi, /var/run/cdi) out of the builds.
 */
function configText(dir: string, registries: BuildkitdOptions['registries'] = []): string {
  return [
    ...registries.flatMap((r) => [`[registry."${r.host}"]`, `  ca = ["${r.ca}"]`]),
    '[cdi]',
    '  disabled = true',
    '[worker.containerd.runtime]',
    '  name = "io.containerd.runc.v2"',
    `  options = { Root = "${dir}/runc" }`,
    '',
  ].join('\n');
}

/**
 * Host networking for RUN steps: the default ("auto") would pick CNI when a host has
 * /etc/buildkit/cni.json, and CNI state (/var/lib/cni, /run/netns) is shared by every daemon.
 */
function workerArgs(worker: BuildkitWorker, daemon: ContainerdDaemon, namespace: string, runc: string): string[] {
  if (worker === 'oci') return ['--containerd-worker=false', '--oci-worker=true', '--oci-worker-binary', runc, '--oci-worker-net', 'host'];
  return ['--oci-worker=false', '--containerd-worker=true', '--containerd-worker-addr', daemon.socket,
    '--containerd-worker-namespace', namespace, '--containerd-worker-net', 'host'];
}

function tlsArgs(tls: ClientTls | undefined): string[] {
  return tls ? ['--tlscacert', tls.ca, '--tlscert', tls.cert, '--tlskey', tls.key] : [];
}

/** A CA, buildkitd's certificate for 127.0.0.1 and a client certificate, all from that CA. */
async function tcpTls(dir: string): Promise<{ address: string; serverArgs: string[]; client: ClientTls }> {
  const { openssl } = loadComponents();
  const ca = await makeCa(openssl, dir);
  const server = await issueCertificate(openssl, ca, dir, { name: 'buildkitd', commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1', usage: 'serverAuth' });
  const client = await issueCertificate(openssl, ca, dir, { name: 'client', commonName: 'vscode-containerd tests', usage: 'clientAuth' });
  const address = `tcp://127.0.0.1:${await freePort()}`;
  return { address, serverArgs: ['--addr', address, '--tlscacert', ca.cert, '--tlscert', server.cert, '--tlskey', server.key], client: { ca: ca.cert, cert: client.cert, key: client.key } };
}

export async function startBuildkitd(daemon: ContainerdDaemon, options: BuildkitdOptions = {}): Promise<Buildkitd> {
  const components = loadComponents();
  const worker = options.worker ?? 'containerd';
  const namespace = options.namespace ?? 'buildkit';
  const listen = options.listen ?? 'unix';
  const dir = mkdtempSync(join(tmpdir(), 'vscc-buildkitd-'));
  const socket = options.socketPath ?? join(dir, 'buildkitd.sock');
  mkdirSync(dirname(socket), { recursive: true });
  const tcp = listen === 'tcp-tls' ? await tcpTls(dir) : undefined;
  const address = tcp?.address ?? `unix://${socket}`;
  const configFile = join(dir, 'buildkitd.toml');
  writeFileSync(configFile, configText(dir, options.registries));
  const logFile = join(dir, 'buildkitd.log');
  const buildctl = (args: readonly string[], runOptions: RunOptions = {}): Promise<RunResult> =>
    runProcess({ file: components.tools.buildctl, args: ['--addr', address, ...tlsArgs(tcp?.client), ...args] }, { timeoutMs: 300_000, ...runOptions });

  const log = openSync(logFile, 'a');
  const listenArgs = tcp?.serverArgs ?? ['--addr', listen === 'socket-activated' ? 'fd://' : address];
  const daemonArgs = ['--config', configFile, '--root', join(dir, 'root'), ...listenArgs, ...workerArgs(worker, daemon, namespace, components.runc)];
  const binary = options.binary ?? components.tools.buildkitd;
  const [file, args] = listen === 'socket-activated'
    ? [components.socketActivate, [`--listen=${socket}`, binary, ...daemonArgs]]
    : [binary, daemonArgs];
  const child: ChildProcess = spawn(file, args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log); // the child holds its own copy
  // A buildkitd that dies at start (a bad flag, a busy socket) fails the wait at once, not after 60 s.
  const diedEarly = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`buildkitd exited with ${signal ?? code}`))));
  const stop = async (): Promise<void> => {
    await terminate(child, 20_000);
    for (const mountPoint of mountsUnder(dir)) await run('umount', ['-l', mountPoint]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(socket, { force: true });
  };

  try {
    // Socket-activated: up once the socket is held; no connection yet, so buildkitd is not started.
    const ready = listen === 'socket-activated'
      ? waitFor(`systemd-socket-activate to hold ${socket}`, async () => (await stat(socket).catch(() => undefined))?.isSocket() === true, 30_000, 100)
      : waitFor(`buildkitd (${worker} worker) to answer on ${address}`, async () => {
        const answer = await buildctl(['debug', 'workers'], { timeoutMs: 10_000 });
        if (answer.exitCode !== 0) throw new Error(answer.stderr.trim().split('\n').at(-1) || `buildctl ${outcomeText(answer)}`);
        return true;
      }, 60_000, 250);
    await Promise.race([diedEarly, ready]);
  } catch (error) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    await stop();
    throw new Error(`buildkitd did not start: ${(error as Error).message}\n--- buildkitd log tail ---\n${tail}`);
  }
  return { worker, namespace, dir, socket, address, tls: tcp?.client, get pid() { return child.pid ?? -1; }, buildctl, stop };
}
