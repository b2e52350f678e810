// Delve attached over DAP to a real buildkitd built for debugging (-N -l), serving on a private
// socket with the containerd worker, exactly as the buildkitd debug type drives it: dlv dap started
// by the extension's own code, a breakpoint in control.(*Controller).ListWorkers hit by
// `buildctl debug workers`, one in the solver hit by a build, frames in BuildKit's source, and a
// detach after which buildkitd still builds.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDlvServer, type DlvServer } from '../../src/debug/dlvServer';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { DapClient } from '../harness/dapClient';
import { buildkitSourceDir, firstStatementLine, startSession, stoppedView } from '../harness/dlvSession';

function scratchBuild(buildkitd: Buildkitd, marker: string): Promise<import('../../src/process/runner').RunResult> {
  const context = mkdtempSync(join(tmpdir(), 'vscc-debug-ctx-'));
  writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY marker /marker\n`);
  writeFileSync(join(context, 'marker'), marker);
  return buildkitd.buildctl(['build', '--frontend', 'dockerfile.v0', '--local', `context=${context}`, '--local', `dockerfile=${context}`, '--progress=plain'], { timeoutMs: 180_000 });
}

describe('dlv attached to a real buildkitd built with -N -l', () => {
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;
  let dlv: DlvServer;
  let client: DapClient;
  const controlGo = join(buildkitSourceDir(), 'control', 'control.go');
  const solverGo = join(buildkitSourceDir(), 'solver', 'llbsolver', 'solver.go');

  before(async () => {
    const { tools } = loadComponents();
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon, { binary: tools.buildkitdDebug });
    dlv = await startDlvServer({ dlvPath: tools.dlv });
    client = await DapClient.connect(dlv.host, dlv.port);
  });
  after(async () => {
    client?.close();
    await dlv?.stop();
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('stops in ListWorkers when buildctl asks for the workers, with frames in BuildKit\'s source and its variables', async () => {
    const line = firstStatementLine(controlGo, 'func (c *Controller) ListWorkers(');
    await startSession(client, 'attach', { mode: 'local', processId: buildkitd.pid, stopOnEntry: false }, [{ file: controlGo, line }]);
    const asking = buildkitd.buildctl(['debug', 'workers'], { timeoutMs: 120_000 });
    const stop = await stoppedView(client, 'breakpoint');
    assert.match(stop.frames[0]?.name ?? '', /control\.\(\*Controller\)\.ListWorkers$/);
    assert.equal(stop.frames[0]?.source?.path, controlGo);
    assert.equal(stop.frames[0]?.line, line);
    assert.deepEqual(stop.variables.map((v) => v.name).filter((n) => ['c', 'ctx', 'r'].includes(n)).sort(), ['c', 'ctx', 'r']);
    await client.ok('continue', { threadId: stop.threadId });
    const answer = await asking;
    assert.equal(answer.exitCode, 0, answer.stderr);
    assert.match(answer.stdout, /linux\/amd64/);
  });

  it('stops in the solver when a build runs, then the build completes', async () => {
    const line = firstStatementLine(solverGo, 'func (s *Solver) Solve(');
    await client.ok('setBreakpoints', { source: { path: controlGo }, breakpoints: [] });
    const set = await client.ok('setBreakpoints', { source: { path: solverGo }, breakpoints: [{ line }] });
    assert.equal((set.breakpoints as { verified: boolean }[])[0]?.verified, true);
    const seen = client.events.length;
    const building = scratchBuild(buildkitd, 'solver breakpoint');
    const stop = await stoppedView(client, 'breakpoint', seen);
    assert.match(stop.frames[0]?.name ?? '', /llbsolver\.\(\*Solver\)\.Solve$/);
    assert.equal(stop.frames[0]?.source?.path, solverGo);
    assert.ok(stop.frames.some((f) => /control\.\(\*Controller\)\.Solve$/.test(f.name)), 'the controller called the solver');
    await client.ok('setBreakpoints', { source: { path: solverGo }, breakpoints: [] });
    await client.ok('continue', { threadId: stop.threadId });
    const built = await building;
    assert.equal(built.exitCode, 0, built.stderr);
  });

  it('detaches leaving buildkitd running, and buildkitd still completes a build', async () => {
    await client.ok('disconnect', { terminateDebuggee: false });
    assert.notEqual(await dlv.exited, undefined);
    process.kill(buildkitd.pid, 0); // throws when buildkitd is gone
    const built = await scratchBuild(buildkitd, 'after detach');
    assert.equal(built.exitCode, 0, built.stderr);
  });
});
