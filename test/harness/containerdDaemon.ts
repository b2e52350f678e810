// Starts a private containerd (its own root, state, sockets, runc root and log in a temp folder)
// of a given version, and takes it down again with everything it started: tasks, shims, mounts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadComponents, type ContainerdVersion } from './components';
import { waitFor } from './waitFor';

const run = promisify(execFile);

export interface ContainerdDaemon {
  readonly version: ContainerdVersion;
  readonly dir: string;
  readonly socket: string;
  /** Pass as `--runc-root` to `ctr run` so runc state stays private to this daemon. */
  readonly runcRoot: string;
  readonly pid: number;
  /** Runs this version's ctr against this daemon; resolves with stdout. */
  ctr(args: readonly string[]): Promise<string>;
  /** SIGKILLs the daemon (its socket file stays behind, as after a crash). */
  crash(): Promise<void>;
  /** Starts the daemon again on the same root, state and socket. */
  restart(): Promise<void>;
  /** Kills every task, stops the daemon, unmounts and removes the folder. */
  stop(): Promise<void>;
}

export interface CriOptions {
  /** The sandbox (pause) image, imported into k8s.io by the test before any pod starts. */
  readonly pauseImage: string;
  readonly cniBin: string;
}

function configText(version: ContainerdVersion, dir: string, cri?: CriOptions, topLevel: readonly string[] = []): string {
  const common = [
    `root = "${dir}/root"`,
    `state = "${dir}/state"`,
    ...topLevel,
    '',
    '[grpc]',
    `  address = "${dir}/containerd.sock"`,
    '[ttrpc]',
    `  address = "${dir}/containerd.sock.ttrpc"`,
    '[debug]',
    `  address = "${dir}/debug.sock"`,
    '  level = "info"',
  ];
  if (cri) return [`version = ${version === '2.x' ? 3 : 2}`, 'disabled_plugins = ["io.containerd.nri.v1.nri"]', ...common, ...criConfig(version, dir, cri), ''].join('\n');
  // The CRI and NRI plugins touch host-global paths (CNI, /var/run/nri) and are not what most tests test.
  const disabled = version === '2.x'
    ? ['io.containerd.grpc.v1.cri', 'io.containerd.cri.v1.images', 'io.containerd.cri.v1.runtime', 'io.containerd.nri.v1.nri', 'io.containerd.podsandbox.controller.v1.podsandbox', 'io.containerd.sandbox.controller.v1.shim']
    : ['io.containerd.grpc.v1.cri', 'io.containerd.nri.v1.nri'];
  return [`version = ${version === '2.x' ? 3 : 2}`, `disabled_plugins = [${disabled.map((p) => `"${p}"`).join(', ')}]`, ...common, ''].join('\n');
}

/**
 * The CRI plugin kept private: its pause image is one the test imports (nothing is pulled), its
 * runc state and CNI config live in the daemon's folder. Pods use the host network (no CNI).
 * restrict_oom_score_adj: CRI asks for oom_score_adj -998 for the sandbox, which runc cannot set
 * without CAP_SYS_RESOURCE (missing in a container), so clamp it to the daemon's own score.
 */
function criConfig(version: ContainerdVersion, dir: string, cri: CriOptions): string[] {
  if (version === '2.x') {
    return [
      "[plugins.'io.containerd.cri.v1.images'.pinned_images]",
      `  sandbox = "${cri.pauseImage}"`,
      "[plugins.'io.containerd.cri.v1.runtime']",
      '  restrict_oom_score_adj = true',
      "[plugins.'io.containerd.cri.v1.runtime'.cni]",
      `  bin_dirs = ["${cri.cniBin}"]`,
      `  conf_dir = "${dir}/cri-cni"`,
      "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]",
      '  runtime_type = "io.containerd.runc.v2"',
      "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
      `  Root = "${dir}/runc-cri"`,
      "[plugins.'io.containerd.grpc.v1.cri']",
      '  stream_server_address = "127.0.0.1"',
      '  stream_server_port = "0"',
    ];
  }
  return [
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = "${cri.pauseImage}"`,
    '  restrict_oom_score_adj = true',
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '[plugins."io.containerd.grpc.v1.cri".cni]',
    `  bin_dir = "${cri.cniBin}"`,
    `  conf_dir = "${dir}/cri-cni"`,
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '  runtime_type = "io.containerd.runc.v2"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    `  Root = "${dir}/runc-cri"`,
  ];
}

/** Mount points below `dir`, the last mounted first (a mount inside another comes off before it). */
export function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  return lines.map((line) => line.split(' ')[4] ?? '').filter((mountPoint) => mountPoint.startsWith(`${dir}/`)).reverse();
}

/** `cri`: with the CRI plugin on (kept private), for Kubernetes' containers; off by default. */
/** `topLevel`: more top-level config lines (`plugin_dir = "..."`, which 1.7 reports as deprecated). */
export async function startContainerd(version: ContainerdVersion, cri?: CriOptions, topLevel: readonly string[] = []): Promise<ContainerdDaemon> {
  const components = loadComponents();
  const binDir = components.containerd[version];
  const dir = mkdtempSync(join(tmpdir(), `vscc-${version.replace('.', '')}-`));
  const socket = join(dir, 'containerd.sock');
  const configFile = join(dir, 'config.toml');
  writeFileSync(configFile, configText(version, dir, cri, topLevel));
  // The version's own shim must win over any other on PATH.
  const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` };
  const ctrBin = join(binDir, 'ctr');
  // A failure says what ctr said on the first line: test reports show only that line.
  const ctr = async (args: readonly string[]): Promise<string> => (await run(ctrBin, ['--address', socket, ...args], { env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stderr?: string; message?: string }) => {
    throw new Error(`ctr ${args.join(' ')} failed: ${(error.stderr ?? '').trim().replace(/\s*\n\s*/g, ' | ') || (error.message ?? '')}`);
  })).stdout;

  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const log = openSync(join(dir, 'containerd.log'), 'a');
    const started = spawn(join(binDir, 'containerd'), ['--config', configFile], { env, stdio: ['ignore', log, log], detached: true });
    child = started;
    let exited: string | undefined;
    started.once('exit', (code, signal) => { exited = `exited with ${signal ?? code}`; });
    try {
      await waitFor(`containerd ${version} to answer on ${socket}`, async () => {
        if (exited) throw new Error(exited);
        await ctr(['version']);
        return true;
      }, 60_000);
    } catch (error) {
      const tail = readFileSync(join(dir, 'containerd.log'), 'utf8').split('\n').slice(-15).join('\n');
      started.kill('SIGKILL');
      throw new Error(`containerd ${version} did not start: ${(error as Error).message}\n--- log tail ---\n${tail}`);
    }
  };
  const waitExit = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await done;
    }
  };
  const killTasks = async (): Promise<void> => {
    const namespaces = (await ctr(['namespaces', 'list', '--quiet'])).split('\n').filter(Boolean);
    for (const ns of namespaces) {
      const tasks = (await ctr(['--namespace', ns, 'tasks', 'list', '--quiet'])).split('\n').filter(Boolean);
      for (const id of tasks) {
        await ctr(['--namespace', ns, 'tasks', 'kill', '--signal', 'SIGKILL', id]).catch(() => undefined);
        await waitFor(`task ${id} to stop`, async () => !(await ctr(['--namespace', ns, 'tasks', 'list'])).split('\n').some((l) => l.startsWith(`${id} `) && l.includes('RUNNING')), 20_000).catch(() => undefined);
        await ctr(['--namespace', ns, 'tasks', 'delete', '--force', id]).catch(() => undefined);
      }
    }
  };

  await launch();
  return {
    version,
    dir,
    socket,
    runcRoot: join(dir, 'runc'),
    get pid() { return child?.pid ?? -1; },
    ctr,
    crash: () => waitExit('SIGKILL'),
    restart: async () => {
      await waitExit('SIGTERM');
      await launch();
    },
    stop: async () => {
      await killTasks().catch(() => undefined);
      await waitExit('SIGTERM');
      for (const mountPoint of mountsUnder(dir)) await run('umount', ['-l', mountPoint]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
