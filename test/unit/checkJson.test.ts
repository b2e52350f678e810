// Check Dockerfile through Docker's check request (`docker buildx build --call=check,format=json`),
// from what the real buildx printed (test/fixtures/build/check-only-call*.buildx-plain.json), and
// small hand-written results for what the captures do not show.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkJsonDiagnostics, readCheckJson } from '../../src/buildkit/checkJson';

interface Capture { readonly dockerfile: string; readonly stdout: string; readonly exitCode: number }

function capture(name: string): Capture {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'build', `${name}.buildx-plain.json`), 'utf8')) as Capture;
}

const lineOf = (dockerfile: string, start: string): number => dockerfile.split('\n').findIndex((l) => l.startsWith(start));

describe('Check Dockerfile through docker buildx --call=check', () => {
  it('each warning on its line with its rule, page and the detail the build shows', () => {
    const { dockerfile, stdout, exitCode } = capture('check-only-call');
    assert.equal(exitCode, 1, 'buildx exits 1 when it found something');
    const found = checkJsonDiagnostics(stdout, { path: '/src/app/Dockerfile', text: dockerfile });
    assert.deepEqual(found?.map((d) => [d.severity, d.code, d.range.startLine, d.range.endLine]), [
      ['warning', 'FromAsCasing', lineOf(dockerfile, 'FROM'), lineOf(dockerfile, 'FROM')],
      ['warning', 'LegacyKeyValueFormat', lineOf(dockerfile, 'ENV'), lineOf(dockerfile, 'ENV')],
      ['warning', 'JSONArgsRecommended', lineOf(dockerfile, 'CMD'), lineOf(dockerfile, 'CMD')],
    ]);
    assert.equal(found?.[0]?.message, '\'as\' and \'FROM\' keywords\' casing do not match');
    assert.equal(found?.[0]?.url, 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/');
    assert.equal(found?.[2]?.range.endCharacter, 'CMD cat /greeting'.length);
  });

  it('a Dockerfile that does not parse: the error on its line, in the author\'s words (buildctl\'s lint prints nothing for it)', () => {
    const { dockerfile, stdout } = capture('check-only-call-parse-error');
    const found = checkJsonDiagnostics(stdout, { path: '/src/Dockerfile', text: dockerfile });
    assert.deepEqual(found?.map((d) => [d.severity, d.range.startLine, d.message]), [['error', lineOf(dockerfile, 'RUNN'), 'Unknown instruction: RUNN (did you mean RUN?).']]);
  });

  it('clean, another file\'s findings, no location, lines past the end', () => {
    const text = 'FROM a\nRUN b\n';
    const json = (value: unknown): string => `\n${JSON.stringify(value, null, 2)}\n`;
    assert.deepEqual(checkJsonDiagnostics(json({ warnings: null, sources: [{ filename: 'Dockerfile' }] }), { path: '/x/Dockerfile', text }), []);
    const mixed = json({
      warnings: [
        { ruleName: 'A', detail: 'in the other file', location: { sourceIndex: 1, ranges: [{ start: { line: 1 }, end: { line: 1 } }] } },
        { ruleName: 'NoLocation', description: 'only a description' },
        { ruleName: 'Far', detail: 'past the end', location: { ranges: [{ start: { line: 40 }, end: { line: 42 } }] } },
        { detail: 'no rule' }, 'garbage',
      ],
      sources: [{ filename: 'Dockerfile' }, { filename: 'other.Dockerfile' }],
    });
    assert.deepEqual(checkJsonDiagnostics(mixed, { path: '/x/Dockerfile', text })?.map((d) => [d.code, d.message, d.range.startLine, d.range.endLine, d.url]), [
      ['NoLocation', 'only a description', 0, 0, 'https://docs.docker.com/go/dockerfile/rule/no-location/'],
      ['Far', 'past the end', 2, 2, 'https://docs.docker.com/go/dockerfile/rule/far/'],
    ]);
  });

  it('no result at all when buildx printed no JSON (it failed before checking)', () => {
    for (const stdout of ['', 'ERROR: Cannot connect to the Docker daemon', '{ "warnings": [', '[1, 2]']) {
      assert.equal(checkJsonDiagnostics(stdout, { path: '/x/Dockerfile', text: 'FROM a\n' }), undefined, stdout);
    }
    assert.deepEqual(readCheckJson('\n{"warnings":null}\n'), { warnings: null });
  });
});
