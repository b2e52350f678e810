// The document pack at its edges, on real temp folders: digests that are almost sha256, blobs that
// fit the bound exactly or by one byte too many, an append that fills the pack to its bound (the
// file stays the one other windows have open), a blob too large for the rewrite's budget, an empty
// blob, a pack that is only its header, and a folder where the pack file should be.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { blob, digestsIn, packIn, scratchFolders } from './packReader';

const scratch = scratchFolders();
const header = 8;
const overhead = 36;
/** A blob of exactly `length` bytes. */
const sized = (tag: string, length: number): { digest: string; bytes: Buffer } => blob(tag + '.'.repeat(length - tag.length));

describe('BlobStore edges', () => {
  it('refuses digests that only look like sha256 ones, in put and get', async () => {
    const a = sized('a', 50);
    const hex = a.digest.slice('sha256:'.length);
    const store = new BlobStore(scratch.folder);
    for (const digest of [`x${a.digest}`, `${a.digest}x`, `sha256:${hex.toUpperCase()}`, `sha256:${hex.slice(1)}`, `sha256:${hex}/../x`]) {
      assert.equal(await store.put(digest, a.bytes), false, digest);
    }
    assert.ok(!existsSync(scratch.folder), 'something was written');
    assert.equal(await store.put(a.digest, a.bytes), true);
    for (const digest of [`x${a.digest}`, `${a.digest}x`, `sha256:${hex.toUpperCase()}`]) assert.equal(await store.get(digest), undefined, digest);
    assert.deepEqual(await store.get(a.digest), a.bytes);
  });

  it('keeps a blob that fills the bound exactly, and refuses one a byte larger', async () => {
    const bound = 1000;
    const fits = sized('fits', bound - header - overhead);
    const over = sized('over', bound - header - overhead + 1);
    const store = new BlobStore(scratch.folder, bound);
    assert.equal(await store.put(over.digest, over.bytes), false);
    assert.ok(!existsSync(scratch.folder), 'a blob that cannot fit was written');
    assert.equal(await store.put(fits.digest, fits.bytes), true);
    assert.equal(statSync(packIn(scratch.folder)).size, bound);
    assert.deepEqual(await new BlobStore(scratch.folder, bound).get(fits.digest), fits.bytes);
  });

  it('appends a record that fills the pack to its bound in place: one write, the same file', async () => {
    const bound = header + 2 * (overhead + 100);
    const [a, b] = [sized('a', 100), sized('b', 100)];
    assert.equal(await new BlobStore(scratch.folder, bound).put(a.digest, a.bytes), true);
    const inode = statSync(packIn(scratch.folder)).ino;
    const store = new BlobStore(scratch.folder, bound);
    assert.equal(await store.put(b.digest, b.bytes), true);
    assert.deepEqual([store.writes, store.bytes, statSync(packIn(scratch.folder)).ino], [1, bound, inode]);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [a.digest, b.digest]);
  });

  it('rewrites a full pack once, keeping the newest records that fit in 3/4 of the bound', async () => {
    const bound = header + 3 * (overhead + 100);
    const [w, x, y, z] = ['w', 'x', 'y', 'z'].map((tag) => sized(tag, 100));
    for (const r of [w, x, y]) assert.equal(await new BlobStore(scratch.folder, bound).put(r.digest, r.bytes), true);
    const store = new BlobStore(scratch.folder, bound);
    assert.equal(await store.put(z.digest, z.bytes), true);
    assert.equal(store.writes, 1, 'appended past the bound before rewriting');
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [y.digest, z.digest]);
    // The same store serves from the rewritten pack.
    assert.deepEqual([await store.get(y.digest), await store.get(z.digest), await store.get(w.digest)], [y.bytes, z.bytes, undefined]);
  });

  it('leaves out a blob too large for the rewrite\'s budget, not the older ones that fit', async () => {
    const bound = header + 3 * (overhead + 100);
    const [w, x, y] = ['w', 'x', 'y'].map((tag) => sized(tag, 100));
    for (const r of [w, x, y]) assert.equal(await new BlobStore(scratch.folder, bound).put(r.digest, r.bytes), true);
    // Fits the bound alone, but not in 3/4 of it: it cannot be kept.
    const large = sized('large', 300);
    const store = new BlobStore(scratch.folder, bound);
    assert.equal(await store.put(large.digest, large.bytes), false);
    assert.equal(await store.get(large.digest), undefined);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [x.digest, y.digest]);
    assert.deepEqual(await new BlobStore(scratch.folder, bound).get(y.digest), y.bytes);
  });

  it('keeps an empty blob as the last record of the pack', async () => {
    const empty = blob('');
    assert.equal(await new BlobStore(scratch.folder).put(empty.digest, empty.bytes), true);
    assert.equal(statSync(packIn(scratch.folder)).size, header + overhead);
    const next = new BlobStore(scratch.folder);
    assert.deepEqual(await next.get(empty.digest), Buffer.alloc(0));
    assert.equal(await next.count(), 1);
  });

  it('appends to a pack that is only its header (a rewrite that kept nothing)', async () => {
    mkdirSync(scratch.folder);
    writeFileSync(packIn(scratch.folder), Buffer.from('ctrdocs\u0001', 'latin1'));
    const inode = statSync(packIn(scratch.folder)).ino;
    const a = sized('a', 100);
    const store = new BlobStore(scratch.folder);
    assert.equal(await store.count(), 0);
    assert.equal(await store.put(a.digest, a.bytes), true);
    assert.equal(statSync(packIn(scratch.folder)).ino, inode);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [a.digest]);
  });

  it('answers false when a folder stands where the pack should be, and leaves no temporary file', async () => {
    mkdirSync(packIn(scratch.folder), { recursive: true });
    writeFileSync(`${packIn(scratch.folder)}/kept`, 'not ours');
    const a = sized('a', 100);
    const store = new BlobStore(scratch.folder);
    assert.equal(await store.get(a.digest), undefined);
    assert.equal(await store.put(a.digest, a.bytes), false);
    assert.equal(await store.get(a.digest), undefined);
    assert.deepEqual(readdirSync(scratch.folder), ['documents.pack']);
  });

  it('removes only the old store\'s files: others stay however old, and names that merely contain a digest', async () => {
    const a = sized('a', 100);
    const hex = a.digest.slice('sha256:'.length);
    mkdirSync(scratch.folder);
    const foreign = ['notes.txt', `backup-${hex}`, `${hex}.json`, `${hex}.0123456789ab.tmp.bak`];
    for (const name of foreign) {
      writeFileSync(join(scratch.folder, name), 'not ours');
      utimesSync(join(scratch.folder, name), 1_000, 1_000);
    }
    assert.equal(await new BlobStore(scratch.folder).put(a.digest, a.bytes), true);
    assert.deepEqual(readdirSync(scratch.folder).sort(), ['documents.pack', ...foreign].sort());
  });
});
