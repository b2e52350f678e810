// One read limiter per endpoint: however wide the images and however many readers resolve them at
// once (views, inspect documents), no more than the limit of content reads are in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { resolveImage } from '../../src/containerd/images/images';
import { ReadLimiter } from '../../src/containerd/images/readLimiter';
import { inspectImage } from '../../src/containerd/inspect';
import type { Method, MethodTable } from '../../src/containerd/proto/codec';
import { contentHandlers, FakeClient } from './fakeContent';
import { descriptorOf, digestOf } from './imagesFixtures';

/** Counts the content calls in flight; each call takes a few milliseconds, as a daemon's would. */
class SlowApi implements ContainerdApi {
  inFlight = 0;
  peak = 0;
  constructor(private readonly inner: FakeClient) {}
  get address(): string { return this.inner.address; }
  get methods(): MethodTable { return this.inner.methods; }
  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    return this.slow(method.path, () => this.inner.unary(method, request, namespace));
  }
  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    return this.slow(method.path, () => this.inner.streamAll(method, request, namespace));
  }
  private async slow<T>(path: string, call: () => Promise<T>): Promise<T> {
    const content = path.startsWith('/containerd.services.content.v1.Content/');
    if (content) this.peak = Math.max(this.peak, ++this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return await call();
    } finally {
      if (content) this.inFlight--;
    }
  }
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
    const manifest = add(JSON.stringify({ schemaVersion: 2, config: descriptorOf(mediaTypes.ociConfig, config), layers: layerDescriptors }));
    return { ...descriptorOf(mediaTypes.ociManifest, manifest), platform: { os: 'linux', architecture: 'amd64', variant: `v${p}` } };
  });
  return { blobs, index: add(JSON.stringify({ schemaVersion: 2, manifests })) };
}

describe('ReadLimiter', () => {
  it('keeps content reads of every reader of an endpoint under the limit', async () => {
    const images = ['a', 'b', 'c'].map((n) => ({ name: `registry.local/wide:${n}`, ...wideImage(n, 60, 40) }));
    const blobs = new Map(images.flatMap((i) => [...i.blobs]));
    const wireTarget = (index: string): object => ({ media_type: mediaTypes.ociIndex, digest: digestOf(index), size: String(index.length), annotations: {} });
    const api = new SlowApi(new FakeClient({
      ...contentHandlers(blobs, ['default']),
      '/containerd.services.images.v1.Images/Get': (request) => {
        const image = images.find((i) => i.name === request.name);
        return { image: image && { name: image.name, labels: {}, target: wireTarget(image.index), created_at: null, updated_at: null } };
      },
    }));
    const cache = new BlobCache({ maxReads: 16 });
    // Two views resolving every image and an inspect document, all at once on one endpoint.
    const [resolvedA, resolvedB, inspected] = await Promise.all([
      Promise.all(images.map((i) => resolveImage(api, 'default', { name: i.name, target: descriptorOf(mediaTypes.ociIndex, i.index) }, cache))),
      Promise.all(images.map((i) => resolveImage(api, 'default', { name: i.name, target: descriptorOf(mediaTypes.ociIndex, i.index) }, cache))),
      inspectImage(api, 'default', 'registry.local/wide:b', cache) as Promise<{ platforms: { manifest: unknown }[] }>,
    ]);
    // Everything was read (the limit queues, it drops nothing)...
    for (const resolved of [...resolvedA, ...resolvedB]) {
      assert.equal(resolved.platforms.length, 60);
      assert.ok(resolved.platforms.every((p) => p.available && p.layers.length === 40), resolved.name);
    }
    assert.equal(inspected.platforms.length, 60);
    assert.ok(inspected.platforms.every((p) => typeof p.manifest === 'object'));
    // ...with never more than 16 content calls at once, and 16 reached (else this proves nothing).
    assert.equal(api.peak, 16, `peak ${api.peak} content calls in flight`);
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
