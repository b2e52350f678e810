// The disk store of image documents, on real temp folders: what one session writes the next one
// reads back, bytes that do not hash to their name are never trusted (and are deleted), the folder
// keeps within its bound by dropping the oldest files; and a BlobCache over it starts warm.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { resolveImage } from '../../src/containerd/images/images';
import { contentHandlers, FakeClient, sampleBlobs } from './fakeContent';
import { descriptorOf, digestOf, real } from './imagesFixtures';

const blob = (text: string): { digest: string; bytes: Buffer } => ({ digest: digestOf(text), bytes: Buffer.from(text) });
const fileOf = (folder: string, digest: string): string => join(folder, digest.slice('sha256:'.length));

let folder: string;
beforeEach(() => { folder = join(mkdtempSync(join(tmpdir(), 'vscc-blobstore-')), 'documents'); });
afterEach(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

describe('BlobStore', () => {
  it('gives a new session (a new store on the folder) the bytes an earlier one wrote', async () => {
    const a = blob(real.amd64Config);
    assert.equal(await new BlobStore(folder).put(a.digest, a.bytes), true);
    assert.deepEqual(readFileSync(fileOf(folder, a.digest)), a.bytes, 'the file holds the raw blob');
    const next = new BlobStore(folder);
    assert.deepEqual(await next.get(a.digest), a.bytes);
    assert.equal(await next.get(digestOf('never written')), undefined);
  });

  it('refuses to write bytes that do not hash to the digest, and digests that are not plain sha256', async () => {
    const store = new BlobStore(folder);
    assert.equal(await store.put(digestOf('other bytes'), Buffer.from(real.amd64Config)), false);
    assert.equal(await store.put('sha256:../../escape', Buffer.from('x')), false);
    assert.equal(await store.put(`sha512:${'0'.repeat(128)}`, Buffer.from('x')), false);
    assert.equal(await store.get('sha256:../../escape'), undefined);
    assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], []);
  });

  it('deletes a tampered or torn file instead of trusting it', async () => {
    const a = blob(real.amd64Config);
    const b = blob(real.arm64Config);
    await new BlobStore(folder).put(a.digest, a.bytes);
    await new BlobStore(folder).put(b.digest, b.bytes);
    writeFileSync(fileOf(folder, a.digest), real.amd64Config.replace('amd64', 'arm64'));
    writeFileSync(fileOf(folder, b.digest), b.bytes.subarray(0, 10));
    const next = new BlobStore(folder);
    assert.equal(await next.get(a.digest), undefined);
    assert.equal(await next.get(b.digest), undefined);
    assert.deepEqual(readdirSync(folder), []);
    // Written again (from containerd), it is trusted again.
    assert.equal(await next.put(a.digest, a.bytes), true);
    assert.deepEqual(await new BlobStore(folder).get(a.digest), a.bytes);
  });

  it('keeps the folder within its bound by deleting the oldest files, also those of earlier sessions', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((tag) => blob(`${tag}${'x'.repeat(99)}`));
    assert.ok(a && b && c);
    await new BlobStore(folder, 250).put(b.digest, b.bytes);
    await new BlobStore(folder, 250).put(a.digest, a.bytes);
    // "a" was written long ago (an earlier session), "b" yesterday.
    utimesSync(fileOf(folder, a.digest), 1_000, 1_000);
    utimesSync(fileOf(folder, b.digest), 2_000, 2_000);
    const store = new BlobStore(folder, 250);
    await store.put(c.digest, c.bytes);
    assert.deepEqual(readdirSync(folder).sort(), [b.digest, c.digest].map((d) => d.slice(7)).sort());
    assert.equal(store.bytes, 200);
    assert.equal(await store.get(a.digest), undefined);
    assert.deepEqual(await store.get(c.digest), c.bytes);
    // A blob larger than the whole bound is not kept.
    const big = blob('y'.repeat(300));
    assert.equal(await store.put(big.digest, big.bytes), false);
  });
});

describe('BlobCache over a BlobStore', () => {
  const image = { name: 'docker.io/library/busybox:sample', target: descriptorOf(mediaTypes.ociIndex, real.sampleIndex) };
  const reads = (client: FakeClient): number => client.calls.filter((c) => c.startsWith('Content/Read')).length;

  it('starts a new session warm: presence asked, no document read again; a tampered one is read again', async () => {
    const first = new FakeClient(contentHandlers(sampleBlobs(), ['default']));
    const cold = await resolveImage(first, 'default', image, new BlobCache({ store: new BlobStore(folder) }));
    assert.equal(reads(first), 5);

    const second = new FakeClient(contentHandlers(sampleBlobs(), ['default']));
    const warm = await resolveImage(second, 'default', image, new BlobCache({ store: new BlobStore(folder) }));
    assert.deepEqual(warm, cold);
    assert.equal(reads(second), 0);
    assert.deepEqual(second.calls, ['Content/List default'], 'presence: one listing of the namespace');

    writeFileSync(fileOf(folder, digestOf(real.amd64Config)), real.amd64Config.replace('"created"', '"Created"'));
    const third = new FakeClient(contentHandlers(sampleBlobs(), ['default']));
    assert.deepEqual(await resolveImage(third, 'default', image, new BlobCache({ store: new BlobStore(folder) })), cold);
    assert.deepEqual(third.calls.filter((c) => c.startsWith('Content/Read')), ['Content/Read default']);
    assert.equal(readFileSync(fileOf(folder, digestOf(real.amd64Config)), 'utf8'), real.amd64Config, 'the good bytes were written back');
  });
});
