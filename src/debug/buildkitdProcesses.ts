// The buildkitd processes on this machine, as the debug process picker lists them: read from /proc
// (a root passed in, so tests can point it elsewhere), never by running ps. A buildkitd inside a
// container or under RootlessKit is still a host process; its namespaces say where it lives.
import { readFile, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { moduleVersion, readBinaryFacts } from './binaryFacts';

export interface BuildkitdProcess {
  readonly pid: number;
  readonly uid: number;
  /** The user's name from the passwd file, or the uid as text. */
  readonly user: string;
  readonly commandLine: readonly string[];
  /** Where it listens: its --addr values, else buildkitd's default for its user. */
  readonly addresses: readonly string[];
  /** True when no --addr was given and the address is buildkitd's default. */
  readonly defaultAddress: boolean;
  /** In a PID namespace other than ours: a container's. */
  readonly inContainer: boolean;
  /** In a user namespace other than ours: rootless (RootlessKit). */
  readonly rootless: boolean;
  /** The executable as the host sees it (/proc/PID/exe resolved), when we may read it. */
  readonly executable: string | undefined;
}

export interface ProcessSource {
  /** /proc, or a folder shaped like it. */
  readonly procRoot: string;
  /** /etc/passwd, for user names. */
  readonly passwdFile: string;
}

export const hostProcesses: ProcessSource = { procRoot: '/proc', passwdFile: '/etc/passwd' };

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function readLink(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch {
    return undefined;
  }
}

export function userNames(passwd: string): ReadonlyMap<number, string> {
  const names = new Map<number, string>();
  for (const line of passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) names.set(Number(uid), name);
  }
  return names;
}

/** The real uid a /proc/PID/status names; undefined when it names none (the process is gone). */
export function statusUid(status: string | undefined): number | undefined {
  const uid = /^Uid:\s+(\d+)/m.exec(status ?? '')?.[1];
  return uid === undefined ? undefined : Number(uid);
}

/** Every value of --addr (buildkitd takes it several times), in both spellings. */
export function addrFlags(args: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--addr' && i + 1 < args.length) found.push(args[(i += 1)] ?? '');
    else if (arg.startsWith('--addr=')) found.push(arg.slice('--addr='.length));
  }
  return found;
}

/**
 * buildkitd's own default address: $XDG_RUNTIME_DIR/buildkit/buildkitd.sock when it runs rootless
 * (in a user namespace, with $USER set and not root: BuildKit's own test), /run/buildkit otherwise.
 */
export function defaultAddress(rootless: boolean, environ: ReadonlyMap<string, string>): string {
  const user = environ.get('USER');
  const runtimeDir = environ.get('XDG_RUNTIME_DIR')?.split(':')[0];
  if (rootless && user && user !== 'root' && runtimeDir) return `unix://${runtimeDir}/buildkit/buildkitd.sock`;
  return 'unix:///run/buildkit/buildkitd.sock';
}

export function parseEnviron(text: string | undefined): ReadonlyMap<string, string> {
  const env = new Map<string, string>();
  for (const entry of (text ?? '').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

function isBuildkitd(commandLine: readonly string[], comm: string | undefined): boolean {
  return comm?.trim() === 'buildkitd' || basename(commandLine[0] ?? '') === 'buildkitd';
}

async function readProcess(source: ProcessSource, pid: number, names: ReadonlyMap<number, string>, ours: { pid?: string; user?: string }): Promise<BuildkitdProcess | undefined> {
  const dir = join(source.procRoot, String(pid));
  const cmdline = await readText(join(dir, 'cmdline'));
  if (!cmdline) return undefined; // gone, or a kernel thread
  const commandLine = cmdline.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1);
  if (!isBuildkitd(commandLine, await readText(join(dir, 'comm')))) return undefined;
  const uid = statusUid(await readText(join(dir, 'status')));
  if (uid === undefined) return undefined;
  const pidNs = await readLink(join(dir, 'ns', 'pid'));
  const userNs = await readLink(join(dir, 'ns', 'user'));
  const rootless = userNs !== undefined && ours.user !== undefined && userNs !== ours.user;
  const given = addrFlags(commandLine.slice(1));
  const addresses = given.length > 0 ? given : [defaultAddress(rootless, parseEnviron(await readText(join(dir, 'environ'))))];
  return {
    pid,
    uid,
    user: names.get(uid) ?? String(uid),
    commandLine,
    addresses,
    defaultAddress: given.length === 0,
    inContainer: pidNs !== undefined && ours.pid !== undefined && pidNs !== ours.pid,
    rootless,
    executable: await readLink(join(dir, 'exe')),
  };
}

/**
 * The buildkitd processes, those listening on `preferred` first (the Builders view's buildkitd),
 * then by pid. `self` is the pid whose namespaces count as ours.
 */
export async function listBuildkitdProcesses(source: ProcessSource = hostProcesses, preferred?: string, self = 'self'): Promise<BuildkitdProcess[]> {
  const entries = await readdir(source.procRoot);
  const names = userNames((await readText(source.passwdFile)) ?? '');
  const ours = {
    pid: await readLink(join(source.procRoot, self, 'ns', 'pid')),
    user: await readLink(join(source.procRoot, self, 'ns', 'user')),
  };
  const pids = entries.filter((name) => /^\d+$/.test(name)).map(Number);
  const found = (await Promise.all(pids.map((pid) => readProcess(source, pid, names, ours)))).filter((p): p is BuildkitdProcess => p !== undefined);
  const rank = (p: BuildkitdProcess): number => (preferred !== undefined && p.addresses.includes(preferred) ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b) || a.pid - b.pid);
}

/** The BuildKit version a buildkitd holds, from its build info; a note when it cannot be read. */
export async function buildkitdVersion(process: BuildkitdProcess, procRoot = '/proc'): Promise<string> {
  try {
    const facts = await readBinaryFacts(process.executable ?? join(procRoot, String(process.pid), 'exe'));
    if (facts.kind !== 'go') return 'version unknown';
    return moduleVersion(facts, 'github.com/moby/buildkit') ?? facts.goVersion;
  } catch {
    return 'version unknown (executable not readable)';
  }
}

/** The picker's line for a process: "pid 42 · root · v0.32.2 · rootless, in a container". */
export function processSummary(process: BuildkitdProcess, version: string): string {
  const where = [process.rootless ? 'rootless' : undefined, process.inContainer ? 'in a container' : undefined].filter(Boolean).join(', ');
  return `pid ${process.pid} · ${process.user} · ${version}${where ? ` · ${where}` : ''}`;
}
