// Stryker's tap runner names each test after the file it hands to node. It is handed the
// TypeScript source (test/unit/x.test.ts), so an incremental run sees when that file changed;
// this launcher then runs its esbuild output (out/test/unit/x.test.js), which node can load.
import { resolve } from 'node:path';

const source = process.argv[2];
if (source === undefined || !source.endsWith('.ts')) throw new Error(`usage: runCompiledTest.js test/unit/NAME.test.ts (got ${source ?? 'nothing'})`);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- node:test registers the tests while the file loads, synchronously
require(resolve(__dirname, '..', '..', source.replace(/\.ts$/, '.js')));
