// `npm run mutate`: Stryker over the pure folders (stryker.config.mjs), then the per-folder report.
// Arguments go to Stryker: `npm run mutate -- --force` ignores the incremental baseline,
// `-- --mutate 'src/nerdctl/**/*.ts'` re-tests one folder (the others keep their last results).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { report } from './report';

const repo = resolve(__dirname, '..', '..', '..');
const started = Date.now();
const stryker = spawnSync(join(repo, 'node_modules', '.bin', 'stryker'), ['run', ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit' });
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (stryker.status !== 0) {
  console.error(`stryker run failed (${stryker.error?.message ?? `exit ${stryker.signal ?? stryker.status}`}) after ${minutes} min: no report.`);
  process.exitCode = 1;
} else {
  console.log(`stryker run took ${minutes} min`);
  process.exitCode = report(repo);
}
