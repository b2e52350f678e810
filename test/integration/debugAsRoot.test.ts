// asRoot with a real non-root user, real sudo and a sudoers entry: dlv refuses DAP clients of
// another user, so root's dlv dials in to a socket the user's side listens on. Without the entry,
// `sudo -n` fails at once (never waits for a password) and says so; with exactly the entry for
// dlv, the user's session stops in a root buildkitd's ListWorkers and detaches, buildkitd serving on.
import assert from 'node:assert/strict';
import { accessSync, chmodSync, constants, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../src/debug/finding';
import { runScriptAs, startScriptAs, testUser, type UserIds, type UserScript } from '../harness/asUser';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents, MissingComponentError, type GoTools } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { buildkitSourceDir, firstStatementLine } from '../harness/dlvSession';
import { waitFor } from '../harness/waitFor';

interface Step { step: string; [key: string]: unknown }

function steps(script: UserScript): Step[] {
  return script.stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Step);
}

describe('asRoot: a non-root user debugs a root buildkitd through sudo (real user, sudo, sudoers entry)', () => {
  let tools: GoTools;
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;
  let user: UserIds;
  const sudoers = `/etc/sudoers.d/vscc-debug-${process.pid}`;
  const controlGo = join(buildkitSourceDir(), 'control', 'control.go');
  const input = (): string => JSON.stringify({ dlv: tools.dlv, dlvVersion: '1.27.2', pid: buildkitd.pid, file: controlGo, line: firstStatementLine(controlGo, 'func (c *Controller) ListWorkers(') });

  before(async () => {
    try {
      accessSync('/usr/bin/sudo', constants.X_OK);
    } catch {
      throw new MissingComponentError('sudo is missing: run `npm run setup` (scripts/setup.sh installs it for these tests)');
    }
    tools = loadComponents().tools;
    user = await testUser('vscc-debug-test');
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon, { binary: tools.buildkitdDebug });
  });
  after(async () => {
    rmSync(sudoers, { force: true });
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('the preflight as that user lets asRoot through: only the checks of the binary it cannot read are lost (without asRoot: the ownership error)', async () => {
    // The user's own copy of dlv: the cache under /root is closed to others.
    const dir = mkdtempSync(join(tmpdir(), 'vscc-asroot-dlv-'));
    chmodSync(dir, 0o755);
    const dlv = join(dir, 'dlv');
    copyFileSync(tools.dlv, dlv);
    chmodSync(dlv, 0o755);
    try {
      const preflightAs = (asRoot: boolean): Promise<{ findings: Finding[] }> => runScriptAs(user, join(__dirname, 'preflightChild.js'), [JSON.stringify({ config: { type: 'buildkitd', name: 't', request: 'attach', processId: buildkitd.pid, asRoot }, ptraceScopeFile: '/nonexistent', dlv })]);
      const withSudo = await preflightAs(true);
      assert.deepEqual(withSudo.findings.map((f) => `${f.check}:${f.level}`), ['binary:warning']);
      assert.match(withSudo.findings[0]?.message ?? '', /cannot be read as you \(EACCES/);
      const without = await preflightAs(false);
      assert.deepEqual(without.findings.map((f) => `${f.check}:${f.level}`), ['ptrace:error']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a sudoers entry, sudo -n refuses at once and the listener is left unused', async () => {
    const script = await startScriptAs(user, join(__dirname, 'asRootChild.js'), [input()]);
    assert.equal(await script.done, 0);
    const [failed] = steps(script);
    assert.equal(failed?.step, 'sudo-failed');
    assert.equal(failed?.code, 1);
    assert.match(String(failed?.stderr), /a password is required/);
    assert.deepEqual((failed?.argv as string[]).slice(0, 4), ['sudo', '-n', '--', tools.dlv]);
    assert.match(String(failed?.clientAddr), /^unix:\/.*\/dap\.sock$/);
  });

  it('with the entry for dlv, root\'s dlv dials in, the session stops in ListWorkers, and buildkitd serves on after the detach', async () => {
    writeFileSync(sudoers, `${user.name} ALL=(root) NOPASSWD: ${tools.dlv}\n`, { mode: 0o440 });
    const script = await startScriptAs(user, join(__dirname, 'asRootChild.js'), [input()]);
    await waitFor('the user\'s session to be ready', () => steps(script).find((s) => s.step === 'ready' || s.step === 'sudo-failed' || s.step === 'error'), 120_000, 200);
    assert.equal(steps(script).at(-1)?.step, 'ready', JSON.stringify(steps(script)));
    const asking = buildkitd.buildctl(['debug', 'workers'], { timeoutMs: 120_000 });
    await waitFor('the breakpoint to be hit', () => steps(script).find((s) => s.step === 'done' || s.step === 'error'), 120_000, 200);
    assert.equal(await script.done, 0);
    const stopped = steps(script).find((s) => s.step === 'stopped');
    assert.match(String((stopped?.frame as { name?: string } | undefined)?.name), /control\.\(\*Controller\)\.ListWorkers$/);
    assert.equal((await asking).exitCode, 0);
    process.kill(buildkitd.pid, 0);
    const again = await buildkitd.buildctl(['debug', 'workers']);
    assert.equal(again.exitCode, 0, again.stderr);
  });
});
