// The Builders view's questions to buildctl, with the runner replaying buildctl v0.32.2's real
// answers (test/fixtures/builders): the argv each question takes, reachability and why not, in
// a line; the cache; a prune of exactly the previewed ids and what a failed one says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDiskUsage } from '../../src/buildkit/builderInfo';
import { buildctlFailure, pruneExactly, PruneFailedError, readBuilder, readCache, type Buildctl } from '../../src/buildkit/builderProbe';
import type { Process } from '../../src/nerdctl/invocation';
import type { RunOptions, RunResult } from '../../src/process/runner';
import { captured } from './builderFixtures';

interface Call { readonly process: Process; readonly options: RunOptions | undefined }

function result(fields: Partial<RunResult>): RunResult {
  return { command: 'buildctl', exitCode: 0, stdout: '', stderr: '', timedOut: false, cancelled: false, ...fields };
}

/** A buildctl whose answer to each subcommand is a capture's (or the given result). */
function replaying(answers: Record<string, string | RunResult>, signal?: AbortSignal): { buildctl: Buildctl; calls: Call[] } {
  const calls: Call[] = [];
  const run = (process: Process, options?: RunOptions): Promise<RunResult> => {
    calls.push({ process, options });
    const subcommand = process.args.slice(process.args.indexOf('--addr') + 2).slice(0, process.args.includes('debug') ? 2 : 1).join(' ');
    const answer = answers[subcommand];
    if (answer === undefined) return Promise.reject(new Error(`no answer for ${subcommand}`));
    if (typeof answer !== 'string') return Promise.resolve(answer);
    const c = captured(answer);
    return Promise.resolve(result({ exitCode: c.exitCode, stdout: c.stdout, stderr: c.stderr }));
  };
  return { buildctl: { command: ['sudo', '-n', 'buildctl'], run, ...(signal ? { signal } : {}) }, calls };
}

describe('asking a buildkitd through buildctl', () => {
  it('a reachable builder: workers then cache, each with the command\'s prefix, the address and the signal', async () => {
    const signal = new AbortController().signal;
    const { buildctl, calls } = replaying({ 'debug workers': 'workers-containerd', du: 'du-after-builds' }, signal);
    const state = await readBuilder(buildctl, 'unix:///run/buildkit/buildkitd.sock');
    assert.ok(state.reachable);
    assert.ok(state.workers[0]?.platforms.includes('linux/amd64'), JSON.stringify(state.workers));
    assert.deepEqual(state.cache, parseDiskUsage(captured('du-after-builds').stdout));
    assert.deepEqual(calls.map((c) => [c.process.file, ...c.process.args]), [
      ['sudo', '-n', 'buildctl', '--addr', 'unix:///run/buildkit/buildkitd.sock', 'debug', 'workers', '--format', '{{json .}}'],
      ['sudo', '-n', 'buildctl', '--addr', 'unix:///run/buildkit/buildkitd.sock', 'du', '--format', '{{json .}}'],
    ]);
    for (const c of calls) assert.deepEqual(c.options, { timeoutMs: 30_000, signal });
  });

  it('an unreachable builder says why in a line, and its cache is not asked', async () => {
    const cases: [string, string][] = [
      ['workers-no-socket', 'no socket at <SOCKET>'],
      ['workers-refused', 'nothing accepts connections at <SOCKET> (buildkitd stopped and left its socket, or listens elsewhere)'],
      ['workers-tcp-refused', 'nothing accepts connections at 127.0.0.1:1 (buildkitd stopped and left its socket, or listens elsewhere)'],
    ];
    for (const [capture, error] of cases) {
      const { buildctl, calls } = replaying({ 'debug workers': capture });
      assert.deepEqual(await readBuilder(buildctl, 'unix:///x.sock'), { address: 'unix:///x.sock', reachable: false, error }, capture);
      assert.equal(calls.length, 1);
    }
    const { buildctl } = replaying({ 'debug workers': result({ stdout: '{"not":"a list"}' }) });
    const garbled = await readBuilder(buildctl, 'unix:///x.sock');
    assert.ok(!garbled.reachable && garbled.error.startsWith('buildctl debug workers printed object'), JSON.stringify(garbled));
  });

  it('a cache that cannot be read says why; buildctl\'s failures in a line', async () => {
    const { buildctl } = replaying({ du: 'workers-refused' });
    assert.deepEqual(await readCache(buildctl, 'unix:///x.sock'), { ok: false, problem: 'nothing accepts connections at <SOCKET> (buildkitd stopped and left its socket, or listens elsewhere)' });
    assert.equal(buildctlFailure(result({ exitCode: undefined, failedToStart: 'ENOENT' })), 'buildctl could not start (ENOENT): set containerd.buildctl.command to where buildctl is');
    assert.equal(buildctlFailure(result({ exitCode: undefined, timedOut: true })), 'buildctl got no answer in time');
    assert.equal(buildctlFailure(result({ exitCode: undefined, cancelled: true })), 'cancelled');
    assert.equal(buildctlFailure(result({ exitCode: 1, stderr: 'x\nerror: dial unix /run/b.sock: connect: permission denied"\n' })),
      'permission denied on /run/b.sock: run buildkitd rootless for your user, or give your user access to the socket');
    assert.equal(buildctlFailure(result({ exitCode: 1, stderr: 'error: dial tcp 10.0.0.1:1234: connect: no route to host' })), '10.0.0.1:1234: no route to host');
    assert.equal(buildctlFailure(result({ exitCode: 1, stderr: 'time="2026" level=fatal msg=something broke\n' })), 'something broke');
    assert.equal(buildctlFailure(result({ exitCode: 2, stderr: '  \n' })), 'buildctl ended with 2 and said nothing');
    assert.equal(buildctlFailure(result({ exitCode: undefined })), 'buildctl ended with a signal and said nothing');
  });

  it('prunes exactly the previewed ids with a long deadline, and says what went', async () => {
    const capture = captured('prune-by-id');
    const ids = capture.argv.filter((a) => a.startsWith('id==')).map((a) => a.slice(4));
    const records = parseDiskUsage(captured('du-after-builds').stdout);
    assert.ok(records.ok);
    const template = records.value[0];
    assert.ok(template);
    const previewed = ids.map((id) => records.value.find((r) => r.id === id) ?? { ...template, id });
    const { buildctl, calls } = replaying({ prune: 'prune-by-id' });
    const outcome = await pruneExactly(buildctl, 'unix:///x.sock', previewed);
    // What buildctl printed as removed went; a previewed parent a record still sat on stayed.
    const went = capture.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    assert.ok(went.length > 0);
    assert.deepEqual(outcome.removed.map((r) => r.id).sort(), [...went].sort());
    assert.deepEqual(outcome.kept.map((r) => r.id).sort(), ids.filter((id) => !went.includes(id)).sort());
    assert.deepEqual(outcome.unexpected, []);
    assert.deepEqual(calls[0]?.process.args.slice(2), ['--addr', 'unix:///x.sock', 'prune', '--format', '{{json .}}', ...ids.flatMap((id) => ['--filter', `id==${id}`])]);
    assert.equal(calls[0]?.options?.timeoutMs, 600_000);
  });

  it('a failed prune says how many went before it failed; an empty preview asks nothing', async () => {
    const records = parseDiskUsage(captured('du-after-builds').stdout);
    assert.ok(records.ok && records.value.length > 0);
    const { buildctl } = replaying({ prune: 'prune-bad-filter' });
    await assert.rejects(pruneExactly(buildctl, 'unix:///x.sock', records.value.slice(0, 2)), (error: unknown) =>
      error instanceof PruneFailedError && error.message.startsWith('buildctl prune failed after removing 0 of 2 records: rpc error: code = Unknown desc = failed to parse prune filters'));
    const asked = replaying({});
    await assert.rejects(pruneExactly(asked.buildctl, 'unix:///x.sock', []), (error: unknown) => error instanceof PruneFailedError && /^Nothing to prune/.test(error.message));
    assert.equal(asked.calls.length, 0);
  });
});
