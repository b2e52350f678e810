// The Files view's reader on real images: BuildKit and Docker builds (gzip, zstd, plain tar
// layers; whiteouts, an opaque folder, hard links, symlinks, devices, long and unicode names,
// owners, setuid) read through Content.Read of a real containerd and compared with what containerd
// itself unpacks (`ctr images mount`, walked with lstat) and with what GNU tar extracts of each
// layer. A file's bytes are compared with the extracted file's.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { BlobCache, contentBlobSource } from '../../src/containerd/images/blobCache';
import type { BlobDescriptor } from '../../src/containerd/images/imageManifests';
import { contentChunks } from '../../src/containerd/layers/contentStream';
import { fileSource, resolveMerged } from '../../src/containerd/layers/fileLookup';
import { readImageFilesystem, type ImageFilesystem } from '../../src/containerd/layers/imageFilesystem';
import { decompressedLayer } from '../../src/containerd/layers/layerDecompress';
import type { LayerEntry } from '../../src/containerd/layers/layerEntry';
import { LayerListings } from '../../src/containerd/layers/layerListings';
import type { FsNode } from '../../src/containerd/layers/mergedTree';
import { listTarEntries, readTarFile } from '../../src/containerd/layers/tarReading';
import { MethodTable } from '../../src/containerd/proto/codec';
import { containerdVersions } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { contentToFile, layerEntriesByTar, mergedTreeByCtr, tarCompressionArgs, type TreeEntry } from '../harness/layerOracles';
import { fixturePaths as p } from '../harness/layeredDockerfiles';
import { buildLayeredImages, layerOfStep, platformOf, type FixtureImage, type LayeredImages, type PlatformImage } from '../harness/layeredImages';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What both sides can say of a path: kind, size, mode, owner, symlink target. */
function fact(e: { path: string; kind: string; size: number; mode: number; uid: number; gid: number; linkTarget?: string }): string {
  return `${e.path} ${e.kind} ${e.size} ${e.mode.toString(8)} ${e.uid}:${e.gid}${e.kind === 'symlink' ? ` -> ${e.linkTarget ?? ''}` : ''}`;
}

/** Every node of our merged tree below the root, a hard link shown as its target's file (as lstat sees it). */
function ourTree(fs: ImageFilesystem): string[] {
  const out: string[] = [];
  const visit = (node: FsNode): void => {
    for (const child of node.children?.values() ?? []) {
      const entry = child.entry;
      if (entry?.kind === 'hardlink') {
        const target = fs.layers[child.layer]?.listing.entries.find((e) => e.path === entry.linkTarget);
        assert.ok(target, `${child.path}: its hard link target ${entry.linkTarget ?? ''} is in its layer`);
        out.push(fact({ ...target, path: child.path }));
      } else if (entry) {
        out.push(fact(entry));
      } else {
        out.push(`${child.path} implied`);
      }
      visit(child);
    }
  };
  visit(fs.root);
  return out.sort();
}

function theirTree(entries: readonly TreeEntry[]): string[] {
  return entries.map(fact).sort();
}

/** The platform's layers as the reader takes them. */
function layersOf(image: PlatformImage): { layers: BlobDescriptor[]; config: BlobDescriptor } {
  return {
    layers: image.layers.map((l) => ({ ...l, annotations: {} })),
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.configDigest, size: 0, annotations: {} },
  };
}

for (const version of containerdVersions) {
  describe(`image files read from the content store (containerd ${version})`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    let images: LayeredImages;
    const listings = new LayerListings();
    const read = (image: PlatformImage): Promise<ImageFilesystem> =>
      readImageFilesystem(client, images.namespace, layersOf(image), listings, contentBlobSource(client, images.namespace, new BlobCache()));

    before(async () => {
      daemon = await startContainerd(version);
      images = await buildLayeredImages(daemon);
      client = new ContainerdClient(daemon.socket, { methods: new MethodTable(), timeoutMs: 20_000 });
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
    });

    const cases = (): [string, () => FixtureImage, string][] => [
      ['Docker-built, plain tar layers with an opaque folder', () => images.dockerBase, 'linux/amd64'],
      ['BuildKit, gzip over the plain base', () => images.gzip, 'linux/amd64'],
      ['BuildKit, every layer zstd', () => images.zstd, 'linux/amd64'],
      ['BuildKit, the arm64 platform of a multi-platform image', () => images.multiPlatform as FixtureImage, 'linux/arm64'],
    ];
    for (const [title, image, platform] of cases()) {
      it(`${title}: the merged tree is what containerd unpacks`, async () => {
        const fixture = image();
        const fs = await read(platformOf(fixture, platform));
        const theirs = await mergedTreeByCtr(daemon, images.namespace, fixture.name, platform);
        const ours = ourTree(fs);
        assert.deepEqual(ours.filter((line) => line.endsWith(' implied')), [], 'every folder of these images has its own entry');
        assert.deepEqual(ours, theirTree(theirs));
      });
    }

    it('each layer lists as GNU tar extracts it: kinds, sizes, modes, owners, symlinks, hard links, whiteouts as files', async () => {
      for (const layer of platformOf(images.gzip, 'linux/amd64').layers) {
        const raw = await listTarEntries(decompressedLayer(contentChunks(client, images.namespace, layer.digest)));
        const oracle = await layerEntriesByTar(daemon, images.namespace, layer.digest, layer.mediaType);
        // A later entry of a path replaces an earlier one, as extraction does.
        const last = new Map<string, LayerEntry>(raw.filter((e) => e.path !== '').map((e) => [e.path, e]));
        const hardLinks = [...last.values()].filter((e) => e.kind === 'hardlink');
        assert.deepEqual(hardLinks.map((e) => `${e.path} -> ${e.linkTarget ?? ''}`).sort(),
          oracle.hardLinks.map((l) => `${l.name.replace(/^\.?\//, '').replace(/\/$/, '')} -> ${l.target.replace(/^\.?\//, '')}`).sort(), `${layer.digest}: hard links`);
        const resolved = [...last.values()].map((e) => (e.kind === 'hardlink' ? { ...(last.get(e.linkTarget ?? '') ?? e), path: e.path } : e));
        assert.deepEqual(resolved.map(fact).sort(), theirTree(oracle.entries), `${layer.digest} (${layer.mediaType})`);
      }
    });

    it('the zstd export reads as the gzip one: the same listings, the same tree', async () => {
      const gzip = await read(platformOf(images.gzip, 'linux/amd64'));
      const zstd = await read(platformOf(images.zstd, 'linux/amd64'));
      assert.ok(platformOf(images.zstd, 'linux/amd64').layers.every((l) => l.mediaType.endsWith('+zstd')), 'the zstd image has zstd layers');
      assert.deepEqual(zstd.layers.map((l) => l.listing), gzip.layers.map((l) => l.listing));
      assert.deepEqual(ourTree(zstd), ourTree(gzip));
    });

    it('layers: the history step that made each, and what the later RUN added, modified and deleted', async () => {
      const image = platformOf(images.gzip, 'linux/amd64');
      const fs = await read(image);
      const later = layerOfStep(image, /rm \/fx\/gone-file/);
      const layer = fs.layers[later.index];
      assert.equal(layer?.descriptor.digest, later.layer.digest);
      assert.match(layer?.instruction ?? '', /^RUN .*rm \/fx\/gone-file/);
      const changes = new Map(layer?.diff.changes.map((c) => [c.path, c.change]));
      assert.equal(changes.get(p.goneFile), 'deleted');
      assert.equal(changes.get(p.goneDir), 'deleted');
      assert.equal(changes.get(`${p.recreatedDir}/old`), 'deleted');
      assert.equal(changes.get(`${p.recreatedDir}/new`), 'added');
      assert.equal(changes.get(p.grows), 'modified');
      assert.equal(changes.get(p.modeChanged), 'modified', 'a new mode alone is a change');
      assert.equal(changes.get(p.lateHardLink), 'added');
      assert.equal(changes.get(p.fileThenDir), 'modified', 'a file replaced by a folder');
      assert.equal(changes.get(`${p.goneDir}/sub/f`), undefined, 'a deleted folder is one change');
      assert.equal(changes.get('fx'), undefined, 'a parent folder repeated unchanged is no change');
      // The Docker-built base's opaque folder: the lower names hidden, the new ones there.
      const base = await read(platformOf(images.dockerBase, 'linux/amd64'));
      const opaque = base.layers.find((l) => l.listing.opaqueDirs.includes(p.opaqueDir));
      assert.ok(opaque, 'a layer of the Docker-built base carries the opaque marker');
      assert.deepEqual(opaque.diff.changes.filter((c) => c.change === 'deleted').map((c) => c.path).sort(), [`${p.opaqueDir}/inner`, `${p.opaqueDir}/old`, `${p.opaqueDir}/same-name`]);
      assert.deepEqual([...((resolveMerged(base.root, p.opaqueDir) as FsNode).children?.keys() ?? [])].sort(), ['new', 'same-name']);
    });

    it('files open with the bytes GNU tar extracts: through hard links and symlinks, from the layer that wrote them last', async () => {
      const image = platformOf(images.zstd, 'linux/amd64');
      const fs = await read(image);
      const work = await mkdtemp(join(daemon.dir, 'files-'));
      try {
        for (const path of [p.grows, p.hardLinkTwin, p.absoluteSymlink, p.longTargetSymlink, p.unicode, p.setuid, p.empty, p.owned, `${p.copied}/one.txt`]) {
          const source = fileSource(fs, 'merged', path);
          assert.ok(source.found, `${path}: ${source.found ? '' : source.reason}`);
          const layer = image.layers[source.layer];
          assert.ok(layer);
          const bytes = await readTarFile(decompressedLayer(contentChunks(client, images.namespace, layer.digest)), source.path, 1 << 20);
          const blob = join(work, `${source.layer}.blob`);
          await contentToFile(daemon, images.namespace, layer.digest, blob);
          const { stdout } = await run('tar', ['-x', ...tarCompressionArgs(layer.mediaType), '-O', '-f', blob, source.path], { encoding: 'buffer', maxBuffer: 1 << 24 });
          assert.deepEqual(bytes, stdout, `${path} (${source.path} in layer ${source.layer + 1})`);
        }
        assert.match((fileSource(fs, 'merged', p.danglingSymlink) as { reason: string }).reason, /does not exist/);
        assert.match((fileSource(fs, 'merged', p.charDevice) as { reason: string }).reason, /character device/);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
  });
}
