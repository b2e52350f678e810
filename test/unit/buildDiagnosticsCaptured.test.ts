// The diagnostics of every build the capture script ran on the real BuildKit, buildctl, nerdctl and
// docker buildx on dockerd's embedded BuildKit (test/fixtures/build). What each build must say is
// read from its own Dockerfile (the line of the failing instruction, the lines the checks name),
// never from a fresh run's bytes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildDiagnostics, type BuildDiagnostic } from '../../src/buildkit/diagnostics';

interface Capture {
  readonly case: string;
  readonly tool: string;
  readonly format: string;
  readonly dockerfileName: string;
  readonly dockerfile: string;
  readonly exitCode: number;
  readonly output: string;
}

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'build');
const captures = readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
  .map((name) => ({ name, capture: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Capture }))
  // The lint-only calls print a check result, not a build: the Check Dockerfile command reads those.
  .filter(({ capture }) => !capture.case.startsWith('check-only'));

function diagnosticsOf(capture: Capture): BuildDiagnostic[] {
  return buildDiagnostics(capture.output, { path: `/work/ctx/${capture.dockerfileName}`, text: capture.dockerfile }, capture.format === 'rawjson' ? 'rawjson' : 'plain');
}

/** The 0-based lines of the first instruction whose line matches, with its continuation lines. */
function instructionLines(dockerfile: string, pattern: RegExp): [number, number] {
  const lines = dockerfile.split('\n');
  const start = lines.findIndex((l) => pattern.test(l));
  assert.ok(start >= 0, `no line matches ${String(pattern)}`);
  let end = start;
  while ((lines[end] ?? '').trimEnd().endsWith('\\')) end++;
  return [start, end];
}

function only(diagnostics: BuildDiagnostic[], severity: 'error' | 'warning'): BuildDiagnostic[] {
  return diagnostics.filter((d) => d.severity === severity);
}

describe('diagnostics of captured real builds', () => {
  it('has captures of every case from buildctl, nerdctl and docker buildx, plain and rawjson', () => {
    const have = new Set(captures.map(({ name }) => name.replace(/\.json$/, '')));
    for (const c of ['run-fails', 'copy-missing', 'parse-error', 'checks', 'multi-arm64-fails', 'multi-ok']) {
      for (const variant of ['buildctl-plain', 'buildctl-rawjson', 'nerdctl-plain', 'nerdctl-rawjson', 'buildx-plain', 'buildx-rawjson']) assert.ok(have.has(`${c}.${variant}`), `${c}.${variant}`);
    }
  });

  for (const { name, capture } of captures) {
    it(`${name}: what the user sees in Problems`, () => {
      const diagnostics = diagnosticsOf(capture);
      const errors = only(diagnostics, 'error');
      const warnings = only(diagnostics, 'warning');
      const at = (d: BuildDiagnostic | undefined): [number, number] => [d?.range.startLine ?? -1, d?.range.endLine ?? -1];
      switch (capture.case) {
        case 'run-fails':
        case 'run-fails-rebuilt': {
          assert.equal(errors.length, 1, JSON.stringify(diagnostics));
          assert.deepEqual(at(errors[0]), instructionLines(capture.dockerfile, /&& false/));
          assert.match(errors[0]?.message ?? '', /^The command `echo before && false` exited with code 1\.\nLast output:\nbefore$/);
          break;
        }
        case 'run-fails-continued': {
          assert.equal(errors.length, 1, JSON.stringify(diagnostics));
          assert.deepEqual(at(errors[0]), instructionLines(capture.dockerfile, /^RUN echo first line/));
          assert.match(errors[0]?.message ?? '', /exited with code 3\.\nLast output:\nfirst line\nsecond line$/);
          break;
        }
        case 'copy-missing': {
          assert.equal(errors.length, 1, JSON.stringify(diagnostics));
          assert.deepEqual(at(errors[0]), instructionLines(capture.dockerfile, /^COPY missing/));
          assert.match(errors[0]?.message ?? '', /^missing\.txt is not in the build context/);
          break;
        }
        // The outline request prints the parse error without an excerpt: the line it names places it.
        case 'outline-parse-error':
        case 'parse-error': {
          assert.equal(errors.length, 1, JSON.stringify(diagnostics));
          assert.deepEqual(at(errors[0]), instructionLines(capture.dockerfile, /^RUNN/));
          assert.equal(errors[0]?.message, 'Unknown instruction: RUNN (did you mean RUN?).');
          break;
        }
        case 'multi-arm64-fails': {
          assert.equal(errors.length, 1, JSON.stringify(diagnostics));
          assert.deepEqual(at(errors[0]), instructionLines(capture.dockerfile, /!= aarch64/));
          assert.equal(errors[0]?.platform, 'linux/arm64');
          assert.match(errors[0]?.message ?? '', /^linux\/arm64: The command `test "\$\(uname -m\)" != aarch64` exited with code 1\./);
          break;
        }
        case 'checks': {
          assert.deepEqual(errors, []);
          const expected = [
            ['FromAsCasing', instructionLines(capture.dockerfile, /^FROM busybox as/)],
            ['LegacyKeyValueFormat', instructionLines(capture.dockerfile, /^ENV greeting hello/)],
            ['JSONArgsRecommended', instructionLines(capture.dockerfile, /^CMD cat/)],
          ];
          assert.deepEqual(warnings.map((w) => [w.code, at(w)]).sort(), expected.sort());
          for (const w of warnings) assert.match(w.url ?? '', /^https:\/\/docs\.docker\.com\/go\/dockerfile\/rule\/[a-z-]+\/$/);
          break;
        }
        case 'checks-warning-dropped':
          // Plain progress that lost its warnings (BuildKit prints a late warning only with rawjson):
          // nothing to show, and nothing invented.
          assert.deepEqual(diagnostics, []);
          assert.equal(capture.exitCode, 0);
          break;
        case 'multi-ok':
          assert.deepEqual(diagnostics, []);
          assert.equal(capture.exitCode, 0);
          break;
        default:
          assert.fail(`no expectation for the case ${capture.case}: add one`);
      }
      if (!['checks', 'checks-warning-dropped', 'multi-ok'].includes(capture.case)) assert.notEqual(capture.exitCode, 0, 'a failing case that exited 0');
    });
  }
});
