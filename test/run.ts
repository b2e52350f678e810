// Runs every test tier in order (unit, integration, e2e), each on real components, and ends with
// the one line CI reads: `N passed, N failed`. Exits non-zero on any failure, on a tier that ran
// no test, or when nothing ran at all. `node out/test/run.js unit e2e` runs only those tiers.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runE2E } from './e2e/runE2E';

interface TierResult { tier: string; passed: number; failed: number; failures: { title: string; error: string; file?: string }[]; seconds: number }

const repo = resolve(__dirname, '..', '..');
const tiers = ['unit', 'integration', 'e2e'] as const;
type Tier = (typeof tiers)[number];

function testFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  }).sort();
}

/** Runs node's test runner over one folder, one file at a time (the daemon tiers must not overlap). */
function runNodeTests(tier: Tier): Promise<Omit<TierResult, 'tier' | 'seconds'>> {
  const files = testFiles(join(repo, 'out', 'test', tier));
  if (files.length === 0) return Promise.resolve({ passed: 0, failed: 1, failures: [{ title: `${tier} tier`, error: `no test files in out/test/${tier}` }] });
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-counts-'));
  const countsFile = join(scratch, 'counts.json');
  const args = ['--enable-source-maps', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(repo, 'test', 'countReporter.mjs')}`, `--test-reporter-destination=${countsFile}`, ...files];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code, signal) => {
      try {
        const counts = JSON.parse(readFileSync(countsFile, 'utf8')) as Omit<TierResult, 'tier' | 'seconds'> & { skipped: number };
        const failed = counts.failed + counts.skipped;
        // node exits non-zero without a counted failure when a file crashes outside any test.
        if (code !== 0 && failed === 0) counts.failures.push({ title: `${tier} runner`, error: `node --test exited with ${signal ?? code}` });
        done({ passed: counts.passed, failed: code !== 0 && failed === 0 ? 1 : failed, failures: counts.failures });
      } catch (error) {
        done({ passed: 0, failed: 1, failures: [{ title: `${tier} runner`, error: `no counts (${(error as Error).message}); exit ${signal ?? code}` }] });
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

async function runTier(tier: Tier): Promise<TierResult> {
  const started = Date.now();
  console.log(`\n=== ${tier} tier ===`);
  let result: Omit<TierResult, 'tier' | 'seconds'>;
  try {
    result = tier === 'e2e' ? await runE2E((line) => console.log(line)) : await runNodeTests(tier);
  } catch (error) {
    result = { passed: 0, failed: 1, failures: [{ title: `${tier} tier`, error: (error as Error).stack ?? String(error) }] };
  }
  if (result.passed + result.failed === 0) result = { ...result, failed: 1, failures: [{ title: `${tier} tier`, error: 'ran no test' }] };
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`=== ${tier}: ${result.passed} passed, ${result.failed} failed in ${seconds}s ===`);
  return { tier, seconds, ...result };
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((t) => !tiers.includes(t as Tier));
  if (unknown.length > 0) throw new Error(`unknown tier(s) ${unknown.join(', ')}; known: ${tiers.join(', ')}`);
  const selected = asked.length > 0 ? tiers.filter((t) => asked.includes(t)) : [...tiers];
  const results: TierResult[] = [];
  for (const tier of selected) results.push(await runTier(tier));

  console.log('\n=== summary ===');
  for (const r of results) console.log(`${r.tier.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds}s`);
  for (const r of results) for (const f of r.failures) console.log(`FAILED [${r.tier}] ${f.title}${f.file ? ` (${f.file})` : ''}: ${f.error.split('\n')[0]}`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
