// The content calls image resolution makes through the blob cache, as the daemon sees them: one
// listing per namespace (also when two namespaces resolve at once, or when the daemon has no
// Content.List), a listing raced by a resync not trusted, what is asked again after an image
// event, NOT_FOUND told apart from a daemon that went away, and the bounds on what is kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache, contentBlobSource, BlobTooLargeError, maxDocumentBytes } from '../../src/containerd/images/blobCache';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { resolveImage } from '../../src/containerd/images/images';
import { contentPaths, contentRoutes, sampleBlobs } from './contentStore';
import { fakeAddress, FakeApi } from './fakeApi';
import { descriptorOf, digestOf, layerDigests, real } from './imagesFixtures';
import { scratchFolders } from './packReader';

const image = { name: 'docker.io/library/busybox:sample', target: descriptorOf('application/vnd.oci.image.index.v1+json', real.sampleIndex) };
const availability = (resolved: { platforms: readonly { platform: string; available: boolean }[] }): string[] => resolved.platforms.map((p) => `${p.platform} ${p.available}`);
const scratch = scratchFolders();

describe('BlobCache: presence as the daemon is asked it', () => {
  it('asks each blob alone when the daemon (or a proxy) has no Content.List', async (t) => {
    const blobs = sampleBlobs();
    blobs.delete(layerDigests.arm64);
    const routes = contentRoutes(blobs, ['default']);
    const client = new FakeApi(t, { unary: routes.unary, stream: { ...routes.stream, [contentPaths.list]: () => { throw new ContainerdRequestError('UNIMPLEMENTED', 'Content.List', fakeAddress, 'unknown method List'); } } });
    const cache = new BlobCache();
    const resolved = await resolveImage(client, 'default', image, cache);
    assert.deepEqual(availability(resolved), ['linux/amd64 true', 'linux/arm64 false']);
    assert.deepEqual(resolved.platforms[1]?.missing, [layerDigests.arm64]);
    assert.deepEqual([...client.lines].sort(), ['Content/Info default', 'Content/Info default', 'Content/List default', ...Array<string>(5).fill('Content/Read default')]);
    // What each question answered is remembered: a warm resolution asks nothing and says the same.
    assert.deepEqual(await resolveImage(client, 'default', image, cache), resolved);
    assert.equal(client.calls.length, 8);
  });

  it('lists each namespace once when two resolve the same image at the same moment', async (t) => {
    const blobs = sampleBlobs();
    blobs.delete(layerDigests.arm64);
    const client = new FakeApi(t, contentRoutes(blobs, ['default', 'team-a']));
    const cache = new BlobCache();
    const [inDefault, inTeam] = await Promise.all([resolveImage(client, 'default', image, cache), resolveImage(client, 'team-a', image, cache)]);
    assert.deepEqual([availability(inDefault), availability(inTeam)], [['linux/amd64 true', 'linux/arm64 false'], ['linux/amd64 true', 'linux/arm64 false']]);
    // Each namespace: its listing, and one question for the layer it did not list.
    assert.deepEqual(client.lines.filter((line) => !line.startsWith('Content/Read')).sort(), ['Content/Info default', 'Content/Info team-a', 'Content/List default', 'Content/List team-a']);
  });

  it('does not trust a listing that a resync overtook: a blob pruned meanwhile shows as missing', async (t) => {
    const blobs = sampleBlobs();
    const routes = contentRoutes(blobs, ['default']);
    const list = routes.stream[contentPaths.list];
    assert.ok(list);
    let listed = (): void => undefined;
    const listing = new Promise<void>((resolve) => { listed = resolve; });
    let answer = (): void => undefined;
    const gate = new Promise<void>((resolve) => { answer = resolve; });
    const client = new FakeApi(t, { unary: routes.unary, stream: { ...routes.stream, [contentPaths.list]: async (request, namespace) => {
      const before = list(request, namespace); // what the daemon had when asked
      listed();
      await gate;
      return before;
    } } });
    const cache = new BlobCache();
    const resolving = resolveImage(client, 'default', image, cache);
    await listing;
    blobs.delete(layerDigests.arm64);
    cache.forgetStale('all');
    answer();
    const resolved = await resolving;
    assert.deepEqual(availability(resolved), ['linux/amd64 true', 'linux/arm64 false']);
    assert.deepEqual(resolved.platforms[1]?.missing, [layerDigests.arm64]);
  });

  it('asks again after an image event only for the blobs it found missing', async (t) => {
    const blobs = sampleBlobs();
    blobs.delete(digestOf(real.arm64Manifest));
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const cache = new BlobCache();
    assert.deepEqual(availability(await resolveImage(client, 'default', image, cache)), ['linux/amd64 true', 'linux/arm64 false']);
    blobs.set(digestOf(real.arm64Manifest), Buffer.from(real.arm64Manifest));
    // An /images/update in the namespace, no content deleted.
    cache.forgetStale(new Set(['default']));
    const before = client.calls.length;
    assert.deepEqual(availability(await resolveImage(client, 'default', image, cache)), ['linux/amd64 true', 'linux/arm64 true']);
    // The manifest found missing, then its config: nothing that was present is asked again.
    assert.deepEqual(client.calls.slice(before).map((c) => c.request.digest), [digestOf(real.arm64Manifest), digestOf(real.arm64Config)]);
  });

  it('asks nothing on a warm resolution of an image without layers', async (t) => {
    const config = '{"architecture":"amd64","os":"linux","config":{"Labels":{"only":"metadata"}},"rootfs":{"type":"layers","diff_ids":[]}}';
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: descriptorOf('application/vnd.oci.image.config.v1+json', config), layers: [] });
    const client = new FakeApi(t, contentRoutes(new Map([manifest, config].map((text) => [digestOf(text), Buffer.from(text)])), ['default']));
    const cache = new BlobCache();
    const scratchImage = { name: 'labels-only:1', target: descriptorOf('application/vnd.oci.image.manifest.v1+json', manifest) };
    const cold = await resolveImage(client, 'default', scratchImage, cache);
    assert.deepEqual(client.lines, ['Content/Read default', 'Content/Read default']);
    assert.deepEqual(cache.stats, { hits: 0, misses: 2 });
    assert.deepEqual(await resolveImage(client, 'default', scratchImage, cache), cold);
    assert.equal(client.calls.length, 2);
    assert.deepEqual(cache.stats, { hits: 2, misses: 2 });
  });
});

describe('BlobCache: failed reads', () => {
  it('passes a daemon that went away on, and does not call the blob missing', async (t) => {
    const gone = new ContainerdRequestError('UNAVAILABLE', 'Content.Read', fakeAddress, 'connection closed');
    const routes = contentRoutes(sampleBlobs(), ['default']);
    const client = new FakeApi(t, { unary: routes.unary, stream: { ...routes.stream, [contentPaths.read]: () => { throw gone; } } });
    const cache = new BlobCache();
    await assert.rejects(resolveImage(client, 'default', image, cache), gone);
    assert.equal(cache.presence('default', image.target.digest), undefined);
  });

  it('gives a new session\'s namespace only the stored documents its own content store has', async (t) => {
    await resolveImage(new FakeApi(t, contentRoutes(sampleBlobs(), ['default'])), 'default', image, new BlobCache({ store: new BlobStore(scratch.folder) }));
    const blobs = sampleBlobs();
    blobs.delete(digestOf(real.arm64Manifest));
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const resolved = await resolveImage(client, 'default', image, new BlobCache({ store: new BlobStore(scratch.folder) }));
    assert.deepEqual(availability(resolved), ['linux/amd64 true', 'linux/arm64 false']);
    assert.deepEqual(resolved.platforms[1]?.missing, [digestOf(real.arm64Manifest)]);
    // No document read again: the listing, and a question for the manifest it lacked.
    assert.deepEqual(client.calls.map((c) => `${c.path.split('/').pop()} ${String(c.request.digest)}`), ['List undefined', `Info ${digestOf(real.arm64Manifest)}`]);
  });

  it('reads a document of exactly the 4 MiB bound, and refuses one byte more without a read', async (t) => {
    const text = JSON.stringify({ pad: 'x'.repeat(maxDocumentBytes - 10) });
    assert.equal(text.length, maxDocumentBytes);
    const client = new FakeApi(t, contentRoutes(new Map([[digestOf(text), Buffer.from(text)]]), ['default']));
    const source = contentBlobSource(client, 'default', new BlobCache());
    assert.equal(((await source.json(digestOf(text), text.length)) as { pad: string }).pad.length, maxDocumentBytes - 10);
    await assert.rejects(source.json(digestOf(`${text} `), maxDocumentBytes + 1), BlobTooLargeError);
    assert.deepEqual(client.lines, ['Content/Read default']);
  });
});

describe('BlobCache bound, exactly', () => {
  it('keeps documents that fill the bound exactly, and a single document as large as the bound', () => {
    const cache = new BlobCache({ maxBytes: 3000 });
    for (const d of ['sha256:1', 'sha256:2', 'sha256:3']) cache.storeDocument(d, { d }, 1000);
    assert.equal(cache.documentBytes, 3000);
    assert.deepEqual(['sha256:1', 'sha256:2', 'sha256:3'].map((d) => cache.document(d)), [{ d: 'sha256:1' }, { d: 'sha256:2' }, { d: 'sha256:3' }]);
    cache.storeDocument('sha256:whole', { whole: true }, 3000);
    assert.deepEqual([cache.document('sha256:whole'), cache.document('sha256:3'), cache.documentBytes], [{ whole: true }, undefined, 3000]);
    // Storing a digest again replaces it: its bytes are counted once.
    cache.storeDocument('sha256:whole', { whole: 'again' }, 3000);
    assert.deepEqual([cache.document('sha256:whole'), cache.documentBytes], [{ whole: 'again' }, 3000]);
  });
});
