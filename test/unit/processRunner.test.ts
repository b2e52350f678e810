// The process runner on real processes (coreutils): exit codes, output, stderr lines, deadlines,
// cancellation, programs that do not exist, and stdout written to a file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { outcomeText, runProcess } from '../../src/process/runner';
import { runIntoFile } from '../../src/process/toFile';

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

describe('runIntoFile', () => {
  it('writes every byte of stdout to a new file of this user only, counting them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    try {
      const path = join(dir, 'out.bin');
      const counts: number[] = [];
      const { result, bytes } = await runIntoFile({ file: 'head', args: ['-c', '3000000', '/dev/urandom'] }, path, { onBytes: (n) => counts.push(n) });
      assert.equal(result.exitCode, 0);
      assert.equal(bytes, 3_000_000);
      assert.equal(statSync(path).size, 3_000_000);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(counts.at(-1), 3_000_000);
      assert.ok(counts.every((n, i) => i === 0 || n > (counts[i - 1] ?? 0)), 'counts only grow');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never writes over a file that exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    try {
      const path = join(dir, 'taken');
      writeFileSync(path, 'keep');
      await assert.rejects(runIntoFile({ file: 'echo', args: ['new'] }, path), /EEXIST/);
      assert.equal(readFileSync(path, 'utf8'), 'keep');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failing or cancelled process with what it wrote so far', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    try {
      const failed = await runIntoFile({ file: 'sh', args: ['-c', 'printf abc; echo no such image >&2; exit 2'] }, join(dir, 'a'));
      assert.deepEqual([failed.result.exitCode, failed.bytes, failed.result.stderr], [2, 3, 'no such image\n']);
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 150);
      const cancelled = await runIntoFile({ file: 'cat', args: ['/dev/zero'] }, join(dir, 'b'), { signal: stop.signal });
      assert.equal(cancelled.result.cancelled, true);
      assert.ok(cancelled.bytes > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
