// The disk store of image documents, on real temp folders: what one session writes the next one
// reads back from the one pack file, a record whose bytes do not hash to its digest is never
// served, a torn tail or a foreign header loses only what it covers and is cleaned by the next
// write, the pack keeps within its bound by dropping the oldest records; and a BlobCache over it
// starts warm.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { resolveImage } from '../../src/containerd/images/images';
import { contentRoutes, sampleBlobs } from './contentStore';
import { FakeApi } from './fakeApi';
import { descriptorOf, digestOf, real } from './imagesFixtures';
import { blob, digestsIn, flipByteOf, packIn, scratchFolders } from './packReader';

const scratch = scratchFolders();
const [a, b, c, d] = [real.amd64Config, real.arm64Config, real.amd64Manifest, real.arm64Manifest].map(blob);

async function putEach(store: BlobStore, blobs: { digest: string; bytes: Buffer }[]): Promise<void> {
  assert.deepEqual(await Promise.all(blobs.map((x) => store.put(x.digest, x.bytes))), blobs.map(() => true));
}

describe('BlobStore', () => {
  it('gives a new session (a new store on the folder) the bytes an earlier one wrote, from one pack file', async () => {
    const { folder } = scratch;
    assert.equal(await new BlobStore(folder).put(a.digest, a.bytes), true);
    assert.deepEqual(readdirSync(folder), ['documents.pack']);
    assert.deepEqual(digestsIn(packIn(folder)), [a.digest]);
    const next = new BlobStore(folder);
    assert.deepEqual(await next.get(a.digest), a.bytes);
    assert.equal(await next.get(digestOf('never written')), undefined);
    assert.equal(await next.count(), 1);
  });

  it('refuses to write bytes that do not hash to the digest, and digests that are not plain sha256', async () => {
    const { folder } = scratch;
    const store = new BlobStore(folder);
    assert.equal(await store.put(digestOf('other bytes'), Buffer.from(real.amd64Config)), false);
    assert.equal(await store.put('sha256:../../escape', Buffer.from('x')), false);
    assert.equal(await store.put(`sha512:${'0'.repeat(128)}`, Buffer.from('x')), false);
    assert.equal(await store.get('sha256:../../escape'), undefined);
    assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], []);
  });

  it('writes a blob put twice (at once, then again) once', async () => {
    const store = new BlobStore(scratch.folder);
    assert.deepEqual(await Promise.all([store.put(a.digest, a.bytes), store.put(a.digest, a.bytes)]), [true, true]);
    assert.equal(await store.put(a.digest, a.bytes), true);
    assert.equal(await new BlobStore(scratch.folder).put(a.digest, a.bytes), true);
    assert.deepEqual(digestsIn(packIn(scratch.folder)), [a.digest]);
  });

  it('never serves a record whose bytes changed, serves the others, and drops it at the next write', async () => {
    const { folder } = scratch;
    await putEach(new BlobStore(folder), [a, b, c]);
    flipByteOf(packIn(folder), b.digest);
    const next = new BlobStore(folder);
    assert.deepEqual(await next.get(a.digest), a.bytes);
    assert.equal(await next.get(b.digest), undefined);
    assert.deepEqual(await next.get(c.digest), c.bytes);
    assert.equal(await next.count(), 2);
    await putEach(next, [d]);
    assert.deepEqual(digestsIn(packIn(folder)), [a.digest, c.digest, d.digest]);
    // Written again (from containerd), it is trusted again.
    await putEach(next, [b]);
    assert.deepEqual(await new BlobStore(folder).get(b.digest), b.bytes);
  });

  it('loses only the last record to a torn tail (a crash mid-append), which the next write cuts off', async () => {
    const { folder } = scratch;
    await putEach(new BlobStore(folder), [a, b, c]);
    truncateSync(packIn(folder), statSync(packIn(folder)).size - 5);
    const next = new BlobStore(folder);
    assert.deepEqual(await next.get(a.digest), a.bytes);
    assert.deepEqual(await next.get(b.digest), b.bytes);
    assert.equal(await next.get(c.digest), undefined);
    await putEach(next, [d]);
    // Appended after the torn bytes, d would be unreadable: the pack was rewritten whole.
    assert.deepEqual(digestsIn(packIn(folder)), [a.digest, b.digest, d.digest]);
    assert.deepEqual(await new BlobStore(folder).get(d.digest), d.bytes);
  });

  it('reads nothing from a file without the pack header, and replaces it at the next write', async () => {
    const { folder } = scratch;
    mkdirSync(folder);
    // Records of another format (or version) after a header that is not ours.
    const length = Buffer.alloc(4);
    length.writeUInt32BE(a.bytes.length);
    writeFileSync(packIn(folder), Buffer.concat([Buffer.from('ctrdocs\u0002', 'latin1'), Buffer.from(a.digest.slice(7), 'hex'), length, a.bytes]));
    const store = new BlobStore(folder);
    assert.equal(await store.get(a.digest), undefined);
    await putEach(store, [b]);
    assert.deepEqual(digestsIn(packIn(folder)), [b.digest]);
    assert.deepEqual(await new BlobStore(folder).get(b.digest), b.bytes);
  });

  it('keeps the pack within its bound by dropping the oldest records, also those of earlier sessions', async () => {
    const { folder } = scratch;
    const [w, x, y, z] = ['w', 'x', 'y', 'z'].map((tag) => blob(`${tag}${'.'.repeat(99)}`));
    // The header and three records of 100 bytes: the fourth does not fit, the rewrite keeps 3/4 (312 bytes).
    const bound = 8 + 3 * (36 + 100);
    for (const next of [w, x, y, z]) {
      const store = new BlobStore(folder, bound);
      assert.equal(await store.put(next.digest, next.bytes), true);
      assert.ok(statSync(packIn(folder)).size <= bound, 'the pack stays within its bound');
      assert.equal(store.bytes, statSync(packIn(folder)).size);
    }
    assert.deepEqual(digestsIn(packIn(folder)), [y.digest, z.digest]);
    const store = new BlobStore(folder, bound);
    assert.equal(await store.get(w.digest), undefined);
    assert.deepEqual(await store.get(z.digest), z.bytes);
    // A blob larger than the whole bound is not kept.
    const big = blob('y'.repeat(bound));
    assert.equal(await store.put(big.digest, big.bytes), false);
  });
});

describe('BlobCache over a BlobStore', () => {
  const image = { name: 'docker.io/library/busybox:sample', target: descriptorOf(mediaTypes.ociIndex, real.sampleIndex) };
  const reads = (client: FakeApi): number => client.lines.filter((call) => call.startsWith('Content/Read')).length;

  it('starts a new session warm: presence asked, no document read again; a tampered one is read again', async (t) => {
    const { folder } = scratch;
    const first = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    const cold = await resolveImage(first, 'default', image, new BlobCache({ store: new BlobStore(folder) }));
    assert.equal(reads(first), 5);

    const second = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    const warm = await resolveImage(second, 'default', image, new BlobCache({ store: new BlobStore(folder) }));
    assert.deepEqual(warm, cold);
    assert.equal(reads(second), 0);
    assert.deepEqual(second.lines, ['Content/List default'], 'presence: one listing of the namespace');

    flipByteOf(packIn(folder), digestOf(real.amd64Config));
    const third = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    assert.deepEqual(await resolveImage(third, 'default', image, new BlobCache({ store: new BlobStore(folder) })), cold);
    assert.deepEqual(third.lines.filter((call) => call.startsWith('Content/Read')), ['Content/Read default']);
    assert.equal((await new BlobStore(folder).get(digestOf(real.amd64Config)))?.toString(), real.amd64Config, 'the good bytes were written back');
    assert.equal(await new BlobStore(folder).count(), 5);
  });
});
