// A two-layer image for the container-diff tests: busybox, then a layer of files a container can
// change (modify, delete, replace a folder). The harness's busybox sample holds only busybox and
// empty folders, which leaves no file of the image to modify or delete short of busybox itself.
// Layers are plain tars made by GNU tar with fixed owners and times (same digests every run).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packLayout, sha256, tarOf } from '../harness/ociLayoutFiles';

const run = promisify(execFile);

/** What the second layer holds, relative to the root. */
export const imageFiles = {
  'etc/motd': 'welcome\n',
  'etc/old.conf': 'setting=1\n',
  'opt/docs/a.txt': 'a\n',
  'opt/docs/b.txt': 'b\n',
  'var/cache/one': '1\n',
  'var/cache/two': '2\n',
} as const;

async function busyboxTree(dir: string, busybox: string): Promise<void> {
  // The runtime's mount points exist in the image, so running a task adds nothing to its layer.
  for (const folder of ['bin', 'dev', 'proc', 'sys', 'run', 'tmp', 'etc']) await mkdir(join(dir, folder), { recursive: true });
  await copyFile(busybox, join(dir, 'bin', 'busybox'));
  const { stdout } = await run(busybox, ['--list']);
  for (const applet of stdout.split('\n').filter((a) => a && a !== 'busybox')) await symlink('busybox', join(dir, 'bin', applet));
}

async function filesTree(dir: string): Promise<void> {
  for (const [path, text] of Object.entries(imageFiles)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** Writes the image as an OCI layout archive for `ctr images import`. */
export async function writeDiffImage(opts: { busybox: string; imageName: string; workDir: string; outFile: string }): Promise<void> {
  await rm(opts.workDir, { recursive: true, force: true });
  const layout = join(opts.workDir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  const addBlob = async (mediaType: string, data: Buffer | string): Promise<{ mediaType: string; digest: string; size: number }> => {
    const digest = sha256(data);
    await writeFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
    return { mediaType, digest, size: Buffer.byteLength(data) };
  };
  const trees = [join(opts.workDir, 'busybox'), join(opts.workDir, 'files')];
  await busyboxTree(trees[0] ?? '', opts.busybox);
  await filesTree(trees[1] ?? '');
  const layers = [];
  for (const tree of trees) layers.push(await addBlob('application/vnd.oci.image.layer.v1.tar', await tarOf(tree)));
  const config = await addBlob('application/vnd.oci.image.config.v1+json', JSON.stringify({
    architecture: 'amd64', os: 'linux', created: '2000-01-01T00:00:00Z',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  }));
  const manifest = await addBlob('application/vnd.oci.image.manifest.v1+json', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }));
  const tag = opts.imageName.slice(opts.imageName.lastIndexOf(':') + 1);
  await writeFile(join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ ...manifest, annotations: { 'io.containerd.image.name': opts.imageName, 'org.opencontainers.image.ref.name': tag } }],
  }));
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await packLayout(layout, opts.outFile);
}
