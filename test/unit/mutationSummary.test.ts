// The gate of `npm run mutate`: which folders fail it and which mutants it lists for a person to kill.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldersUnderTarget, summarize, type MutantStatus, type StrykerReport } from '../mutate/mutationSummary';
import { renderText } from '../mutate/renderSummary';

const mutant = (status: MutantStatus, line = 1, replacement = 'true', mutatorName = 'ConditionalExpression') =>
  ({ status, mutatorName, replacement, location: { start: { line, column: 3 } } });
const times = (n: number, status: MutantStatus) => Array.from({ length: n }, () => mutant(status));

// src/nerdctl: 7 detected of 10 judged (70 %); src/model: 9 of 10 (90 %) though its subfolder
// src/model/rows alone is at 50 %; two compile errors in src/model are not judged.
const report: StrykerReport = {
  files: {
    'src/nerdctl/ports.ts': { mutants: [...times(6, 'Killed'), mutant('Timeout'), mutant('Survived', 42, '"tcp"', 'StringLiteral'), ...times(2, 'NoCoverage')] },
    'src/model/format.ts': { mutants: [...times(8, 'Killed'), ...times(2, 'CompileError')] },
    'src/model/rows/sort.ts': { mutants: [mutant('Killed'), mutant('Survived', 9, 'a &&\n    b', 'LogicalOperator')] },
  },
};

describe('mutation summary', () => {
  const summary = summarize(report, 80);
  const row = (folder: string) => summary.folders.find((f) => f.folder === folder);

  it('scores each pure folder on detected mutants over judged ones, errors aside', () => {
    assert.deepEqual(summary.folders.map((f) => f.folder), ['src/model', 'src/model/rows', 'src/nerdctl']);
    assert.deepEqual({ ...row('src/nerdctl') }, { folder: 'src/nerdctl', killed: 6, survived: 1, timeout: 1, noCoverage: 2, errors: 0, score: 70, meetsTarget: false });
    assert.equal(row('src/model')?.score, 90);
    assert.equal(row('src/model')?.errors, 2);
    assert.equal(row('src/model/rows')?.score, 50);
    assert.equal(summary.total.killed + summary.total.timeout, 16);
    assert.equal(summary.total.score, 80);
  });

  it('fails only the pure folders under target, not a subfolder of a passing one', () => {
    assert.deepEqual(foldersUnderTarget(summary).map((f) => f.folder), ['src/nerdctl']);
    assert.match(renderText(summary), /^src\/nerdctl .* 70\.0 % +UNDER 80 %$/m);
  });

  it('lists every survivor and uncovered mutant with file:line:column, mutator and a one-line replacement', () => {
    const lines = renderText(summary).split('\n').filter((l) => l.startsWith('src/') && l.includes('.ts:'));
    assert.deepEqual(lines, [
      'src/model/rows/sort.ts:9:3 LogicalOperator "a && b"',
      'src/nerdctl/ports.ts:1:3 ConditionalExpression "true" (no test reaches it)',
      'src/nerdctl/ports.ts:1:3 ConditionalExpression "true" (no test reaches it)',
      'src/nerdctl/ports.ts:42:3 StringLiteral "\\"tcp\\""',
    ]);
  });
});
