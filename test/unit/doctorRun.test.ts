import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { runDoctor, type DoctorSources } from '../../src/doctor/runDoctor';
import type { Process } from '../../src/nerdctl/invocation';
import type { RunResult } from '../../src/process/runner';

/** What each tool answers, by its argv; anything else is a process that could not start. */
function runner(answers: Readonly<Record<string, Partial<RunResult>>>, asked: string[]): DoctorSources['run'] {
  return (process: Process) => {
    const line = [process.file, ...process.args].join(' ');
    asked.push(line);
    const answer = answers[line];
    return Promise.resolve({ command: line, exitCode: answer ? 0 : undefined, stdout: '', stderr: '', timedOut: false, cancelled: false, ...(answer ?? { failedToStart: `spawn ${process.file} ENOENT` }) });
  };
}

test('runDoctor: every area from its sources, buildkitd asked through buildctl at the candidates present, in the report\'s order', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'vscc-doctor-run-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const binfmt = join(root, 'binfmt');
  mkdirSync(binfmt);
  writeFileSync(join(binfmt, 'status'), 'enabled\n');
  writeFileSync(join(binfmt, 'qemu-aarch64'), 'enabled\n');
  const files = new Map<string, string>([['/etc/subuid', 'alice:100000:65536\n'], ['/etc/subgid', 'alice:100000:65536\n'], ['/proc/1/comm', 'init\n']]);
  const sockets = new Set(['/run/user/1000/buildkit-default/buildkitd.sock']);
  const asked: string[] = [];
  const workers = JSON.stringify([{ id: 'w1', platforms: [{ os: 'linux', architecture: 'amd64' }], labels: {}, buildkitVersion: { version: 'v0.32.2' } }]);
  const down: EndpointStatus = { endpoint: { address: '/run/containerd/containerd.sock', label: 'rootful', source: 'rootful' }, reachable: false, error: new ContainerdUnreachableError('permissionDenied', '/run/containerd/containerd.sock', 'connect EACCES') };
  const report = await runDoctor({
    env: { XDG_RUNTIME_DIR: '/run/user/1000', PATH: '/usr/bin', CONTAINERD_NAMESPACE: 'team' },
    user: { name: 'alice', uid: 1000, home: '/home/alice' },
    arch: 'x64',
    statuses: [down],
    apiOf: () => { throw new Error('no endpoint answers: nothing to ask'); },
    ourPidNamespace: 1,
    namespace: 'default',
    tools: { nerdctl: ['nerdctl'], buildctl: ['buildctl'], dlv: ['dlv'], crictl: ['crictl'] },
    buildkitHost: undefined,
    run: runner({
      'nerdctl --version': { stdout: 'nerdctl version 2.3.5\n' },
      'buildctl --version': { stdout: 'buildctl github.com/moby/buildkit v0.32.2\n' },
      'buildctl --addr unix:///run/user/1000/buildkit-default/buildkitd.sock debug workers --format {{json .}}': { stdout: workers },
    }, asked),
    files: {
      readText: (path) => Promise.resolve(files.get(path)),
      executableMode: (path) => Promise.resolve(path === '/usr/bin/newuidmap' || path === '/usr/bin/newgidmap' ? 0o104755 : path.startsWith('/usr/lib/cni/') ? 0o100755 : undefined),
      exists: (path) => Promise.resolve(files.has(path)),
      isDirectory: (path) => Promise.resolve(path === '/usr/lib/cni'),
      isSocket: (path) => Promise.resolve(sockets.has(path)),
    },
    binfmtDir: binfmt,
    platforms: ['linux/arm64'],
    nerdctlToml: { path: '/home/alice/.config/nerdctl/nerdctl.toml', config: undefined },
    now: () => new Date('2026-12-01T00:00:00Z'),
  });
  assert.deepEqual(report.user, { name: 'alice', uid: 1000 });
  assert.equal(report.generatedAt.toISOString(), '2026-12-01T00:00:00.000Z');
  assert.deepEqual(report.findings.map((f) => `${f.check}:${f.level}`), [
    'endpoint:error',
    'rootless:info', 'rootless:ok', 'rootless:ok', 'rootless:ok', 'rootless:ok', 'rootless:warning', 'rootless:warning', 'rootless:info',
    'buildkitd:ok',
    'binfmt:ok',
    'tools:ok', 'tools:ok', 'tools:info', 'tools:info',
    'cni:ok',
    'configuration:info', 'configuration:info',
  ]);
  assert.match(report.findings[0]?.fix ?? '', /The socket belongs to root/);
  // No child_pid file under XDG_RUNTIME_DIR is read as none (exists says no), not as unreadable.
  assert.equal(report.findings[1]?.message, 'No rootless containerd runs for alice (/run/user/1000/containerd-rootless/child_pid does not exist).');
  assert.deepEqual(report.findings.at(-1)?.evidence, ['CONTAINERD_NAMESPACE=team', 'XDG_RUNTIME_DIR=/run/user/1000']);
  assert.equal(report.findings.find((f) => f.check === 'buildkitd')?.message, 'buildkitd v0.32.2 answers at unix:///run/user/1000/buildkit-default/buildkitd.sock (default): 1 worker, platforms linux/amd64.');
  assert.match(report.findings.find((f) => f.check === 'cni')?.evidence?.[0] ?? '', /^\/usr\/lib\/cni \(the first of nerdctl's folders that exists\)/);
  assert.deepEqual(asked.filter((l) => l.includes('debug workers')), ['buildctl --addr unix:///run/user/1000/buildkit-default/buildkitd.sock debug workers --format {{json .}}']);
  assert.ok(asked.includes('dlv version'));
  // The setting wins over nerdctl's candidates: only it is asked.
  const configured: string[] = [];
  const again = await runDoctor({
    env: {}, user: { name: 'root', uid: 0, home: '/root' }, arch: 'x64', statuses: [], apiOf: () => { throw new Error('none'); }, ourPidNamespace: undefined,
    namespace: 'default', tools: { nerdctl: [], buildctl: ['buildctl'], dlv: ['dlv'], crictl: ['crictl'] }, buildkitHost: 'tcp://10.0.0.1:1234',
    run: runner({}, configured), files: { readText: () => Promise.resolve(undefined), executableMode: () => Promise.resolve(undefined), exists: () => Promise.resolve(false), isDirectory: () => Promise.resolve(false), isSocket: () => Promise.resolve(false) },
    binfmtDir: join(root, 'none'), platforms: [], nerdctlToml: { path: '/etc/nerdctl/nerdctl.toml', config: undefined }, now: () => new Date(0),
  });
  assert.deepEqual(configured.filter((l) => l.includes('debug workers')), ['buildctl --addr tcp://10.0.0.1:1234 debug workers --format {{json .}}']);
  assert.equal(again.findings.find((f) => f.check === 'buildkitd')?.level, 'error');
  assert.deepEqual(again.findings.filter((f) => f.check === 'rootless').map((f) => f.level), ['info']);
  assert.equal(again.findings.find((f) => f.check === 'cni')?.evidence?.[0], "/opt/cni/bin (none of nerdctl's folders exists, so its default): none of the plugins");
});

test('runDoctor: CNI where nerdctl would look: CNI_PATH, then nerdctl.toml, then its folders (a home folder only for a normal user)', async () => {
  const cniOf = async (user: { name: string; uid: number; home: string }, env: Record<string, string>, cniPath?: string): Promise<string | undefined> => {
    const report = await runDoctor({
      env, user, arch: 'x64', statuses: [], apiOf: () => { throw new Error('none'); }, ourPidNamespace: undefined, namespace: 'default',
      tools: { nerdctl: [], buildctl: [], dlv: [], crictl: [] }, buildkitHost: undefined, run: runner({}, []),
      files: { readText: () => Promise.resolve(undefined), executableMode: () => Promise.resolve(undefined), exists: () => Promise.resolve(false), isDirectory: (path) => Promise.resolve(path.endsWith('/opt/cni/bin') && path !== '/opt/cni/bin' || path === '/usr/lib/cni'), isSocket: () => Promise.resolve(false) },
      binfmtDir: '/nonexistent', platforms: [], nerdctlToml: { path: '/t', config: cniPath ? { cniPath } : undefined }, now: () => new Date(0),
    });
    return report.findings.find((f) => f.check === 'cni')?.evidence?.[0]?.split(' (')[0];
  };
  const alice = { name: 'alice', uid: 1000, home: '/home/alice' };
  const root = { name: 'root', uid: 0, home: '/root' };
  assert.equal(await cniOf(alice, {}), '/home/alice/opt/cni/bin');
  assert.equal(await cniOf(root, {}), '/usr/lib/cni');
  assert.equal(await cniOf(root, {}, '/from/toml'), '/from/toml');
  assert.equal(await cniOf(root, { CNI_PATH: '/from/env' }, '/from/toml'), '/from/env');
});
