// What the tests that write OCI layouts share: digests of what they write, reproducible layer
// tarballs, and the layout packed as the archive `ctr images import` takes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A folder as a tar with fixed names, times and owners: the same bytes (and diff_id) every run. */
export async function tarOf(dir: string): Promise<Buffer> {
  const { stdout } = await run('tar', ['--sort=name', '--mtime=@946684800', '--owner=0', '--group=0', '--numeric-owner', '-C', dir, '-cf', '-', '.'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** An OCI layout folder as the archive `ctr images import` reads. */
export async function packLayout(layout: string, outFile: string): Promise<void> {
  await run('tar', ['--sort=name', '-C', layout, '-cf', outFile, 'oci-layout', 'index.json', 'blobs']);
}
