// Writes ONE OCI archive holding many small distinct images for the benchmark: each image is the
// harness's busybox layer (shared, so every image runs) plus a tiny layer of its own, with its own
// config and manifest, and an index.json entry named by `io.containerd.image.name`. Importing it
// once unpacks 1 shared + N distinct committed snapshots. Blobs are written as they are made, a
// few files at a time: 10,000 images are 30,000 files, more than a process may hold open at once.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chainIds } from '../../src/containerd/images/images';
import { writeBusyboxOciArchive } from '../harness/sampleImage';

const run = promisify(execFile);

const mediaTypes = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;
const created = '2000-01-01T00:00:00Z';
const mtime = 946684800;

interface Descriptor { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function octal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

/** A deterministic ustar holding one directory and one small file in it. */
function tinyLayer(dir: string, file: string, content: string): Buffer {
  const entry = (name: string, type: '0' | '5', data: Buffer): Buffer[] => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    octal(h, 100, 8, type === '5' ? 0o755 : 0o644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, data.length);
    octal(h, 136, 12, mtime);
    h.write(type, 156, 1, 'ascii');
    h.write('ustar\u000000', 257, 8, 'ascii');
    h.fill(0x20, 148, 156);
    const sum = h.reduce((total, byte) => total + byte, 0);
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    return [h, data, Buffer.alloc((512 - (data.length % 512)) % 512)];
  };
  return Buffer.concat([...entry(`${dir}/`, '5', Buffer.alloc(0)), ...entry(`${dir}/${file}`, '0', Buffer.from(content)), Buffer.alloc(1024)]);
}

/** The amd64 busybox layer of the harness's sample image, read back from the layout it leaves. */
async function busyboxLayer(busybox: { amd64: string; arm64: string }, workDir: string): Promise<Buffer> {
  const built = await writeBusyboxOciArchive({ busybox, imageName: 'bench.local/busybox:base', outFile: join(workDir, 'busybox.oci.tar'), workDir });
  const blob = (digest: string): Promise<Buffer> => readFile(join(workDir, 'oci-layout', 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const amd64 = built.manifests.find((m) => m.platform === 'linux/amd64');
  if (!amd64) throw new Error('the busybox sample image has no linux/amd64 manifest');
  const manifest = JSON.parse((await blob(amd64.digest)).toString('utf8')) as { layers: Descriptor[] };
  const layer = manifest.layers[0];
  if (!layer) throw new Error('the busybox sample manifest has no layer');
  return blob(layer.digest);
}

/** At most `limit` file writes in flight; write() waits for a free slot, done() for all. */
class BoundedWrites {
  private readonly pending = new Set<Promise<void>>();
  constructor(private readonly limit: number) {}

  async write(path: string, data: Buffer): Promise<void> {
    while (this.pending.size >= this.limit) await Promise.race(this.pending);
    const written: Promise<void> = writeFile(path, data).finally(() => this.pending.delete(written));
    // Its failure reaches write() or done(); until then it must not count as unhandled.
    written.catch(() => undefined);
    this.pending.add(written);
  }

  async done(): Promise<void> {
    await Promise.all(this.pending);
  }
}

export interface BenchArchive {
  /** One archive per part: `ctr images import` takes them in parallel. */
  readonly files: readonly string[];
  /** Image names, in the order of the parts' index.json files. */
  readonly names: readonly string[];
  /** Each image's top chain id: the committed snapshot its unpack ends in (a container's parent). */
  readonly chainIds: readonly string[];
  readonly bytes: number;
}

/** `count` images named `<registry>/app-RR:vT` (tags per repository: `tagsPerRepo`), in `parts` archives. */
export async function writeBenchArchive(opts: { busybox: { amd64: string; arm64: string }; workDir: string; count: number; tagsPerRepo: number; parts: number }): Promise<BenchArchive> {
  const busybox = await busyboxLayer(opts.busybox, join(opts.workDir, 'busybox'));
  const files: string[] = [];
  const names: string[] = [];
  const tops: string[] = [];
  let bytes = 0;
  const perPart = Math.ceil(opts.count / opts.parts);
  for (let part = 0; part * perPart < opts.count; part++) {
    const layout = join(opts.workDir, `layout-${part}`);
    const blobsDir = join(layout, 'blobs', 'sha256');
    await mkdir(blobsDir, { recursive: true });
    const writes = new BoundedWrites(16);
    const add = async (mediaType: string, data: Buffer): Promise<Descriptor> => {
      const digest = sha256(data);
      await writes.write(join(blobsDir, digest.slice('sha256:'.length)), data);
      bytes += data.length;
      return { mediaType, digest, size: data.length };
    };
    const base = await add(mediaTypes.layer, busybox);
    const entries: Descriptor[] = [];
    for (let i = part * perPart; i < Math.min((part + 1) * perPart, opts.count); i++) {
      const repo = String(Math.floor(i / opts.tagsPerRepo)).padStart(3, '0');
      const name = `bench.local/app-${repo}:v${i % opts.tagsPerRepo}`;
      const layer = await add(mediaTypes.layer, tinyLayer('bench', 'id', `${name}\n`));
      const config = await add(mediaTypes.config, Buffer.from(JSON.stringify({
        created, architecture: 'amd64', os: 'linux',
        config: { Env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
        rootfs: { type: 'layers', diff_ids: [base.digest, layer.digest] },
      })));
      const manifest = await add(mediaTypes.manifest, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.manifest, config, layers: [base, layer] })));
      entries.push({ ...manifest, annotations: { 'io.containerd.image.name': name } });
      names.push(name);
      tops.push(chainIds([base.digest, layer.digest]).at(-1) ?? '');
    }
    await writes.done();
    await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: entries }));
    const file = join(opts.workDir, `bench-${part}.oci.tar`);
    await run('tar', ['--create', '--file', file, '--directory', layout, 'oci-layout', 'index.json', 'blobs']);
    files.push(file);
  }
  return { files, names, chainIds: tops, bytes };
}
