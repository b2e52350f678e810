// The blob cache: documents bounded by their bytes, the least recently used dropped first; kept
// across resyncs while presence is asked again; forgotten as events and failed reads say.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache, contentBlobSource } from '../../src/containerd/images/blobCache';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { resolveImage } from '../../src/containerd/images/images';
import { contentRoutes, sampleBlobs } from './contentStore';
import { FakeApi } from './fakeApi';
import { descriptorOf, digestOf, layerDigests, real } from './imagesFixtures';

/** A JSON document of exactly `bytes` bytes, and its bytes. */
function documentOf(bytes: number, tag: string): Buffer {
  const text = JSON.stringify({ tag, pad: '' });
  return Buffer.from(JSON.stringify({ tag, pad: 'x'.repeat(bytes - text.length) }));
}

describe('BlobCache bound', () => {
  it('holds documents up to its byte bound and drops the least recently used first', async (t) => {
    // Four 1,000-byte documents in a 3,500-byte cache: one must go when the fourth arrives.
    const blobs = new Map(['a', 'b', 'c', 'd'].map((tag) => [`sha256:${tag}`, documentOf(1000, tag)]));
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const cache = new BlobCache({ maxBytes: 3500 });
    const source = contentBlobSource(client, 'default', cache);
    const reads = (): number => client.lines.filter((c) => c.startsWith('Content/Read')).length;
    for (const tag of ['a', 'b', 'c']) await source.json(`sha256:${tag}`, 1000);
    assert.equal(cache.documentBytes, 3000);
    // Touch the oldest: "b" becomes the least recently used.
    assert.equal(((await source.json('sha256:a', 1000)) as { tag: string }).tag, 'a');
    await source.json('sha256:d', 1000);
    assert.equal(cache.documentBytes, 3000);
    assert.equal(reads(), 4);
    assert.equal(cache.document('sha256:b'), undefined, 'the least recently used document should have gone');
    for (const tag of ['a', 'c', 'd']) assert.notEqual(cache.document(`sha256:${tag}`), undefined, `${tag} should have stayed`);
    // Those lookups used a, then c, then d: reading "b" again goes back to containerd and drops "a".
    await source.json('sha256:b', 1000);
    assert.equal(reads(), 5);
    assert.equal(cache.document('sha256:a'), undefined);
  });

  it('counts bytes, not entries: one large document displaces several small ones', () => {
    const cache = new BlobCache({ maxBytes: 1000 });
    for (const d of ['sha256:1', 'sha256:2', 'sha256:3']) cache.storeDocument(d, { d }, 100);
    cache.storeDocument('sha256:big', { big: true }, 850);
    assert.equal(cache.documentBytes, 950);
    assert.deepEqual(['sha256:1', 'sha256:2', 'sha256:3'].map((d) => cache.document(d) !== undefined), [false, false, true]);
    // A document larger than the whole bound is not kept (nor does it empty the cache).
    cache.storeDocument('sha256:huge', { huge: true }, 5000);
    assert.equal(cache.document('sha256:huge'), undefined);
    assert.notEqual(cache.document('sha256:big'), undefined);
  });
});

describe('BlobCache across events and resyncs', () => {
  const target = descriptorOf(mediaTypes.ociIndex, real.sampleIndex);
  const image = { name: 'docker.io/library/busybox:sample', target };
  const callsOf = (client: FakeApi, from: number, kind: string): number => client.lines.slice(from).filter((c) => c.startsWith(kind)).length;

  it('keeps the documents over a resync but asks presence again, so content pruned meanwhile shows', async (t) => {
    const blobs = sampleBlobs();
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const cache = new BlobCache();
    assert.equal((await resolveImage(client, 'default', image, cache)).platforms[1]?.available, true);
    // Pruned while the event stream was down: no event said so.
    blobs.delete(digestOf(real.arm64Config));
    cache.forgetStale('all');
    const before = client.calls.length;
    const again = await resolveImage(client, 'default', image, cache);
    assert.equal(callsOf(client, before, 'Content/Read'), 0, 'a resync re-read documents');
    assert.ok(callsOf(client, before, 'Content/List') + callsOf(client, before, 'Content/Info') > 0, 'a resync kept presence');
    assert.equal(again.platforms[1]?.available, false);
    assert.deepEqual(again.platforms[1]?.missing, [digestOf(real.arm64Config)]);
  });

  it('learns presence from one listing per namespace and resync, asking alone only for what it did not list', async (t) => {
    const blobs = sampleBlobs();
    blobs.delete(layerDigests.arm64);
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const cache = new BlobCache();
    const images = Array.from({ length: 50 }, (_, i) => ({ ...image, name: `docker.io/library/busybox:${i}` }));
    const resolved = await Promise.all(images.map((i) => resolveImage(client, 'default', i, cache)));
    assert.ok(resolved.every((r) => r.platforms[0]?.available && r.platforms[1]?.available === false));
    // 5 documents read, one listing, and one question for the layer the listing lacked.
    assert.deepEqual(client.lines.sort(), [...Array<string>(5).fill('Content/Read default'), 'Content/List default', 'Content/Info default'].sort());
    cache.forgetStale('all');
    const before = client.calls.length;
    await Promise.all(images.map((i) => resolveImage(client, 'default', i, cache)));
    assert.deepEqual(client.lines.slice(before).sort(), ['Content/Info default', 'Content/List default']);
  });

  it('forgets only the blobs a /content/delete named, in its namespace', async (t) => {
    const blobs = sampleBlobs();
    const client = new FakeApi(t, contentRoutes(blobs, ['default', 'other']));
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    await resolveImage(client, 'other', image, cache);
    blobs.delete(digestOf(real.arm64Manifest));
    cache.forgetStale(new Set(['default']), new Map([['default', new Set([digestOf(real.arm64Manifest)])]]));
    const before = client.calls.length;
    assert.equal((await resolveImage(client, 'default', image, cache)).platforms[1]?.available, false);
    assert.deepEqual(client.lines.slice(before), ['Content/Info default'], 'only the deleted blob is asked again');
    // Another namespace's presence was not touched by the event (nothing is asked there).
    const other = client.calls.length;
    await resolveImage(client, 'other', image, cache);
    assert.equal(client.calls.length, other);
  });

  it('does not trust a cached document whose blob a read finds gone (NOT_FOUND)', async (t) => {
    const blobs = sampleBlobs();
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    blobs.delete(digestOf(real.amd64Manifest));
    cache.forgetStale('all');
    const amd64 = (await resolveImage(client, 'default', image, cache)).platforms[0];
    assert.deepEqual([amd64?.platform, amd64?.available, amd64?.missing], ['linux/amd64', false, [digestOf(real.amd64Manifest)]]);
    assert.equal(cache.presence('default', digestOf(real.amd64Manifest)), false);
  });
});
