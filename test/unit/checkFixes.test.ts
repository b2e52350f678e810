import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromAsCasingEdit, instructionCasingEdit, jsonArgsEdit, maintainerEdit, mechanicalFix, skipRuleEdit, stageNameCasingEdits } from '../../src/buildkit/checkFixes';

test('skip: a new directive at the top; merged into the check directive that exists, never a second one', () => {
  assert.deepEqual(skipRuleEdit('FROM scratch\n', 'FromAsCasing'), { insertBefore: 0, text: '# check=skip=FromAsCasing' });
  assert.deepEqual(skipRuleEdit('# syntax=docker/dockerfile:1\n# check=error=true\nFROM scratch\n', 'JSONArgsRecommended'), { line: 1, replaceWith: '# check=skip=JSONArgsRecommended;error=true' });
  assert.deepEqual(skipRuleEdit('#check = skip=A, B ;error=true\nFROM x\n', 'C'), { line: 0, replaceWith: '# check=skip=A,B,C;error=true' });
  assert.deepEqual(skipRuleEdit('# CHECK=Skip=A\n', 'B'), { line: 0, replaceWith: '# check=skip=A,B' });
  assert.equal(skipRuleEdit('# check=skip=A,B\n', 'B'), undefined, 'already skipped');
  assert.equal(skipRuleEdit('# check=skip=all\n', 'B'), undefined);
  // A check line after the directives is a comment: the directive goes to the top.
  assert.deepEqual(skipRuleEdit('# syntax=x\n\n# check=skip=A\nFROM x\n', 'B'), { insertBefore: 0, text: '# check=skip=B' });
  assert.deepEqual(skipRuleEdit('FROM x\n# check=skip=A\n', 'B'), { insertBefore: 0, text: '# check=skip=B' });
  assert.equal(skipRuleEdit('FROM x', 'Bad;Rule'), undefined);
  assert.equal(skipRuleEdit('FROM x', ''), undefined);
});

test('FromAsCasing: AS follows FROM, whatever else is on the line', () => {
  assert.deepEqual(fromAsCasingEdit(['FROM busybox as base'], 0), { line: 0, replaceWith: 'FROM busybox AS base' });
  assert.deepEqual(fromAsCasingEdit(['  from --platform=$BUILDPLATFORM busybox AS base  '], 0), { line: 0, replaceWith: '  from --platform=$BUILDPLATFORM busybox as base  ' });
  assert.deepEqual(fromAsCasingEdit(['From x As y'], 0), { line: 0, replaceWith: 'From x as y' });
  assert.equal(fromAsCasingEdit(['FROM busybox'], 0), undefined);
  assert.equal(fromAsCasingEdit(['RUN echo as base'], 0), undefined);
  assert.equal(fromAsCasingEdit([], 3), undefined);
});

test('ConsistentInstructionCasing: the keyword in the majority\'s casing named by the finding', () => {
  const message = "Command 'run' should match the case of the command majority (uppercase)";
  assert.deepEqual(instructionCasingEdit(['  run echo run'], 0, message), { line: 0, replaceWith: '  RUN echo run' });
  assert.deepEqual(instructionCasingEdit(['COPY a b'], 0, "Command 'COPY' should match the case of the command majority (lowercase)"), { line: 0, replaceWith: 'copy a b' });
  assert.deepEqual(instructionCasingEdit(['HEALTHCHECK'], 0, "Command 'HEALTHCHECK' should match the case of the command majority (lowercase)"), { line: 0, replaceWith: 'healthcheck' });
  assert.equal(instructionCasingEdit(['run x'], 0, 'something else'), undefined);
  assert.equal(instructionCasingEdit(['# comment'], 0, message), undefined);
});

test('StageNameCasing: defined and used, case-insensitively, and nothing that merely contains the name', () => {
  const lines = ['FROM alpine AS Build', 'RUN echo Build', 'FROM build AS tests', 'COPY --from=BUILD /a /b', 'RUN --mount=type=bind,from=Build,target=/x true', 'COPY --from=BuildX /a /b', 'FROM --platform=linux/amd64 Build'];
  assert.deepEqual(stageNameCasingEdits(lines, "Stage name 'Build' should be lowercase"), [
    { line: 0, replaceWith: 'FROM alpine AS build' },
    { line: 3, replaceWith: 'COPY --from=build /a /b' },
    { line: 4, replaceWith: 'RUN --mount=type=bind,from=build,target=/x true' },
    { line: 6, replaceWith: 'FROM --platform=linux/amd64 build' },
  ]);
  assert.deepEqual(stageNameCasingEdits(['FROM a AS St.age'], "Stage name 'St.age' should be lowercase"), [{ line: 0, replaceWith: 'FROM a AS st.age' }]);
  assert.deepEqual(stageNameCasingEdits(['FROM a AS StXage'], "Stage name 'St.age' should be lowercase"), []);
  assert.deepEqual(stageNameCasingEdits(lines, 'no name here'), []);
});

test('JSONArgsRecommended: plain words become the exec form; anything a shell would interpret gets no fix', () => {
  assert.deepEqual(jsonArgsEdit(['CMD /bin/busybox sh'], 0), { line: 0, replaceWith: 'CMD ["/bin/busybox", "sh"]' });
  assert.deepEqual(jsonArgsEdit(['  entrypoint  nginx -g daemon=off  '], 0), { line: 0, replaceWith: '  entrypoint  ["nginx", "-g", "daemon=off"]' });
  for (const command of ['CMD echo $HOME', 'CMD a && b', 'CMD "quoted"', 'CMD a | b', 'CMD a > f', 'CMD ls *.txt', "CMD it's", 'CMD a \\', 'CMD ["a"]', 'CMD', 'RUN a b']) {
    assert.equal(jsonArgsEdit([command], 0), undefined, command);
  }
});

test('MaintainerDeprecated: the author as the OCI authors label, quoted as JSON', () => {
  assert.deepEqual(maintainerEdit(['MAINTAINER Jane Doe <jane@example.com>'], 0), { line: 0, replaceWith: 'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"' });
  assert.deepEqual(maintainerEdit(['  maintainer say "hi"  '], 0), { line: 0, replaceWith: '  LABEL org.opencontainers.image.authors="say \\"hi\\""' });
  assert.equal(maintainerEdit(['MAINTAINER'], 0), undefined);
});

test('mechanicalFix: each rule to its edit and title; other rules and stale lines get none', () => {
  const text = 'FROM a as Base\nCMD run it\nMAINTAINER me\nrun x\nFROM Base\n';
  assert.equal(mechanicalFix(text, 'FromAsCasing', 0, '')?.title, 'Match the casing of AS to FROM');
  assert.deepEqual(mechanicalFix(text, 'JSONArgsRecommended', 1, '')?.edits, [{ line: 1, replaceWith: 'CMD ["run", "it"]' }]);
  assert.deepEqual(mechanicalFix(text, 'MaintainerDeprecated', 2, '')?.edits, [{ line: 2, replaceWith: 'LABEL org.opencontainers.image.authors="me"' }]);
  assert.deepEqual(mechanicalFix(text, 'ConsistentInstructionCasing', 3, "Command 'run' should match the case of the command majority (uppercase)")?.edits, [{ line: 3, replaceWith: 'RUN x' }]);
  assert.deepEqual(mechanicalFix(text, 'StageNameCasing', 0, "Stage name 'Base' should be lowercase")?.edits.length, 2);
  assert.equal(mechanicalFix(text, 'StageNameCasing', 0, "Stage name 'Other' should be lowercase"), undefined);
  assert.equal(mechanicalFix(text, 'FromAsCasing', 1, ''), undefined, 'the line is not a FROM ... AS');
  assert.equal(mechanicalFix(text, 'UndefinedVar', 1, ''), undefined);
});
