// The document pack cleaned and rewritten, on real temp folders: a rewrite that cleans a torn tail
// keeps everything that fits the bound exactly and is followed by plain appends again, it also
// removes the temporary file a crash mid-rewrite left, a put that failed is tried again by the
// next one, and a caller can change neither what was kept nor what is served.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { blob, digestsIn, flipByteOf, packIn, scratchFolders } from './packReader';

const scratch = scratchFolders();
const [header, overhead] = [8, 36];
const sized = (tag: string, length: number): { digest: string; bytes: Buffer } => blob(tag + '.'.repeat(length - tag.length));
/** What a window that crashed mid-append leaves: the start of a record. */
const tornTail = Buffer.from('0123456789abcdef', 'hex');

describe('BlobStore rewrites', () => {
  it('cleans a torn tail keeping every record when they fill the bound exactly', async () => {
    const bound = header + 2 * (overhead + 100);
    const [a, b] = [sized('a', 100), sized('b', 100)];
    assert.equal(await new BlobStore(scratch.folder, bound).put(a.digest, a.bytes), true);
    appendFileSync(packIn(scratch.folder), tornTail);
    const store = new BlobStore(scratch.folder, bound);
    assert.equal(await store.put(b.digest, b.bytes), true);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [a.digest, b.digest]);
    assert.equal(statSync(packIn(scratch.folder)).size, bound);
  });

  it('appends again after the rewrite that cleaned the pack', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((tag) => sized(tag, 100));
    assert.equal(await new BlobStore(scratch.folder).put(a.digest, a.bytes), true);
    appendFileSync(packIn(scratch.folder), tornTail);
    const store = new BlobStore(scratch.folder);
    assert.equal(await store.put(b.digest, b.bytes), true);
    const rewritten = statSync(packIn(scratch.folder)).ino;
    assert.equal(await store.put(c.digest, c.bytes), true);
    assert.equal(statSync(packIn(scratch.folder)).ino, rewritten, 'the clean pack was rewritten again instead of appended to');
    assert.deepEqual([digestsIn(packIn(scratch.folder)), store.writes], [[a.digest, b.digest, c.digest], 2]);
  });

  it('removes the temporary file of a rewrite a crash interrupted, when it rewrites', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((tag) => sized(tag, 100));
    const store = new BlobStore(scratch.folder);
    assert.equal(await store.put(a.digest, a.bytes), true);
    assert.equal(await store.put(b.digest, b.bytes), true);
    const crashed = join(scratch.folder, 'documents.pack.0123456789ab.tmp');
    writeFileSync(crashed, 'half a pack');
    utimesSync(crashed, 1_000, 1_000);
    flipByteOf(packIn(scratch.folder), a.digest);
    const next = new BlobStore(scratch.folder);
    assert.equal(await next.get(a.digest), undefined);
    assert.equal(await next.put(c.digest, c.bytes), true);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [b.digest, c.digest]);
    assert.ok(!existsSync(crashed), 'the crashed rewrite\'s file is still there');
  });
});

describe('BlobStore puts', () => {
  it('tries a put again after one that failed (a folder that could not be made, then could)', async () => {
    const a = sized('a', 100);
    mkdirSync(join(scratch.folder, '..'), { recursive: true });
    writeFileSync(scratch.folder, 'a file where the folder should be');
    const store = new BlobStore(join(scratch.folder, 'documents'));
    assert.equal(await store.put(a.digest, a.bytes), false);
    rmSync(scratch.folder);
    assert.equal(await store.put(a.digest, a.bytes), true);
    assert.deepEqual(await new BlobStore(join(scratch.folder, 'documents')).get(a.digest), a.bytes);
  });

  it('keeps and serves its own copy: a caller changing its buffers changes nothing kept', async () => {
    const a = sized('a', 100);
    const given = Buffer.from(a.bytes);
    const store = new BlobStore(scratch.folder);
    const put = store.put(a.digest, given);
    given.fill(0);
    assert.equal(await put, true);
    const served = await store.get(a.digest);
    assert.deepEqual(served, a.bytes);
    served?.fill(0);
    assert.deepEqual(await store.get(a.digest), a.bytes);
    assert.deepEqual(await new BlobStore(scratch.folder).get(a.digest), a.bytes);
  });

  it('never follows a symlink where the pack should be: the first put puts a real pack in its place', async () => {
    const a = sized('a', 100);
    mkdirSync(scratch.folder, { recursive: true });
    const elsewhere = join(scratch.folder, '..', 'elsewhere');
    writeFileSync(elsewhere, 'not a pack, not ours');
    symlinkSync(elsewhere, packIn(scratch.folder));
    const store = new BlobStore(scratch.folder);
    assert.equal(await store.get(a.digest), undefined);
    assert.equal(await store.put(a.digest, a.bytes), true);
    assert.ok(lstatSync(packIn(scratch.folder)).isFile());
    assert.equal(readFileSync(elsewhere, 'utf8'), 'not a pack, not ours');
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [a.digest]);
  });

  it('checks every record when it counts them', async () => {
    const [a, b] = [sized('a', 100), sized('b', 100)];
    for (const r of [a, b]) assert.equal(await new BlobStore(scratch.folder).put(r.digest, r.bytes), true);
    flipByteOf(packIn(scratch.folder), a.digest);
    assert.equal(await new BlobStore(scratch.folder).count(), 1);
  });

  it('writes the puts of one turn in one write, also when they come a few promise steps apart', async () => {
    const store = new BlobStore(scratch.folder);
    assert.equal(await store.get(sized('warm', 10).digest), undefined);
    const blobs = ['a', 'b', 'c', 'd'].map((tag) => sized(tag, 100));
    const puts: Promise<boolean>[] = [];
    for (const r of blobs) {
      puts.push(store.put(r.digest, r.bytes));
      for (let step = 0; step < 5; step++) await Promise.resolve();
    }
    assert.deepEqual(await Promise.all(puts), [true, true, true, true]);
    assert.equal(store.writes, 1);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), blobs.map((r) => r.digest));
  });

  it('rewrites within the bound when other windows\' appends took the pack past it', async () => {
    const bound = header + 3 * (overhead + 100);
    const [w, x, y, z] = ['w', 'x', 'y', 'z'].map((tag) => sized(tag, 100));
    const late = new BlobStore(scratch.folder, bound);
    assert.equal(await late.count(), 0);
    for (const r of [w, x, y]) assert.equal(await new BlobStore(scratch.folder, bound).put(r.digest, r.bytes), true);
    // `late` saw no pack: it appends, finds the pack past the bound, and rewrites it.
    assert.equal(await late.put(z.digest, z.bytes), true);
    assert.ok(statSync(packIn(scratch.folder)).size <= bound);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [y.digest, z.digest]);
  });
});
