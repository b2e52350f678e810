// The bundle's size: dist/extension.js as `npm run bench` just built it (scripts/build.mjs: not
// minified, source map in a separate file), and the minified build the .vsix ships
// (`vscode:prepublish`, built here into a temp folder with the same esbuild options). Also how
// long plain node takes to require each (vscode stubbed) and its two big dependencies: code
// loading is part of activation.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median } from './stats';

const run = promisify(execFile);

export interface BundleSizes {
  readonly devBytes: number;
  readonly productionBytes: number;
  /** Medians of 3 fresh `node` processes each: ms to require the module. */
  readonly requireMs: Readonly<Record<'dev' | 'production' | 'grpc-js' | 'protobufjs', number>>;
}

/** Requires argv[1] with `vscode` answered by a do-nothing stub, and prints the ms it took. */
const requireProbe = `
const Module = require('node:module');
const stub = new Proxy(function () {}, { get: (_, key) => (key === '__esModule' ? false : stub), construct: () => stub, apply: () => stub });
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const started = performance.now();
require(process.argv[1]);
console.log(performance.now() - started);
`;

async function requireMs(path: string, cwd: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) runs.push(Number((await run(process.execPath, ['-e', requireProbe, path], { cwd })).stdout.trim()));
  return median(runs);
}

export async function bundleSizes(repo: string): Promise<BundleSizes> {
  const dev = join(repo, 'dist', 'extension.js');
  const dir = mkdtempSync(join(tmpdir(), 'vscc-bundle-'));
  try {
    const production = join(dir, 'extension.js');
    await build({
      absWorkingDir: repo, entryPoints: ['src/extension.ts'], bundle: true, outfile: production, format: 'cjs', platform: 'node', target: 'node20',
      external: ['vscode'], sourcemap: false, minify: true, logLevel: 'warning',
    });
    return {
      devBytes: statSync(dev).size,
      productionBytes: statSync(production).size,
      requireMs: {
        dev: await requireMs(dev, repo),
        production: await requireMs(production, repo),
        'grpc-js': await requireMs(join(repo, 'node_modules', '@grpc', 'grpc-js'), repo),
        protobufjs: await requireMs(join(repo, 'node_modules', 'protobufjs'), repo),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
