// The other two ways the buildkitd debug type reaches dlv, on real components: a `dlv --headless`
// already attached to a -N -l buildkitd and serving on a port (as BuildKit's debug image does on
// 5000, holding it stopped until a client goes on), reached by host/port; and buildctl launched under dlv, its output in the session.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkDebugConfig, dlvRequestArguments } from '../../src/debug/debugConfig';
import { startDlvServer } from '../../src/debug/dlvServer';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents, type GoTools } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { DapClient } from '../harness/dapClient';
import { buildkitSourceDir, firstStatementLine, startSession, stoppedView } from '../harness/dlvSession';
import { freePort } from '../harness/freePort';
import { terminate } from '../harness/terminate';
import { waitFor } from '../harness/waitFor';

/** What the resolver hands dlv for a configuration, through the extension's own translation. */
function requestArguments(config: Record<string, unknown>): Record<string, unknown> {
  const checked = checkDebugConfig({ type: 'buildkitd', name: 'test', ...config });
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  return dlvRequestArguments(checked.value, checked.value.substitutePath);
}

describe('remote attach to a dlv --headless, and buildctl launched under dlv', () => {
  let tools: GoTools;
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;

  before(async () => {
    tools = loadComponents().tools;
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon, { binary: tools.buildkitdDebug });
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('reaches a dlv --headless by host and port and stops in ListWorkers; buildkitd serves on after the disconnect', async () => {
    const port = await freePort();
    const headless: ChildProcess = spawn(tools.dlv, ['attach', String(buildkitd.pid), '--headless', `--listen=127.0.0.1:${port}`, '--accept-multiclient', '--api-version=2'], { stdio: 'ignore' });
    try {
      const client = await waitFor('dlv --headless to accept', () => DapClient.connect('127.0.0.1', port), 30_000, 200);
      const controlGo = join(buildkitSourceDir(), 'control', 'control.go');
      const line = firstStatementLine(controlGo, 'func (c *Controller) ListWorkers(');
      const args = requestArguments({ request: 'attach', host: '127.0.0.1', port });
      assert.equal(args.mode, 'remote');
      await startSession(client, 'attach', args, [{ file: controlGo, line }]);
      const asking = buildkitd.buildctl(['debug', 'workers'], { timeoutMs: 120_000 });
      const stop = await stoppedView(client, 'breakpoint');
      assert.match(stop.frames[0]?.name ?? '', /ListWorkers$/);
      await client.ok('setBreakpoints', { source: { path: controlGo }, breakpoints: [] });
      await client.ok('continue', { threadId: stop.threadId });
      assert.equal((await asking).exitCode, 0);
      // Leaving a multi-client dlv: the debuggee goes on, the headless server may stay.
      await client.ok('disconnect', { terminateDebuggee: false });
      client.close();
    } finally {
      await terminate(headless, 10_000);
    }
    const after = await buildkitd.buildctl(['debug', 'workers']);
    assert.equal(after.exitCode, 0, after.stderr);
  });

  it('launches buildctl under dlv: a breakpoint in buildctl\'s own source stops it, and its answer arrives as output', async () => {
    const dlv = await startDlvServer({ dlvPath: tools.dlv });
    const client = await DapClient.connect(dlv.host, dlv.port);
    try {
      const workersGo = join(buildkitSourceDir(), 'cmd', 'buildctl', 'debug', 'workers.go');
      const line = firstStatementLine(workersGo, 'func listWorkers(');
      const args = requestArguments({ request: 'launch', program: tools.buildctl, args: ['--addr', buildkitd.address, 'debug', 'workers'] });
      await startSession(client, 'launch', args, [{ file: workersGo, line }]);
      const stop = await stoppedView(client, 'breakpoint');
      assert.match(stop.frames[0]?.name ?? '', /debug\.listWorkers$/);
      assert.equal(stop.frames[0]?.source?.path, workersGo);
      await client.ok('continue', { threadId: stop.threadId });
      await client.waitEvent('terminated', 60_000);
      assert.match(client.output(), /linux\/amd64/, 'buildctl\'s list of workers reached the session');
      const exited = client.events.find((e) => e.event === 'exited');
      assert.equal((exited?.body as { exitCode?: number } | undefined)?.exitCode, 0);
    } finally {
      client.close();
      await dlv.stop();
    }
  });
});
