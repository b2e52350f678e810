// The debug process picker's list, on real buildkitd processes: one rootful on its own socket, one
// in a PID namespace of its own (as in a container), one rootless (a user namespace, run by a test
// user, on buildkitd's own default address, which it then really listens on), each with its pid,
// user, address, version (read from the binary), and the Builders view's one first.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildkitdVersion, listBuildkitdProcesses, processSummary, type BuildkitdProcess } from '../../src/debug/buildkitdProcesses';
import { runProcess } from '../../src/process/runner';
import { testUser, type UserIds } from '../harness/asUser';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents, type GoTools } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { terminate } from '../harness/terminate';
import { waitFor } from '../harness/waitFor';

describe('the buildkitd process list, on real rootful, namespaced and rootless buildkitds', () => {
  let tools: GoTools;
  let daemon: ContainerdDaemon;
  let rootful: Buildkitd;
  let user: UserIds;
  let dir = '';
  const children: ChildProcess[] = [];

  /** Our own processes only (other tests' buildkitds may run beside these): unshare --fork makes the namespaced one a grandchild, so it is known by its binary. */
  const ours = async (preferred?: string): Promise<BuildkitdProcess[]> =>
    (await listBuildkitdProcesses(undefined, preferred)).filter((p) => p.pid === rootful.pid || p.commandLine[0] === join(dir, 'buildkitd'));

  before(async () => {
    tools = loadComponents().tools;
    user = await testUser('vscc-debug-test');
    daemon = await startContainerd('2.x');
    rootful = await startBuildkitd(daemon, { binary: tools.buildkitdDebug });
    dir = mkdtempSync(join(tmpdir(), 'vscc-bk-procs-'));
    chmodSync(dir, 0o755);
    const binary = join(dir, 'buildkitd');
    copyFileSync(tools.buildkitd, binary);
    chmodSync(binary, 0o755);
    // In a PID namespace of its own, as in a container; --addr given.
    children.push(spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', binary, '--addr', `unix://${dir}/namespaced.sock`, '--root', join(dir, 'namespaced-root'), '--oci-worker=true', '--containerd-worker=false'], { stdio: 'ignore' }));
    // Rootless: in a user namespace, run by the test user, no --addr (buildkitd's rootless default).
    const runtimeDir = join(dir, 'run');
    mkdirSync(runtimeDir);
    chownSync(runtimeDir, user.uid, user.gid);
    children.push(spawn('unshare', ['--user', '--map-root-user', '--mount', binary, '--root', join(runtimeDir, 'root'), '--oci-worker=true', '--containerd-worker=false', '--oci-worker-no-process-sandbox'], {
      uid: user.uid, gid: user.gid, stdio: 'ignore', env: { USER: user.name, HOME: runtimeDir, XDG_RUNTIME_DIR: runtimeDir, PATH: '/usr/bin:/bin' },
    }));
    await waitFor('all three buildkitds to be listed', async () => ((await listBuildkitdProcesses()).filter((p) => p.commandLine[0] === binary).length === 2 ? true : undefined), 30_000, 200);
  });
  after(async () => {
    for (const child of children) await terminate(child, 10_000);
    await rootful?.stop();
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the rootful one on its own socket, run by root, with the BuildKit version its binary holds', async () => {
    const found = (await ours()).find((p) => p.pid === rootful.pid);
    assert.ok(found, 'the rootful buildkitd is listed');
    assert.deepEqual(found.addresses, [rootful.address]);
    assert.equal(found.defaultAddress, false);
    assert.equal(found.user, 'root');
    assert.equal(found.uid, 0);
    assert.equal(found.rootless, false);
    assert.equal(found.inContainer, false);
    assert.equal(found.executable, tools.buildkitdDebug);
    assert.equal(await buildkitdVersion(found), 'v0.32.2');
    assert.equal(processSummary(found, 'v0.32.2'), `pid ${rootful.pid} · root · v0.32.2`);
  });

  it('marks the one in its own PID namespace as in a container, by its host pid', async () => {
    const found = (await ours()).find((p) => p.addresses.includes(`unix://${dir}/namespaced.sock`));
    assert.ok(found);
    assert.equal(found.inContainer, true);
    assert.equal(found.rootless, false);
    assert.match(processSummary(found, 'v0.32.2'), / · in a container$/);
    const status = await runProcess({ file: 'ps', args: ['-o', 'comm=', '-p', String(found.pid)] });
    assert.equal(status.stdout.trim(), 'buildkitd', 'the listed pid is the host\'s pid of that buildkitd');
  });

  it('marks the user-namespace one rootless, run by the test user, on the default address it really listens on', async () => {
    const found = (await ours()).find((p) => p.rootless);
    assert.ok(found);
    assert.equal(found.user, user.name);
    assert.equal(found.uid, user.uid);
    assert.equal(found.defaultAddress, true);
    assert.deepEqual(found.addresses, [`unix://${join(dir, 'run')}/buildkit/buildkitd.sock`]);
    await waitFor('the rootless buildkitd to answer on its default address', async () => {
      const answer = await runProcess({ file: tools.buildctl, args: ['--addr', found.addresses[0] ?? '', 'debug', 'workers'] }, { timeoutMs: 10_000 });
      return answer.exitCode === 0 || undefined;
    }, 30_000, 250);
    assert.match(processSummary(found, 'v0.32.2'), new RegExp(`^pid ${found.pid} · ${user.name} · v0\\.32\\.2 · rootless$`));
  });

  it('puts the buildkitd at the preferred address (the Builders view\'s) first', async () => {
    const namespaced = `unix://${dir}/namespaced.sock`;
    const listed = await ours(namespaced);
    assert.equal(listed.length, 3);
    assert.deepEqual(listed[0]?.addresses, [namespaced]);
    const byPid = await ours();
    assert.deepEqual(byPid.map((p) => p.pid), [...byPid.map((p) => p.pid)].sort((a, b) => a - b));
  });
});
