// Where a build's problems land in the Dockerfile and what they say, for output the captures do
// not cover: several failed steps, an excerpt with no error line or for another file, a failed
// step whose instruction is gone, long step output, warnings over several lines or repeated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDiagnostics, type BuildDiagnostic } from '../../src/buildkit/diagnostics';
import { errorInUsersWords } from '../../src/buildkit/errorWords';

const text = 'FROM busybox\nRUN make \\\n  all\nRUN echo done\n';
const dockerfile = { path: '/src/app/Dockerfile', text };
const b64 = (t: string): string => Buffer.from(t).toString('base64');
const where = (d: BuildDiagnostic): unknown => [d.severity, d.range.startLine, d.range.endLine, d.message];

describe('build diagnostics placed', () => {
  it('a failed step\'s last five output lines, indentation kept, blank lines left out', () => {
    const output = ['#5 [2/3] RUN make all', ...['1', '2', '', '  3', '4   ', '5', '6'].map((l) => `#5 0.1 ${l}`), '#5 ERROR: process "/bin/sh -c make all" did not complete successfully: exit code: 2'].join('\n');
    const [error] = buildDiagnostics(output, dockerfile, 'plain');
    assert.deepEqual(error?.range, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 5 });
    assert.equal(error?.message, 'The command `make all` exited with code 2.\nLast output:\n2\n  3\n4\n5\n6');
  });

  it('an excerpt with no error line after it says the step\'s error; one with nothing says the build failed there', () => {
    const cut = ['#5 [3/3] RUN echo done', '#5 0.2 done', '#5 ERROR: process "/bin/sh -c echo done" did not complete successfully: exit code: 1', '------', ' > [3/3] RUN echo done:', '------',
      'Dockerfile:4', '--------------------', '   4 | >>> RUN echo done', '--------------------'].join('\n');
    assert.deepEqual(buildDiagnostics(cut, dockerfile, 'plain').map(where), [['error', 3, 3, 'The command `echo done` exited with code 1.\nLast output:\ndone']]);
    const bare = ['Dockerfile:2', '--------------------', '   2 | >>> RUN make \\', '   3 | >>>   all', '--------------------'].join('\n');
    assert.deepEqual(buildDiagnostics(bare, dockerfile, 'plain').map(where), [['error', 1, 2, 'The build failed here.']]);
  });

  it('an excerpt takes the error line that follows it, not a later one', () => {
    const output = ['Dockerfile:4', '--------------------', '   4 | >>> RUN echo done', '--------------------', 'error: failed to solve: first', 'ERROR: second'].join('\n');
    assert.deepEqual(buildDiagnostics(output, dockerfile, 'plain').map(where), [['error', 3, 3, 'first']]);
  });

  it('an excerpt of another file is not put on this one: the failed step\'s instruction is', () => {
    const output = ['#5 [3/3] RUN echo done', '#5 ERROR: process "/bin/sh -c echo done" did not complete successfully: exit code: 1',
      'base.Dockerfile:1', '--------------------', '   1 | >>> FROM x', '--------------------', 'error: failed to solve: boom'].join('\n');
    assert.deepEqual(buildDiagnostics(output, dockerfile, 'plain').map((d) => [d.range.startLine, d.message]), [[3, 'The command `echo done` exited with code 1.']]);
  });

  it('rawjson with two failed steps: the excerpt gets the step its error names, with that step\'s output', () => {
    const output = [
      JSON.stringify({ vertexes: [{ digest: 'a', name: '[2/3] RUN make all', error: 'process "/bin/sh -c make all" did not complete successfully: exit code: 2' }, { digest: 'b', name: '[3/3] RUN echo done', error: 'process "/bin/sh -c echo done" did not complete successfully: exit code: 1' }] }),
      JSON.stringify({ logs: [{ vertex: 'a', data: b64('from make\n') }] }),
      JSON.stringify({ logs: [{ vertex: 'b', data: b64('from echo\n') }] }),
      'Dockerfile:4', '--------------------', '   4 | >>> RUN echo done', '--------------------',
      'error: failed to solve: process "/bin/sh -c echo done" did not complete successfully: exit code: 1',
    ].join('\n');
    assert.deepEqual(buildDiagnostics(output, dockerfile, 'rawjson').map(where), [['error', 3, 3, 'The command `echo done` exited with code 1.\nLast output:\nfrom echo']]);
  });

  it('a step that failed by itself is shown even when its error mentions cancelling; one whose instruction is gone falls back to line 1', () => {
    const own = ['#5 [3/3] RUN echo done', '#5 ERROR: context canceled while pulling'].join('\n');
    assert.deepEqual(buildDiagnostics(own, dockerfile, 'plain').map(where), [['error', 3, 3, 'context canceled while pulling']]);
    const gone = ['#9 [9/9] RUN gone', '#9 ERROR: exit code: 1', 'error: failed to solve: exit code: 1'].join('\n');
    assert.deepEqual(buildDiagnostics(gone, dockerfile, 'plain').map(where), [['error', 0, 0, 'exit code: 1']]);
    const unplaced = 'error: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory';
    assert.deepEqual(buildDiagnostics(unplaced, dockerfile, 'plain'), [{ severity: 'error', message: 'failed to read dockerfile: open Dockerfile: no such file or directory', range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 12 }, code: undefined, url: undefined, platform: undefined }]);
  });

  it('warnings: over their lines, once per rule, line and message, only for this Dockerfile', () => {
    const output = [
      JSON.stringify({ warnings: [
        { short: b64('MultiLine: Spans two lines'), range: [{ start: { line: 2 }, end: { line: 3 } }], sourceInfo: { filename: '/src/app/Dockerfile' } },
        { short: b64('Same: At two lines (line 1)') },
        { short: b64('Same: At two lines (line 4)') },
        { short: b64('Same: At two lines (line 4)') },
        { short: b64('Elsewhere: In another file (line 1)'), sourceInfo: { filename: 'base.Dockerfile' } },
      ] }),
    ].join('\n');
    const warnings = buildDiagnostics(output, dockerfile, 'rawjson');
    assert.deepEqual(warnings.map((d) => [d.code, d.range]), [
      ['MultiLine', { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 5 }],
      ['Same', { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 12 }],
      ['Same', { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 13 }],
    ]);
  });
});

describe('BuildKit errors in the author\'s words', () => {
  it('unwraps the solver\'s prefixes, only at the start', () => {
    assert.equal(errorInUsersWords('  failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 127  '), 'The command `make` exited with code 127.');
    assert.equal(errorInUsersWords('failed to solve: executor failed running [/bin/sh -c make]: exit code: 2'), 'exit code: 2');
    assert.equal(errorInUsersWords('failed to solve: failed to compute cache key: failed to calculate checksum of ref ab12::cd34: "/a.txt": not found'), 'a.txt is not in the build context: COPY and ADD read from the context folder (check the path, and .dockerignore).');
    assert.equal(errorInUsersWords('cannot start: failed to solve: boom'), 'cannot start: failed to solve: boom');
  });

  it('a RUN\'s command as written (exec form, escapes), and only a whole exit message', () => {
    assert.equal(errorInUsersWords('process "make all" did not complete successfully: exit code: 1'), 'The command `make all` exited with code 1.');
    assert.equal(errorInUsersWords('process "/bin/sh -c echo \\"a\\\\\\\\b\\"" did not complete successfully: exit code: 1'), 'The command `echo "a\\\\b"` exited with code 1.');
    for (const message of ['while running process "a" did not complete successfully: exit code: 1', 'process "a" did not complete successfully: exit code: 1 (killed)']) assert.equal(errorInUsersWords(message), message);
  });

  it('a RUN that got no network from a bridgeless Docker daemon says which task attribute fixes it', () => {
    const said = errorInUsersWords('failed to build: failed to solve: process "/bin/sh -c echo before && false" did not complete successfully: network bridge not found');
    assert.match(said, /^The command `echo before && false` did not start: the Docker daemon has no bridge network/);
    assert.match(said, /"network": "none"/);
    assert.match(errorInUsersWords('failed to build: docker exporter does not currently support exporting manifest lists'), /^Docker's classic image store keeps one platform per image.*containerd-snapshotter/);
    assert.match(errorInUsersWords('failed to solve: granting entitlement network.host is not allowed by build daemon configuration'), /^This buildkitd does not grant RUN steps the host's network: start it with --allow-insecure-entitlement network\.host/);
  });

  it('a missing file named as in the context; parse errors as a sentence', () => {
    assert.equal(errorInUsersWords('"dir/a.txt": not found'), 'dir/a.txt is not in the build context: COPY and ADD read from the context folder (check the path, and .dockerignore).');
    for (const message of ['lstat "/a": not found', '"/a": not found in cache']) assert.equal(errorInUsersWords(message), message);
    assert.equal(errorInUsersWords('dockerfile parse error on line 12: unknown instruction: RUNN'), 'Unknown instruction: RUNN.');
    assert.equal(errorInUsersWords('dockerfile parse error on line 1: bad line.'), 'Bad line.');
    assert.equal(errorInUsersWords('dockerfile parse error on line 1: expected x.. got y'), 'Expected x.. got y.');
    assert.equal(errorInUsersWords('at dockerfile parse error on line 1: y'), 'at dockerfile parse error on line 1: y');
  });
});
