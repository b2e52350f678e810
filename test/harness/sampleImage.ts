// Builds a deterministic multi-arch (linux/amd64 + linux/arm64) busybox image as an
// OCI image-layout tar archive, so tests and `npm start` can `ctr images import` a real
// image without any registry access.
import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import type { ContainerdDaemon } from './containerdDaemon';

const execFileAsync = promisify(execFile);

/** Fixed timestamp for tar mtimes and config `created`: same inputs => same digests. */
const EPOCH_SECONDS = 946684800; // 2000-01-01T00:00:00Z
const CREATED = new Date(EPOCH_SECONDS * 1000).toISOString().replace('.000Z', 'Z');

const MT = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

const ENV_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  data?: Buffer;
  linkname?: string;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

export interface SampleImageOptions {
  /** Paths to static busybox binaries per architecture. */
  busybox: { amd64: string; arm64: string };
  /** Full reference, e.g. docker.io/library/busybox:sample. */
  imageName: string;
  /** Where the OCI archive (.tar) is written. */
  outFile: string;
  /** Scratch directory; the unpacked OCI layout is left here for debugging. */
  workDir: string;
  /** The image's command; `sh` by default. */
  cmd?: string[];
}

export interface SampleImageResult {
  indexDigest: string;
  manifests: { platform: string; digest: string }[];
}

/** Writes `value` as a zero-padded octal field of `width` bytes (incl. terminating NUL). */
function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  const text = value.toString(8).padStart(width - 1, '0');
  if (text.length > width - 1) {
    throw new Error(`tar field overflow: ${value}`);
  }
  header.write(`${text}\0`, offset, width, 'ascii');
}

function writeString(header: Buffer, offset: number, width: number, value: string): void {
  if (Buffer.byteLength(value) > width) {
    throw new Error(`tar name too long for ustar (no prefix support needed here): ${value}`);
  }
  header.write(value, offset, width, 'utf8');
}

/** Minimal ustar writer: enough for files/dirs/symlinks with short names, fully deterministic. */
function buildTar(entries: readonly TarEntry[]): Buffer {
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const h = Buffer.alloc(512);
    writeString(h, 0, 100, e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name);
    writeOctal(h, 100, 8, e.mode);
    writeOctal(h, 108, 8, 0); // uid root
    writeOctal(h, 116, 8, 0); // gid root
    writeOctal(h, 124, 12, data.length);
    writeOctal(h, 136, 12, EPOCH_SECONDS);
    h.write(e.type === 'file' ? '0' : e.type === 'symlink' ? '2' : '5', 156, 1, 'ascii');
    if (e.linkname !== undefined) {
      writeString(h, 157, 100, e.linkname);
    }
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    writeString(h, 265, 32, 'root');
    writeString(h, 297, 32, 'root');
    writeOctal(h, 329, 8, 0);
    writeOctal(h, 337, 8, 0);
    // Checksum is computed with the checksum field itself treated as spaces.
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) {
      sum += b;
    }
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    chunks.push(h, data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad > 0) {
      chunks.push(Buffer.alloc(pad));
    }
  }
  chunks.push(Buffer.alloc(1024)); // two zero blocks mark end of archive
  return Buffer.concat(chunks);
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Applet names from `busybox --list`, minus `busybox` itself (that's the real file). */
async function listApplets(busyboxPath: string): Promise<string[]> {
  const { stdout } = await execFileAsync(busyboxPath, ['--list']);
  const names = stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'busybox' && !s.includes('/'));
  return [...new Set(names)].sort();
}

function buildLayer(busybox: Buffer, applets: readonly string[]): Buffer {
  const entries: TarEntry[] = [
    { name: 'bin', type: 'dir', mode: 0o755 },
    { name: 'bin/busybox', type: 'file', mode: 0o755, data: busybox },
    ...applets.map((a): TarEntry => ({ name: `bin/${a}`, type: 'symlink', mode: 0o777, linkname: 'busybox' })),
    { name: 'dev', type: 'dir', mode: 0o755 },
    { name: 'etc', type: 'dir', mode: 0o755 },
    { name: 'proc', type: 'dir', mode: 0o555 },
    { name: 'sys', type: 'dir', mode: 0o555 },
    { name: 'tmp', type: 'dir', mode: 0o1777 },
  ];
  return buildTar(entries);
}

/** Stable JSON bytes: key order comes from the literals below, so digests are reproducible. */
function jsonBlob(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export async function writeBusyboxOciArchive(opts: SampleImageOptions): Promise<SampleImageResult> {
  const tagMatch = /:(\w[\w.-]{0,127})$/.exec(opts.imageName);
  if (!tagMatch || opts.imageName.includes('@')) {
    throw new Error(`imageName must be a tagged reference without digest: ${opts.imageName}`);
  }
  const tag = tagMatch[1];
  // The amd64 binary is the one runnable on this host, and the applet set is identical per arch.
  const applets = await listApplets(opts.busybox.amd64);

  const blobs = new Map<string, Buffer>();
  const addBlob = (mediaType: string, data: Buffer): Descriptor => {
    const digest = sha256(data);
    blobs.set(digest, data);
    return { mediaType, digest, size: data.length };
  };

  const manifestDescs: Descriptor[] = [];
  const manifests: SampleImageResult['manifests'] = [];
  for (const arch of ['amd64', 'arm64'] as const) {
    const layer = buildLayer(await fs.readFile(opts.busybox[arch]), applets);
    const layerDesc = addBlob(MT.layer, layer);
    const config = {
      created: CREATED,
      architecture: arch,
      os: 'linux',
      config: { Env: [ENV_PATH], Cmd: opts.cmd ?? ['sh'] },
      rootfs: { type: 'layers', diff_ids: [layerDesc.digest] }, // uncompressed: diff_id == digest
      history: [{ created: CREATED, created_by: 'vscode-containerd test harness: busybox sample image' }],
    };
    const configDesc = addBlob(MT.config, jsonBlob(config));
    const manifest = { schemaVersion: 2, mediaType: MT.manifest, config: configDesc, layers: [layerDesc] };
    const manifestDesc = addBlob(MT.manifest, jsonBlob(manifest));
    manifestDescs.push({ ...manifestDesc, platform: { architecture: arch, os: 'linux' } });
    manifests.push({ platform: `linux/${arch}`, digest: manifestDesc.digest });
  }

  const imageIndex = { schemaVersion: 2, mediaType: MT.index, manifests: manifestDescs };
  const indexDesc = addBlob(MT.index, jsonBlob(imageIndex));
  // containerd's importer prefers io.containerd.image.name verbatim; ref.name is the OCI-standard tag.
  const layoutIndex = {
    schemaVersion: 2,
    mediaType: MT.index,
    manifests: [
      {
        ...indexDesc,
        annotations: { 'io.containerd.image.name': opts.imageName, 'org.opencontainers.image.ref.name': tag },
      },
    ],
  };

  const files: [string, Buffer][] = [
    ['oci-layout', jsonBlob({ imageLayoutVersion: '1.0.0' })],
    ['index.json', jsonBlob(layoutIndex)],
    ...[...blobs.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([digest, data]): [string, Buffer] => [`blobs/sha256/${digest.slice('sha256:'.length)}`, data]),
  ];

  // Leave the plain OCI layout in workDir too: handy for debugging or directory-based consumers.
  const layoutDir = path.join(opts.workDir, 'oci-layout');
  await fs.rm(layoutDir, { recursive: true, force: true });
  await fs.mkdir(path.join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  await Promise.all(files.map(([name, data]) => fs.writeFile(path.join(layoutDir, name), data)));

  const archive = buildTar([
    { name: 'blobs', type: 'dir', mode: 0o755 },
    { name: 'blobs/sha256', type: 'dir', mode: 0o755 },
    ...files.map(([name, data]): TarEntry => ({ name, type: 'file', mode: 0o644, data })),
  ]);
  // Write-then-rename so a concurrent reader never sees a half-written archive.
  await fs.mkdir(path.dirname(opts.outFile), { recursive: true });
  const tmpFile = `${opts.outFile}.${process.pid}.tmp`;
  await fs.writeFile(tmpFile, archive);
  await fs.rename(tmpFile, opts.outFile);

  return { indexDigest: indexDesc.digest, manifests };
}

/**
 * Builds the busybox sample as `imageName` in the daemon's own folder and imports every platform
 * of it into `namespace`: the set-up most daemon tests start from.
 */
export async function importBusybox(daemon: ContainerdDaemon, busybox: SampleImageOptions['busybox'], imageName: string, namespace: string, cmd?: string[]): Promise<SampleImageResult> {
  const archive = path.join(daemon.dir, `${imageName.replace(/[^a-z0-9]+/g, '-')}.tar`);
  const built = await writeBusyboxOciArchive({ busybox, imageName, outFile: archive, workDir: path.join(daemon.dir, 'image-build'), ...(cmd ? { cmd } : {}) });
  await daemon.ctr(['--namespace', namespace, 'images', 'import', '--all-platforms', archive]);
  return built;
}
