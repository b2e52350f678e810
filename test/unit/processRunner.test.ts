// The process runner on real processes (coreutils): exit codes, output, stderr lines, deadlines,
// cancellation, and programs that do not exist.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastStderrLine, outcomeText, runProcess, type RunResult } from '../../src/process/runner';

describe('runProcess', () => {
  it('returns stdout, stderr and the exit code, and hands over stderr line by line', async () => {
    const lines: string[] = [];
    const result = await runProcess({ file: 'sh', args: ['-c', 'echo out; printf "a\\rb\\nc" >&2; exit 3'] }, { onStderrLine: (l) => lines.push(l) });
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'a\rb\nc\n');
    assert.deepEqual(lines, ['a', 'b', 'c']);
    assert.equal(outcomeText(result), 'exit 3');
    assert.equal(result.command, 'sh -c echo out; printf "a\\rb\\nc" >&2; exit 3');
  });

  it('passes arguments as they are: no shell reads them', async () => {
    const hostile = ['$(id)', '; rm -rf /', '--privileged', 'a b', '"\'`'];
    const result = await runProcess({ file: 'printf', args: ['%s|', ...hostile] });
    assert.equal(result.stdout, `${hostile.join('|')}|`);
  });

  it('ends a process at its deadline and says so', async () => {
    const result = await runProcess({ file: 'sleep', args: ['30'] }, { timeoutMs: 200 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    assert.equal(outcomeText(result), 'timed out');
  });

  it('ends a process when cancelled and says so', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await runProcess({ file: 'sleep', args: ['30'] }, { signal: stop.signal });
    assert.equal(result.cancelled, true);
    assert.equal(outcomeText(result), 'cancelled');
  });

  it('says why a program could not start', async () => {
    const result = await runProcess({ file: 'no-such-program-vscode-containerd', args: [] });
    assert.equal(result.exitCode, undefined);
    assert.match(result.failedToStart ?? '', /ENOENT/);
    assert.match(outcomeText(result), /^could not start: .*ENOENT/);
  });
});

describe('the last line of stderr', () => {
  const result = (stderr: string): RunResult => ({ command: 'x', exitCode: 1, stdout: '', stderr, timedOut: false, cancelled: false });
  it('is the message of the last line, without nerdctl\'s logrus prefix', () => {
    assert.equal(lastStderrLine(result('time="2026-11-30T12:00:00Z" level=info msg="a"\ntime="2026-11-30T12:00:01Z" level=fatal msg="no such image"\n\n')), '"no such image"');
    assert.equal(lastStderrLine(result('first\n  plain last line  \n')), 'plain last line');
    assert.equal(lastStderrLine(result('')), '');
  });
});
