// Reads RootlessFacts from the machine through injected file reads, so a test can point them at
// a real user's view (run as that user) and nothing here assumes who runs it.
import { delimiter, join } from 'node:path';
import { findProgram } from '../nerdctl/findProgram';
import { mountOf, parseMountInfo } from './mountInfo';
import type { IdMapTool, RootlessFacts } from './rootlessChecks';

export interface FileReads {
  readonly readText: (path: string) => Promise<string | undefined>;
  /** Mode bits of an executable file; undefined when it is not one. */
  readonly executableMode: (path: string) => Promise<number | undefined>;
  readonly exists: (path: string) => Promise<boolean>;
}

export interface RootlessSources extends FileReads {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly user: RootlessFacts['user'];
}

const setuidBit = 0o4000;

async function idMapTool(name: string, sources: RootlessSources): Promise<IdMapTool | undefined> {
  // sbin is often off a normal user's PATH while the tool sits there.
  const searched = [sources.env.PATH ?? '', '/usr/bin', '/usr/sbin', '/bin', '/sbin'].join(delimiter);
  const path = await findProgram(name, searched, async (candidate) => (await sources.executableMode(candidate)) !== undefined);
  const mode = path === undefined ? undefined : await sources.executableMode(path);
  return path === undefined || mode === undefined ? undefined : { path, setuid: (mode & setuidBit) !== 0 };
}

async function cgroup(sources: RootlessSources): Promise<RootlessFacts['cgroup']> {
  const mounts = parseMountInfo((await sources.readText('/proc/self/mountinfo')) ?? '');
  const top = mountOf('/sys/fs/cgroup', mounts);
  if (top?.fsType !== 'cgroup2' || top.mountPoint !== '/sys/fs/cgroup') {
    const v1 = mounts.some((m) => m.fsType === 'cgroup' && m.mountPoint.startsWith('/sys/fs/cgroup/'));
    return { version: v1 ? 'v1' : 'none' };
  }
  const { uid } = sources.user;
  // systemd delegates to user@UID.service; without it, the controllers of our own cgroup are what we get.
  const own = /^0::(\/.*)$/m.exec((await sources.readText('/proc/self/cgroup')) ?? '')?.[1];
  const candidates = [`/sys/fs/cgroup/user.slice/user-${uid}.slice/user@${uid}.service/cgroup.controllers`, ...(own ? [join('/sys/fs/cgroup', own, 'cgroup.controllers')] : [])];
  for (const path of candidates) {
    const text = await sources.readText(path);
    if (text !== undefined) return { version: 'v2', controllers: text.trim().split(/\s+/).filter(Boolean), controllersFrom: path };
  }
  return { version: 'v2' };
}

async function child(runtimeDir: string | undefined, sources: RootlessSources): Promise<RootlessFacts['child']> {
  if (!runtimeDir) return undefined;
  const file = join(runtimeDir, 'containerd-rootless', 'child_pid');
  if (!(await sources.exists(file))) return undefined;
  const text = (await sources.readText(file))?.trim();
  if (text === undefined) return { unreadable: 'permission denied or not a file' };
  if (!/^\d+$/.test(text)) return { unreadable: `it holds "${text.slice(0, 40)}", not a PID` };
  return { pid: Number(text), alive: await sources.exists(`/proc/${text}`) };
}

export async function readRootlessFacts(sources: RootlessSources): Promise<RootlessFacts> {
  const runtimeDir = sources.env.XDG_RUNTIME_DIR?.trim() || undefined;
  const [newuidmap, newgidmap, subuid, subgid, cgroupFacts, init, childFacts, lingering] = await Promise.all([
    idMapTool('newuidmap', sources),
    idMapTool('newgidmap', sources),
    sources.readText('/etc/subuid'),
    sources.readText('/etc/subgid'),
    cgroup(sources),
    sources.readText('/proc/1/comm'),
    child(runtimeDir, sources),
    sources.exists(`/var/lib/systemd/linger/${sources.user.name}`),
  ]);
  return { user: sources.user, newuidmap, newgidmap, subuid, subgid, cgroup: cgroupFacts, init: init?.trim(), runtimeDir, child: childFacts, lingering };
}
