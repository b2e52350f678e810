// The Images view's rows: shown from Images.List alone (repository and tag from the name), then
// resolved in one pass; when everything is cached the resolution settles before the event loop
// turns, so the view paints once instead of twice.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { listImageRows, resolveImageRows } from '../../src/model/imageRows';
import { contentPaths, contentRoutes, sampleBlobs } from './contentStore';
import { exactly, fakeAddress, FakeApi, wrapRoutes, type Answer } from './fakeApi';
import { descriptorOf, real } from './imagesFixtures';

const wire = (d: { mediaType: string; digest: string; size: number }): object => ({ media_type: d.mediaType, digest: d.digest, size: d.size, annotations: {} });
const sample = descriptorOf(mediaTypes.ociIndex, real.sampleIndex);
/** The third image alone has this target (a manifest the sample does not share). */
const own = descriptorOf(mediaTypes.dockerManifest, real.layeredManifest);
const images = [
  { name: 'docker.io/library/busybox:sample', target: sample },
  { name: 'registry.local:5000/team/app:v2', target: sample },
  { name: `registry.local:5000/team/app@sha256:${'a'.repeat(64)}`, target: own },
];

const afterATurn = (answer: Answer): Answer => async (request, namespace) => {
  await new Promise((resolve) => setImmediate(resolve));
  return answer(request, namespace);
};

/** Content answered after a turn of the event loop, as a daemon's would be; `read` wraps Content.Read. */
function daemon(t: TestContext, read: (answer: Answer) => Answer = (answer) => answer): FakeApi {
  const store = contentRoutes(sampleBlobs(), ['default']);
  const content = wrapRoutes({ unary: store.unary, stream: { ...store.stream, [contentPaths.read]: read(store.stream[contentPaths.read]) } }, afterATurn);
  const list = exactly({ filters: [] }, { images: images.map(({ name, target }) => ({ name, labels: {}, target: wire(target), created_at: null, updated_at: null })) }, 'default');
  return new FakeApi(t, { stream: content.stream, unary: { ...content.unary, '/containerd.services.images.v1.Images/List': list } });
}

describe('image rows', () => {
  it('come from one Images.List per namespace, named before anything is resolved', async (t) => {
    const api = daemon(t);
    const [listed] = await listImageRows(api, api.address, ['default']);
    assert.deepEqual(api.lines, ['Images/List default']);
    assert.deepEqual(listed?.rows.map((r) => [r.reference.repository, r.reference.tag, r.reference.dangling, r.resolved]), [
      ['busybox', 'sample', false, undefined],
      ['registry.local:5000/team/app', 'v2', false, undefined],
      ['registry.local:5000/team/app', undefined, true, undefined],
    ]);
  });

  it('are resolved in one pass; an image that fails says why and spoils no other', async (t) => {
    // The daemon drops the connection while the third image's own manifest is read.
    const api = daemon(t, (read) => (request, namespace) => {
      if (request.digest === own.digest) throw new ContainerdRequestError('UNAVAILABLE', 'test', fakeAddress, 'connection dropped');
      return read(request, namespace);
    });
    const listed = await listImageRows(api, api.address, ['default']);
    const [resolved] = await resolveImageRows(api, new BlobCache(), listed);
    const rows = resolved?.rows ?? [];
    assert.deepEqual(rows.map((r) => r.failure?.replace(/.*: /, '')), [undefined, undefined, 'connection dropped']);
    for (const row of rows.filter((r) => !r.failure)) assert.deepEqual(row.resolved?.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
  });

  it('resolve again from the cache alone, without a call to the daemon', async (t) => {
    const api = daemon(t);
    const cache = new BlobCache();
    const listed = await listImageRows(api, api.address, ['default']);
    const cold = await resolveImageRows(api, cache, listed);
    const before = api.calls.length;
    assert.ok(before > 1, 'the cold resolution reads from the daemon');
    const warm = await resolveImageRows(api, cache, listed);
    assert.equal(api.calls.length, before);
    assert.deepEqual(warm[0]?.rows.map((r) => r.resolved?.platforms.length), [2, 2, 1]);
    assert.deepEqual(warm, cold);
  });
});
