// The process runner and the FIFO pipe on real processes (coreutils): exit codes, output, stderr
// lines, deadlines, cancellation, programs that do not exist, and a pipe whose ends fail.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { pipeThroughFifo } from '../../src/process/fifoPipe';
import { outcomeText, runProcess } from '../../src/process/runner';

const pipeFolders = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('vscode-containerd-pipe-'));

describe('runProcess', () => {
  it('returns stdout, stderr and the exit code, and hands over stderr line by line', async () => {
    const lines: string[] = [];
    const result = await runProcess({ file: 'sh', args: ['-c', 'echo out; printf "a\\rb\\nc" >&2; exit 3'] }, { onStderrLine: (l) => lines.push(l) });
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'a\rb\nc');
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

describe('pipeThroughFifo', () => {
  it('streams every byte from one process into another that reads a path, counting them', async () => {
    const before = pipeFolders();
    const counts: number[] = [];
    const result = await pipeThroughFifo({ file: 'head', args: ['-c', '3000000', '/dev/zero'] }, (path) => ({ file: 'wc', args: ['-c', path] }), { onBytes: (n) => counts.push(n) });
    assert.equal(result.bytes, 3_000_000);
    assert.match(result.to.stdout, /^3000000 /);
    assert.equal(result.firstFailure, undefined);
    assert.equal(counts.at(-1), 3_000_000);
    assert.ok(counts.every((n, i) => i === 0 || n > (counts[i - 1] ?? 0)), 'counts only grow');
    assert.deepEqual(pipeFolders(), before, 'the FIFO\'s folder is gone');
  });

  it('stops the writer when the reader fails first, and names the reader', async () => {
    const result = await pipeThroughFifo({ file: 'cat', args: ['/dev/zero'] }, () => ({ file: 'sh', args: ['-c', 'echo reader broke >&2; exit 4'] }));
    assert.equal(result.firstFailure, 'to');
    assert.equal(result.to.exitCode, 4);
    assert.match(result.to.stderr, /reader broke/);
    assert.notEqual(result.from.exitCode, 0);
  });

  it('stops the reader when the writer fails first, and names the writer', async () => {
    const result = await pipeThroughFifo({ file: 'sh', args: ['-c', 'echo no such image >&2; exit 2'] }, (path) => ({ file: 'sh', args: ['-c', 'cat "$1" >/dev/null; exec sleep 30', 'sh', path] }));
    assert.equal(result.firstFailure, 'from');
    assert.match(result.from.stderr, /no such image/);
    assert.equal(result.to.cancelled, true);
  });

  it('ends both when cancelled, removing the FIFO', async () => {
    const stop = new AbortController();
    const before = pipeFolders();
    setTimeout(() => stop.abort(), 200);
    const result = await pipeThroughFifo({ file: 'cat', args: ['/dev/zero'] }, (path) => ({ file: 'sh', args: ['-c', 'exec cat "$1" >/dev/null', 'sh', path] }), { signal: stop.signal });
    assert.equal(result.from.cancelled, true);
    assert.equal(result.to.cancelled, true);
    assert.equal(result.firstFailure, undefined);
    assert.ok(result.bytes > 0);
    assert.deepEqual(pipeFolders(), before);
    assert.ok(!existsSync(result.to.command.split(' ').at(-1) ?? '/'), 'the FIFO path is gone');
  });
});
