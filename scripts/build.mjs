// Builds the extension bundle (dist/extension.js) and transpiles the tests and the test harness to
// out/ (one CommonJS file per source file, so node's test runner and the extension host load them).
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

await build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // grpc-js reaches proto-loader (and protobufjs with it) only to serve channelz, a server-side
  // admin service a client never starts: left out, it would fail loudly if ever required.
  external: ['vscode', '@grpc/proto-loader'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  metafile: false,
});

rmSync('out', { recursive: true, force: true });
await build({
  entryPoints: [...tsFiles('src'), ...tsFiles('test')],
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
