// The extension-host side of the e2e tier: VS Code loads this as `extensionTestsPath` and awaits
// run(). Output goes through console.log, which the workbench forwards to the driving page; the
// last line is a machine-readable summary the runner parses, and a failure rejects so the
// workbench's exit code is non-zero too. Like the node tiers, a `.only` or a pending (skipped)
// test fails the run: a suite that silently runs less than it holds proves nothing.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Failure { readonly title: string; readonly error: string }

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Runs every `*.test.js` of `dir`; prints one line per test and the E2E_SUMMARY line. */
export function runSuite(dir: string): Promise<void> {
  // Base reporter: collects stats, prints nothing; the lines below are the whole report.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Base, forbidOnly: true, forbidPending: true });
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(join(dir, file));
  }
  const failures: Failure[] = [];
  let passed = 0;
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      console.log(`E2E_SUMMARY ${JSON.stringify({ passed, failed: failures.length, failures })}`);
      if (failures.length > 0) reject(new Error(`${failures.length} e2e test(s) failed`));
      else resolve();
    };
    let runner: Mocha.Runner;
    try {
      // forbidOnly makes a `.only` throw here, while the files load.
      runner = mocha.run(finish);
    } catch (error) {
      // A suite file that throws while loading still yields a summary the runner can count.
      failures.push({ title: 'loading the e2e suite files', error: errorText(error) });
      finish();
      return;
    }
    runner.on('pass', (test) => {
      passed++;
      console.log(`✓ ${test.fullTitle()}`);
    });
    // Also fires for failing hooks, which then count as failures of their own, and (forbidPending)
    // for pending tests.
    runner.on('fail', (test, error: unknown) => {
      failures.push({ title: test.fullTitle(), error: errorText(error) });
      console.log(`✗ ${test.fullTitle()} — ${oneLine(error instanceof Error ? error.message : String(error))}`);
    });
    // Should forbidPending ever let one through, it still counts against the run.
    runner.on('pending', (test) => {
      failures.push({ title: test.fullTitle(), error: 'pending test: the e2e suite must run every test it holds' });
      console.log(`✗ ${test.fullTitle()} — pending`);
    });
  });
}

export function run(): Promise<void> {
  return runSuite(__dirname);
}
