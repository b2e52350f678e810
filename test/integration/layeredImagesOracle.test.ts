// The layered fixture images hold what they claim, by the oracles alone (ctr's mounted rootfs,
// GNU tar's reading of each layer): the ground truth the image filesystem reader is compared
// with must itself be shown true, on each containerd the reader meets.
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containerdVersions } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { fixturePaths as p } from '../harness/layeredDockerfiles';
import { buildLayeredImages, layerOfStep, platformOf, type LayeredImages, type PlatformImage } from '../harness/layeredImages';
import { contentToFile, layerEntriesByTar, mergedTreeByCtr, type LayerTarListing, type TreeEntry } from '../harness/layerOracles';

function entry(tree: readonly TreeEntry[], path: string): TreeEntry {
  const found = tree.find((e) => e.path === path);
  if (!found) assert.fail(`${path} is not in the tree`);
  return found;
}
const absent = (tree: readonly TreeEntry[], path: string): boolean => !tree.some((e) => e.path === path || e.path.startsWith(`${path}/`));
/** What two reads of the same layers must agree on (not inode numbers). */
const facts = (tree: readonly TreeEntry[]): unknown[] => tree.map(({ path, kind, size, mode, uid, gid, mtime, linkTarget }) => [path, kind, size, mode, uid, gid, mtime, linkTarget]);

for (const version of containerdVersions) {
  describe(`layered fixture images, checked by ctr and GNU tar (containerd ${version})`, () => {
    let daemon: ContainerdDaemon;
    let images: LayeredImages;
    let gzip: PlatformImage;
    let mounted: TreeEntry[];
    const layerTar = (image: PlatformImage, step: RegExp): Promise<LayerTarListing> => {
      const { layer } = layerOfStep(image, step);
      return layerEntriesByTar(daemon, images.namespace, layer.digest, layer.mediaType);
    };
    const firstBytes = async (digest: string): Promise<Buffer> => {
      const dir = await mkdtemp(join(daemon.dir, 'head-'));
      try {
        await contentToFile(daemon, images.namespace, digest, join(dir, 'blob'));
        const fd = openSync(join(dir, 'blob'), 'r');
        const head = Buffer.alloc(262);
        readSync(fd, head, 0, head.length, 0);
        closeSync(fd);
        return head;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };

    before(async () => {
      daemon = await startContainerd(version);
      images = await buildLayeredImages(daemon);
      gzip = platformOf(images.gzip, 'linux/amd64');
      mounted = await mergedTreeByCtr(daemon, images.namespace, images.gzip.name, 'linux/amd64');
    });
    after(async () => {
      await daemon?.stop();
    });

    it('gzip: BuildKit\'s own layers gzip over the base\'s plain tar; zstd: every layer zstd by its magic, same diff_ids', async () => {
      assert.deepEqual(gzip.layers.map((l) => l.mediaType.replace('application/vnd.oci.image.layer.v1.', '')), ['tar', 'tar', 'tar', 'tar', 'tar+gzip', 'tar+gzip', 'tar+gzip']);
      for (const layer of gzip.layers) {
        const head = await firstBytes(layer.digest);
        if (layer.mediaType.endsWith('+gzip')) assert.equal(head.subarray(0, 2).toString('hex'), '1f8b', layer.digest);
        else assert.equal(head.subarray(257, 262).toString('latin1'), 'ustar', layer.digest);
      }
      const zstd = platformOf(images.zstd, 'linux/amd64');
      assert.equal(zstd.layers.length, 7);
      for (const layer of zstd.layers) {
        assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd');
        assert.equal((await firstBytes(layer.digest)).subarray(0, 4).toString('hex'), '28b52ffd', layer.digest);
      }
      assert.deepEqual(zstd.diffIds, gzip.diffIds, 'recompressing keeps every layer\'s tar bytes');
      assert.deepEqual(facts(await mergedTreeByCtr(daemon, images.namespace, images.zstd.name, 'linux/amd64')), facts(mounted));
    });

    it('history: ENV and LABEL steps are empty_layer; the others pair one to one with the layers', () => {
      const steps = gzip.history.map((h) => [h.empty_layer === true, (h.created_by ?? '').split(' ')[0]]);
      assert.deepEqual(steps, [[false, 'COPY'], [false, 'RUN'], [false, 'RUN'], [false, 'RUN'], [true, 'ENV'], [true, 'LABEL'], [false, 'RUN'], [false, 'COPY'], [true, 'ENV'], [false, 'RUN'], [true, 'LABEL']]);
      assert.equal(layerOfStep(gzip, /rm \/fx\/gone-file/).index, 6);
    });

    it('an opaque folder (Docker\'s classic store): .wh..wh..opq in its layer, and the mount shows only the upper names', async () => {
      const layer = await layerTar(gzip, /rm -rf \/fx\/opaque/);
      assert.ok(layer.members.includes(`${p.opaqueDir}/.wh..wh..opq`), layer.members.join(' '));
      const lower = await layerTar(gzip, /echo lower > \/fx\/opaque\/old/);
      assert.ok(lower.members.includes(`${p.opaqueDir}/old`) && lower.members.includes(`${p.opaqueDir}/inner/deep`));
      assert.deepEqual(mounted.filter((e) => e.path.startsWith(`${p.opaqueDir}/`)).map((e) => [e.path, e.size]), [[`${p.opaqueDir}/new`, 6], [`${p.opaqueDir}/same-name`, 17]]);
    });

    it('a folder BuildKit saw removed and made again: a whiteout per hidden name, no opaque marker', async () => {
      const later = await layerTar(gzip, /rm \/fx\/gone-file/);
      assert.deepEqual(later.members.filter((m) => m.startsWith(`${p.recreatedDir}/`)), [`${p.recreatedDir}/`, `${p.recreatedDir}/.wh.inner`, `${p.recreatedDir}/new`, `${p.recreatedDir}/.wh.old`], 'the folder itself, then its names sorted by the name each hides');
      assert.ok(!later.members.some((m) => m.endsWith('.wh..wh..opq')));
      assert.deepEqual(mounted.filter((e) => e.path.startsWith(`${p.recreatedDir}/`)).map((e) => e.path), [`${p.recreatedDir}/new`]);
    });

    it('deletions: .wh.<name> in the deleting layer (one for a whole folder), gone from the mount; a rewritten file has its later size', async () => {
      const later = await layerTar(gzip, /rm \/fx\/gone-file/);
      assert.ok(later.members.includes('fx/.wh.gone-file') && later.members.includes('fx/.wh.gone-dir'), later.members.join(' '));
      assert.ok(!later.members.some((m) => m.startsWith(`${p.goneDir}/`)), 'nothing below a deleted folder');
      assert.ok(absent(mounted, p.goneFile) && absent(mounted, p.goneDir));
      assert.ok(!mounted.some((e) => e.path.split('/').some((name) => name.startsWith('.wh.'))), 'overlayfs shows no whiteout');
      const first = await layerTar(gzip, /echo v1 > \/fx\/grows/);
      assert.equal(entry(first.entries, p.grows).size, 3);
      assert.equal(entry(later.entries, p.grows).size, 22);
      assert.equal(entry(mounted, p.grows).size, 22);
      assert.equal(entry(first.entries, p.modeChanged).mode, 0o644);
      assert.equal(entry(mounted, p.modeChanged).mode, 0o600);
    });

    it('hard links: a link record in the layer and one ino extracted and mounted; a link made a layer later is a copy', async () => {
      const first = await layerTar(gzip, /echo v1 > \/fx\/grows/);
      assert.deepEqual(first.hardLinks, [{ name: p.hardLinkTwin, target: p.hardLink }]);
      assert.equal(entry(first.entries, p.hardLinkTwin).ino, entry(first.entries, p.hardLink).ino);
      assert.equal(entry(mounted, p.hardLinkTwin).ino, entry(mounted, p.hardLink).ino);
      assert.equal(entry(mounted, p.hardLink).nlink, 2);
      const later = await layerTar(gzip, /rm \/fx\/gone-file/);
      assert.deepEqual(later.hardLinks, []);
      assert.ok(later.members.includes(p.lateHardLink) && !later.members.includes(p.hardLink), later.members.join(' '));
      assert.notEqual(entry(mounted, p.lateHardLink).ino, entry(mounted, p.hardLink).ino);
      const copied = await layerTar(gzip, /^COPY --chown/);
      assert.deepEqual(copied.hardLinks, [{ name: `${p.copied}/one.txt`, target: `${p.copied}/one-link.txt` }], 'COPY keeps the context\'s hard link (sorted: one-link.txt first)');
      assert.equal(entry(mounted, `${p.copied}/one.txt`).ino, entry(mounted, `${p.copied}/one-link.txt`).ino);
    });

    it('symlinks, modes, owners, long and unicode names, devices and a fifo, as containerd mounts them', () => {
      const links = [p.relativeSymlink, p.absoluteSymlink, p.danglingSymlink, p.dirSymlink, p.longTargetSymlink].map((path) => entry(mounted, path));
      assert.deepEqual(links.map((e) => [e.kind, e.linkTarget]), [['symlink', 'a'], ['symlink', `/${p.hardLink}`], ['symlink', 'nowhere'], ['symlink', '../keep'], ['symlink', `/${p.longName}`]]);
      assert.ok(Buffer.byteLength(`/${p.longName}`) > 100 && Buffer.byteLength(p.longName) > 100);
      assert.deepEqual([entry(mounted, p.setuid).mode, entry(mounted, p.empty).size, entry(mounted, p.empty).kind], [0o4755, 0, 'file']);
      assert.deepEqual([entry(mounted, p.owned).uid, entry(mounted, p.owned).gid], [1234, 5678]);
      assert.deepEqual([entry(mounted, `${p.copied}/sub/two.txt`).uid, entry(mounted, `${p.copied}/to-one`).linkTarget], [1234, 'one.txt']);
      assert.equal(entry(mounted, p.longName).size, 5);
      assert.equal(entry(mounted, p.unicode).size, 8);
      assert.deepEqual([p.charDevice, p.blockDevice, p.fifo].map((path) => entry(mounted, path).kind), ['char', 'block', 'fifo']);
    });

    it('a file replaced by a folder and a folder by a file, with no whiteout for either', async () => {
      const later = await layerTar(gzip, /rm \/fx\/gone-file/);
      assert.deepEqual(later.members.filter((m) => m.startsWith('fx/kind/')), ['fx/kind/', p.dirThenFile, `${p.fileThenDir}/`, `${p.fileThenDir}/inner`]);
      assert.deepEqual(mounted.filter((e) => e.path.startsWith('fx/kind/')).map((e) => [e.path, e.kind]),
        [[p.dirThenFile, 'file'], [p.fileThenDir, 'dir'], [`${p.fileThenDir}/inner`, 'file']]);
    });

    it('two platforms: the arm64 steps ran under QEMU, the rest is the same tree', async () => {
      const multi = images.multiPlatform;
      assert.ok(multi);
      assert.deepEqual(multi.platforms.map((x) => x.platform).sort(), ['linux/amd64', 'linux/arm64']);
      // One after the other: each mount unpacks its platform's layers first.
      const amd64 = await mergedTreeByCtr(daemon, images.namespace, multi.name, 'linux/amd64');
      const arm64 = await mergedTreeByCtr(daemon, images.namespace, multi.name, 'linux/arm64');
      assert.deepEqual([entry(amd64, p.arch).size, entry(arm64, p.arch).size], ['x86_64\n'.length, 'aarch64\n'.length]);
      // The opaque folder is the Docker-built base's, which this build is not over.
      const fx = (tree: TreeEntry[]): unknown[] => tree.filter((e) => e.path.startsWith('fx/') && e.path !== p.arch && !e.path.startsWith(p.opaqueDir))
        .map((e) => [e.path, e.kind, e.size, e.mode, e.uid, e.gid, e.linkTarget]);
      assert.deepEqual(fx(arm64), fx(amd64));
      assert.deepEqual(fx(amd64), fx(mounted));
    });
  });
}
