// Build output as it arrives in practice: coloured, cut off mid-line, two builds interleaved,
// pretty-printed JSON with text after it, or plain garbage. The reader never throws, and what it
// can read it still reads right.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBuildLog } from '../../src/buildkit/buildLog';
import { buildDiagnostics, ruleUrl } from '../../src/buildkit/diagnostics';

const dockerfile = { path: '/src/app/Dockerfile', text: 'FROM busybox as base\nENV greeting hello\nRUN echo "$greeting" && false\nCMD cat /greeting\n' };

const failedRun = [
  '#1 [internal] load build definition from Dockerfile',
  '#1 WARN: FromAsCasing: \'as\' and \'FROM\' keywords\' casing do not match (line 1)',
  '#1 DONE 0.0s',
  '#5 [2/2] RUN echo "hello" && false',
  '#5 0.210 hello',
  '#5 ERROR: process "/bin/sh -c echo \\"hello\\" && false" did not complete successfully: exit code: 1',
  '------',
  ' > [2/2] RUN echo "hello" && false:',
  '0.210 hello',
  '------',
  'Dockerfile:3',
  '--------------------',
  '   1 |     FROM busybox as base',
  '   2 |     ENV greeting hello',
  '   3 | >>> RUN echo "$greeting" && false',
  '   4 |     CMD cat /greeting',
  '--------------------',
  'error: failed to solve: process "/bin/sh -c echo \\"hello\\" && false" did not complete successfully: exit code: 1',
].join('\n');

/** A small deterministic generator (mulberry32), seeded and printed so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('build output, hostile', () => {
  it('reads coloured, carriage-return-rewritten output as it ended up on screen', () => {
    const coloured = failedRun.split('\n').map((line) => `\u001b[34m${line}\u001b[0m\r`).join('\n').replace('#5 0.210 hello', '#5 0.1 he\r#5 0.210 hello');
    const [error, warning] = buildDiagnostics(coloured, dockerfile, 'plain');
    assert.equal(error?.range.startLine, 2);
    assert.equal(error?.message, 'The command `echo "hello" && false` exited with code 1.\nLast output:\nhello');
    assert.equal(warning?.code, 'FromAsCasing');
    assert.equal(warning?.url, 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/');
  });

  it('keeps what it read from output cut off at any point, and never throws', () => {
    for (let cut = 0; cut <= failedRun.length; cut += 7) {
      const partial = failedRun.slice(0, cut);
      const diagnostics = buildDiagnostics(partial, dockerfile, 'plain');
      if (cut > failedRun.indexOf('(line 1)') + 8) assert.ok(diagnostics.some((d) => d.code === 'FromAsCasing'), `cut at ${cut}`);
      // Once the failed step's error line is in, the error is placed (from the step until the excerpt comes).
      if (cut > failedRun.indexOf('exit code: 1') + 12) assert.ok(diagnostics.some((d) => d.severity === 'error' && d.range.startLine === 2), `cut at ${cut}`);
    }
  });

  it('takes a build interleaved with another one\'s lines, and pretty-printed JSON with text after it', () => {
    const other = ['#2 [internal] load metadata for docker.io/library/alpine:3.20', 'unrelated text', '#2 DONE 0.1s'];
    const lines = failedRun.split('\n');
    const interleaved = lines.flatMap((line, i) => (i % 4 === 1 ? [line, other[i % 3] ?? ''] : [line])).join('\n');
    assert.deepEqual(buildDiagnostics(interleaved, dockerfile, 'plain').map((d) => [d.severity, d.range.startLine]), [['error', 2], ['warning', 0]]);
    const status = { vertexes: [{ digest: 'sha256:aa', name: '[2/2] RUN echo "hello" && false', error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1' }], logs: [], warnings: [] };
    const pretty = `${JSON.stringify(status, null, 2)}\nerror: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1\n`;
    const [only] = buildDiagnostics(pretty, dockerfile, 'rawjson');
    assert.equal(only?.range.startLine, 2);
    assert.equal(only?.message, 'The command `false` exited with code 1.');
  });

  it('survives seeded garbage in both formats (seed printed)', () => {
    const seed = Number(process.env.VSCODE_CONTAINERD_FUZZ_SEED ?? Date.now() % 100_000);
    console.log(`build output fuzz seed: ${seed}`);
    const next = random(seed);
    const pieces = [...failedRun.split('\n'), '{', '}', '{"vertexes":[{"digest":1}]}', '{"warnings":[{"short":"!!"}]}', '"', '\\', '\u001b[', '\r', ' > x:', '------', 'Dockerfile:x', '#', '#9', '#9 ERROR:', '#9 WARN: X: y (line 999)', '   9 | >>> FROM', '\u0000', '💥'];
    for (let round = 0; round < 400; round++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 30) }, () => pieces[Math.floor(next() * pieces.length)] ?? '').join(next() < 0.7 ? '\n' : '');
      for (const format of ['plain', 'rawjson'] as const) {
        const diagnostics = buildDiagnostics(text, dockerfile, format);
        for (const d of diagnostics) {
          assert.ok(d.range.startLine >= 0 && d.range.endLine < dockerfile.text.split('\n').length && d.range.startLine <= d.range.endLine, `seed ${seed} round ${round}: ${JSON.stringify(d.range)}`);
        }
      }
    }
  });

  it('places only the step that failed, not the ones BuildKit cancelled because of it', () => {
    const status = { vertexes: [
      { digest: 'sha256:from', name: '[1/2] FROM docker.io/library/busybox:latest', error: 'context canceled' },
      { digest: 'sha256:run', name: '[2/2] RUN echo "hello" && false', error: 'process "/bin/sh -c false" did not complete successfully: exit code: 2' },
      { digest: 'sha256:other', name: '[2/2] RUN echo "hello" && false', error: 'failed to solve: context canceled' },
    ] };
    const diagnostics = buildDiagnostics(JSON.stringify(status), dockerfile, 'rawjson');
    assert.deepEqual(diagnostics.map((d) => [d.range.startLine, d.message]), [[2, 'The command `false` exited with code 2.']]);
  });

  it('names the docs page of a rule in BuildKit\'s spelling', () => {
    assert.equal(ruleUrl('JSONArgsRecommended'), 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/');
    assert.equal(ruleUrl('LegacyKeyValueFormat'), 'https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/');
    assert.equal(ruleUrl('UndefinedVar'), 'https://docs.docker.com/go/dockerfile/rule/undefined-var/');
  });

  it('reads nothing from nothing', () => {
    assert.deepEqual(readBuildLog('', 'plain'), { steps: [], warnings: [], excerpts: [], finalError: undefined });
    assert.deepEqual(buildDiagnostics('', dockerfile, 'rawjson'), []);
  });
});
