import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryStep } from '../../src/containerd/images/imageManifests';
import type { EntryKind, LayerEntry } from '../../src/containerd/layers/layerEntry';
import { instructionText, layerSteps } from '../../src/containerd/layers/layerHistory';
import { interpretLayer } from '../../src/containerd/layers/layerListing';
import { findNode, mergeLayers, type FsNode } from '../../src/containerd/layers/mergedTree';

function entry(path: string, kind: EntryKind = 'file', size = 0, extra: Partial<LayerEntry> = {}): LayerEntry {
  return { path, kind, size: kind === 'file' ? size : 0, mode: kind === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, ...extra };
}

/** Every path of the merged tree with what made it: `path kind@layer bytes`. */
function paths(node: FsNode, out: string[] = []): string[] {
  for (const child of [...(node.children?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(`${child.path} ${child.entry?.kind ?? 'implied'}@${child.layer} ${child.bytes}`);
    paths(child, out);
  }
  return out;
}

test('whiteouts: .wh.<name> deletes, .wh..wh..opq hides the folder\'s lower contents, AUFS bookkeeping means nothing; the last entry of a path wins', () => {
  const listing = interpretLayer([
    entry('etc', 'dir'), entry('etc/.wh.shadow'), entry('.wh.tmp'), entry('var/cache/.wh..wh..opq'), entry('.wh..wh.plnk', 'dir'), entry('.wh..wh.aufs'),
    entry('etc/hosts', 'file', 3), entry('etc/hosts', 'file', 9), entry('etc/.wh.'),
  ]);
  assert.deepEqual(listing.deletions, ['etc/shadow', 'tmp']);
  assert.deepEqual(listing.opaqueDirs, ['var/cache']);
  assert.deepEqual(listing.entries.map((e) => `${e.path} ${e.size}`), ['etc 0', 'etc/hosts 9']);
});

test('the merged tree: files added, modified, deleted, folders hidden and replaced, as the layers are applied in order', () => {
  const merged = mergeLayers([
    interpretLayer([entry('', 'dir'), entry('bin', 'dir'), entry('bin/sh', 'file', 100), entry('etc', 'dir'), entry('etc/passwd', 'file', 10), entry('etc/shadow', 'file', 5),
      entry('var/cache/apt/a.deb', 'file', 1000), entry('var/cache/keep', 'file', 1), entry('opt/tool', 'file', 50)]),
    interpretLayer([entry('etc', 'dir'), entry('etc/passwd', 'file', 12), entry('etc/.wh.shadow'), entry('var/cache/.wh..wh..opq'), entry('var/cache/new', 'file', 2),
      entry('bin/sh2', 'hardlink', 0, { linkTarget: 'bin/sh' })]),
    interpretLayer([entry('opt', 'file', 7), entry('bin', 'dir', 0, { mode: 0o700 }), entry('.wh.var')]),
  ]);
  assert.deepEqual(paths(merged.root), [
    'bin dir@2 100', 'bin/sh file@0 100', 'bin/sh2 hardlink@1 0',
    'etc dir@1 12', 'etc/passwd file@1 12',
    'opt file@2 7',
  ]);
  assert.equal(merged.root.bytes, 119);
  assert.equal(merged.root.files, 3);
  const lines = merged.layers.map((layer) => layer.changes.map((c) => `${c.change} ${c.path} ${c.bytes}`));
  assert.deepEqual(lines[1], ['deleted var/cache/apt 1000', 'deleted var/cache/keep 1', 'deleted etc/shadow 5', 'modified etc/passwd 12', 'added var/cache/new 2', 'added bin/sh2 0']);
  assert.deepEqual(lines[2], ['deleted var 2', 'modified opt 7', 'modified bin 0'], 'a folder replaced by a file is a modification; a folder\'s new mode is one');
  assert.deepEqual(merged.layers.map((l) => [l.writtenBytes, l.hiddenBytes]), [[1166, 0], [14, 1016], [7, 52]]);
  assert.ok(lines[0].every((line) => line.startsWith('added')));
  assert.equal(lines[0].length, 8, 'the first layer adds its entries but the root, which is always there');
  assert.equal(findNode(merged.root, 'etc/passwd')?.entry?.size, 12);
  assert.equal(findNode(merged.root, 'var'), undefined);
  assert.equal(findNode(merged.root, 'opt/tool'), undefined, 'nothing beneath a file');
  assert.equal(findNode(merged.root, ''), merged.root);
});

test('folders repeated by later layers (as BuildKit writes the parents of what changed) are not changes; implied parents are made', () => {
  const merged = mergeLayers([
    interpretLayer([entry('usr', 'dir'), entry('usr/bin', 'dir'), entry('usr/bin/a', 'file', 1)]),
    interpretLayer([entry('usr', 'dir'), entry('usr/bin', 'dir'), entry('usr/bin/b', 'file', 2), entry('srv/www/index.html', 'file', 3)]),
  ]);
  assert.deepEqual(merged.layers[1].changes.map((c) => `${c.change} ${c.path}`), ['added usr/bin/b', 'added srv/www/index.html']);
  assert.deepEqual(paths(merged.root), ['srv implied@1 3', 'srv/www implied@1 3', 'srv/www/index.html file@1 3', 'usr dir@1 3', 'usr/bin dir@1 3', 'usr/bin/a file@0 1', 'usr/bin/b file@1 2']);
  // A whiteout of something no lower layer has deletes nothing.
  const none = mergeLayers([interpretLayer([entry('a', 'file', 1)]), interpretLayer([entry('.wh.b'), entry('x/.wh..wh..opq')])]);
  assert.deepEqual(none.layers[1].changes, []);
  // A whole-root opaque marker hides every lower path; the same layer's own files stay.
  const opaqueRoot = mergeLayers([interpretLayer([entry('a', 'file', 1), entry('d/e', 'file', 2)]), interpretLayer([entry('.wh..wh..opq'), entry('z', 'file', 4)])]);
  assert.deepEqual(paths(opaqueRoot.root), ['z file@1 4']);
  assert.equal(opaqueRoot.layers[1].hiddenBytes, 3);
});

test('a tree as deep as Linux paths go (PATH_MAX 4096: 2,048 levels of `d/`) merges and sums', () => {
  const deep = Array.from({ length: 2048 }, () => 'd').map((_, i, all) => all.slice(0, i + 1).join('/'));
  const merged = mergeLayers([interpretLayer([...deep.map((p) => entry(p, 'dir')), entry(`${deep[deep.length - 1]}/f`, 'file', 5)])]);
  assert.equal(merged.root.bytes, 5);
  assert.equal(merged.root.files, 1);
});

test('history: the steps that made layers pair with the layers in order; a history that does not add up pairs nothing', () => {
  const step = (createdBy: string, emptyLayer = false, comment = ''): HistoryStep => ({ createdBy, comment, emptyLayer });
  const history = [step('/bin/sh -c #(nop) ADD file:abc in / '), step('/bin/sh -c #(nop)  CMD ["sh"]', true), step('RUN /bin/sh -c apk add curl # buildkit'), step('ENV A=1', true), step('COPY app /app # buildkit')];
  const steps = layerSteps(history, 3);
  assert.deepEqual(steps.map(instructionText), ['ADD file:abc in /', 'RUN /bin/sh -c apk add curl', 'COPY app /app']);
  assert.deepEqual(layerSteps(history, 2), [undefined, undefined]);
  assert.deepEqual(layerSteps([], 1), [undefined]);
  assert.equal(instructionText(undefined), undefined);
  assert.equal(instructionText(step('', false, 'imported from a tarball')), 'imported from a tarball');
  assert.equal(instructionText(step('')), undefined);
});
