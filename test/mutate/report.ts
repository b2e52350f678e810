// Reads Stryker's JSON report, prints the per-folder table and every undetected mutant, and writes
// test-results/mutation.json and mutation.md. Fails (exit 1) when a pure folder is under target.
// `node out/test/mutate/report.js` re-prints the last run's report without mutating anything.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { foldersUnderTarget, summarize, type StrykerReport } from './mutationSummary';
import { renderMarkdown, renderText } from './renderSummary';

export const targetPercent = 80;

/** Returns the exit code: 0 when every pure folder meets the target. */
export function report(repo: string): number {
  const results = join(repo, 'test-results');
  const stryker = join(results, 'mutation', 'stryker.json');
  let parsed: StrykerReport;
  try {
    parsed = JSON.parse(readFileSync(stryker, 'utf8')) as StrykerReport;
  } catch (error) {
    console.error(`No Stryker report to read at ${stryker} (${(error as Error).message}): run npm run mutate first.`);
    return 1;
  }
  const summary = summarize(parsed, targetPercent);
  const generatedAt = new Date().toISOString();
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'mutation.json'), `${JSON.stringify({ generatedAt, ...summary }, null, 2)}\n`);
  writeFileSync(join(results, 'mutation.md'), renderMarkdown(summary, generatedAt));
  console.log(`\n${renderText(summary)}\n`);
  const under = foldersUnderTarget(summary);
  for (const f of under) console.log(`${f.folder} is under ${targetPercent} %: kill its survivors with tests, or list true equivalents in the README.`);
  console.log(`written: ${join(results, 'mutation.md')}, mutation.json; browse test-results/mutation/index.html`);
  return under.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = report(resolve(__dirname, '..', '..', '..'));
