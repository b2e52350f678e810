// What reading an image's files costs, through the real gRPC stream of a containerd 2.x: listing a
// 100 MB gzip layer of real files (this machine's /usr/lib, compressed as builders do), a layer
// of 10,000 small files, and the merged tree of a 20-layer image whose layers overwrite and
// delete each other's files. Every run lists cold (a new listing cache); the merged tree is also
// timed warm, from cached listings. Targets (issue 12): < 1 s, < 1 s, < 2 s.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { BlobCache, contentBlobSource } from '../../src/containerd/images/blobCache';
import { readImageFilesystem, type PlatformLayers } from '../../src/containerd/layers/imageFilesystem';
import { decompressedLayer } from '../../src/containerd/layers/layerDecompress';
import { LayerListings } from '../../src/containerd/layers/layerListings';
import { MethodTable } from '../../src/containerd/proto/codec';
import { startContainerd } from '../harness/containerdDaemon';
import { gzipLayerOf, importLayers, type ArchivedLayer } from '../harness/layeredArchive';
import { medianMs } from './stats';

export interface LayerFigures {
  /** inflateMs: the decompression alone, from memory: the floor of any gzip listing on this machine. */
  readonly bigLayer: { readonly ms: number; readonly inflateMs: number; readonly compressedBytes: number; readonly tarBytes: number; readonly entries: number };
  readonly manyFiles: { readonly ms: number; readonly entries: number };
  readonly twentyLayers: { readonly coldMs: number; readonly warmMs: number; readonly entries: number };
}

/**
 * Regular files under /usr/lib (sorted, so the same machine gives the same layer) of `bytes` in
 * all: a file that would overshoot is passed over for the smaller ones after it, so the layer's
 * size can be set closely.
 */
function realFiles(bytes: number): string[] {
  const names: string[] = [];
  let total = 0;
  const walk = (rel: string): void => {
    for (const name of readdirSync(join('/usr/lib', rel)).sort()) {
      if (total >= bytes) return;
      const path = rel ? `${rel}/${name}` : name;
      // lstat: a symlinked folder is not walked (llvm's loop back to itself).
      const stat = lstatSync(join('/usr/lib', path), { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat?.isFile() && total + stat.size <= bytes) {
        names.push(`./${path}`);
        total += stat.size;
      }
    }
  };
  walk('');
  return names;
}

/** What the target names: a layer of 100 MiB of gzip (within 2 %), of real files compressed as builders do. */
const bigLayerGzipBytes = 100 * 2 ** 20;

async function bigRealLayer(): Promise<ArchivedLayer> {
  // Libraries compress about 2.8 to 1; each try scales the files' size by how far the last one was.
  let tarBytes = 2.8 * bigLayerGzipBytes;
  for (let tries = 1; ; tries++) {
    const layer = await gzipLayerOf('/usr/lib', realFiles(tarBytes), 'COPY lib /usr/lib');
    const ratio = layer.blob.length / bigLayerGzipBytes;
    if (Math.abs(ratio - 1) <= 0.02 || tries === 4) return layer;
    tarBytes /= ratio;
  }
}

/** `count` files of about 100 bytes in folders of 100, under `prefix`, written into `root`. */
function smallFiles(root: string, prefix: string, count: number, version: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const rel = `${prefix}/d${Math.floor(i / 100)}/f${i}.txt`;
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), `file ${i} of ${prefix}, version ${version}: ${'x'.repeat(64)}\n`);
    names.push(`./${rel}`);
  }
  return names;
}

/** Every byte of a gzip blob through the reader's own decompression, from memory. */
async function inflate(blob: Buffer): Promise<number> {
  async function* megabytes(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < blob.length; at += 1 << 20) yield await Promise.resolve(blob.subarray(at, at + (1 << 20)));
  }
  let bytes = 0;
  for await (const chunk of decompressedLayer(megabytes())) bytes += chunk.length;
  return bytes;
}

export async function measureLayerListing(runs: number): Promise<LayerFigures> {
  const work = mkdtempSync(join(tmpdir(), 'bench-layers-'));
  const daemon = await startContainerd('2.x');
  const client = new ContainerdClient(daemon.socket, { methods: new MethodTable(), timeoutMs: 30_000 });
  // The config is read as the Files view reads it; history pairing is part of what is timed.
  const documents = contentBlobSource(client, 'default', new BlobCache());
  try {
    const big = await bigRealLayer();
    const bigImage = await importLayers(daemon, 'default', 'bench.local/layers:big', [big]);
    const manyRoot = join(work, 'many');
    const many = await gzipLayerOf(manyRoot, smallFiles(manyRoot, 'srv/data', 10_000, 0), 'COPY data /srv/data');
    const manyImage = await importLayers(daemon, 'default', 'bench.local/layers:many', [many]);
    const twenty: ArchivedLayer[] = [];
    for (let layer = 0; layer < 20; layer++) {
      const root = join(work, `layer${layer}`);
      const names = smallFiles(root, `app/l${layer}`, 1000, 0);
      // Each layer rewrites 100 files of the one before and deletes 20 of them: whiteouts to apply.
      if (layer > 0) {
        names.push(...smallFiles(root, `app/l${layer - 1}`, 100, layer));
        for (let i = 0; i < 20; i++) {
          const dir = join(root, `app/l${layer - 1}/d9`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, `.wh.f${900 + i}.txt`), '');
          names.push(`./app/l${layer - 1}/d9/.wh.f${900 + i}.txt`);
        }
      }
      twenty.push(await gzipLayerOf(root, names, `RUN make layer ${layer}`));
    }
    const twentyImage = await importLayers(daemon, 'default', 'bench.local/layers:twenty', twenty);

    const cold = async (image: PlatformLayers): Promise<number> => {
      const fs = await readImageFilesystem(client, 'default', image, new LayerListings(), documents);
      return fs.layers.reduce((sum, l) => sum + l.listing.entries.length + l.listing.deletions.length, 0);
    };
    const bigEntries = await cold(bigImage);
    const manyEntries = await cold(manyImage);
    const twentyEntries = await cold(twentyImage);
    const warmListings = new LayerListings();
    await readImageFilesystem(client, 'default', twentyImage, warmListings, documents);
    return {
      bigLayer: { ms: await medianMs(runs, () => cold(bigImage)), inflateMs: await medianMs(runs, () => inflate(big.blob)), compressedBytes: big.blob.length, tarBytes: big.tarBytes, entries: bigEntries },
      manyFiles: { ms: await medianMs(runs, () => cold(manyImage)), entries: manyEntries },
      twentyLayers: { coldMs: await medianMs(runs, () => cold(twentyImage)), warmMs: await medianMs(runs, () => readImageFilesystem(client, 'default', twentyImage, warmListings, documents)), entries: twentyEntries },
    };
  } finally {
    client.close();
    await daemon.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
