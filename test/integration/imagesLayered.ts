// Writes a single-platform, three-layer image in Docker's media types (gzip layers, so each
// layer's digest differs from its diff_id) as an OCI layout archive that `ctr images import`
// takes: the multi-layer counterpart of the harness's one-layer busybox sample. Layer tars are
// made by GNU tar with fixed owners and times, so the digests are the same on every run.
import { mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packLayout, sha256, tarOf } from '../harness/ociLayoutFiles';

const dockerTypes = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export interface LayeredImage {
  readonly manifestDigest: string;
  readonly diffIds: readonly string[];
  readonly layerDigests: readonly string[];
}

/** Three layers: busybox, a small file, then a larger file that also replaces the small one. */
async function layerTrees(workDir: string, busybox: string): Promise<string[]> {
  const trees = ['l1', 'l2', 'l3'].map((name) => join(workDir, name));
  await mkdir(join(trees[0] ?? '', 'bin'), { recursive: true });
  await copyFile(busybox, join(trees[0] ?? '', 'bin', 'busybox'));
  await mkdir(join(trees[1] ?? '', 'etc'), { recursive: true });
  await writeFile(join(trees[1] ?? '', 'etc', 'motd'), 'layer two\n');
  await mkdir(join(trees[2] ?? '', 'etc'), { recursive: true });
  await writeFile(join(trees[2] ?? '', 'etc', 'motd'), 'layer three\n');
  await writeFile(join(trees[2] ?? '', 'etc', 'data.bin'), Buffer.alloc(300_000, 'x'));
  return trees;
}

export async function writeLayeredDockerArchive(opts: { busybox: string; imageName: string; workDir: string; outFile: string }): Promise<LayeredImage> {
  await rm(opts.workDir, { recursive: true, force: true });
  const layout = join(opts.workDir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  const addBlob = async (data: Buffer | string): Promise<{ digest: string; size: number }> => {
    const digest = sha256(data);
    await writeFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
    return { digest, size: Buffer.byteLength(data) };
  };
  const diffIds: string[] = [];
  const layers: { mediaType: string; digest: string; size: number }[] = [];
  for (const tree of await layerTrees(opts.workDir, opts.busybox)) {
    const tar = await tarOf(tree);
    diffIds.push(sha256(tar));
    layers.push({ mediaType: dockerTypes.layer, ...(await addBlob(gzipSync(tar, { level: 6 }))) });
  }
  const config = {
    architecture: 'amd64', os: 'linux', created: '2000-01-01T00:00:00Z',
    config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const configBlob = await addBlob(JSON.stringify(config));
  const manifest = { schemaVersion: 2, mediaType: dockerTypes.manifest, config: { mediaType: dockerTypes.config, ...configBlob }, layers };
  const manifestBlob = await addBlob(JSON.stringify(manifest));
  const tag = opts.imageName.slice(opts.imageName.lastIndexOf(':') + 1);
  const index = {
    schemaVersion: 2,
    manifests: [{ mediaType: dockerTypes.manifest, ...manifestBlob, annotations: { 'io.containerd.image.name': opts.imageName, 'org.opencontainers.image.ref.name': tag } }],
  };
  await writeFile(join(layout, 'index.json'), JSON.stringify(index));
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await packLayout(layout, opts.outFile);
  return { manifestDigest: manifestBlob.digest, diffIds, layerDigests: layers.map((l) => l.digest) };
}
