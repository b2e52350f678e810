// Starts the set-up dockerd (sid) on a private socket, storing images in a private containerd
// (the containerd snapshotter: built images land in that containerd's `moby` namespace), with its
// own config file, pidfile, data-root and exec-root, and a DOCKER_CONFIG whose cli-plugins has
// buildx; takes it down again with everything it mounted or left below its folder.
//
// Host-global state dockerd still touches, and what is done about it: /etc/docker/daemon.json and
// /var/run/docker.pid are replaced by our --config-file and --pidfile; its runc containers keep
// state under <exec-root>; it creates /run/docker/plugins (the plugin discovery folder, fixed),
// which stop() removes again when it made it and nothing else is in it. The embedded BuildKit runs
// RUN steps with runc's default root /run/runc (not configurable) under random ids, removed when
// the step ends, so no two daemons collide there.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { outcomeText, runProcess, type RunOptions, type RunResult } from '../../src/process/runner';
import { loadComponents } from './components';
import { mountsUnder, type ContainerdDaemon } from './containerdDaemon';
import { waitFor } from './waitFor';
import { terminate } from './terminate';

const run = promisify(execFile);
const pluginFolder = '/run/docker/plugins';

export interface Dockerd {
  readonly dir: string;
  readonly socket: string;
  /** `unix://` + socket: DOCKER_HOST. */
  readonly host: string;
  /** DOCKER_CONFIG: cli-plugins/docker-buildx and nothing of the user's. */
  readonly dockerConfig: string;
  /** The docker CLI (sid). */
  readonly dockerBin: string;
  /** DOCKER_HOST and DOCKER_CONFIG over this process's environment: what a build process gets. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The containerd namespace dockerd keeps images in. */
  readonly namespace: 'moby';
  readonly pid: number;
  /** Runs the docker CLI against this daemon; never rejects on a non-zero exit. */
  docker(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Stops dockerd, unmounts whatever it left mounted below its folder and removes the folder. */
  stop(): Promise<void>;
}

/**
 * The containerd snapshotter stores images in the given containerd; CDI off keeps the host's
 * device specs out; init-path names the set-up tini, as Debian's docker-init link would.
 */
function configText(init: string, snapshotter: boolean): string {
  return `${JSON.stringify({ features: { 'containerd-snapshotter': snapshotter, cdi: false }, 'init-path': init }, null, 2)}\n`;
}

export interface DockerdOptions {
  /** false: the classic image store (overlay2 under data-root), as Docker 28 installs still default to. */
  readonly containerdSnapshotter?: boolean;
  /** A DOCKER_CONFIG folder to use (docker-buildx is linked into its cli-plugins); default: one of our own. */
  readonly dockerConfig?: string;
}

/** Variables from the caller's shell that would point the CLI elsewhere or change what it prints. */
function cleanEnv(base: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const dropped = /^(?:DOCKER_|BUILDKIT_|BUILDX_)|^NO_COLOR$/;
  return Object.fromEntries(Object.entries(base).filter(([key]) => !dropped.test(key)));
}

export async function startDockerd(containerd: ContainerdDaemon, options: DockerdOptions = {}): Promise<Dockerd> {
  const { docker: bins, containerd: containerdDirs } = loadComponents();
  const dir = mkdtempSync(join(tmpdir(), 'vscc-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const dockerConfig = options.dockerConfig ?? join(dir, 'docker-config');
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  const plugin = join(dockerConfig, 'cli-plugins', 'docker-buildx');
  rmSync(plugin, { force: true });
  symlinkSync(join(bins.cliPlugins, 'docker-buildx'), plugin);
  const configFile = join(dir, 'daemon.json');
  writeFileSync(configFile, configText(bins.init, options.containerdSnapshotter ?? true));
  const logFile = join(dir, 'dockerd.log');
  const env = { ...cleanEnv(process.env), DOCKER_HOST: host, DOCKER_CONFIG: dockerConfig };
  const docker = (args: readonly string[], runOptions: RunOptions = {}): Promise<RunResult> =>
    runProcess({ file: bins.docker, args }, { timeoutMs: 300_000, env, ...runOptions });
  const madePluginFolder = !existsSync(pluginFolder);

  // docker-proxy beside dockerd, then the daemon's containerd version's tools; the embedded
  // BuildKit runs the runc it finds on PATH (the system's).
  const path = [dirname(bins.dockerd), containerdDirs[containerd.version], process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(':');
  const log = openSync(logFile, 'a');
  const args = ['--config-file', configFile, '--pidfile', join(dir, 'docker.pid'), '--data-root', join(dir, 'data'),
    '--exec-root', join(dir, 'exec'), '-H', host, '--iptables=false', '--ip6tables=false', '--bridge=none',
    '--userland-proxy=false', '--containerd', containerd.socket];
  const child: ChildProcess = spawn(bins.dockerd, args, { stdio: ['ignore', log, log], detached: true, env: { ...cleanEnv(process.env), PATH: path } });
  closeSync(log);
  const diedEarly = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`dockerd exited with ${signal ?? code}`))));
  diedEarly.catch(() => undefined);
  const stop = async (): Promise<void> => {
    await terminate(child, 30_000);
    for (const mountPoint of mountsUnder(dir)) await run('umount', ['-l', mountPoint]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    if (madePluginFolder && existsSync(pluginFolder) && readdirSync(pluginFolder).length === 0) {
      rmdirSync(pluginFolder);
      if (readdirSync(dirname(pluginFolder)).length === 0) rmdirSync(dirname(pluginFolder));
    }
  };

  try {
    await Promise.race([diedEarly, waitFor(`dockerd to answer on ${socket}`, async () => {
      const answer = await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
      if (answer.exitCode !== 0) throw new Error(answer.stderr.trim().split('\n').at(-1) || `docker version ${outcomeText(answer)}`);
      return true;
    }, 60_000, 250)]);
  } catch (error) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    await stop();
    throw new Error(`dockerd did not start: ${(error as Error).message}\n--- dockerd log tail ---\n${tail}`);
  }
  return { dir, socket, host, dockerConfig, dockerBin: bins.docker, env, namespace: 'moby', get pid() { return child.pid ?? -1; }, docker, stop };
}
