// The debugger's preflight judged against what really happens: each variant of buildkitd the
// set-up builds (-N -l, optimized, stripped, -trimpath), Debian's older Delve with its Go, and a
// real non-root user facing ptrace's rules. Wherever the preflight says "this will fail", the test
// also lets the real dlv try and fail the same way; where it says "fine", the real dlv succeeds.
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { checkDebugConfig } from '../../src/debug/debugConfig';
import type { Finding } from '../../src/debug/finding';
import { debugBuildFlags } from '../../src/debug/preflight';
import { hostMachine, preflightOnMachine, type MachinePreflight } from '../../src/debug/preflightFacts';
import { startDlvServer } from '../../src/debug/dlvServer';
import type { SubstitutePathEntry } from '../../src/debug/substitutePath';
import { runScriptAs, testUser, type UserIds } from '../harness/asUser';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { cacheDir, loadComponents, type GoTools } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { DapClient } from '../harness/dapClient';
import { buildkitSourceDir, firstStatementLine, startSession, stoppedView } from '../harness/dlvSession';
import { buildHello, debianDlv, debianGo, helloSource, requireDebianGoPair, startHello } from '../harness/goHello';
import { waitFor } from '../harness/waitFor';

const exec = promisify(execFile);

async function preflight(config: Record<string, unknown>, dlv: string, env: NodeJS.ProcessEnv = process.env): Promise<MachinePreflight> {
  const checked = checkDebugConfig({ type: 'buildkitd', name: 'test', ...config });
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  const machine = { ...hostMachine(dlv, []), env, ptraceScopeFile: '/nonexistent/ptrace_scope' };
  const result = await preflightOnMachine(checked.value, machine);
  assert.ok(result);
  return result;
}

const checks = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.check}:${f.level}`).sort();

/**
 * What the real dlv says and does when it debugs `program` (a DAP launch in exec mode) and is asked
 * for a breakpoint in BuildKit's control.go (at its real path unless told another): its response,
 * its own log lines, the breakpoint.
 */
async function dlvLaunchAnswer(dlvPath: string, program: string, options: { controlGo?: string; substitutePath?: readonly SubstitutePathEntry[] } = {}): Promise<{ success: boolean; said: string; breakpoint: { verified: boolean; message?: string } | undefined }> {
  let said = '';
  const dlv = await startDlvServer({ dlvPath, onOutput: (text) => (said += text) });
  const client = await DapClient.connect(dlv.host, dlv.port);
  try {
    await client.ok('initialize', { adapterID: 'buildkitd', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const answer = await client.request('launch', { mode: 'exec', program, args: ['--help'], ...(options.substitutePath ? { substitutePath: options.substitutePath } : {}) });
    if (!answer.success) return { success: false, said: `${said} ${answer.message ?? ''}`, breakpoint: undefined };
    const controlGo = options.controlGo ?? join(buildkitSourceDir(), 'control', 'control.go');
    const set = await client.ok('setBreakpoints', { source: { path: controlGo }, breakpoints: [{ line: firstStatementLine(controlGo, 'func (c *Controller) ListWorkers(') }] });
    return { success: true, said, breakpoint: (set.breakpoints as { verified: boolean; message?: string }[])[0] };
  } finally {
    client.close();
    await dlv.stop();
  }
}

describe('the debugger preflight against real binaries, a real older Delve and real ptrace rules', () => {
  let tools: GoTools;
  let daemon: ContainerdDaemon;
  let debugBuildkitd: Buildkitd;
  let user: UserIds;
  const started: ChildProcess[] = [];
  let scopeDir = '';
  /** The set-up's dlv where the test user can run it (the cache under /root is closed to others). */
  let userDlv = '';

  before(async () => {
    requireDebianGoPair();
    tools = loadComponents().tools;
    daemon = await startContainerd('2.x');
    debugBuildkitd = await startBuildkitd(daemon, { binary: tools.buildkitdDebug });
    user = await testUser('vscc-debug-test');
    scopeDir = mkdtempSync(join(tmpdir(), 'vscc-ptrace-scope-'));
    chmodSync(scopeDir, 0o755);
    for (const scope of [0, 1, 2, 3]) writeFileSync(join(scopeDir, String(scope)), `${scope}\n`, { mode: 0o644 });
    userDlv = join(scopeDir, 'dlv');
    copyFileSync(tools.dlv, userDlv);
    chmodSync(userDlv, 0o755);
  });
  after(async () => {
    for (const child of started) child.kill('SIGKILL');
    await debugBuildkitd?.stop();
    await daemon?.stop();
  });

  /** A -trimpath buildkitd and a dlv dap connected to, for the length of `body`. */
  async function withTrimmed(body: (trimmed: Buildkitd, client: DapClient) => Promise<void>): Promise<void> {
    const trimmed = await startBuildkitd(daemon, { binary: tools.buildkitdTrimpath });
    const dlv = await startDlvServer({ dlvPath: tools.dlv });
    const client = await DapClient.connect(dlv.host, dlv.port);
    try {
      await body(trimmed, client);
      await client.ok('disconnect', { terminateDebuggee: false });
    } finally {
      client.close();
      await dlv.stop();
      await trimmed.stop();
    }
  }

  it('a -N -l buildkitd attached by root passes with nothing to say', async () => {
    const result = await preflight({ request: 'attach', processId: String(debugBuildkitd.pid) }, tools.dlv);
    assert.deepEqual(result.findings, []);
    assert.equal('path' in result.dlv && result.dlv.path, tools.dlv);
    assert.equal('path' in result.dlv && result.dlv.version, '1.27.2');
  });

  it('an optimized buildkitd gives the warning with the flags that fix it, and no error', async () => {
    const result = await preflight({ request: 'launch', program: tools.buildkitd }, tools.dlv);
    assert.deepEqual(checks(result.findings), ['optimized:warning']);
    assert.ok(result.findings[0]?.fix.includes(debugBuildFlags));
  });

  it('a stripped buildkitd gives the DWARF error, and the real dlv can bind no source breakpoint in it', async () => {
    const result = await preflight({ request: 'launch', program: tools.buildkitdStripped }, tools.dlv);
    assert.deepEqual(checks(result.findings), ['dwarf:error']);
    assert.match(result.findings[0]?.message ?? '', /no debugging information \(DWARF\)/);
    // dlv starts it, but says what is missing, and no source breakpoint can bind.
    const real = await dlvLaunchAnswer(tools.dlv, tools.buildkitdStripped);
    assert.match(real.said, /no debug info found/);
    assert.equal(real.breakpoint?.verified, false);
    assert.match(real.breakpoint?.message ?? '', /binary is stripped/);
    const unstripped = await dlvLaunchAnswer(tools.dlv, tools.buildkitdDebug);
    assert.equal(unstripped.breakpoint?.verified, true, 'the same breakpoint binds in the -N -l build');
  });

  it('a -N -l buildkitd with the module cache reached through a symlink: the real path is mapped, and only through that mapping does a breakpoint set on the linked path bind', async () => {
    const modules = join(cacheDir(), 'go', 'mod');
    const link = join(scopeDir, 'modules-link');
    symlinkSync(modules, link);
    const result = await preflight({ request: 'launch', program: tools.buildkitdDebug }, tools.dlv, { ...process.env, GOMODCACHE: link });
    assert.deepEqual(checks(result.findings), ['symlink:info']);
    assert.deepEqual(result.substitutePath, [{ from: link, to: realpathSync(modules) }]);
    const linkedControlGo = join(link, relative(modules, buildkitSourceDir()), 'control', 'control.go');
    const unmapped = await dlvLaunchAnswer(tools.dlv, tools.buildkitdDebug, { controlGo: linkedControlGo });
    assert.equal(unmapped.breakpoint?.verified, false, 'the real dlv does not follow the link');
    const mapped = await dlvLaunchAnswer(tools.dlv, tools.buildkitdDebug, { controlGo: linkedControlGo, substitutePath: result.substitutePath });
    assert.equal(mapped.breakpoint?.verified, true, mapped.breakpoint?.message);
    // Without the link the module cache has nothing to map.
    const direct = await preflight({ request: 'launch', program: tools.buildkitdDebug }, tools.dlv, { ...process.env, GOMODCACHE: modules });
    assert.deepEqual(direct.findings, []);
  });

  it('a -trimpath buildkitd: the module cache source is proposed, and through it a breakpoint binds and is hit in the local file', async () => {
    await withTrimmed(async (trimmed, client) => {
      const env = { ...process.env, GOMODCACHE: join(cacheDir(), 'go', 'mod') };
      const result = await preflight({ request: 'attach', processId: trimmed.pid }, tools.dlv, env);
      assert.deepEqual(checks(result.findings), ['trimpath:info']);
      const mapping = result.substitutePath?.find((entry) => entry.to === 'github.com/moby/buildkit@v0.32.2');
      assert.deepEqual(mapping, { from: buildkitSourceDir(), to: 'github.com/moby/buildkit@v0.32.2' });
      const controlGo = join(buildkitSourceDir(), 'control', 'control.go');
      const line = firstStatementLine(controlGo, 'func (c *Controller) ListWorkers(');
      await startSession(client, 'attach', { mode: 'local', processId: trimmed.pid, substitutePath: result.substitutePath }, [{ file: controlGo, line }]);
      const asking = trimmed.buildctl(['debug', 'workers'], { timeoutMs: 120_000 });
      const stop = await stoppedView(client, 'breakpoint');
      assert.equal(stop.frames[0]?.source?.path, controlGo, 'the frame is shown in the local file');
      assert.equal(stop.frames[0]?.line, line);
      await client.ok('continue', { threadId: stop.threadId });
      assert.equal((await asking).exitCode, 0);
    });
  });

  it('without the mapping, the same breakpoint in a -trimpath buildkitd does not bind (what the proposal is for)', async () => {
    await withTrimmed(async (trimmed, client) => {
      await client.ok('initialize', { adapterID: 'buildkitd', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
      await client.ok('attach', { mode: 'local', processId: trimmed.pid });
      await client.waitEvent('initialized');
      const controlGo = join(buildkitSourceDir(), 'control', 'control.go');
      const set = await client.ok('setBreakpoints', { source: { path: controlGo }, breakpoints: [{ line: firstStatementLine(controlGo, 'func (c *Controller) ListWorkers(') }] });
      assert.equal((set.breakpoints as { verified: boolean }[])[0]?.verified, false);
    });
  });

  it('a non-root user facing root\'s buildkitd is told about ownership and asRoot, and the real dlv as that user is refused', async () => {
    const seen = await runScriptAs<{ uid: number; findings: Finding[] }>(user, join(__dirname, 'preflightChild.js'), [JSON.stringify({ config: { type: 'buildkitd', name: 't', request: 'attach', processId: debugBuildkitd.pid }, ptraceScopeFile: join(scopeDir, '0'), dlv: userDlv })]);
    assert.equal(seen.uid, user.uid);
    assert.deepEqual(checks(seen.findings), ['ptrace:error'], 'the unreadable /proc/PID/exe is the same refusal, not a second finding');
    const ptrace = seen.findings[0];
    assert.equal(ptrace?.level, 'error');
    assert.match(ptrace?.message ?? '', /runs as root \(uid 0\)/);
    assert.match(ptrace?.fix ?? '', /"asRoot": true/);
    const real = await exec(userDlv, ['attach', String(debugBuildkitd.pid), '--headless', '--listen=127.0.0.1:0', '--api-version=2'], { uid: user.uid, gid: user.gid, env: { PATH: '/usr/bin:/bin', HOME: '/tmp' }, timeout: 30_000 }).then(
      (done) => ({ code: 0, text: done.stdout + done.stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code, text: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    assert.notEqual(real.code, 0);
    assert.match(real.text, /does not own the process|operation not permitted/i);
  });

  it('ptrace_scope is read from the file given: 1, 2 and 3 refuse a same-user attach with their fixes, 0 lets it through and the real attach succeeds', async () => {
    const hello = await buildHello(debianGo, ['-gcflags=all=-N -l']);
    const program = startHello(hello, user);
    started.push(program);
    await waitFor('the program to run as the test user', async () => (await exec('ps', ['-o', 'user=', '-p', String(program.pid)])).stdout.trim() || undefined);
    const as = (scope: number): Promise<{ findings: Finding[] }> => runScriptAs(user, join(__dirname, 'preflightChild.js'), [JSON.stringify({ config: { type: 'buildkitd', name: 't', request: 'attach', processId: program.pid }, ptraceScopeFile: join(scopeDir, String(scope)), dlv: debianDlv })]);
    const byScope = await Promise.all([0, 1, 2, 3].map(async (scope) => (await as(scope)).findings.filter((f) => f.check === 'ptrace')));
    assert.deepEqual(byScope[0], []);
    assert.match(byScope[1]?.[0]?.message ?? '', /ptrace_scope is 1: a process may attach only to its own descendants/);
    assert.match(byScope[1]?.[0]?.fix ?? '', /sysctl kernel\.yama\.ptrace_scope=0/);
    assert.match(byScope[2]?.[0]?.message ?? '', /ptrace_scope is 2: only processes with CAP_SYS_PTRACE/);
    assert.match(byScope[3]?.[0]?.message ?? '', /ptrace_scope is 3: this kernel refuses every ptrace attach/);
    // This kernel has no Yama (what scope 0 stands for): the user's own dlv attaches for real.
    const real = await new Promise<string>((resolve, reject) => {
      const dlv = execFile(debianDlv, ['attach', String(program.pid), '--headless', '--listen=127.0.0.1:0', '--api-version=2'], { uid: user.uid, gid: user.gid, env: { PATH: '/usr/bin:/bin', HOME: '/tmp' } });
      let text = '';
      const take = (chunk: Buffer | string): void => {
        text += String(chunk);
        if (/API server listening at/.test(text)) {
          dlv.kill('SIGINT');
          resolve(text);
        }
      };
      dlv.stdout?.on('data', take);
      dlv.stderr?.on('data', take);
      dlv.once('exit', () => reject(new Error(`dlv exited before attaching: ${text}`)));
    });
    assert.match(real, /API server listening at/);
  });

  it('Debian\'s dlv 1.20 with its Go 1.19: the preflight passes and a breakpoint in the program is hit; against the go1.26 buildkitd it is refused as too old (dlv 1.20 itself would go ahead and misread the runtime)', async () => {
    const hello = await buildHello(debianGo, ['-gcflags=all=-N -l']);
    const program = startHello(hello);
    started.push(program);
    const ok = await preflight({ request: 'attach', processId: program.pid }, debianDlv);
    assert.deepEqual(ok.findings, []);
    const mainGo = join(helloSource(), 'main.go');
    const dlv = await startDlvServer({ dlvPath: debianDlv });
    const client = await DapClient.connect(dlv.host, dlv.port);
    try {
      // The binary records the copy it was built from; map the fixture folder onto it.
      const builtFrom = join(hello, '..', 'src');
      await startSession(client, 'attach', { mode: 'local', processId: program.pid, substitutePath: [{ from: helloSource(), to: builtFrom }] }, [{ file: mainGo, line: firstStatementLine(mainGo, 'func greet(') }]);
      const stop = await stoppedView(client, 'breakpoint', 0, 30_000);
      assert.equal(stop.frames[0]?.name, 'main.greet');
      assert.equal(stop.frames[0]?.source?.path, mainGo);
      assert.ok(stop.variables.some((v) => v.name === 'round'), JSON.stringify(stop.variables));
      await client.ok('disconnect', { terminateDebuggee: false });
    } finally {
      client.close();
      await dlv.stop();
    }
    process.kill(program.pid ?? -1, 0); // still running after the detach

    const tooOld = await preflight({ request: 'attach', processId: debugBuildkitd.pid }, debianDlv);
    assert.deepEqual(checks(tooOld.findings), ['go-version:error']);
    assert.match(tooOld.findings[0]?.message ?? '', /built with go1\.26\.\d+, and dlv 1\.20\.2 \(\/usr\/bin\/dlv\) reads only Go 1\.18 to 1\.20/);
    assert.match(tooOld.findings[0]?.fix ?? '', /--check-go-version=false/);
    const triedAnyway = await preflight({ request: 'attach', processId: debugBuildkitd.pid, dlvFlags: ['--check-go-version=false'] }, debianDlv);
    assert.deepEqual(checks(triedAnyway.findings), ['go-version:warning'], 'turned off on purpose: a warning');
    // dlv 1.20 does not refuse the attach itself: it goes ahead and misreads the newer runtime.
    let said = '';
    const realOld = await startDlvServer({ dlvPath: debianDlv, onOutput: (text) => (said += text) });
    const oldClient = await DapClient.connect(realOld.host, realOld.port);
    try {
      await oldClient.ok('initialize', { adapterID: 'buildkitd', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
      await oldClient.request('attach', { mode: 'local', processId: debugBuildkitd.pid });
      await waitFor('dlv 1.20 to complain about the go1.26 runtime', () => /no type entry found/.test(said) || undefined, 30_000);
      await oldClient.request('disconnect', { terminateDebuggee: false });
    } finally {
      oldClient.close();
      await realOld.stop();
    }
    process.kill(debugBuildkitd.pid, 0);
  });
});
