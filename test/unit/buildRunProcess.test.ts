// runBuild over a real process: node replays a captured build's output (test/fixtures/build) on
// stderr and exits with that build's exit code, so what the task's terminal shows and what lands in
// Problems are those of the real tool, without BuildKit.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runBuild, type BuildRunInput } from '../../src/buildkit/buildRun';

interface Capture { readonly format: string; readonly dockerfile: string; readonly dockerfileName: string; readonly exitCode: number; readonly output: string }

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'build');

function capture(name: string): Capture {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as Capture;
}

/** A process that prints the capture's output on stderr, `stdout` on stdout, and exits with its code. */
function replay(name: string, stdout = ''): BuildRunInput['process'] {
  const script = `const c = JSON.parse(require('fs').readFileSync(${JSON.stringify(join(fixtures, name))}, 'utf8'));
process.stderr.write(c.output); process.stdout.write(${JSON.stringify(stdout)}); process.exitCode = c.exitCode;`;
  return { file: process.execPath, args: ['-e', script] };
}

function plainText(line: string): string {
  // eslint-disable-next-line no-control-regex -- colours are what is removed
  return line.replace(/\u001b\[[0-9;]*m/g, '');
}

describe('runBuild on a process replaying a real build', () => {
  it('rawjson: the terminal shows drawn steps and a summary, never the JSON; Problems get the failed RUN', async () => {
    const c = capture('run-fails.buildctl-rawjson.json');
    const shown: string[] = [];
    const result = await runBuild({ process: replay('run-fails.buildctl-rawjson.json', 'Loaded image: fixture\n   \n'), format: 'rawjson', dockerfile: { path: '/ctx/Dockerfile', text: c.dockerfile }, show: (l) => shown.push(l) });
    assert.equal(result.run.exitCode, c.exitCode);
    assert.equal(result.output, c.output.replace(/\n$/, ''));
    const text = shown.map(plainText);
    assert.ok(!text.some((l) => l.startsWith('{')), text.join('\n'));
    assert.ok(text.some((l) => /^#\d+ \[3\/4\] RUN echo before && false$/.test(l)), text.join('\n'));
    assert.ok(text.some((l) => l.startsWith('error: failed to solve: process "/bin/sh -c echo before && false"')), text.join('\n'));
    // The summary comes after the build's own text, then what the tool said on stdout; no blank line.
    const summary = text.findIndex((l) => /step.* built, \d+ cached, failed at \[3\/4\] RUN echo before && false$/.test(l));
    assert.ok(summary > 0, text.join('\n'));
    assert.deepEqual(text.slice(summary + 1), ['Loaded image: fixture']);
    const line = c.dockerfile.split('\n').findIndex((l) => l.includes('&& false'));
    assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', line]]);
  });

  it('plain: the terminal shows the output as printed, then stdout; Problems get the failed RUN', async () => {
    const c = capture('run-fails.buildctl-plain.json');
    const shown: string[] = [];
    const result = await runBuild({ process: replay('run-fails.buildctl-plain.json', 'done\n'), format: 'plain', dockerfile: { path: '/ctx/Dockerfile', text: c.dockerfile }, show: (l) => shown.push(l) });
    assert.equal(result.run.exitCode, c.exitCode);
    const printed = c.output.split('\n').filter((l) => l.length > 0);
    assert.deepEqual(shown, [...printed, 'done']);
    assert.equal(result.output, printed.join('\n'));
    const line = c.dockerfile.split('\n').findIndex((l) => l.includes('&& false'));
    assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', line]]);
  });

  it('a successful rawjson build shows a green summary and no diagnostics', async () => {
    const c = capture('multi-ok.buildctl-rawjson.json');
    const shown: string[] = [];
    const result = await runBuild({ process: replay('multi-ok.buildctl-rawjson.json'), format: 'rawjson', dockerfile: { path: '/ctx/Dockerfile', text: c.dockerfile }, show: (l) => shown.push(l) });
    assert.equal(result.run.exitCode, 0);
    assert.deepEqual(result.diagnostics, []);
    const summary = shown.filter((l) => / built, \d+ cached/.test(l));
    assert.ok(summary.length >= 2, shown.join('\n'));
    assert.ok(summary.every((l) => l.startsWith('\u001b[32m') && !l.includes('failed')), summary.join('\n'));
  });

  it('runs in the folder and with the environment given, and stops when cancelled', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'build-run-')));
    const shown: string[] = [];
    const script = 'console.log(process.cwd()); console.log(process.env.BUILD_RUN_PROBE ?? "unset")';
    await runBuild({ process: { file: process.execPath, args: ['-e', script] }, format: 'plain', dockerfile: { path: '/ctx/Dockerfile', text: '' }, cwd: dir, env: { ...process.env, BUILD_RUN_PROBE: 'set' }, show: (l) => shown.push(l) });
    assert.deepEqual(shown, [dir, 'set']);
    const controller = new AbortController();
    const started = Date.now();
    const pending = runBuild({ process: { file: process.execPath, args: ['-e', 'setTimeout(() => {}, 30000)'] }, format: 'plain', dockerfile: { path: '/ctx/Dockerfile', text: '' }, signal: controller.signal, show: () => undefined });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    assert.equal(result.run.cancelled, true);
    assert.ok(Date.now() - started < 20000);
  });
});
