// Images of our own layers imported into a test daemon: each layer is a folder the caller fills,
// archived by GNU tar and gzip-compressed; the config carries one history step per layer. Used
// where a test needs layers with known files (whiteouts, rewrites) faster than a BuildKit build.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BlobDescriptor } from '../../src/containerd/images/imageManifests';
import { packLayout, sha256 } from './ociLayoutFiles';

const run = promisify(execFile);

export interface ArchivedLayer {
  readonly blob: Buffer;
  readonly diffId: string;
  readonly tarBytes: number;
  /** The history step that made it. */
  readonly createdBy: string;
}

/** `names` under `root` (paths starting `./`, or `.` for all) as a gzip layer. */
export async function gzipLayerOf(root: string, names: readonly string[], createdBy: string): Promise<ArchivedLayer> {
  const list = mkdtempSync(join(tmpdir(), 'layer-list-'));
  try {
    writeFileSync(join(list, 'names'), names.join('\n'));
    const { stdout } = await run('tar', ['--sort=name', '--mtime=@946684800', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', '-', '-T', join(list, 'names')],
      { encoding: 'buffer', maxBuffer: 1 << 30 });
    return { blob: gzipSync(stdout, { level: 6 }), diffId: sha256(stdout), tarBytes: stdout.length, createdBy };
  } finally {
    rmSync(list, { recursive: true, force: true });
  }
}

export interface ImportedImage {
  readonly manifest: string;
  readonly layers: readonly BlobDescriptor[];
  readonly config: BlobDescriptor;
}

/** Imports the layers as one linux/amd64 image named `name` (content only: no unpack, unless asked). */
export async function importLayers(daemon: { ctr(args: readonly string[]): Promise<string> }, namespace: string, name: string, layers: readonly ArchivedLayer[], unpack = false): Promise<ImportedImage> {
  const layout = mkdtempSync(join(tmpdir(), 'layered-layout-'));
  try {
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    const put = (mediaType: string, data: Buffer): BlobDescriptor => {
      const digest = sha256(data);
      writeFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
      return { mediaType, digest, size: data.length, annotations: {} };
    };
    const descriptors = layers.map((l) => put('application/vnd.oci.image.layer.v1.tar+gzip', l.blob));
    const config = put('application/vnd.oci.image.config.v1+json', Buffer.from(JSON.stringify({
      architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((l) => ({ created_by: l.createdBy })),
    })));
    const strip = ({ annotations: _, ...d }: BlobDescriptor): Omit<BlobDescriptor, 'annotations'> => d;
    const manifest = put('application/vnd.oci.image.manifest.v1+json', Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: strip(config), layers: descriptors.map(strip),
    })));
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...strip(manifest), annotations: { 'io.containerd.image.name': name }, platform: { os: 'linux', architecture: 'amd64' } }] }));
    await packLayout(layout, join(layout, 'image.tar'));
    await daemon.ctr(['--namespace', namespace, 'images', 'import', ...(unpack ? [] : ['--no-unpack']), '--local', join(layout, 'image.tar')]);
    return { manifest: manifest.digest, layers: descriptors, config };
  } finally {
    rmSync(layout, { recursive: true, force: true });
  }
}
