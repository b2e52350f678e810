import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instructionOfStep, parseStepName } from '../../src/buildkit/dockerfileSteps';

const multiStage = [
  'FROM golang:1.26 AS build', // 0
  'WORKDIR /src', // 1
  'COPY . .', // 2
  'ENV CGO_ENABLED=0', // 3
  'RUN go build \\', // 4
  '    -o /out/app .', // 5
  '', // 6
  'FROM scratch AS release', // 7
  'COPY --from=build /out/app /app', // 8
  'CMD ["/app"]', // 9
  '',
].join('\n');

function step(name: string): NonNullable<ReturnType<typeof parseStepName>> {
  const parsed = parseStepName(name);
  assert.ok(parsed, name);
  return parsed;
}

describe('BuildKit step names', () => {
  it('reads platform, stage, index and total, padded or not', () => {
    assert.deepEqual(parseStepName('[3/4] RUN echo before && false'), { platform: undefined, stage: undefined, index: 3, total: 4, keyword: 'RUN', args: 'echo before && false' });
    assert.deepEqual(parseStepName('[linux/arm64 3/3] RUN test "$(uname -m)" != aarch64'), { platform: 'linux/arm64', stage: undefined, index: 3, total: 3, keyword: 'RUN', args: 'test "$(uname -m)" != aarch64' });
    assert.deepEqual(parseStepName('[linux/amd64->arm64 build  2/12] workdir /src'), { platform: 'linux/amd64->arm64', stage: 'build', index: 2, total: 12, keyword: 'WORKDIR', args: '/src' });
    assert.deepEqual(parseStepName('[release 1/1] ONBUILD COPY a b'), { platform: undefined, stage: 'release', index: 1, total: 1, keyword: 'COPY', args: 'a b' });
    for (const name of ['[internal] load build definition from Dockerfile', 'exporting to image', '[linux/arm64 internal] load metadata', '[1/x] RUN a', '']) {
      assert.equal(parseStepName(name), undefined, name);
    }
  });

  it('finds the instruction of a step: FROM counts unless scratch, RUN/COPY/ADD/WORKDIR count, ENV and CMD do not', () => {
    assert.deepEqual(instructionOfStep(step('[build 1/4] FROM docker.io/library/golang:1.26@sha256:abc'), multiStage), { startLine: 0, endLine: 0 });
    assert.deepEqual(instructionOfStep(step('[build 4/4] RUN go build     -o /out/app .'), multiStage), { startLine: 4, endLine: 5 });
    assert.deepEqual(instructionOfStep(step('[linux/arm64 release 1/1] COPY --from=build /out/app /app'), multiStage), { startLine: 8, endLine: 8 });
    // A count that no longer fits (the file changed since the build), a wrong keyword, an unknown stage.
    assert.equal(instructionOfStep(step('[build 4/5] RUN go build'), multiStage), undefined);
    assert.equal(instructionOfStep(step('[build 3/4] RUN go build'), multiStage), undefined);
    assert.equal(instructionOfStep(step('[test 1/1] COPY a b'), multiStage), undefined);
  });

  it('tells unnamed stages apart by the step\'s text, else takes the last (the default target)', () => {
    const unnamed = 'FROM busybox\nRUN echo one\n\nFROM busybox\nRUN echo two\n';
    assert.deepEqual(instructionOfStep(step('[2/2] RUN echo one'), unnamed), { startLine: 1, endLine: 1 });
    assert.deepEqual(instructionOfStep(step('[2/2] RUN echo two'), unnamed), { startLine: 4, endLine: 4 });
    // Variables expanded by BuildKit no longer match the text: the last candidate.
    assert.deepEqual(instructionOfStep(step('[2/2] RUN echo three'), unnamed), { startLine: 4, endLine: 4 });
  });
});

describe('BuildKit steps found in Dockerfiles being edited', () => {
  it('indexes past 9 and every step keyword (RUN, COPY, ADD, WORKDIR)', () => {
    const text = ['FROM busybox', 'WORKDIR /a', 'ADD a /a', ...Array.from({ length: 8 }, (_, i) => `RUN echo ${i}`), 'COPY b /b', ''].join('\n');
    assert.deepEqual(instructionOfStep(step('[12/12] COPY b /b'), text), { startLine: 11, endLine: 11 });
    assert.deepEqual(instructionOfStep(step('[2/12] WORKDIR /a'), text), { startLine: 1, endLine: 1 });
    assert.deepEqual(instructionOfStep(step('[3/12] ADD a /a'), text), { startLine: 2, endLine: 2 });
    assert.equal(parseStepName('x[1/2] RUN a'), undefined);
  });

  it('tells unnamed stages apart by the words of the step, however the Dockerfile wraps and spaces them', () => {
    const text = ['FROM busybox', 'RUN make\t\\\r\n    all   ', 'FROM alpine', 'RUN make other', ''].join('\n');
    assert.deepEqual(instructionOfStep(step('[2/2] RUN make all'), text), { startLine: 1, endLine: 2 });
    assert.deepEqual(instructionOfStep(step('[2/2] RUN make other'), text), { startLine: 4, endLine: 4 });
  });

  it('a half-written Dockerfile (RUN before FROM, FROM without an image) or a step 0 finds nothing and throws nothing', () => {
    assert.equal(instructionOfStep(step('[1/1] RUN x'), 'RUN x\nFROM\n'), undefined);
    assert.equal(instructionOfStep(step('[0/1] RUN x'), 'FROM a\n'), undefined);
  });
});
