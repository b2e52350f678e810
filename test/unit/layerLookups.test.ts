import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeFolders, fileSource, largestFiles, resolveMerged } from '../../src/containerd/layers/fileLookup';
import type { ImageFilesystem } from '../../src/containerd/layers/imageFilesystem';
import { sniffCompression } from '../../src/containerd/layers/layerDecompress';
import type { EntryKind, LayerEntry } from '../../src/containerd/layers/layerEntry';
import { interpretLayer } from '../../src/containerd/layers/layerListing';
import { mergeLayers, type FsNode } from '../../src/containerd/layers/mergedTree';

function entry(path: string, kind: EntryKind = 'file', size = 0, linkTarget?: string): LayerEntry {
  return { path, kind, size: kind === 'file' ? size : 0, mode: 0o644, uid: 0, gid: 0, ...(linkTarget === undefined ? {} : { linkTarget }) };
}

/** An image of the given layers, as readImageFilesystem makes it. */
function image(...layers: LayerEntry[][]): ImageFilesystem {
  const listings = layers.map((entries) => interpretLayer(entries));
  const merged = mergeLayers(listings);
  return {
    root: merged.root,
    layers: listings.map((listing, index) => ({ index, descriptor: { mediaType: '', digest: `sha256:${index}`, size: 0, annotations: {} }, listing, diff: merged.layers[index] ?? { changes: [], writtenBytes: 0, hiddenBytes: 0 } })),
  };
}

function reason(source: ReturnType<typeof fileSource>): string {
  return source.found ? `found ${source.layer}:${source.path}` : source.reason;
}

test('compression needs every magic byte: one off is a plain tar', () => {
  for (const head of [[0x1f, 0x00], [0x00, 0x8b], [0x28, 0xb5, 0x2f, 0x00], [0x28, 0xb5, 0x00, 0xfd], [0x28, 0x00, 0x2f, 0xfd], [0x00, 0xb5, 0x2f, 0xfd]]) {
    assert.equal(sniffCompression(Uint8Array.from(head)), 'none', head.join(','));
  }
});

test('hard links read their target in the same layer; a link whose target is not a file there says so', () => {
  const fs = image([entry('bin', 'dir'), entry('bin/a', 'file', 7), entry('bin/b', 'hardlink', 0, 'bin/a'), entry('bin/c', 'hardlink', 0, 'bin/missing'), entry('bin/d', 'hardlink', 0, 'bin')]);
  assert.equal(reason(fileSource(fs, 'merged', 'bin/b')), 'found 0:bin/a');
  assert.equal(reason(fileSource(fs, 0, 'bin/b')), 'found 0:bin/a');
  assert.equal(reason(fileSource(fs, 'merged', 'bin/c')), 'bin/c is a hard link to bin/missing, which its layer does not hold as a file');
  assert.equal(reason(fileSource(fs, 'merged', 'bin/d')), 'bin/d is a hard link to bin, which its layer does not hold as a file');
});

test('what has no contents says what it is', () => {
  const fs = image([entry('dev/null', 'char'), entry('dev/loop0', 'block'), entry('run/pipe', 'fifo'), entry('etc', 'dir'), entry('etc/hosts', 'file', 3), entry('link', 'symlink', 0, 'etc/hosts')]);
  assert.equal(reason(fileSource(fs, 'merged', 'dev/null')), 'dev/null is a character device: it has no contents to open');
  assert.equal(reason(fileSource(fs, 'merged', 'dev/loop0')), 'dev/loop0 is a block device: it has no contents to open');
  assert.equal(reason(fileSource(fs, 'merged', 'run/pipe')), 'run/pipe is a named pipe: it has no contents to open');
  assert.equal(reason(fileSource(fs, 0, 'etc')), 'etc is a folder: it has no contents to open');
  assert.equal(reason(fileSource(fs, 'merged', 'dev')), 'dev is a folder only implied by its contents');
  assert.equal(reason(fileSource(fs, 0, 'link')), 'link is a symbolic link to etc/hosts; open it in the merged view to follow it');
  assert.equal(reason(fileSource(fs, 'merged', 'link')), 'found 0:etc/hosts');
  assert.equal(reason(fileSource(fs, 3, 'etc/hosts')), 'layer 4 does not write etc/hosts');
});

test('symlinks: relative to their folder, absolute from the root, through folders on the way, 40 hops and no more', () => {
  const chain = Array.from({ length: 41 }, (_, i) => entry(`l${i}`, 'symlink', 0, i === 40 ? 'srv/data/f' : `/l${i + 1}`));
  const fs = image([entry('srv/data/f', 'file', 5), entry('srv/www', 'symlink', 0, 'data'), entry('srv/up', 'symlink', 0, '../srv/data/f'), entry('srv/abs', 'symlink', 0, '/srv/data/'), ...chain]);
  const path = (found: FsNode | string): string => (typeof found === 'string' ? found : found.path);
  assert.equal(path(resolveMerged(fs.root, 'srv/www/f')), 'srv/data/f');
  assert.equal(path(resolveMerged(fs.root, 'srv/up')), 'srv/data/f');
  assert.equal(path(resolveMerged(fs.root, 'srv/abs/f')), 'srv/data/f');
  assert.equal(path(resolveMerged(fs.root, 'l1')), 'srv/data/f', '40 links followed');
  assert.equal(path(resolveMerged(fs.root, 'l0')), 'l0: too many levels of symbolic links');
  assert.equal(path(resolveMerged(fs.root, 'srv/nope/f')), 'srv/nope/f does not exist in the image');
});

test('largest files: by size, ties by path, only as many as asked, folders and links not counted', () => {
  const fs = image([entry('b', 'file', 10), entry('a', 'file', 10), entry('c/d', 'file', 30), entry('e', 'symlink', 0, 'c/d'), entry('f', 'file', 1)]);
  assert.deepEqual(largestFiles(fs.root, 3).map((n) => n.path), ['c/d', 'a', 'b']);
  assert.deepEqual(largestFiles(fs.root, 10).map((n) => n.path), ['c/d', 'a', 'b', 'f']);
});

test('a layer\'s changes as folders: nested folders by path, changes where they are', () => {
  const fs = image([entry('x', 'file', 1)], [entry('a/b/c/f', 'file', 1), entry('a/g', 'file', 1), entry('h', 'file', 1), entry('.wh.x')]);
  const root = changeFolders(fs.layers[1]?.diff.changes ?? []);
  assert.deepEqual(root.changes.map((c) => `${c.change} ${c.path}`), ['deleted x', 'added h']);
  assert.deepEqual([...root.folders.keys()], ['a']);
  const a = root.folders.get('a');
  assert.equal(a?.path, 'a');
  assert.deepEqual(a?.changes.map((c) => c.path), ['a/g']);
  assert.equal(a?.folders.get('b')?.folders.get('c')?.path, 'a/b/c');
  assert.deepEqual(a?.folders.get('b')?.folders.get('c')?.changes.map((c) => c.path), ['a/b/c/f']);
});

test('a folder made where a lower layer had a file hides the file\'s bytes', () => {
  const fs = image([entry('opt', 'file', 9)], [entry('opt/tool', 'file', 2)]);
  assert.equal(fs.layers[1]?.diff.hiddenBytes, 9);
  assert.equal((resolveMerged(fs.root, 'opt') as FsNode).children?.size, 1);
});
