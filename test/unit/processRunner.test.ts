// The process runner on real processes (coreutils, and node itself with -e scripts): exit codes,
// output, stderr lines, deadlines, cancellation, stdin, environment, working directory, and programs
// that do not exist.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { Process } from '../../src/nerdctl/invocation';
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

  it('says a process killed by a signal from elsewhere was killed, not that it could not start', async () => {
    const result = await runProcess(node('process.kill(process.pid, "SIGKILL")'));
    assert.equal(result.exitCode, undefined);
    assert.equal(result.failedToStart, undefined);
    assert.equal(outcomeText(result), 'killed');
  });

  it('writes the input to the process\'s stdin and closes it', async () => {
    const result = await runProcess(node(echoStdin), { input: 'secret\n', timeoutMs: 10_000 });
    assert.equal(result.timedOut, false);
    assert.equal(result.stdout, 'secret\n');
  });

  it('gives a process without input an empty stdin, so a program that reads it does not wait forever', async () => {
    const result = await runProcess(node(echoStdin), { timeoutMs: 5_000 });
    assert.equal(result.timedOut, false);
    assert.equal(outcomeText(result), 'exit 0');
    assert.equal(result.stdout, '');
  });

  it('gives the process exactly the environment it is given, none of the caller\'s', async () => {
    const result = await runProcess(node('process.stdout.write(JSON.stringify(process.env))'), { env: { ONLY_THIS: 'yes' } });
    assert.deepEqual(JSON.parse(result.stdout), { ONLY_THIS: 'yes' });
  });

  it('runs the process in the working directory it is given', async () => {
    const dir = realpathSync(tmpdir());
    assert.notEqual(process.cwd(), dir);
    const result = await runProcess(node('process.stdout.write(process.cwd())'), { cwd: dir });
    assert.equal(result.stdout, dir);
  });

  it('keeps every stderr line when nobody watches the lines', async () => {
    const result = await runProcess(node('process.stderr.write("one\\ntwo\\nthree\\n")'));
    assert.equal(result.stderr, 'one\ntwo\nthree\n');
    assert.equal(outcomeText(result), 'exit 0');
  });

  it('hands over no empty lines: a progress bar\'s leading "\\r" and blank lines are skipped', async () => {
    const lines: string[] = [];
    await runProcess(node('process.stderr.write("\\r10%\\r20%\\n\\nend\\n")'), { onStderrLine: (l) => lines.push(l) });
    assert.deepEqual(lines, ['10%', '20%', 'end']);
  });

  it('keeps only the last 256 KiB of a long stderr, up to its very end', async () => {
    const result = await runProcess(node('process.stderr.write(("x".repeat(1023) + "\\n").repeat(300) + "the end\\n")'));
    assert.equal(result.stderr.length, 256 * 1024);
    assert.ok(result.stderr.endsWith('x\nthe end\n'));
  });
});

/** node itself running a script: a program every machine running the tests has. */
function node(script: string): Process {
  return { file: process.execPath, args: ['-e', script] };
}

/** Copies stdin to stdout once stdin ends. */
const echoStdin = 'let s = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", (d) => { s += d; }); process.stdin.on("end", () => process.stdout.write(s));';

describe('the last line of stderr', () => {
  const result = (stderr: string): RunResult => ({ command: 'x', exitCode: 1, stdout: '', stderr, timedOut: false, cancelled: false });
  it('is the message of the last line, without nerdctl\'s logrus prefix', () => {
    assert.equal(lastStderrLine(result('time="2026-11-30T12:00:00Z" level=info msg="a"\ntime="2026-11-30T12:00:01Z" level=fatal msg="no such image"\n\n')), '"no such image"');
    assert.equal(lastStderrLine(result('first\n  plain last line  \n')), 'plain last line');
    assert.equal(lastStderrLine(result('one\ntwo\nthree')), 'three');
    assert.equal(lastStderrLine(result('note: time="x" level=fatal msg="m"')), 'note: time="x" level=fatal msg="m"', 'only a prefix at the start of the line is nerdctl\'s');
    assert.equal(lastStderrLine(result('')), '');
  });
});
