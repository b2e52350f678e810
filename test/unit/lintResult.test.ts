// The lint request's result as buildctl printed it for real (test/fixtures/build/check-only*).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintDiagnostics } from '../../src/buildkit/lintResult';

interface Capture { readonly dockerfile: string; readonly stdout: string }

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
