import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freeRange, rootlessFindings, subordinateCount, type RootlessFacts } from '../../src/doctor/rootlessChecks';
import { readRootlessFacts, type RootlessSources } from '../../src/doctor/rootlessFacts';

const user = { name: 'alice', uid: 1000 };

function facts(over: Partial<RootlessFacts> = {}): RootlessFacts {
  return {
    user,
    newuidmap: { path: '/usr/bin/newuidmap', setuid: true },
    newgidmap: { path: '/usr/bin/newgidmap', setuid: true },
    subuid: 'alice:100000:65536\n',
    subgid: 'alice:100000:65536\n',
    cgroup: { version: 'v2', controllers: ['cpuset', 'cpu', 'io', 'memory', 'pids'], controllersFrom: '/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers' },
    init: 'systemd',
    runtimeDir: '/run/user/1000',
    child: { pid: 4242, alive: true },
    lingering: true,
    ...over,
  };
}

const levels = (findings: readonly { level: string }[]): string => findings.map((f) => f.level).join(' ');

test('a complete rootless set-up is ok line by line', () => {
  const findings = rootlessFindings(facts());
  assert.equal(levels(findings), 'ok ok ok ok ok ok ok');
  assert.equal(findings[0]?.message, "Rootless containerd runs: RootlessKit's child is PID 4242; its socket is /proc/4242/root/run/containerd/containerd.sock.");
  assert.equal(findings[3]?.message, '/etc/subuid: 65536 ids for alice.');
  assert.equal(findings[5]?.message, 'cgroup v2 with cpu, io, memory, pids delegated.');
});

test('root is not checked: one info line', () => {
  const findings = rootlessFindings(facts({ user: { name: 'root', uid: 0 } }));
  assert.equal(levels(findings), 'info');
  assert.match(findings[0]?.message ?? '', /runs as root/);
});

test('no subordinate ids is an error with usermod; a short range is a warning; lines by uid count too', () => {
  const none = rootlessFindings(facts({ subuid: 'bob:100000:65536\n', subgid: undefined }));
  assert.equal(none[3]?.level, 'error');
  assert.equal(none[3]?.fix, 'Give alice a range no other user has: sudo usermod --add-subuids 165536-231071 alice (then restart rootless containerd).');
  assert.deepEqual(none[3]?.evidence, ['no line for alice or 1000']);
  assert.equal(none[4]?.level, 'error');
  assert.match(none[4]?.fix ?? '', /--add-subgids 100000-165535 alice/);
  assert.deepEqual(none[4]?.evidence, ['/etc/subgid does not exist']);
  const short = rootlessFindings(facts({ subuid: 'alice:100000:1000\n1000:200000:500\n' }));
  assert.equal(short[3]?.level, 'warning');
  assert.match(short[3]?.message ?? '', /only 1500 ids/);
  assert.equal(subordinateCount('alice:1:65536\n1000:70000:65536\nalice:x:5\nalice:1\n', user), 131072);
  assert.equal(subordinateCount(undefined, user), 0);
  assert.equal(rootlessFindings(facts({ subuid: 'alice:100000:65535\n' }))[3]?.level, 'warning');
  assert.deepEqual(freeRange('a:100000:65536\nb:300000:10\nbad:x:1\nc:5:5\n'), { first: 300010, last: 365545 });
  assert.deepEqual(freeRange(undefined), { first: 100000, last: 165535 });
});

test('newuidmap missing is an error; present but not setuid a warning naming setcap', () => {
  const findings = rootlessFindings(facts({ newuidmap: undefined, newgidmap: { path: '/usr/sbin/newgidmap', setuid: false } }));
  assert.equal(findings[1]?.level, 'error');
  assert.match(findings[1]?.fix ?? '', /apt install uidmap/);
  assert.equal(findings[2]?.level, 'warning');
  assert.match(findings[2]?.fix ?? '', /chmod u\+s \/usr\/sbin\/newgidmap.*setcap/);
});

test('cgroup v1 (these machines) is a warning with the fix; v2 without delegation names the missing controllers', () => {
  const v1 = rootlessFindings(facts({ cgroup: { version: 'v1' } }))[5];
  assert.equal(v1?.level, 'warning');
  assert.match(v1?.message ?? '', /^cgroup v1: a rootless runc cannot create cgroups/);
  assert.match(v1?.fix ?? '', /systemd\.unified_cgroup_hierarchy=1/);
  const none = rootlessFindings(facts({ cgroup: { version: 'none' } }))[5];
  assert.match(none?.message ?? '', /^cgroup is not mounted/);
  const partial = rootlessFindings(facts({ cgroup: { version: 'v2', controllers: ['memory', 'pids'], controllersFrom: '/x/cgroup.controllers' } }))[5];
  assert.equal(partial?.level, 'warning');
  assert.match(partial?.message ?? '', /but cpu, io are not delegated to alice/);
  assert.deepEqual(partial?.evidence, ['/x/cgroup.controllers: memory pids']);
  assert.match(partial?.fix ?? '', /Delegate=cpu cpuset io memory pids/);
  const one = rootlessFindings(facts({ cgroup: { version: 'v2', controllers: ['cpu', 'memory', 'pids'] } }))[5];
  assert.match(one?.message ?? '', /io is not delegated/);
  assert.deepEqual(one?.evidence, ['cgroup.controllers: cpu memory pids']);
});

test('without systemd: a warning naming PID 1, and lingering does not apply; with it, lingering off is a warning', () => {
  const noSystemd = rootlessFindings(facts({ init: 'process_api', lingering: false }));
  assert.equal(levels(noSystemd.slice(6)), 'warning info');
  assert.match(noSystemd[6]?.message ?? '', /^PID 1 is process_api, not systemd/);
  assert.deepEqual(noSystemd[6]?.evidence, ['/proc/1/comm: process_api']);
  const off = rootlessFindings(facts({ lingering: false }));
  assert.equal(off[6]?.level, 'warning');
  assert.equal(off[6]?.fix, 'sudo loginctl enable-linger alice');
});

test('the daemon: no XDG_RUNTIME_DIR is an error; no child_pid info; a dead or unreadable one an error', () => {
  assert.equal(rootlessFindings(facts({ runtimeDir: undefined }))[0]?.level, 'error');
  assert.match(rootlessFindings(facts({ runtimeDir: undefined }))[0]?.fix ?? '', /\/run\/user\/1000/);
  const none = rootlessFindings(facts({ child: undefined }))[0];
  assert.equal(none?.level, 'info');
  assert.match(none?.message ?? '', /\/run\/user\/1000\/containerd-rootless\/child_pid does not exist/);
  const dead = rootlessFindings(facts({ child: { pid: 9, alive: false } }))[0];
  assert.equal(dead?.level, 'error');
  assert.match(dead?.message ?? '', /names PID 9, which no longer runs/);
  assert.equal(rootlessFindings(facts({ child: { unreadable: 'nope' } }))[0]?.level, 'error');
});

test('readRootlessFacts reads a machine laid out in a folder: tools on PATH or sbin, ids, cgroup v2 controllers, child_pid', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'vscc-rootless-facts-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const at = (path: string): string => join(root, path);
  const put = (path: string, text: string): void => {
    mkdirSync(join(at(path), '..'), { recursive: true });
    writeFileSync(at(path), text);
  };
  put('/etc/subuid', 'alice:100000:65536\n');
  put('/proc/self/mountinfo', '27 1 254:0 / / rw - ext4 /dev/vda rw\n31 27 0:28 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
  put('/proc/self/cgroup', '0::/user.slice/alice.scope\n');
  put('/sys/fs/cgroup/user.slice/alice.scope/cgroup.controllers', 'cpu memory pids\n');
  put('/proc/1/comm', 'systemd\n');
  put('/run/user/1000/containerd-rootless/child_pid', '4242\n');
  put('/proc/4242/status', '');
  const modes = new Map([['/usr/sbin/newuidmap', 0o104755], ['/opt/bin/newgidmap', 0o100755]]);
  const sources: RootlessSources = {
    env: { PATH: '/opt/bin:/usr/local/bin', XDG_RUNTIME_DIR: '/run/user/1000' },
    user,
    readText: (path) => readFile(at(path), 'utf8').catch(() => undefined),
    executableMode: (path) => Promise.resolve(modes.get(path)),
    exists: (path) => stat(at(path)).then(() => true, () => false),
  };
  const read = await readRootlessFacts(sources);
  assert.deepEqual(read.newuidmap, { path: '/usr/sbin/newuidmap', setuid: true });
  assert.deepEqual(read.newgidmap, { path: '/opt/bin/newgidmap', setuid: false });
  assert.equal(read.subgid, undefined);
  assert.deepEqual(read.cgroup, { version: 'v2', controllers: ['cpu', 'memory', 'pids'], controllersFrom: '/sys/fs/cgroup/user.slice/alice.scope/cgroup.controllers' });
  assert.equal(read.init, 'systemd');
  assert.deepEqual(read.child, { pid: 4242, alive: true });
  assert.equal(read.lingering, false);
  // systemd's delegation point wins over our own cgroup when it exists.
  put('/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers', 'cpuset cpu io memory pids');
  assert.equal((await readRootlessFacts(sources)).cgroup.controllersFrom, '/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers');
  // cgroup v1: a tmpfs at /sys/fs/cgroup with cgroup hierarchies under it.
  put('/proc/self/mountinfo', '31 27 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n40 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n');
  assert.deepEqual((await readRootlessFacts(sources)).cgroup, { version: 'v1' });
  put('/proc/self/mountinfo', '31 27 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n');
  assert.deepEqual((await readRootlessFacts(sources)).cgroup, { version: 'none' });
  // A dead child, a garbled one, none.
  put('/run/user/1000/containerd-rootless/child_pid', '999999\n');
  assert.deepEqual((await readRootlessFacts(sources)).child, { pid: 999999, alive: false });
  put('/run/user/1000/containerd-rootless/child_pid', 'nope');
  assert.deepEqual((await readRootlessFacts(sources)).child, { unreadable: 'it holds "nope", not a PID' });
  assert.equal((await readRootlessFacts({ ...sources, env: { PATH: '' } })).child, undefined);
  assert.equal((await readRootlessFacts({ ...sources, env: { PATH: '' } })).newgidmap, undefined);
  put('/var/lib/systemd/linger/alice', '');
  assert.equal((await readRootlessFacts(sources)).lingering, true);
});

test('readRootlessFacts at the edges: empty PATH entries, hybrid cgroups, the unified line among others, unreadable or garbled child_pid, a blank XDG_RUNTIME_DIR', async () => {
  const files = new Map<string, string>();
  const existing = new Set<string>();
  const sources: RootlessSources = {
    env: { PATH: '::/opt/bin:', XDG_RUNTIME_DIR: '/run/user/1000' },
    user,
    readText: (path) => Promise.resolve(files.get(path)),
    executableMode: (path) => Promise.resolve(path === '/opt/bin/newuidmap' ? 0o100755 : undefined),
    exists: (path) => Promise.resolve(existing.has(path) || files.has(path)),
  };
  // Hybrid: tmpfs at /sys/fs/cgroup, v1 hierarchies under it, cgroup2 only at .../unified.
  files.set('/proc/self/mountinfo', '31 27 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n40 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n41 31 0:31 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n');
  let read = await readRootlessFacts(sources);
  assert.deepEqual(read.cgroup, { version: 'v1' });
  assert.deepEqual(read.newuidmap, { path: '/opt/bin/newuidmap', setuid: false });
  // A cgroup v1 hierarchy mounted elsewhere does not count.
  files.set('/proc/self/mountinfo', '31 27 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n40 27 0:30 / /mnt/cg rw - cgroup cgroup rw,memory\n');
  assert.deepEqual((await readRootlessFacts(sources)).cgroup, { version: 'none' });
  // cgroup2 mounted below /sys/fs/cgroup only is not the unified hierarchy.
  files.set('/proc/self/mountinfo', '27 1 254:0 / / rw - ext4 /dev/vda rw\n41 27 0:31 / /sys/fs/cgroup/x rw - cgroup2 cgroup2 rw\n');
  assert.deepEqual((await readRootlessFacts(sources)).cgroup, { version: 'none' });
  // Unified: our own cgroup is the 0:: line, not one that merely contains "0::".
  files.set('/proc/self/mountinfo', '31 27 0:28 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
  files.set('/proc/self/cgroup', '10::/wrong\n0::/right\n');
  files.set('/sys/fs/cgroup/wrong/cgroup.controllers', 'cpu\n');
  files.set('/sys/fs/cgroup/right/cgroup.controllers', '  cpu   memory\tpids \n');
  read = await readRootlessFacts(sources);
  assert.deepEqual(read.cgroup, { version: 'v2', controllers: ['cpu', 'memory', 'pids'], controllersFrom: '/sys/fs/cgroup/right/cgroup.controllers' });
  files.set('/sys/fs/cgroup/right/cgroup.controllers', '');
  assert.deepEqual((await readRootlessFacts(sources)).cgroup, { version: 'v2', controllers: [], controllersFrom: '/sys/fs/cgroup/right/cgroup.controllers' });
  files.delete('/sys/fs/cgroup/right/cgroup.controllers');
  files.delete('/proc/self/cgroup');
  assert.deepEqual((await readRootlessFacts(sources)).cgroup, { version: 'v2' });
  // child_pid that exists but cannot be read, that is not only digits, and a blank runtime dir.
  existing.add('/run/user/1000/containerd-rootless/child_pid');
  assert.deepEqual((await readRootlessFacts(sources)).child, { unreadable: 'permission denied or not a file' });
  for (const text of ['12abc', 'abc12', ' 4242 \n']) {
    files.set('/run/user/1000/containerd-rootless/child_pid', text);
    const child = (await readRootlessFacts(sources)).child;
    assert.deepEqual(child, text.trim() === '4242' ? { pid: 4242, alive: false } : { unreadable: `it holds "${text.trim()}", not a PID` });
  }
  existing.add('/proc/4242');
  assert.deepEqual((await readRootlessFacts(sources)).child, { pid: 4242, alive: true });
  const blank = await readRootlessFacts({ ...sources, env: { XDG_RUNTIME_DIR: '   ' } });
  assert.equal(blank.runtimeDir, undefined);
  assert.equal(blank.child, undefined);
  assert.equal((await readRootlessFacts({ ...sources, env: { XDG_RUNTIME_DIR: ' /run/user/1000 ' } })).runtimeDir, '/run/user/1000');
});
