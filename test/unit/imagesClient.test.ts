// The gRPC side of images without a daemon: our .proto field numbers on the wire, reading blobs
// (chunks, size limit, NOT_FOUND), the cache that makes warm resolution free, and the mapping
// of Images.List / Snapshots.Usage answers. The daemon tiers check the same against containerd.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache, contentBlobSource, readBlob, BlobTooLargeError } from '../../src/containerd/images/blobCache';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { listImages, resolveImage, setImageLabel, unpackedSize } from '../../src/containerd/images/images';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { descriptorOf, digestOf, real } from './imagesFixtures';
import { MethodTable } from '../../src/containerd/proto/codec';
import { contentRoutes, sampleBlobs } from './contentStore';
import { exactly, FakeApi, notFound, UnexpectedCallError } from './fakeApi';

const methods = new MethodTable();

describe('wire format', () => {
  it('encodes Content.Read with digest=1, offset=2, size=3', () => {
    const read = methods.method<{ digest: string; offset: number; size: number }, unknown>('containerd.services.content.v1.Content', 'Read');
    assert.deepEqual([...read.serialize({ digest: 'sha256:a', offset: 1, size: 2 })], [0x0a, 8, ...Buffer.from('sha256:a'), 0x10, 1, 0x18, 2]);
  });

  it('decodes Image.target=3 (media_type=1, digest=2, size=3), created_at=7 and updated_at=8', () => {
    const get = methods.method<object, { image: { name: string; target: { media_type: string; digest: string; size: number }; created_at: { seconds: number }; updated_at: { seconds: number } } }>(
      'containerd.services.images.v1.Images', 'Get');
    const target = Buffer.from([0x0a, 1, 0x6d, 0x12, 1, 0x64, 0x18, 0x80, 0x01]); // "m", "d", size 128
    const image = Buffer.concat([Buffer.from([0x0a, 1, 0x6e, 0x1a, target.length]), target, Buffer.from([0x3a, 2, 0x08, 5, 0x42, 2, 0x08, 6])]);
    const decoded = get.deserialize(Buffer.concat([Buffer.from([0x0a, image.length]), image])).image;
    assert.deepEqual([decoded.name, decoded.target.media_type, decoded.target.digest, decoded.target.size], ['n', 'm', 'd', 128]);
    assert.deepEqual([decoded.created_at.seconds, decoded.updated_at.seconds], [5, 6]);
  });
});

describe('readBlob', () => {
  it('reassembles the chunks of a blob', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    const bytes = await readBlob(client, 'default', digestOf(real.amd64Config), 4096);
    assert.equal(bytes.toString(), real.amd64Config);
  });

  it('refuses a blob larger than the limit, asking for no more than limit + 1 bytes', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    await assert.rejects(readBlob(client, 'default', digestOf(real.amd64Config), 100), BlobTooLargeError);
    assert.deepEqual(client.calls.map((c) => c.request), [{ digest: digestOf(real.amd64Config), offset: 0, size: 101 }]);
  });

  it('passes NOT_FOUND on as a typed error', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    await assert.rejects(readBlob(client, 'other', digestOf(real.amd64Config), 4096), (error: unknown) => error instanceof ContainerdRequestError && error.code === 'NOT_FOUND');
  });
});

describe('BlobCache', () => {
  const target = descriptorOf(mediaTypes.ociIndex, real.sampleIndex);
  const image = { name: 'docker.io/library/busybox:sample', target };

  it('makes a warm resolution free of calls, with the same answer', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    const cache = new BlobCache();
    const cold = await resolveImage(client, 'default', image, cache);
    assert.equal(client.lines.filter((c) => c.startsWith('Content/Read')).length, 5);
    const coldCalls = client.calls.length;
    const warm = await resolveImage(client, 'default', image, cache);
    assert.equal(client.calls.length, coldCalls, `warm calls: ${client.lines.slice(coldCalls).join(', ')}`);
    assert.deepEqual(warm, cold);
    assert.deepEqual(cache.stats, { hits: 5, misses: 5 });
  });

  it('asks presence again in another namespace, but reads no JSON twice', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default', 'team-a']));
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    const before = client.calls.length;
    const other = await resolveImage(client, 'team-a', image, cache);
    const calls = client.lines.slice(before);
    assert.deepEqual(calls, ['Content/List team-a'], 'presence in the other namespace: one listing');
    assert.ok(other.platforms.every((p) => p.available));
  });

  it('does not trust cached JSON for a namespace that lacks the blob', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    const elsewhere = await resolveImage(client, 'empty', image, cache);
    assert.match(elsewhere.error ?? '', /not in the content store/);
  });

  it('remembers a platform that was not pulled until an image event in its namespace', async (t) => {
    const blobs = sampleBlobs();
    blobs.delete(digestOf(real.arm64Manifest));
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    const before = client.calls.length;
    assert.equal((await resolveImage(client, 'default', image, cache)).platforms[1]?.available, false);
    assert.equal(client.calls.length, before);
    blobs.set(digestOf(real.arm64Manifest), Buffer.from(real.arm64Manifest));
    cache.forgetMissing('other');
    assert.equal((await resolveImage(client, 'default', image, cache)).platforms[1]?.available, false);
    cache.forgetMissing('default');
    assert.equal((await resolveImage(client, 'default', image, cache)).platforms[1]?.available, true);
  });

  it('forgets presence on request and refuses an oversized document', async (t) => {
    const cache = new BlobCache();
    cache.markPresent('default', 'sha256:a');
    cache.forget('default', 'sha256:a');
    assert.equal(cache.presence('default', 'sha256:a'), undefined);
    cache.markMissing('default', 'sha256:b');
    assert.equal(cache.presence('default', 'sha256:b'), false);
    // No routes: any read of the oversized document fails the test.
    const source = contentBlobSource(new FakeApi(t, {}), 'default', cache);
    await assert.rejects(source.json('sha256:big', 5 * 1024 * 1024), BlobTooLargeError);
  });
});

describe('listImages and unpackedSize', () => {
  it('maps Images.List: int64 size as a number, Go zero times as undefined', async (t) => {
    const client = new FakeApi(t, { unary: {
      '/containerd.services.images.v1.Images/List': exactly({ filters: [] }, {
        images: [
          { name: 'a:1', labels: { k: 'v' }, target: { media_type: mediaTypes.ociIndex, digest: 'sha256:x', size: 491, annotations: {} }, created_at: { seconds: 946684800, nanos: 5_000_000 }, updated_at: { seconds: -62135596800, nanos: 0 } },
          { name: 'b:1', labels: {}, target: null, created_at: null, updated_at: null },
        ],
      }, 'default'),
    } });
    const [a, b] = await listImages(client, 'default');
    assert.deepEqual(a, { name: 'a:1', labels: { k: 'v' }, target: { mediaType: mediaTypes.ociIndex, digest: 'sha256:x', size: 491, annotations: {} }, createdAt: new Date(946684800005) });
    assert.deepEqual(b, { name: 'b:1', labels: {}, target: { mediaType: '', digest: '', size: 0, annotations: {} } });
  });

  it('sums the usage of every snapshot of the chain; undefined when one is missing or there are no layers', async (t) => {
    const usage: Record<string, number> = { 'sha256:l1': 100, [chainOf2()]: 20 };
    const client = new FakeApi(t, { unary: {
      '/containerd.services.snapshots.v1.Snapshots/Usage': (request, namespace) => {
        if (request.snapshotter !== 'overlayfs' || namespace !== 'default') throw new UnexpectedCallError('overlayfs in default only');
        const size = usage[String(request.key)];
        if (size === undefined) throw notFound(String(request.key));
        return { size, inodes: 3 };
      },
    } });
    assert.equal(await unpackedSize(client, 'default', 'overlayfs', ['sha256:l1', 'sha256:l2']), 120);
    assert.equal(await unpackedSize(client, 'default', 'overlayfs', ['sha256:l1', 'sha256:other']), undefined);
    assert.equal(await unpackedSize(client, 'default', 'overlayfs', []), undefined);
  });
});

describe('setImageLabel', () => {
  it('updates only labels.<key>, sends the target along, and maps the image containerd answers', async (t) => {
    const target = { mediaType: mediaTypes.ociIndex, digest: 'sha256:x', size: 491, annotations: { 'org.opencontainers.image.ref.name': '1' } };
    const wireTarget = { media_type: mediaTypes.ociIndex, digest: 'sha256:x', size: 491, annotations: { 'org.opencontainers.image.ref.name': '1' } };
    const client = new FakeApi(t, { unary: {
      '/containerd.services.images.v1.Images/Update': exactly(
        { image: { name: 'a:1', labels: { 'io.cri-containerd.image': 'managed' }, target: wireTarget }, update_mask: { paths: ['labels.io.cri-containerd.image'] } },
        { image: { name: 'a:1', labels: { k: 'v', 'io.cri-containerd.image': 'managed' }, target: wireTarget, created_at: { seconds: 946684800, nanos: 0 }, updated_at: null } },
        'k8s.io'),
    } });
    const updated = await setImageLabel(client, 'k8s.io', { name: 'a:1', labels: { k: 'v' }, target }, 'io.cri-containerd.image', 'managed');
    assert.deepEqual(updated, { name: 'a:1', labels: { k: 'v', 'io.cri-containerd.image': 'managed' }, target, createdAt: new Date(946684800000) });
    assert.deepEqual(client.lines, ['Images/Update k8s.io']);
  });
});

function chainOf2(): string {
  return digestOf('sha256:l1 sha256:l2');
}
