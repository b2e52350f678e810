import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changesOnImage } from '../../src/containerd/layers/containerChanges';
import type { ImageFilesystem } from '../../src/containerd/layers/imageFilesystem';
import type { EntryKind, LayerEntry } from '../../src/containerd/layers/layerEntry';
import { interpretLayer } from '../../src/containerd/layers/layerListing';
import { mergeLayers } from '../../src/containerd/layers/mergedTree';

function entry(path: string, kind: EntryKind = 'file', size = 0): LayerEntry {
  return { path, kind, size: kind === 'file' ? size : 0, mode: kind === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0 };
}

test('a container\'s diff is read as a layer on its image: a path the image has is modified, a new one added, a whiteout deleted', () => {
  const listings = [interpretLayer([entry('etc', 'dir'), entry('etc/motd', 'file', 5), entry('etc/old.conf', 'file', 9)]), interpretLayer([entry('opt/docs/a', 'file', 3)])];
  const merged = mergeLayers(listings);
  const image: ImageFilesystem = {
    root: merged.root,
    layers: listings.map((listing, index) => ({ index, descriptor: { mediaType: '', digest: `sha256:${index}`, size: 0, annotations: {} }, listing, diff: merged.layers[index] ?? { changes: [], writtenBytes: 0, hiddenBytes: 0 } })),
  };
  // The walking differ repeats the parent folders of what changed, and writes no opaque marker.
  const diff = changesOnImage(image, interpretLayer([entry('etc', 'dir'), entry('etc/motd', 'file', 14), entry('etc/.wh.old.conf'), entry('etc/added', 'file', 2), entry('opt', 'dir'), entry('opt/.wh.docs')]));
  assert.deepEqual(diff.changes.map((c) => `${c.change} ${c.path} ${c.bytes}`), ['deleted etc/old.conf 9', 'deleted opt/docs 3', 'modified etc/motd 14', 'added etc/added 2']);
  assert.deepEqual([diff.writtenBytes, diff.hiddenBytes], [16, 17]);
  assert.deepEqual(changesOnImage(image, interpretLayer([])), { changes: [], writtenBytes: 0, hiddenBytes: 0 });
  assert.deepEqual(image.layers[1]?.diff.changes.map((c) => c.path), ['opt/docs/a'], 'the image\'s own layers are left as they were');
});
