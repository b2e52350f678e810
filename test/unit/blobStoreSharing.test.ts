// The document pack as the folder's other users meet it: the puts of a start go out in one write,
// two windows on the same global storage both keep what they write, the files of the store before
// the pack are removed, a FIFO or an oversized file where the pack should be is never read, and
// a folder that cannot be written makes put answer false instead of throwing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { real } from './imagesFixtures';
import { blob, digestsIn, flipByteOf, packIn, scratchFolders } from './packReader';

const scratch = scratchFolders();
const [a, b, c] = [real.amd64Config, real.arm64Config, real.amd64Manifest].map(blob);

describe('BlobStore shared by the puts of a start and by other windows', () => {
  it('writes the puts of one turn of the event loop in one write, in the order they were made', async () => {
    const store = new BlobStore(scratch.folder);
    const many = Array.from({ length: 50 }, (_, i) => blob(`{"document":${i}}`));
    assert.deepEqual(await Promise.all(many.map((x) => store.put(x.digest, x.bytes))), many.map(() => true));
    assert.deepEqual(digestsIn(packIn(scratch.folder)), many.map((x) => x.digest));
    assert.equal(store.writes, 1);
    const next = new BlobStore(scratch.folder);
    assert.equal(await next.count(), 50);
  });

  it('keeps the records of two windows writing at once, also through a rewrite by one of them', async () => {
    const { folder } = scratch;
    const one = new BlobStore(folder);
    const two = new BlobStore(folder);
    // Both find no pack: both make it at the same moment, and neither loses its records.
    assert.deepEqual(await Promise.all([one.put(a.digest, a.bytes), two.put(b.digest, b.bytes)]), [true, true]);
    assert.deepEqual(digestsIn(packIn(folder)).sort(), [a.digest, b.digest].sort());

    // Two new windows read the pack. One finds a bad record (it will rewrite); the other appends
    // meanwhile, unknown to the first.
    flipByteOf(packIn(folder), b.digest);
    const three = new BlobStore(folder);
    const four = new BlobStore(folder);
    assert.equal(await three.get(b.digest), undefined);
    assert.deepEqual(await four.get(a.digest), a.bytes);
    const late = blob('{"late":true}');
    assert.equal(await four.put(late.digest, late.bytes), true);
    assert.equal(await three.put(c.digest, c.bytes), true);
    const after = digestsIn(packIn(folder));
    assert.deepEqual(after.sort(), [a.digest, late.digest, c.digest].sort(), 'the rewrite kept the other window\'s record');
    assert.deepEqual(await new BlobStore(folder).get(late.digest), late.bytes);
  });

  it('removes the per-digest files of the store before the pack, and temporary files a crash left', async () => {
    const { folder } = scratch;
    mkdirSync(folder);
    const legacy = [a, b].map((x) => x.digest.slice('sha256:'.length));
    for (const hex of legacy) writeFileSync(join(folder, hex), 'old');
    writeFileSync(join(folder, `${legacy[0]}.0123456789ab.tmp`), 'torn');
    writeFileSync(join(folder, 'documents.pack.0123456789ab.tmp'), 'a crash mid-rewrite');
    utimesSync(join(folder, 'documents.pack.0123456789ab.tmp'), 1_000, 1_000);
    // Another window's rewrite in progress, and a file that is not the store's.
    writeFileSync(join(folder, 'documents.pack.ba9876543210.tmp'), 'being written');
    writeFileSync(join(folder, 'notes.txt'), 'not ours');
    const store = new BlobStore(folder);
    assert.equal(await store.get(a.digest), undefined, 'the old files are not read');
    assert.equal(await store.put(c.digest, c.bytes), true);
    assert.deepEqual(readdirSync(folder).sort(), ['documents.pack', 'documents.pack.ba9876543210.tmp', 'notes.txt']);
  });

  it('never reads a FIFO named like the pack, and puts a real pack in its place', { timeout: 5_000 }, async () => {
    const { folder } = scratch;
    mkdirSync(folder);
    execFileSync('mkfifo', [packIn(folder)]);
    const store = new BlobStore(folder);
    assert.equal(await store.get(a.digest), undefined);
    assert.equal(await store.put(a.digest, a.bytes), true);
    assert.ok(statSync(packIn(folder)).isFile());
    assert.deepEqual(await new BlobStore(folder).get(a.digest), a.bytes);
  });

  it('does not read a pack past twice its bound (a runaway file), and replaces it at the next write', async () => {
    const { folder } = scratch;
    const bound = 4096;
    assert.equal(await new BlobStore(folder, bound).put(a.digest, a.bytes), true);
    // Grown (sparse) past the cap: what it starts with is no longer read.
    truncateSync(packIn(folder), 2 * bound + 1);
    const store = new BlobStore(folder, bound);
    assert.equal(await store.get(a.digest), undefined);
    assert.equal(await store.put(b.digest, b.bytes), true);
    assert.deepEqual(digestsIn(packIn(folder)), [b.digest]);
  });

  it('answers false, never throws, when the folder cannot be written', async () => {
    const blocker = join(scratch.folder, '..', 'a-file');
    writeFileSync(blocker, 'not a folder');
    const store = new BlobStore(join(blocker, 'documents'));
    assert.equal(await store.put(a.digest, a.bytes), false);
    assert.equal(await store.get(a.digest), undefined);
    assert.equal(await store.count(), 0);
  });
});
