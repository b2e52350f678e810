// The gRPC side of images without a daemon: our .proto field numbers on the wire, reading blobs
// (chunks, size limit, NOT_FOUND), the cache that makes warm resolution free, and the mapping
// of Images.List / Snapshots.Usage answers. The daemon tiers check the same against containerd.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache, contentBlobSource, readBlob, BlobTooLargeError } from '../../src/containerd/images/blobCache';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { listImages, resolveImage, unpackedSize } from '../../src/containerd/images/images';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { MethodTable } from '../../src/containerd/proto/codec';
import { exactly, FakeApi, UnexpectedCallError, type Routes } from './fakeApi';
import { descriptorOf, digestOf, real, sampleDocuments, sampleLayers } from './imagesFixtures';

const methods = new MethodTable();

function notFound(what: string): ContainerdRequestError {
  return new ContainerdRequestError('NOT_FOUND', 'test', '/test.sock', `${what}: not found`);
}

/** A content store with the given blobs in the given namespaces. */
function contentRoutes(blobs: ReadonlyMap<string, Buffer>, namespaces: readonly string[]): Routes {
  const lookup = (request: Record<string, unknown>, namespace: string | undefined): Buffer => {
    const blob = blobs.get(String(request.digest));
    if (!blob || !namespaces.includes(namespace ?? '')) throw notFound(String(request.digest));
    return blob;
  };
  return {
    stream: {
      '/containerd.services.content.v1.Content/Read': (request, namespace) => {
        const blob = lookup(request, namespace).subarray(0, Number(request.size) || undefined);
        // containerd streams in chunks; split in two to exercise reassembly.
        const half = Math.floor(blob.length / 2);
        return [{ offset: '0', data: blob.subarray(0, half) }, { offset: String(half), data: blob.subarray(half) }];
      },
    },
    unary: {
      '/containerd.services.content.v1.Content/Info': (request, namespace) => ({ info: { digest: request.digest, size: String(lookup(request, namespace).length) } }),
    },
  };
}

function sampleBlobs(): Map<string, Buffer> {
  const blobs = new Map(sampleDocuments.map((text) => [digestOf(text), Buffer.from(text)]));
  for (const layer of sampleLayers) blobs.set(layer, Buffer.from('layer bytes are never read'));
  return blobs;
}

describe('wire format', () => {
  it('encodes Content.Read with digest=1, offset=2, size=3', () => {
    const read = methods.method<{ digest: string; offset: number; size: number }, unknown>('containerd.services.content.v1.Content', 'Read');
    assert.deepEqual([...read.serialize({ digest: 'sha256:a', offset: 1, size: 2 })], [0x0a, 8, ...Buffer.from('sha256:a'), 0x10, 1, 0x18, 2]);
  });

  it('decodes Image.target=3 (media_type=1, digest=2, size=3), created_at=7 and updated_at=8', () => {
    const get = methods.method<object, { image: { name: string; target: { media_type: string; digest: string; size: string }; created_at: { seconds: string }; updated_at: { seconds: string } } }>(
      'containerd.services.images.v1.Images', 'Get');
    const target = Buffer.from([0x0a, 1, 0x6d, 0x12, 1, 0x64, 0x18, 0x80, 0x01]); // "m", "d", size 128
    const image = Buffer.concat([Buffer.from([0x0a, 1, 0x6e, 0x1a, target.length]), target, Buffer.from([0x3a, 2, 0x08, 5, 0x42, 2, 0x08, 6])]);
    const decoded = get.deserialize(Buffer.concat([Buffer.from([0x0a, image.length]), image])).image;
    assert.deepEqual([decoded.name, decoded.target.media_type, decoded.target.digest, decoded.target.size], ['n', 'm', 'd', '128']);
    assert.deepEqual([decoded.created_at.seconds, decoded.updated_at.seconds], ['5', '6']);
  });
});

describe('readBlob', () => {
  it('reassembles the chunks of a blob', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']), methods);
    const bytes = await readBlob(client, 'default', digestOf(real.amd64Config), 4096);
    assert.equal(bytes.toString(), real.amd64Config);
  });

  it('refuses a blob larger than the limit, asking for no more than limit + 1 bytes', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']), methods);
    await assert.rejects(readBlob(client, 'default', digestOf(real.amd64Config), 100), BlobTooLargeError);
    assert.deepEqual(client.calls.map((c) => [c.path, c.request.size]), [['/containerd.services.content.v1.Content/Read', 101]]);
  });

  it('passes NOT_FOUND on as a typed error', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']), methods);
    await assert.rejects(readBlob(client, 'other', digestOf(real.amd64Config), 4096), (error: unknown) => error instanceof ContainerdRequestError && error.code === 'NOT_FOUND');
  });
});

describe('BlobCache', () => {
  const target = descriptorOf(mediaTypes.ociIndex, real.sampleIndex);
  const image = { name: 'docker.io/library/busybox:sample', target };

  it('makes a warm resolution free of calls, with the same answer', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']), methods);
    const cache = new BlobCache();
    const cold = await resolveImage(client, 'default', image, cache);
    assert.equal(client.calls.filter((c) => c.path.endsWith('Content/Read')).length, 5);
    const coldCalls = client.calls.length;
    const warm = await resolveImage(client, 'default', image, cache);
    assert.deepEqual(client.calls.slice(coldCalls), []);
    assert.deepEqual(warm, cold);
    assert.deepEqual(cache.stats, { hits: 5, misses: 5 });
  });

  it('asks presence again in another namespace, but reads no JSON twice', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default', 'team-a']), methods);
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    const before = client.calls.length;
    const other = await resolveImage(client, 'team-a', image, cache);
    const calls = client.calls.slice(before);
    assert.ok(calls.length > 0 && calls.every((c) => c.path.endsWith('Content/Info') && c.namespace === 'team-a'), JSON.stringify(calls));
    assert.ok(other.platforms.every((p) => p.available));
  });

  it('does not trust cached JSON for a namespace that lacks the blob', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']), methods);
    const cache = new BlobCache();
    await resolveImage(client, 'default', image, cache);
    const elsewhere = await resolveImage(client, 'empty', image, cache);
    assert.match(elsewhere.error ?? '', /not in the content store/);
  });

  it('remembers a platform that was not pulled until an image event in its namespace', async (t) => {
    const blobs = sampleBlobs();
    blobs.delete(digestOf(real.arm64Manifest));
    const client = new FakeApi(t, contentRoutes(blobs, ['default']), methods);
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

  it('forgets presence on request and drops its oldest entries past its bound', async (t) => {
    const cache = new BlobCache(2);
    cache.markPresent('default', 'sha256:a');
    cache.forget('default', 'sha256:a');
    assert.equal(cache.presence('default', 'sha256:a'), undefined);
    cache.markMissing('default', 'sha256:b');
    assert.equal(cache.presence('default', 'sha256:b'), false);
    for (const d of ['sha256:1', 'sha256:2', 'sha256:3']) cache.storeDocument(d, { d });
    assert.equal(cache.document('sha256:1'), undefined);
    assert.deepEqual(cache.document('sha256:3'), { d: 'sha256:3' });
    const source = contentBlobSource(new FakeApi(t, {}, methods), 'default', cache);
    await assert.rejects(source.json('sha256:big', 5 * 1024 * 1024), BlobTooLargeError);
  });
});

describe('listImages and unpackedSize', () => {
  it('maps Images.List: int64 size as a number, Go zero times as undefined', async (t) => {
    const client = new FakeApi(t, { unary: {
      '/containerd.services.images.v1.Images/List': exactly({ filters: [] }, {
        images: [
          { name: 'a:1', labels: { k: 'v' }, target: { media_type: mediaTypes.ociIndex, digest: 'sha256:x', size: '491', annotations: {} }, created_at: { seconds: '946684800', nanos: 5_000_000 }, updated_at: { seconds: '-62135596800', nanos: 0 } },
          { name: 'b:1', labels: {}, target: null, created_at: null, updated_at: null },
        ],
      }, 'default'),
    } }, methods);
    const [a, b] = await listImages(client, 'default');
    assert.deepEqual(a, { name: 'a:1', labels: { k: 'v' }, target: { mediaType: mediaTypes.ociIndex, digest: 'sha256:x', size: 491, annotations: {} }, createdAt: new Date(946684800005) });
    assert.deepEqual(b, { name: 'b:1', labels: {}, target: { mediaType: '', digest: '', size: 0, annotations: {} } });
  });

  it('sums the usage of every snapshot of the chain; undefined when one is missing or there are no layers', async (t) => {
    const usage: Record<string, string> = { 'sha256:l1': '100', [chainOf2()]: '20' };
    const client = new FakeApi(t, { unary: {
      '/containerd.services.snapshots.v1.Snapshots/Usage': (request, namespace) => {
        if (request.snapshotter !== 'overlayfs' || namespace !== 'default') throw new UnexpectedCallError('only overlayfs in default is set up');
        const size = usage[String(request.key)];
        if (size === undefined) throw notFound(String(request.key));
        return { size, inodes: '3' };
      },
    } }, methods);
    assert.equal(await unpackedSize(client, 'default', 'overlayfs', ['sha256:l1', 'sha256:l2']), 120);
    assert.equal(await unpackedSize(client, 'default', 'overlayfs', ['sha256:l1', 'sha256:other']), undefined);
    assert.equal(await unpackedSize(client, 'default', 'overlayfs', []), undefined);
  });
});

function chainOf2(): string {
  return digestOf('sha256:l1 sha256:l2');
}
