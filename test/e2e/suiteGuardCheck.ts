// The extension-host suite's runner (suite/index.ts) must fail on a `.only` and on pending tests,
// as the node tiers do. Checked by running it in a plain node process over small mocha files of
// our own (the guard is mocha's and ours, not VS Code's), reading the summary it prints.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { E2EResult } from './fixture';

const run = promisify(execFile);
const indexJs = join(__dirname, 'suite', 'index.js');

const suites: Readonly<Record<string, { source: string; expect: (r: E2EResult) => boolean; meaning: string }>> = {
  passing: {
    source: "describe('guard', () => { it('passes', () => {}); });",
    expect: (r) => r.passed === 1 && r.failed === 0,
    meaning: 'one passing test, no failure',
  },
  only: {
    source: "describe('guard', () => { it.only('alone', () => {}); it('left out', () => {}); });",
    expect: (r) => r.failed >= 1 && r.failures.some((f) => /only/i.test(f.error)),
    meaning: 'a failure naming the forbidden .only',
  },
  pending: {
    source: "describe('guard', () => { it('runs', () => {}); it('has no body'); it.skip('skipped', () => {}); it('skips itself', function () { this.skip(); }); });",
    expect: (r) => r.passed === 1 && r.failed === 3,
    meaning: '1 passed and 3 failed (a test without a body, it.skip, this.skip())',
  },
};

async function summaryOf(dir: string): Promise<{ result: E2EResult | undefined; output: string }> {
  const script = `require(${JSON.stringify(indexJs)}).runSuite(${JSON.stringify(dir)}).then(() => process.exit(0), () => process.exit(1));`;
  const output = await run(process.execPath, ['-e', script], { timeout: 60_000 }).then((r) => r.stdout, (error: { stdout?: string; message: string }) => error.stdout ?? error.message);
  const line = output.split('\n').find((l) => l.startsWith('E2E_SUMMARY '));
  return { result: line ? JSON.parse(line.slice('E2E_SUMMARY '.length)) as E2EResult : undefined, output };
}

export async function checkSuiteGuards(scratch: string): Promise<void> {
  const wrong: string[] = [];
  for (const [name, { source, expect, meaning }] of Object.entries(suites)) {
    const dir = join(scratch, `suite-guard-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.test.js`), `${source}\n`);
    const { result, output } = await summaryOf(dir);
    if (!result || !expect(result)) wrong.push(`${name}: expected ${meaning}, got ${result ? JSON.stringify(result) : `no summary:\n${output}`}`);
  }
  if (wrong.length > 0) throw new Error(wrong.join('\n'));
}
