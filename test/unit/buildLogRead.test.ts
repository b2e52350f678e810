// What readBuildLog makes of a build's output: the failed step, its error and output, the check
// warnings with their lines, the excerpts and the final error, as diagnostics and the terminal use
// them. Real captures (test/fixtures/build) in both formats must say the same thing; small
// hand-written outputs cover what the captures do not (lines past 9, ranges, odd JSON).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readBuildLog, screenLines, type BuildLog } from '../../src/buildkit/buildLog';
import { ruleUrl } from '../../src/buildkit/diagnostics';

interface Capture { readonly case: string; readonly tool: string; readonly format: string; readonly dockerfileName: string; readonly dockerfile: string; readonly output: string }

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'build');
const captures = readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Capture)
  .filter((c) => !c.case.startsWith('check-only') && c.format !== 'tty');

function read(c: Capture): BuildLog {
  return readBuildLog(c.output, c.format === 'rawjson' ? 'rawjson' : 'plain');
}

/** What a reader of either format must agree on (cache refs are random per build; a step cancelled because another failed is only in rawjson). */
function meaning(log: BuildLog): unknown {
  return JSON.parse(JSON.stringify({
    failed: log.steps.filter((s) => s.error !== undefined && !s.error.endsWith('context canceled')).map((s) => [s.name, s.error, s.logs]),
    warnings: log.warnings.map((w) => [w.rule, w.message, w.startLine, w.endLine]),
    excerpts: log.excerpts.map((e) => [e.file, e.marked, e.message]),
    finalError: log.finalError,
  }).replace(/ref [a-z0-9]+::[a-z0-9]+:/g, 'ref <REF>:'));
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const json = (value: unknown): string => JSON.stringify(value);

describe('readBuildLog over captured builds', () => {
  for (const plain of captures.filter((c) => c.format === 'plain')) {
    const rawjson = captures.find((c) => c.case === plain.case && c.tool === plain.tool && c.format === 'rawjson');
    if (!rawjson) continue;
    it(`${plain.case} (${plain.tool}): plain and rawjson progress read the same failed step, warnings, excerpts and error`, () => {
      assert.deepEqual(meaning(read(rawjson)), meaning(read(plain)));
    });
  }

  it('a failed RUN: its error without the ERROR: prefix, its output without timestamps, and the excerpt of its line', () => {
    for (const c of captures.filter((x) => x.case === 'run-fails')) {
      const log = read(c);
      const failed = log.steps.filter((s) => s.error !== undefined);
      assert.deepEqual(failed.map((s) => [s.name, s.error, s.logs]), [['[3/4] RUN echo before && false', 'process "/bin/sh -c echo before && false" did not complete successfully: exit code: 1', ['before']]], `${c.tool} ${c.format}`);
      const line = c.dockerfile.split('\n').findIndex((l) => l.includes('&& false')) + 1;
      assert.deepEqual(log.excerpts.map((e) => [e.file, e.marked]), [[c.dockerfileName, [line]]]);
      // buildx wraps the solver's error once more.
      assert.equal(log.finalError, `${c.tool === 'docker' ? 'failed to build: ' : ''}failed to solve: ${failed[0]?.error ?? ''}`);
      if (c.format === 'plain') {
        assert.deepEqual(log.excerpts.map((e) => [e.step, e.stepOutput]), [['[3/4] RUN echo before && false', ['before']]]);
        // Only a RUN prints: no other step (resolve, transfer, export lines) has output.
        assert.deepEqual(log.steps.filter((s) => s.logs.length > 0).map((s) => s.name), ['[3/4] RUN echo before && false']);
        assert.ok(log.steps.some((s) => s.name === '[internal] load build definition from Dockerfile'));
      }
    }
  });

  it('rawjson check warnings carry their rule\'s page and the Dockerfile they are about', () => {
    const checks = captures.filter((c) => c.case === 'checks' && c.format === 'rawjson');
    assert.ok(checks.length >= 2);
    for (const c of checks) {
      const { warnings } = read(c);
      assert.equal(warnings.length, 3);
      for (const w of warnings) {
        assert.equal(w.url, ruleUrl(w.rule));
        assert.equal(w.file, c.dockerfileName);
      }
    }
  });
});

describe('readBuildLog over hand-written output', () => {
  it('plain: step numbers past 9, timestamps with or without fractions, warnings with line ranges', () => {
    const output = [
      '#1 [internal] load build definition from Dockerfile',
      '#1 WARN: RedundantTargetPlatform: Setting platform is redundant (lines 10-12)',
      '#1 WARN: NoLine: A warning about the whole file',
      '#1 WARN: TrailingSpace: Printed with spaces after it (line 7)   ',
      '#1 WARN: see NotARule: text before the rule',
      '#4 [1/2] FROM docker.io/library/busybox:1',
      '#4 resolve docker.io/library/busybox:1@sha256:0123456789 0.0s done',
      '#12 [2/2] RUN make',
      '#12 12.503 compiling 3 files',
      '#12 3 whole seconds',
      '#12 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      'error: failed to solve: step #12 failed',
    ].join('\n');
    const log = readBuildLog(output, 'plain');
    assert.deepEqual(log.warnings.map((w) => [w.rule, w.message, w.startLine, w.endLine]), [
      ['RedundantTargetPlatform', 'Setting platform is redundant', 10, 12],
      ['NoLine', 'A warning about the whole file', undefined, undefined],
      ['TrailingSpace', 'Printed with spaces after it', 7, 7],
    ]);
    assert.deepEqual(log.steps.map((s) => [s.name, s.error, s.logs]), [
      ['[internal] load build definition from Dockerfile', undefined, []],
      ['[1/2] FROM docker.io/library/busybox:1', undefined, []],
      ['[2/2] RUN make', 'process "/bin/sh -c make" did not complete successfully: exit code: 2', ['compiling 3 files', 'whole seconds']],
    ]);
    assert.equal(log.finalError, 'failed to solve: step #12 failed');
  });

  it('text: excerpts past line 9, continuation lines marked, a second excerpt without its own step block', () => {
    const output = [
      '------',
      ' > [2/2] RUN make:',
      '12.5 compiling',
      '3 done',
      '------',
      'Dockerfile:12',
      '--------------------',
      '  11 |     FROM busybox',
      '  12 | >>> RUN make \\',
      '  13 | >>>     all',
      '--------------------',
      'other.Dockerfile:15',
      '--------------------',
      '  15 |     oops',
      '--------------------',
      'ERROR: failed to solve: two',
    ].join('\n');
    const log = readBuildLog(output, 'plain');
    assert.deepEqual(log.excerpts, [
      { file: 'Dockerfile', marked: [12, 13], step: '[2/2] RUN make', stepOutput: ['compiling', 'done'], message: 'failed to solve: two' },
      { file: 'other.Dockerfile', marked: [15], step: undefined, stepOutput: [], message: 'failed to solve: two' },
    ]);
  });

  it('the docker display\'s listed warnings, and an excerpt that no error line follows', () => {
    const output = [
      ' - FromAsCasing: \'as\' and \'FROM\' keywords\' casing do not match (line 1)',
      ' - not a warning',
      'Dockerfile:2',
      '--------------------',
      '   2 | >>> RUN x',
      '--------------------',
    ].join('\n');
    const log = readBuildLog(output, 'plain');
    assert.deepEqual(log.warnings.map((w) => [w.rule, w.startLine]), [['FromAsCasing', 1]]);
    assert.deepEqual(log.excerpts.map((e) => [e.file, e.marked, e.message]), [['Dockerfile', [2], undefined]]);
    assert.equal(log.finalError, undefined);
  });

  it('rawjson: warning ranges and files, a step named late, odd values skipped without throwing', () => {
    const lines = [
      json({ vertexes: [null, 'x', { name: 'no digest', error: 'ignored' }, { digest: 'a', error: 'first error' }, { digest: 'n', name: 5, error: 'numeric name' }, { digest: 'e', name: 'empty error', error: '' }] }),
      json({ vertexes: [{ digest: 'a', name: '[2/2] RUN make', error: 'first error' }, { digest: 'a', name: 'renamed', error: 'first error' }] }),
      json({ logs: [{ vertex: 'a', data: b64('one\n\ntwo\n') }, { vertex: 'ok', data: b64('not read') }, { vertex: 'a', data: null }] }),
      json({ warnings: [
        { short: b64('MultiLine: Spans lines (line 3)'), url: 'https://example.test/rule', sourceInfo: { filename: 'other.Dockerfile' }, range: [{ start: { line: 3 }, end: { line: 5 } }] },
        { short: b64('StartOnly: Only a start'), range: [{ start: { line: 2 } }] },
        { short: b64('EmptyRange: From the text (line 7)'), range: [{}], sourceInfo: null },
        { url: 'no short' },
        null,
      ] }),
    ].join('\n');
    const log = readBuildLog(lines, 'rawjson');
    assert.deepEqual(log.steps.map((s) => [s.name, s.error, s.logs]), [['[2/2] RUN make', 'first error', ['one', 'two']], ['empty error', undefined, []]]);
    assert.deepEqual(log.warnings.map((w) => [w.rule, w.startLine, w.endLine, w.url, w.file]), [
      ['MultiLine', 3, 5, 'https://example.test/rule', 'other.Dockerfile'],
      ['StartOnly', 2, 2, undefined, undefined],
      ['EmptyRange', 7, 7, undefined, undefined],
    ]);
  });

  it('rawjson: a status with the logs of several steps gives the failed one its output', () => {
    const lines = [
      json({ vertexes: [{ digest: 'ok', name: '[linux/amd64 2/2] RUN uname -m' }, { digest: 'bad', name: '[linux/arm64 2/2] RUN uname -m', error: 'exit code: 1' }] }),
      json({ logs: [{ vertex: 'ok', data: b64('x86_64\n') }, { vertex: 'bad', data: b64('aarch64\n') }] }),
    ].join('\n');
    const log = readBuildLog(lines, 'rawjson');
    assert.deepEqual(log.steps.find((s) => s.error !== undefined)?.logs, ['aarch64']);
  });

  it('screenLines: colours, window titles and carriage returns leave what the screen shows', () => {
    assert.deepEqual(screenLines('\u001b]0;title\u0007#1 \u001b[1mstep\u001b[0m\r\nhalf\rwhole\n\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\ text\u001bc'), ['#1 step', 'whole', 'link text']);
    assert.deepEqual(screenLines('a\u001b]2;t\u0007b'), ['ab']);
    // A title cut off by the end of the output takes the rest of its line with it.
    assert.deepEqual(screenLines('a\u001b]0;cut off'), ['a']);
    assert.deepEqual(screenLines('plain\nlines'), ['plain', 'lines']);
    assert.deepEqual(screenLines('carriage\r'), ['carriage']);
  });
});
