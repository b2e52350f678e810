// A real rootless containerd, started the way its users start it: nerdctl's containerd-rootless.sh,
// run by a test user, puts containerd 2.x into RootlessKit's user, mount and network namespaces;
// the host reaches its socket through /proc/CHILD/root. stop() ends the whole RootlessKit tree
// (every process of its user namespace, plus the parent and slirp4netns) and removes what start
// made; the user stays.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testUser, type UserIds } from './asUser';
import { loadComponents, loadRootlessComponents } from './components';
import { waitFor } from './waitFor';

const run = promisify(execFile);

export const rootlessUserName = 'vscc-rootless-test';

export interface RootlessContainerd {
  readonly user: UserIds;
  /** $XDG_RUNTIME_DIR: /run/user/UID, as a login makes it (RootlessKit's state is in containerd-rootless/). */
  readonly runtimeDir: string;
  /** The user's home (their passwd entry's): containerd's root is ~/.local/share/containerd. */
  readonly home: string;
  /** RootlessKit's child: the process whose namespaces containerd runs in. */
  readonly childPid: number;
  /** The socket as the host reaches it (what discovery finds). */
  readonly address: string;
  /** The environment of the user's own session: HOME, USER, LOGNAME, XDG_RUNTIME_DIR, PATH. */
  readonly env: Readonly<Record<string, string>>;
  /** nerdctl 2.x where the user may run it (first on env.PATH). */
  readonly nerdctl: string;
  /** How long from the launch to the socket answering. */
  readonly startMs: number;
  /** containerd's own log (RootlessKit's and the script's lines too). */
  readonly log: string;
  /** ctr 2.x run as root on the host side of the socket; resolves with stdout. */
  ctr(args: readonly string[]): Promise<string>;
  /**
   * ctr 2.x run as the user inside RootlessKit's user, mount and network namespaces (nsenter, as
   * nerdctl does it): what needs the daemon's mounts (`containers create` mounts the image to read
   * its /etc/passwd), which the host side cannot do.
   */
  ctrInside(args: readonly string[]): Promise<string>;
  /** Ends the RootlessKit tree and removes the runtime dir, the home and the private folder. */
  stop(): Promise<void>;
}

/** The home a user's passwd entry names. */
async function passwdHome(name: string): Promise<string> {
  const home = (await run('getent', ['passwd', name])).stdout.trim().split(':')[5] ?? '';
  if (!home.startsWith('/')) throw new Error(`the passwd entry of ${name} names no home`);
  return home;
}

/** Whether `pid` names a live process. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Copies a program where `user` may run it (the set-up's cache sits under root's private home). */
function installProgram(from: string, dir: string, name: string): string {
  const to = join(dir, name);
  copyFileSync(from, to);
  chmodSync(to, 0o755);
  return to;
}

/**
 * Starts containerd-rootless.sh as `userName` (made when missing: Debian's useradd gives it
 * /etc/subuid and /etc/subgid ranges) and waits for the socket to answer. Its home is made afresh:
 * the test user keeps nothing between runs. A user without ranges is not refused here: the error
 * then carries RootlessKit's own words (what a user without them meets).
 */
export async function startRootlessContainerd(userName = rootlessUserName): Promise<RootlessContainerd> {
  if (!userName.startsWith('vscc-')) throw new Error(`${userName} is not a test user (vscc-*): its home would be replaced`);
  const components = loadComponents();
  const rootless = loadRootlessComponents(components);
  const user = await testUser(userName);
  const runtimeDir = `/run/user/${user.uid}`;
  const childPidFile = join(runtimeDir, 'containerd-rootless', 'child_pid');
  const stale = existsSync(childPidFile) ? Number(readFileSync(childPidFile, 'utf8').trim()) : 0;
  if (stale > 0 && alive(stale)) {
    throw new Error(`a rootless containerd of ${user.name} already runs (RootlessKit child ${stale}): end its rootlesskit parent, then remove ${runtimeDir}`);
  }
  // As a login would: the runtime dir is the user's alone.
  rmSync(runtimeDir, { recursive: true, force: true });
  mkdirSync('/run/user', { recursive: true, mode: 0o755 });
  const home = await passwdHome(user.name);
  rmSync(home, { recursive: true, force: true });
  for (const path of [runtimeDir, home]) {
    mkdirSync(path, { mode: 0o700 });
    chmodSync(path, 0o700); // whatever the umask
    chownSync(path, user.uid, user.gid);
  }
  // slirp4netns opens /dev/net/tun, 0600 root on these machines; ordinary hosts make it 0666 (it
  // grants nothing by itself: creating a device needs CAP_NET_ADMIN in the owning namespace).
  if ((statSync('/dev/net/tun').mode & 0o777) !== 0o666) chmodSync('/dev/net/tun', 0o666);

  const dir = mkdtempSync(join(tmpdir(), 'vscc-rootless-'));
  chmodSync(dir, 0o755);
  const bin = join(dir, 'bin');
  mkdirSync(bin, { mode: 0o755 });
  const containerdDir = components.containerd['2.x'];
  for (const name of ['containerd', 'containerd-shim-runc-v2', 'ctr']) installProgram(join(containerdDir, name), bin, name);
  symlinkSync(components.runc, join(bin, 'runc'));
  const nerdctl = installProgram(components.tools.nerdctl['2.x'], bin, 'nerdctl');
  const script = installProgram(rootless.script, bin, 'containerd-rootless.sh');
  // The user's nerdctl.toml, where rootless nerdctl reads it: Debian's CNI plugins are not in /opt/cni/bin.
  const nerdctlConfigDir = join(home, '.config', 'nerdctl');
  mkdirSync(nerdctlConfigDir, { recursive: true });
  writeFileSync(join(nerdctlConfigDir, 'nerdctl.toml'), `cni_path = "${components.cniBin}"\n`);
  await run('chown', ['-R', `${user.uid}:${user.gid}`, join(home, '.config')]);

  const env = {
    HOME: home, USER: user.name, LOGNAME: user.name, XDG_RUNTIME_DIR: runtimeDir,
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
  };
  const log = join(dir, 'containerd.log');
  const logFd = openSync(log, 'a');
  const started = Date.now();
  // containerd's default config, as a user's first start has it: nothing here needs another (its
  // CRI plugin logs that it has no CNI config and carries on; its paths are RootlessKit's private ones).
  const parent: ChildProcess = spawn(script, [], { uid: user.uid, gid: user.gid, cwd: home, env, stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  let exited: string | undefined;
  parent.once('exit', (code, signal) => { exited = `containerd-rootless.sh exited with ${signal ?? code}`; });
  let address = '';
  let childPid = 0;
  // A failure says what ctr said on the first line: test reports show only that line.
  const ctrFailed = (args: readonly string[]) => (error: { stderr?: string; message?: string }): never => {
    throw new Error(`ctr ${args.join(' ')} failed: ${(error.stderr ?? '').trim().replace(/\s*\n\s*/g, ' | ') || (error.message ?? '')}`);
  };
  const ctr = async (args: readonly string[]): Promise<string> =>
    (await run(join(containerdDir, 'ctr'), ['--address', address, ...args], { maxBuffer: 64 * 1024 * 1024 }).catch(ctrFailed(args))).stdout;
  const ctrInside = async (args: readonly string[]): Promise<string> =>
    (await run('nsenter', ['--user', '--preserve-credentials', '--mount', '--net', '--target', String(childPid), '--', join(bin, 'ctr'), ...args],
      { uid: user.uid, gid: user.gid, env, cwd: home, maxBuffer: 64 * 1024 * 1024 }).catch(ctrFailed(args))).stdout;

  let userNs: string | undefined;
  const stop = async (): Promise<void> => {
    await endTree(parent, userNs);
    rmSync(runtimeDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // waitFor takes a thrown error for "not yet", so an early exit is an answer of its own.
    const found = await waitFor(`RootlessKit to write ${childPidFile}`, () => {
      if (exited) return { exited };
      const text = existsSync(childPidFile) ? readFileSync(childPidFile, 'utf8').trim() : '';
      return /^\d+$/.test(text) ? { pid: Number(text) } : undefined;
    }, 60_000);
    if ('exited' in found) throw new Error(found.exited);
    childPid = found.pid;
    userNs = readlinkSync(`/proc/${childPid}/ns/user`);
    address = `/proc/${childPid}/root/run/containerd/containerd.sock`;
    const answered = await waitFor(`rootless containerd to answer on ${address}`, async () => {
      if (exited) return { exited };
      await ctr(['version']);
      return {};
    }, 60_000);
    if ('exited' in answered) throw new Error(answered.exited);
    return { user, runtimeDir, home, childPid, address, env, nerdctl, startMs: Date.now() - started, log, ctr, ctrInside, stop };
  } catch (error) {
    const tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
    await stop();
    throw new Error(`rootless containerd did not start: ${(error as Error).message}\n--- log tail ---\n${tail}`);
  }
}

/** The lines of /etc/subuid or /etc/subgid that give `user` a range (by name or by uid). */
function subIdLines(file: '/etc/subuid' | '/etc/subgid', user: UserIds): string[] {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return text.split('\n').filter((line) => line.startsWith(`${user.name}:`) || line.startsWith(`${user.uid}:`));
}

/**
 * A test user WITHOUT subordinate uid and gid ranges (what RootlessKit cannot map): made with
 * useradd's counts at 0, or stripped of ranges an earlier useradd gave; /etc/subuid and
 * /etc/subgid are checked to hold no line for it.
 */
export async function testUserWithoutSubIds(name: string): Promise<UserIds> {
  if (!name.startsWith('vscc-')) throw new Error(`${name} is not a test user (vscc-*)`);
  await run('id', ['-u', name]).catch(() => run('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '-K', 'SUB_UID_COUNT=0', '-K', 'SUB_GID_COUNT=0', name]));
  const user = await testUser(name);
  const ranges = (file: '/etc/subuid' | '/etc/subgid'): string[] => subIdLines(file, user).map((line) => {
    const [, start, count] = line.split(':').map(Number);
    return `${start}-${(start ?? 0) + (count ?? 1) - 1}`;
  });
  const removals = [...ranges('/etc/subuid').flatMap((r) => ['--del-subuids', r]), ...ranges('/etc/subgid').flatMap((r) => ['--del-subgids', r])];
  if (removals.length > 0) await run('usermod', [...removals, name]);
  const left = [...subIdLines('/etc/subuid', user), ...subIdLines('/etc/subgid', user)];
  if (left.length > 0) throw new Error(`${name} still has subordinate ids: ${left.join(', ')}`);
  return user;
}

/** Live (not zombie) processes, by pid, with their parent pid and user namespace. */
function processList(): { pid: number; ppid: number; userNs: string }[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      // The fields after the command name, which is in parentheses and may hold anything.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') return [];
      return [{ pid: Number(name), ppid: Number(ppid), userNs: readlinkSync(`/proc/${name}/ns/user`) }];
    } catch {
      return []; // ended meanwhile
    }
  });
}

/** The processes of the RootlessKit tree now: its user namespace's, and the parent's descendants. */
function treeMembers(parentPid: number, userNs: string): number[] {
  const list = processList();
  const members = new Set(list.filter((p) => p.userNs === userNs).map((p) => p.pid));
  if (list.some((p) => p.pid === parentPid)) {
    members.add(parentPid);
    for (let grew = true; grew;) {
      grew = false;
      for (const p of list) if (members.has(p.ppid) && !members.has(p.pid)) { members.add(p.pid); grew = true; }
    }
  }
  return [...members];
}

/**
 * SIGTERM to RootlessKit's parent (it passes the signal on, and containerd shuts down), then
 * SIGKILL to whatever of the tree outlived it: shims and containers leave the parent's tree but
 * not the child's user namespace (known by its inode, which no other namespace has while it
 * lives), and slirp4netns is the parent's own child.
 */
async function endTree(parent: ChildProcess, userNs: string | undefined): Promise<void> {
  const parentPid = parent.pid;
  if (parentPid === undefined) return;
  if (parent.exitCode === null && parent.signalCode === null) {
    const done = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    parent.kill('SIGTERM');
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  }
  const left = (): number[] => treeMembers(parentPid, userNs ?? 'none');
  for (const pid of left()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  await waitFor('the rootless tree to be gone', () => left().length === 0, 20_000);
}
