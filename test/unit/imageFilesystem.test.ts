import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BlobCache, contentBlobSource } from '../../src/containerd/images/blobCache';
import type { BlobDescriptor } from '../../src/containerd/images/imageManifests';
import { changeFolders, fileSource, largestFiles, resolveMerged } from '../../src/containerd/layers/fileLookup';
import { readImageFilesystem, type FilesystemProgress } from '../../src/containerd/layers/imageFilesystem';
import { LayerListings } from '../../src/containerd/layers/layerListings';
import type { FsNode } from '../../src/containerd/layers/mergedTree';
import { changeCounts, entryDescription, layerDescription, layerLabel, layerTooltip, modeText } from '../../src/model/fileRows';
import { contentPaths, contentRoutes } from './contentStore';
import { FakeApi } from './fakeApi';

const digest = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A layer made by GNU tar from files written by `fill`, gzip-compressed. */
function layer(t: TestContext, fill: (dir: string) => void): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'fs-layer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  fill(dir);
  const made = spawnSync('tar', ['-C', dir, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '.']);
  assert.equal(made.status, 0, made.stderr.toString());
  return gzipSync(made.stdout);
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** Three layers: a base, an app layer that changes the base, a cleanup layer with whiteouts. */
function sampleImage(t: TestContext): { blobs: Map<string, Buffer>; layers: BlobDescriptor[]; config: BlobDescriptor } {
  const base = layer(t, (d) => {
    write(d, 'etc/os-release', 'ID=test\n');
    write(d, 'bin/tool', 'x'.repeat(5000));
    symlinkSync('tool', join(d, 'bin', 'alias'));
    symlinkSync('/bin', join(d, 'sbin'));
    write(d, 'var/cache/big.bin', 'c'.repeat(20_000));
  });
  const app = layer(t, (d) => {
    write(d, 'etc/os-release', 'ID=test\nVERSION=2\n');
    write(d, 'app/main.js', 'console.log(1)\n');
  });
  const cleanup = layer(t, (d) => {
    write(d, 'var/.wh.cache', '');
    write(d, 'app/.wh..wh..opq', '');
    write(d, 'app/new.js', 'new\n');
  });
  const blobs = new Map<string, Buffer>();
  const layers = [base, app, cleanup].map((blob) => {
    blobs.set(digest(blob), blob);
    return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest(blob), size: blob.length, annotations: {} };
  });
  const configBytes = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { diff_ids: [] }, history: [
    { created_by: '/bin/sh -c #(nop) ADD file:base in / ' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: 'COPY app /app # buildkit' }, { created_by: 'RUN rm -rf /var/cache /app/* && echo new > /app/new.js # buildkit' },
  ] }));
  blobs.set(digest(configBytes), configBytes);
  return { blobs, layers, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(configBytes), size: configBytes.length, annotations: {} } };
}

test('an image read from the content store: merged tree, each layer with its instruction and changes, progress up to the whole size, listings cached by digest', async (t) => {
  const { blobs, layers, config } = sampleImage(t);
  const api = new FakeApi(t, contentRoutes(blobs, ['default']));
  const listings = new LayerListings();
  const progress: FilesystemProgress[] = [];
  const fs = await readImageFilesystem(api, 'default', { layers, config }, listings, contentBlobSource(api, 'default', new BlobCache()), { onProgress: (p) => progress.push(p) });
  const total = layers.reduce((sum, l) => sum + l.size, 0);
  assert.deepEqual(progress.at(-1), { bytesRead: total, totalBytes: total });
  assert.ok(progress.every((p, i) => i === 0 || p.bytesRead >= progress[i - 1].bytesRead), 'progress only grows');
  assert.deepEqual(fs.layers.map((l) => l.instruction), ['ADD file:base in /', 'COPY app /app', 'RUN rm -rf /var/cache /app/* && echo new > /app/new.js']);
  assert.deepEqual(fs.layers.map((l) => changeCounts(l.diff)), [{ added: 9, modified: 0, deleted: 0 }, { added: 2, modified: 1, deleted: 0 }, { added: 1, modified: 0, deleted: 2 }]);
  assert.deepEqual([...(fs.root.children?.keys() ?? [])].sort(), ['app', 'bin', 'etc', 'sbin', 'var']);
  assert.deepEqual([...((resolveMerged(fs.root, 'app') as FsNode).children?.keys() ?? [])], ['new.js']);
  const reads = api.lines.filter((line) => line.startsWith('Content/Read')).length;
  await readImageFilesystem(api, 'default', { layers, config }, listings, contentBlobSource(api, 'default', new BlobCache()));
  assert.equal(api.lines.filter((line) => line.startsWith('Content/Read')).length, reads + 1, 'only the config is read again: the layers come from the cache');

  // The rows' text.
  assert.equal(layerLabel(fs.layers[1]), '2  COPY app /app');
  assert.equal(layerDescription(fs.layers[2]), '4 B · +1 −2');
  assert.match(layerTooltip(fs.layers[2]), /Layer 3: RUN rm -rf[^\n]*\nsha256:[0-9a-f]{64} \(application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip\)\n.*compressed, 4 B of file data\n1 added, 0 modified, 2 deleted\n19.5 KiB of lower layers overwritten or deleted/);
});

test('lookups: symlinks followed through the merged tree, hard links to their target, what cannot be opened says why', async (t) => {
  const { blobs, layers, config } = sampleImage(t);
  const api = new FakeApi(t, contentRoutes(blobs, ['default']));
  const fs = await readImageFilesystem(api, 'default', { layers, config }, new LayerListings(), contentBlobSource(api, 'default', new BlobCache()));
  assert.deepEqual(fileSource(fs, 'merged', 'sbin/alias'), { found: true, layer: 0, path: 'bin/tool', entry: fs.layers[0].listing.entries.find((e) => e.path === 'bin/tool') });
  assert.deepEqual(fileSource(fs, 'merged', 'etc/os-release').found && fileSource(fs, 'merged', 'etc/os-release'), { found: true, layer: 1, path: 'etc/os-release', entry: fs.layers[1].listing.entries.find((e) => e.path === 'etc/os-release') });
  assert.equal(fileSource(fs, 0, 'etc/os-release').found && (fileSource(fs, 0, 'etc/os-release') as { entry: { size: number } }).entry.size, 8, 'a layer on its own has its own version');
  assert.match((fileSource(fs, 'merged', 'var/cache/big.bin') as { reason: string }).reason, /does not exist/);
  assert.match((fileSource(fs, 'merged', 'bin') as { reason: string }).reason, /is a folder/);
  assert.match((fileSource(fs, 2, 'etc/os-release') as { reason: string }).reason, /layer 3 does not write etc\/os-release/);
  assert.match((fileSource(fs, 0, 'sbin') as { reason: string }).reason, /symbolic link to \/bin; open it in the merged view/);
  assert.deepEqual(largestFiles(fs.root, 2).map((n) => n.path), ['bin/tool', 'etc/os-release']);
  const cleanup = changeFolders(fs.layers[2].diff.changes);
  assert.deepEqual([...cleanup.folders.keys()].sort(), ['app', 'var']);
  assert.deepEqual(cleanup.folders.get('app')?.changes.map((c) => `${c.change} ${c.path}`), ['deleted app/main.js', 'added app/new.js']);
  assert.deepEqual(cleanup.folders.get('var')?.changes.map((c) => `${c.change} ${c.path} ${c.bytes}`), ['deleted var/cache 20000']);
});

test('a symlink loop and a path under a file stop with a reason', () => {
  const node = (path: string, entry: Parameters<typeof entryDescription>[0], children?: Map<string, unknown>): never => ({ name: path.split('/').pop() ?? '', path, entry, layer: 0, children, bytes: 0, files: 0 }) as never;
  const root = node('', { path: '', kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0 }, new Map([
    ['a', node('a', { path: 'a', kind: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: 'b' })],
    ['b', node('b', { path: 'b', kind: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: '/a' })],
    ['f', node('f', { path: 'f', kind: 'file', size: 1, mode: 0o644, uid: 0, gid: 0 })],
  ]));
  assert.match(resolveMerged(root, 'a') as string, /too many levels of symbolic links/);
  assert.match(resolveMerged(root, 'f/x') as string, /does not exist/);
  assert.equal(resolveMerged(root, '/f/../f'), (root as unknown as { children: Map<string, unknown> }).children.get('f'));
});

test('row text: sizes, link targets, devices, modes as ls writes them', () => {
  const base = { path: 'x', size: 0, mode: 0o644, uid: 0, gid: 0 } as const;
  assert.equal(entryDescription({ ...base, kind: 'file', size: 1536 }), '1.5 KiB');
  assert.equal(entryDescription({ ...base, kind: 'symlink', linkTarget: '../lib' }), '→ ../lib');
  assert.equal(entryDescription({ ...base, kind: 'hardlink', linkTarget: 'bin/a' }), 'hard link to /bin/a');
  assert.equal(entryDescription({ ...base, kind: 'char' }), 'character device');
  assert.equal(entryDescription({ ...base, kind: 'dir' }, { bytes: 2048, files: 1 }), '2.0 KiB · 1 file');
  assert.equal(entryDescription(undefined, { bytes: 0, files: 3 }), '0 B · 3 files');
  assert.equal(modeText({ ...base, kind: 'file', mode: 0o4755, uid: 1234, gid: 5678 }), '-rwsr-xr-x 1234:5678');
  assert.equal(modeText({ ...base, kind: 'dir', mode: 0o1777 }), 'drwxrwxrwt 0:0');
  assert.equal(modeText({ ...base, kind: 'file', mode: 0o2644 }), '-rw-r-Sr-- 0:0');
  assert.equal(layerLabel({ index: 0, descriptor: {} as BlobDescriptor, listing: { entries: [], deletions: [], opaqueDirs: [] }, diff: { changes: [], writtenBytes: 0, hiddenBytes: 0 } }), '1  (no history)');
  const long = 'RUN ' + 'apt-get install -y thing\n  && '.repeat(10);
  const label = layerLabel({ index: 4, instruction: long, descriptor: {} as BlobDescriptor, listing: { entries: [], deletions: [], opaqueDirs: [] }, diff: { changes: [], writtenBytes: 0, hiddenBytes: 0 } });
  assert.equal(label.length, 3 + 80);
  assert.ok(label.endsWith('…') && !label.includes('\n'));
});

test('a cancelled read stops the stream and keeps nothing', async (t) => {
  const { blobs, layers, config } = sampleImage(t);
  const aborter = new AbortController();
  const routes = contentRoutes(blobs, ['default']);
  const api = new FakeApi(t, { unary: routes.unary, stream: { ...routes.stream, [contentPaths.read]: (request, namespace) => {
    if (request.digest === layers[1].digest) aborter.abort(new Error('cancelled by the user'));
    return routes.stream[contentPaths.read](request, namespace);
  } } });
  const listings = new LayerListings();
  await assert.rejects(readImageFilesystem(api, 'default', { layers, config }, listings, contentBlobSource(api, 'default', new BlobCache()), { signal: aborter.signal, concurrency: 1 }), /cancelled by the user/);
  assert.equal(listings.cached(layers[1].digest), undefined);
  assert.ok(listings.cached(layers[0].digest), 'the layer read before the cancel is kept');
});
