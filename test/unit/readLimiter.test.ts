// One read limiter per endpoint: however wide the images and however many readers resolve them at
// once (views, inspect documents), no more than the limit of content reads are in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { resolveImage } from '../../src/containerd/images/images';
import { ReadLimiter } from '../../src/containerd/images/readLimiter';
import { inspectImage } from '../../src/containerd/inspect';
import { contentRoutes } from './contentStore';
import { exactly, FakeApi, wrapRoutes, type Routes } from './fakeApi';
import { descriptorOf, digestOf } from './imagesFixtures';

/** Every answer takes a few milliseconds, as a daemon's would; `count` follows the content calls in flight. */
function slowed(routes: Routes, count: { inFlight: number; peak: number }): Routes {
  return wrapRoutes(routes, (answer, path) => async (request, namespace) => {
    const content = path.startsWith('/containerd.services.content.v1.Content/');
    if (content) count.peak = Math.max(count.peak, ++count.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return answer(request, namespace);
    } finally {
      if (content) count.inFlight--;
    }
  });
}

/** An index of `platforms` manifests with `layers` distinct layers each: a hostile-width image. */
function wideImage(name: string, platforms: number, layers: number): { blobs: Map<string, Buffer>; index: string } {
  const blobs = new Map<string, Buffer>();
  const add = (text: string): string => {
    blobs.set(digestOf(text), Buffer.from(text));
    return text;
  };
  const manifests = Array.from({ length: platforms }, (_, p) => {
    const layerDescriptors = Array.from({ length: layers }, (_, l) => {
      const layer = add(`${name} layer ${p}/${l}`);
      return { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length };
    });
    const config = add(JSON.stringify({ architecture: 'amd64', os: 'linux', variant: `v${p}`, rootfs: { type: 'layers', diff_ids: layerDescriptors.map((l) => l.digest) } }));
    const manifest = add(JSON.stringify({ schemaVersion: 2, config: descriptorOf('application/vnd.oci.image.config.v1+json', config), layers: layerDescriptors }));
    return { ...descriptorOf(mediaTypes.ociManifest, manifest), platform: { os: 'linux', architecture: 'amd64', variant: `v${p}` } };
  });
  return { blobs, index: add(JSON.stringify({ schemaVersion: 2, manifests })) };
}

describe('ReadLimiter', () => {
  it('keeps content reads of every reader of an endpoint under the limit', async (t) => {
    const images = ['a', 'b', 'c'].map((n) => ({ name: `registry.local/wide:${n}`, ...wideImage(n, 60, 40) }));
    const blobs = new Map(images.flatMap((i) => [...i.blobs]));
    const inspected = images[1];
    const target = { media_type: mediaTypes.ociIndex, digest: digestOf(inspected.index), size: inspected.index.length, annotations: {} };
    const content = contentRoutes(blobs, ['default']);
    const count = { inFlight: 0, peak: 0 };
    const api = new FakeApi(t, slowed({
      stream: content.stream,
      unary: {
        ...content.unary,
        '/containerd.services.images.v1.Images/Get': exactly({ name: inspected.name }, { image: { name: inspected.name, labels: {}, target, created_at: null, updated_at: null } }, 'default'),
      },
    }, count));
    const cache = new BlobCache({ maxReads: 16 });
    // Two views resolving every image and an inspect document, all at once on one endpoint.
    const [resolvedA, resolvedB, inspection] = await Promise.all([
      Promise.all(images.map((i) => resolveImage(api, 'default', { name: i.name, target: descriptorOf(mediaTypes.ociIndex, i.index) }, cache))),
      Promise.all(images.map((i) => resolveImage(api, 'default', { name: i.name, target: descriptorOf(mediaTypes.ociIndex, i.index) }, cache))),
      inspectImage(api, 'default', inspected.name, cache) as Promise<{ platforms: { manifest: unknown }[] }>,
    ]);
    // Everything was read (the limit queues, it drops nothing)...
    for (const resolved of [...resolvedA, ...resolvedB]) {
      assert.equal(resolved.platforms.length, 60);
      assert.ok(resolved.platforms.every((p) => p.available && p.layers.length === 40), resolved.name);
    }
    assert.equal(inspection.platforms.length, 60);
    assert.ok(inspection.platforms.every((p) => typeof p.manifest === 'object'));
    // ...with never more than 16 content calls at once, and 16 reached (else this proves nothing).
    assert.equal(count.peak, 16, `peak ${count.peak} content calls in flight`);
    assert.equal(cache.reads.inFlight, 0);
  });

  it('runs waiters in arrival order and passes failures through without losing a slot', async () => {
    const limiter = new ReadLimiter(2);
    const order: number[] = [];
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const runs = [0, 1, 2, 3, 4].map((i) => limiter.run(async () => {
      if (i < 2) await gate;
      order.push(i);
      if (i === 2) throw new Error('read failed');
      return i;
    }));
    assert.equal(limiter.inFlight, 2);
    open();
    const settled = await Promise.allSettled(runs);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.equal(limiter.inFlight, 0);
    assert.throws(() => new ReadLimiter(0), RangeError);
  });
});
