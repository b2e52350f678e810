// Runs inside the real extension host: the buildkitd debug type end to end on the runner's -N -l
// buildkitd (the one the Builders view shows). The configuration is the initial one a user gets,
// its processId picked from the list; a breakpoint in BuildKit's source stops buildkitd while
// buildctl asks for the workers; frames and variables are read as the Variables view reads them;
// stopping the session detaches dlv and leaves buildkitd serving.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { firstStatementLine } from '../../harness/dlvSession';
import { processCommandLines } from '../../harness/processTable';
import { waitFor } from '../../harness/waitFor';
import { activateExtension, readFacts } from './facts';

const run = promisify(execFile);

/** Command lines of running `dlv dap` servers the extension started. */
function dlvServers(dlv: string): string[] {
  return processCommandLines().filter((line) => line.startsWith(`${dlv} dap `));
}

/** Accepts the picker's first (active) item until `done` settles: the picker opens when it is ready. */
async function acceptPickerUntil<T>(done: Promise<T>): Promise<T> {
  let settled = false;
  const result = done.finally(() => (settled = true));
  for (let tries = 0; !settled && tries < 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

describe('Debugging buildkitd (extension host, Delve and a -N -l buildkitd)', function () {
  this.timeout(180_000);
  const facts = readFacts();
  const debug = facts.debug;
  const buildctl = (args: string[]): Promise<{ stdout: string }> => run(debug.buildctl, ['--addr', debug.buildkitdAddress, ...args], { timeout: 120_000 });

  before(async () => {
    await activateExtension();
  });

  it('the process picker lists the Builders view\'s buildkitd first', async () => {
    const picked = await acceptPickerUntil(Promise.resolve(vscode.commands.executeCommand<string | undefined>('containerd.buildkitd.pickProcess')));
    assert.equal(picked, String(debug.buildkitdPid));
  });

  it('attaches from the initial configuration with a picked process, stops in ListWorkers while buildctl runs, shows frames and variables, and detaches leaving buildkitd serving', async () => {
    const line = firstStatementLine(debug.controlGo, 'func (c *Controller) ListWorkers(');
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(debug.controlGo), new vscode.Position(line - 1, 0)));
    let onStopped: (stop: { session: vscode.DebugSession; threadId: number }) => void = () => undefined;
    const stopped = new Promise<{ session: vscode.DebugSession; threadId: number }>((resolve) => (onStopped = resolve));
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('buildkitd', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number; reason?: string } }) => {
          if (message.type === 'event' && message.event === 'stopped' && message.body?.reason === 'breakpoint') onStopped({ session, threadId: message.body.threadId ?? 0 });
        },
      }),
    });
    let ended: () => void = () => undefined;
    const terminated = new Promise<void>((resolve) => (ended = resolve));
    const endWatch = vscode.debug.onDidTerminateDebugSession((s) => s.type === 'buildkitd' && ended());
    vscode.debug.addBreakpoints([breakpoint]);
    try {
      const started = await acceptPickerUntil(Promise.resolve(vscode.debug.startDebugging(undefined, { type: 'buildkitd', request: 'attach', name: 'e2e: Attach to buildkitd', processId: '${command:containerd.buildkitd.pickProcess}' })));
      assert.equal(started, true, 'the session did not start (the log says why)');
      assert.equal(dlvServers(debug.dlv).length, 1, 'one dlv dap server for the session');
      const asking = buildctl(['debug', 'workers']);
      const stop = await Promise.race([stopped, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no stop at the ListWorkers breakpoint within 90 s')), 90_000))]);
      assert.equal(stop.session.configuration.processId, debug.buildkitdPid, 'the picked pid, converted to a number');
      const stack = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 20 })) as { stackFrames: { id: number; name: string; line: number; source?: { path?: string } }[] };
      const top = stack.stackFrames[0];
      assert.match(top?.name ?? '', /control\.\(\*Controller\)\.ListWorkers$/);
      // A remote window (code-server) gets the adapter's paths back as vscode-remote URIs.
      const shownPath = top?.source?.path ?? '';
      assert.equal(shownPath.startsWith('/') ? shownPath : vscode.Uri.parse(shownPath).path, debug.controlGo);
      assert.equal(top?.line, line);
      const scopes = (await stop.session.customRequest('scopes', { frameId: top?.id })) as { scopes: { variablesReference: number }[] };
      const variables = (await stop.session.customRequest('variables', { variablesReference: scopes.scopes[0]?.variablesReference })) as { variables: { name: string }[] };
      assert.ok(['c', 'ctx', 'r'].every((name) => variables.variables.some((v) => v.name === name)), `variables: ${variables.variables.map((v) => v.name).join(', ')}`);
      vscode.debug.removeBreakpoints([breakpoint]);
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      assert.match((await asking).stdout, /linux\/amd64/);
      await vscode.debug.stopDebugging(stop.session);
      await terminated;
      await waitFor('dlv to end with the session', () => dlvServers(debug.dlv).length === 0, 30_000);
      process.kill(debug.buildkitdPid, 0); // throws when buildkitd is gone
      assert.match((await buildctl(['debug', 'workers'])).stdout, /linux\/amd64/, 'buildkitd serves on after the detach');
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
      tracker.dispose();
      endWatch.dispose();
    }
  });

  it('a configuration that cannot work is refused with its reason before any dlv starts', async () => {
    const before = dlvServers(debug.dlv).length;
    const started = await vscode.debug.startDebugging(undefined, { type: 'buildkitd', request: 'attach', name: 'e2e: bad pid', processId: 'not-a-pid' });
    assert.equal(started, false);
    assert.equal(dlvServers(debug.dlv).length, before);
  });
});
