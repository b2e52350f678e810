import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WorkerInfo } from '../../src/buildkit/builderInfo';
import { binfmtFindings } from '../../src/doctor/binfmtChecks';
import { buildkitdFindings } from '../../src/doctor/buildkitdChecks';
import { bridgeNetworkPlugins, cniFindings, cniPathCandidates, readCniFacts } from '../../src/doctor/cniChecks';
import { configurationFindings } from '../../src/doctor/configurationChecks';
import { buildkitOffFix, buildkitdFix } from '../../src/doctor/knownProblems';
import { taskPlatforms } from '../../src/doctor/taskPlatforms';
import { readTool, toolFindings } from '../../src/doctor/toolChecks';
import { hostIsExecutable } from '../../src/nerdctl/findProgram';
import { runProcess } from '../../src/process/runner';

const scratch = mkdtempSync(join(tmpdir(), 'vscc-doctor-checks-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** A small program that prints `out` on stdout and `err` on stderr and exits with `code`, keeping its argv. */
function program(name: string, out: string, code = 0, err = ''): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\necho "$@" > "${path}.argv"\nprintf '%s' '${out}'\nprintf '%s' '${err}' >&2\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return path;
}

test('tools: each tool is asked its version its own way; found ones are ok, missing ones say what they cost and the setting', async () => {
  const nerdctl = program('nerdctl', 'nerdctl version 2.3.5\n');
  const dlv = program('dlv', 'Delve Debugger\nVersion: 1.27.2\nBuild: $Id$\n');
  const buildctl = program('buildctl', '', 1, 'boom\nmore');
  const facts = await Promise.all([
    readTool('nerdctl', [nerdctl], runProcess),
    readTool('dlv', [dlv], runProcess),
    readTool('buildctl', [buildctl], runProcess),
    readTool('crictl', [join(scratch, 'no-crictl')], runProcess),
    readTool('crictl', [], runProcess),
  ]);
  assert.deepEqual(facts.map((f) => f.answer), [
    { version: 'nerdctl version 2.3.5' }, { version: 'Version: 1.27.2' }, { failed: 'exit 1: boom' },
    facts[3]?.answer, { failed: 'the setting is empty' },
  ]);
  assert.match(JSON.stringify(facts[3]?.answer), /not found \(.*ENOENT/);
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(`${dlv}.argv`, 'utf8'), 'version\n');
  assert.equal(readFileSync(`${nerdctl}.argv`, 'utf8'), '--version\n');
  const findings = toolFindings(facts);
  assert.deepEqual(findings.map((f) => f.level), ['ok', 'ok', 'warning', 'info', 'info']);
  assert.equal(findings[0]?.message, `nerdctl: nerdctl version 2.3.5 (${nerdctl}).`);
  assert.match(findings[2]?.message ?? '', /^buildctl \(.*\) cannot be run: exit 1: boom\. It is needed for the Builders view/);
  assert.match(findings[2]?.fix ?? '', /^Install BuildKit .* or set containerd\.buildctl\.command to where it is\.$/);
  assert.match(findings[3]?.fix ?? '', /containerd\.crictl\.command/);
});

test('tools: a nerdctl older than 1.0 is a warning with the reason', () => {
  const [finding] = toolFindings([{ name: 'nerdctl', command: ['nerdctl'], answer: { version: 'nerdctl version 0.23.0' } }]);
  assert.equal(finding?.level, 'warning');
  assert.match(finding?.message ?? '', /0\.23\.0 is too old/);
  assert.deepEqual(finding?.evidence, ['nerdctl version 0.23.0']);
});

const worker = (platforms: string[], version = 'v0.32.2'): WorkerInfo => ({ id: 'w', platforms, labels: {}, buildkitVersion: version });

test('buildkitd: none present is a warning listing every candidate; present ones answer, fail, or cannot be asked', () => {
  const absent = [{ address: 'unix:///run/buildkit-default/buildkitd.sock', source: 'default' as const, present: false }, { address: 'unix:///run/buildkit/buildkitd.sock', source: 'shared' as const, present: false }];
  const none = buildkitdFindings({ namespace: 'default', candidates: absent, answers: new Map() });
  assert.equal(none.length, 1);
  assert.equal(none[0]?.level, 'warning');
  assert.equal(none[0]?.fix, buildkitdFix);
  assert.deepEqual(none[0]?.evidence, ['unix:///run/buildkit-default/buildkitd.sock (default): no socket', 'unix:///run/buildkit/buildkitd.sock (shared): no socket']);
  const candidates = [
    { address: 'unix:///a', source: 'namespace' as const, present: true },
    { address: 'unix:///b', source: 'default' as const, present: true },
    { address: 'unix:///c', source: 'shared' as const, present: true },
    { address: 'unix:///d', source: 'shared' as const, present: false },
  ];
  const answers = new Map([
    ['unix:///a', { ok: true as const, value: [worker(['linux/amd64', 'linux/arm64']), worker(['linux/amd64'], '')] }],
    ['unix:///b', { ok: false as const, problem: 'no socket at /b' }],
  ]);
  const found = buildkitdFindings({ namespace: 'team', candidates, answers });
  assert.deepEqual(found.map((f) => f.level), ['ok', 'error', 'info']);
  assert.equal(found[0]?.message, 'buildkitd v0.32.2 answers at unix:///a (namespace): 2 workers, platforms linux/amd64, linux/arm64.');
  assert.equal(found[1]?.message, 'buildkitd at unix:///b does not answer: no socket at /b.');
  assert.match(found[2]?.message ?? '', /socket is at unix:\/\/\/c, but buildctl could not be run/);
  const single = buildkitdFindings({ namespace: 'x', candidates: [candidates[0]], answers: new Map([['unix:///a', { ok: true as const, value: [worker([], '')] }]]) });
  assert.equal(single[0]?.message, 'buildkitd answers at unix:///a (namespace): 1 worker, platforms none.');
});

test('binfmt: the build tasks\' platforms through the build preflight; none asked is info; all runnable is ok', () => {
  const state = { mounted: true, handlers: { 'qemu-aarch64': 'enabled\ninterpreter /usr/bin/qemu-aarch64\n', 'qemu-s390x': 'disabled\n', python: 'enabled\n' } };
  const missing = binfmtFindings({ dir: '/b', state, native: 'linux/amd64', platforms: ['linux/amd64', 'linux/riscv64', 'linux/s390x'] });
  assert.deepEqual(missing.map((f) => f.level), ['error', 'error']);
  assert.match(missing[0]?.message ?? '', /^linux\/riscv64: QEMU \(qemu-riscv64\) is not registered/);
  assert.match(missing[1]?.message ?? '', /^linux\/s390x: QEMU \(qemu-s390x\) is registered but disabled/);
  assert.deepEqual(missing[0]?.evidence, ['/b: qemu-aarch64']);
  const none = binfmtFindings({ dir: '/b', state, native: 'linux/amd64', platforms: [] });
  assert.equal(none[0]?.level, 'info');
  assert.equal(none[0]?.message, 'No build task in this workspace names a platform; this host runs linux/amd64, and emulates aarch64.');
  const ok = binfmtFindings({ dir: '/b', state, native: 'linux/amd64', platforms: ['linux/386', 'linux/amd64', 'linux/arm64'] });
  assert.equal(ok[0]?.level, 'ok');
  assert.equal(ok[0]?.message, 'Every platform the build tasks name can run here: linux/386, linux/amd64, linux/arm64 (linux/arm64 through QEMU).');
  const unmounted = binfmtFindings({ dir: '/b', state: { mounted: false, handlers: {} }, native: 'linux/amd64', platforms: ['linux/arm64'] });
  assert.deepEqual(unmounted[0]?.evidence, ['/b: not mounted']);
  assert.match(unmounted[0]?.message ?? '', /binfmt_misc is not mounted/);
  const bare = binfmtFindings({ dir: '/b', state: { mounted: true, handlers: {} }, native: undefined, platforms: [] });
  assert.equal(bare[0]?.message, 'No build task in this workspace names a platform; this host runs an unknown platform.');
  assert.deepEqual(bare[0]?.evidence, ['/b: no QEMU handler enabled']);
});

test('taskPlatforms: only buildkit tasks\' string platforms, once each, sorted', () => {
  assert.deepEqual(taskPlatforms([
    { type: 'buildkit', platforms: ['linux/arm64', ' linux/amd64 ', 7, ''] },
    { type: 'shell', platforms: ['linux/s390x'] },
    { type: 'buildkit', platforms: 'linux/riscv64' },
    { type: 'buildkit', platforms: ['linux/arm64'] },
    null, 'x',
  ]), ['linux/amd64', 'linux/arm64']);
  assert.deepEqual(taskPlatforms(undefined), []);
  assert.deepEqual(taskPlatforms({ type: 'buildkit' }), []);
});

test('CNI: nerdctl\'s order (a rootless user\'s folders first), CNI_PATH and cni_path win, missing plugins named', async () => {
  assert.deepEqual(cniPathCandidates(false, '/home/a').slice(0, 1), ['/opt/cni/bin']);
  assert.deepEqual(cniPathCandidates(true, '/home/a').slice(0, 4), ['/home/a/opt/cni/bin', '/home/a/.local/libexec/cni', '/home/a/.local/lib/cni', '/opt/cni/bin']);
  assert.equal(cniPathCandidates(true, undefined)[0], '/opt/cni/bin');
  assert.equal(cniPathCandidates(false, undefined).at(-1), '/usr/lib/cni');
  const full = join(scratch, 'cni-full');
  const partial = join(scratch, 'cni-partial');
  mkdirSync(full);
  mkdirSync(partial);
  for (const plugin of bridgeNetworkPlugins) program(join('cni-full', plugin), '');
  program(join('cni-partial', 'bridge'), '');
  writeFileSync(join(partial, 'portmap'), 'not executable');
  const isDirectory = (path: string): Promise<boolean> => Promise.resolve(path === partial || path === full);
  const found = await readCniFacts({}, ['/nope', partial, full], isDirectory, hostIsExecutable);
  assert.deepEqual(found, { dir: partial, source: 'found', present: ['bridge'] });
  const warned = cniFindings(found);
  assert.equal(warned[0]?.level, 'warning');
  assert.match(warned[0]?.message ?? '', /needs portmap, firewall, tuning, host-local in .*cni-partial, which are missing/);
  assert.deepEqual(warned[0]?.evidence, [`${partial} (the first of nerdctl's folders that exists): bridge`]);
  assert.deepEqual(await readCniFacts({ env: full, toml: partial }, [], isDirectory, hostIsExecutable), { dir: full, source: 'CNI_PATH', present: [...bridgeNetworkPlugins] });
  assert.equal((await readCniFacts({ toml: full }, [partial], isDirectory, hostIsExecutable)).source, 'nerdctl.toml');
  const fallback = await readCniFacts({}, ['/nope'], isDirectory, hostIsExecutable);
  assert.deepEqual(fallback, { dir: '/opt/cni/bin', source: 'default', present: [] });
  assert.match(cniFindings(fallback)[0]?.evidence?.[0] ?? '', /none of nerdctl's folders exists, so its default\): none of the plugins$/);
  assert.equal(cniFindings({ dir: full, source: 'CNI_PATH', present: [...bridgeNetworkPlugins] })[0]?.level, 'ok');
  assert.match(cniFindings({ dir: '/x', source: 'CNI_PATH', present: ['bridge', 'portmap', 'firewall', 'tuning'] })[0]?.message ?? '', /needs host-local in \/x, which is missing/);
});

test('configuration: nerdctl.toml\'s keys and the tools\' variables in effect; DOCKER_BUILDKIT=0 is the classic builder warning', () => {
  const quiet = configurationFindings({ env: { HOME: '/root', DOCKER_BUILDKIT: '' }, nerdctlToml: { path: '/etc/nerdctl/nerdctl.toml', config: undefined } });
  assert.deepEqual(quiet.map((f) => f.message), ['No nerdctl.toml at /etc/nerdctl/nerdctl.toml: nerdctl uses its defaults.', 'None of the tools\' environment variables is set.']);
  const busy = configurationFindings({
    env: { CONTAINERD_NAMESPACE: 'k8s.io', BUILDKIT_HOST: 'unix:///b.sock', DOCKER_BUILDKIT: ' 0 ', PATH: '/bin' },
    nerdctlToml: { path: '/t.toml', config: { address: '/a.sock', snapshotter: 'native', hostsDirs: ['/h1', '/h2'], cniPath: '/cni' } },
  });
  assert.equal(busy[0]?.message, 'nerdctl.toml at /t.toml.');
  assert.deepEqual(busy[0]?.evidence, ['address = /a.sock', 'snapshotter = native', 'hosts_dir = /h1, /h2', 'cni_path = /cni']);
  assert.equal(busy[1]?.message, 'Environment in effect: CONTAINERD_NAMESPACE, BUILDKIT_HOST, DOCKER_BUILDKIT.');
  assert.deepEqual(busy[1]?.evidence, ['CONTAINERD_NAMESPACE=k8s.io', 'BUILDKIT_HOST=unix:///b.sock', 'DOCKER_BUILDKIT= 0 ']);
  assert.equal(busy[2]?.check, 'dockerBuilder');
  assert.equal(busy[2]?.level, 'warning');
  assert.equal(busy[2]?.fix, buildkitOffFix);
  assert.equal(configurationFindings({ env: {}, nerdctlToml: { path: '/t', config: {} } })[0]?.message, 'nerdctl.toml at /t sets none of the keys the extension reads.');
});
