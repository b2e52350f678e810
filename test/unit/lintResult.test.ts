// The lint request's result as buildctl printed it for real (test/fixtures/build/check-only*),
// and the outline request's parse error that Check Dockerfile adds to it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkDiagnostics, lintDiagnostics } from '../../src/buildkit/lintResult';

interface Capture { readonly dockerfile: string; readonly stdout: string; readonly output: string; readonly exitCode: number }

function capture(name: string): Capture {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'build', `${name}.buildctl-plain.json`), 'utf8')) as Capture;
}

describe('Check Dockerfile (the lint request)', () => {
  it('each finding on the lines its excerpt marks, with its rule, page and description', () => {
    const { dockerfile, stdout } = capture('check-only');
    const lines = dockerfile.split('\n');
    const found = lintDiagnostics(stdout, { path: '/src/Dockerfile', text: dockerfile });
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.range.startLine, d.range.endLine]), [
      ['warning', 'FromAsCasing', lines.findIndex((l) => l.startsWith('FROM')), lines.findIndex((l) => l.startsWith('FROM'))],
      ['warning', 'LegacyKeyValueFormat', lines.findIndex((l) => l.startsWith('ENV')), lines.findIndex((l) => l.startsWith('ENV'))],
      ['warning', 'JSONArgsRecommended', lines.findIndex((l) => l.startsWith('CMD')), lines.findIndex((l) => l.startsWith('CMD'))],
    ]);
    assert.equal(found[0]?.message, '\'as\' and \'FROM\' keywords\' casing do not match');
    assert.equal(found[0]?.url, 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/');
    assert.equal(found[2]?.range.endCharacter, 'CMD cat /greeting'.length);
    // format=json is ignored by buildctl: the same text, the same findings.
    assert.deepEqual(lintDiagnostics(capture('check-only-format-json').stdout, { path: '/src/Dockerfile', text: dockerfile }), found);
  });

  it('nothing from a clean or unparsable file (the lint request prints nothing for a parse error), another file\'s findings, or garbage', () => {
    const broken = capture('check-only-parse-error');
    assert.deepEqual(lintDiagnostics(broken.stdout, { path: '/src/Dockerfile', text: broken.dockerfile }), []);
    const other = 'WARNING: FromAsCasing - https://x/\nmessage\nother.Dockerfile:1\n--------------------\n   1 | >>> FROM a as b\n--------------------\n';
    assert.deepEqual(lintDiagnostics(other, { path: '/src/Dockerfile', text: 'FROM a as b\n' }), []);
    for (const garbage of ['', 'WARNING:', 'WARNING: X -', 'Dockerfile:1\n----', 'ERROR: Y\n\u001b[31m', 'WARNING: Z - u\nDockerfile:99\n--------------------\n  99 | >>> x\n--------------------']) {
      for (const d of lintDiagnostics(garbage, { path: '/src/Dockerfile', text: 'FROM a\n' })) assert.ok(d.range.startLine >= 0 && d.range.endLine <= 1, garbage);
    }
  });
});

describe('Check Dockerfile, findings as buildctl lays them out', () => {
  const text = ['FROM busybox', ...Array.from({ length: 10 }, (_, i) => `RUN echo ${i}`), 'RUN make \\', '  all', 'CMD x', ''].join('\n');
  const dockerfile = { path: '/src/Dockerfile', text };
  const excerpt = (location: string, rows: string[]): string[] => [location, '--------------------', ...rows, '--------------------'];

  it('a finding over several marked lines past 9, its description joined from its lines', () => {
    const stdout = [
      'WARNING: JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
      '  JSON arguments recommended',
      '   ',
      'for RUN to prevent surprises',
      ...excerpt('Dockerfile:12', ['  11 |     RUN echo 9', '  12 | >>> RUN make \\', '  13 | >>>   all', '  14 |     CMD x']),
      'printed after the excerpt',
    ].join('\n');
    assert.deepEqual(lintDiagnostics(stdout, dockerfile), [{
      severity: 'warning', message: 'JSON arguments recommended for RUN to prevent surprises',
      range: { startLine: 11, startCharacter: 0, endLine: 12, endCharacter: 5 }, code: 'JSONArgsRecommended',
      url: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/', platform: undefined,
    }]);
  });

  it('an error without a page or description, an excerpt that marks nothing, one cut off, and none at all', () => {
    const stdout = [
      'ERROR: InvalidDefinitionDescription',
      ...excerpt('Dockerfile:3', ['   3 |     RUN echo 1']),
      'WARNING: NoExcerpt - https://x/',
      'described',
      'WARNING: CutOff - https://y/',
      'Dockerfile:13',
      '--------------------',
      '  13 | >>>   all',
    ].join('\n');
    assert.deepEqual(lintDiagnostics(stdout, dockerfile).map((d) => [d.severity, d.code, d.url, d.message, d.range.startLine, d.range.endLine]), [
      ['error', 'InvalidDefinitionDescription', undefined, 'InvalidDefinitionDescription', 2, 2],
      ['warning', 'NoExcerpt', 'https://x/', 'described', 0, 0],
      ['warning', 'CutOff', 'https://y/', 'CutOff', 12, 12],
    ]);
  });

  it('only whole heading lines start a finding', () => {
    for (const line of ['WARNING: FromAsCasing - https://x/ and more', 'note WARNING: FromAsCasing - https://x/']) assert.deepEqual(lintDiagnostics(line, dockerfile), [], line);
  });

  it('Check Dockerfile: the parse error the outline request failed on, on its line, beside whatever lint found', () => {
    const lint = capture('check-only-parse-error');
    const outline = capture('outline-parse-error');
    assert.notEqual(outline.exitCode, 0);
    const source = { path: '/src/Dockerfile', text: outline.dockerfile };
    const found = checkDiagnostics({ lintStdout: lint.stdout, outline: { exitCode: outline.exitCode, stderr: outline.output } }, source);
    const runn = outline.dockerfile.split('\n').findIndex((l) => l.startsWith('RUNN'));
    assert.deepEqual(found.map((d) => [d.severity, d.range.startLine, d.message]), [['error', runn, 'Unknown instruction: RUNN (did you mean RUN?).']]);
    // A file that parses: the outline request succeeds and only lint's findings remain.
    const clean = capture('check-only');
    const checks = checkDiagnostics({ lintStdout: clean.stdout, outline: { exitCode: 0, stderr: 'error: ignored' } }, { path: '/src/Dockerfile', text: clean.dockerfile });
    assert.deepEqual(checks, lintDiagnostics(clean.stdout, { path: '/src/Dockerfile', text: clean.dockerfile }));
    // An outline request that failed for another reason (a builder gone): nothing is invented on a line.
    assert.deepEqual(checkDiagnostics({ lintStdout: '', outline: { exitCode: undefined, stderr: '' } }, source), []);
  });
});
