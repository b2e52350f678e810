// Runs the e2e tier alone: `node scripts/build.mjs && node out/test/e2e/main.js`.
import { runE2E } from './runE2E';

async function main(): Promise<void> {
  const started = Date.now();
  const result = await runE2E((line) => console.log(line));
  for (const f of result.failures) console.log(`FAILED ${f.title}\n${f.error}\n`);
  console.log(`${result.passed} passed, ${result.failed} failed in ${Math.round((Date.now() - started) / 1000)}s`);
  process.exitCode = result.failed > 0 || result.passed === 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
