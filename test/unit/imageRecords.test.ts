// Image records and the calls around them as the daemon answers them: Images.Get, a delete that
// refuses a name moved to other content (2.x's NOT_FOUND / FAILED_PRECONDITION, or the Get before),
// the snapshotters an image is unpacked into (from its config's GC labels), the layer chains the
// Snapshots view names layers by, and reading a blob whose chunks do not line up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContainerdRequestError, type StatusName } from '../../src/containerd/connection/errors';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { hasBlob, readBlob } from '../../src/containerd/images/contentReads';
import { imageChains } from '../../src/containerd/images/imageChains';
import { deleteImage, deleteImageIfUnchanged, getImage, ImageChangedError, unpackedSize, unpackedSnapshotters } from '../../src/containerd/images/images';
import { contentPaths, contentRoutes, sampleBlobs } from './contentStore';
import { exactly, fakeAddress, FakeApi, notFound, UnexpectedCallError, type Answer } from './fakeApi';
import { digestOf, dockerManifestList, layerDigests, layeredChainIds, real, realDigests } from './imagesFixtures';

const images = '/containerd.services.images.v1.Images';
const ociIndex = 'application/vnd.oci.image.index.v1+json';
const name = 'docker.io/library/busybox:sample';
const indexDigest = realDigests.sampleIndex;
const movedTo = digestOf('another index');
const wireImage = (digest: string): object => ({
  name, labels: {}, target: { media_type: ociIndex, digest, size: 491, annotations: { 'io.containerd.image.name': name } },
  created_at: { seconds: 946684800, nanos: 0 }, updated_at: { seconds: 946684800, nanos: 0 },
});
const failure = (code: StatusName, message: string): ContainerdRequestError => new ContainerdRequestError(code, 'Images', fakeAddress, message);

/** Answers in turn, one per call: a reply, or an error to throw. */
function inTurn(...answers: (object | Error)[]): Answer {
  const expected = exactly({ name }, undefined, 'default');
  return (request, namespace) => {
    expected(request, namespace);
    const next = answers.shift();
    if (next === undefined) throw new UnexpectedCallError('asked once more than set up');
    if (next instanceof Error) throw next;
    return next;
  };
}

const deleteRequest = (digest: string): object => ({
  name, sync: true, target: { media_type: ociIndex, digest, size: 491, annotations: { 'io.containerd.image.name': name } },
});

describe('getImage and deleteImageIfUnchanged', () => {
  it('reads one image record; none when containerd has no such name; other failures passed on', async (t) => {
    const gone = failure('UNAVAILABLE', 'connection closed');
    const client = new FakeApi(t, { unary: { [`${images}/Get`]: inTurn({ image: wireImage(indexDigest) }, notFound(name), { image: null }, gone) } });
    const record = await getImage(client, 'default', name);
    assert.deepEqual(record, {
      name, labels: {}, target: { mediaType: ociIndex, digest: indexDigest, size: 491, annotations: { 'io.containerd.image.name': name } },
      createdAt: new Date(946684800000), updatedAt: new Date(946684800000),
    });
    assert.equal(await getImage(client, 'default', name), undefined);
    assert.equal(await getImage(client, 'default', name), undefined);
    await assert.rejects(getImage(client, 'default', name), gone);
  });

  it('deletes the image with its target, synchronously, when the name still points where the user saw it', async (t) => {
    const client = new FakeApi(t, { unary: {
      [`${images}/Get`]: inTurn({ image: wireImage(indexDigest) }),
      [`${images}/Delete`]: exactly(deleteRequest(indexDigest), {}, 'default'),
    } });
    await deleteImageIfUnchanged(client, 'default', name, indexDigest);
    assert.deepEqual(client.lines, ['Images/Get default', 'Images/Delete default']);
  });

  it('deletes nothing when the name moved or went before the delete, and says which', async (t) => {
    const client = new FakeApi(t, { unary: { [`${images}/Get`]: inTurn({ image: wireImage(movedTo) }, notFound(name)) } });
    await assert.rejects(deleteImageIfUnchanged(client, 'default', name, indexDigest), (error: unknown) => error instanceof ImageChangedError
      && error.message === `Image ${name} now points at ${movedTo}, not ${indexDigest} as shown when you confirmed: nothing was deleted. Look again and retry.`
      && error.actual === movedTo);
    await assert.rejects(deleteImageIfUnchanged(client, 'default', name, indexDigest), new ImageChangedError(name, indexDigest, undefined));
    assert.equal(new ImageChangedError(name, indexDigest, undefined).message, `Image ${name} no longer exists: nothing was deleted.`);
    assert.deepEqual(client.lines, ['Images/Get default', 'Images/Get default']);
  });

  for (const code of ['NOT_FOUND', 'FAILED_PRECONDITION'] as const) {
    it(`says where the name went when containerd 2.x refuses the delete with ${code} (moved between the Get and the Delete)`, async (t) => {
      const client = new FakeApi(t, { unary: {
        [`${images}/Get`]: inTurn({ image: wireImage(indexDigest) }, { image: wireImage(movedTo) }),
        [`${images}/Delete`]: () => { throw failure(code, `image ${name}: has target ${movedTo}, not ${indexDigest}`); },
      } });
      await assert.rejects(deleteImageIfUnchanged(client, 'default', name, indexDigest), (error: unknown) => error instanceof ImageChangedError && error.actual === movedTo);
      assert.deepEqual(client.lines, ['Images/Get default', 'Images/Delete default', 'Images/Get default']);
    });
  }

  it('deletes by name alone when given no target (what a bulk cleanup sends), the name\'s target then unchecked', async (t) => {
    const client = new FakeApi(t, { unary: { [`${images}/Delete`]: exactly({ name, sync: false }, {}, 'default') } });
    await deleteImage(client, 'default', name, false);
    assert.deepEqual(client.calls.map((c) => c.request), [{ name, sync: false }]);
  });

  it('says the name is gone when containerd refuses the delete and the name is no longer there', async (t) => {
    const client = new FakeApi(t, { unary: {
      [`${images}/Get`]: inTurn({ image: wireImage(indexDigest) }, notFound(name)),
      [`${images}/Delete`]: () => { throw failure('NOT_FOUND', `image ${name}: not found`); },
    } });
    await assert.rejects(deleteImageIfUnchanged(client, 'default', name, indexDigest), new ImageChangedError(name, indexDigest, undefined));
  });

  it('passes any other refusal of the delete on as it is', async (t) => {
    const denied = failure('PERMISSION_DENIED', 'not allowed');
    const client = new FakeApi(t, { unary: {
      [`${images}/Get`]: inTurn({ image: wireImage(indexDigest) }),
      [`${images}/Delete`]: () => { throw denied; },
    } });
    await assert.rejects(deleteImageIfUnchanged(client, 'default', name, indexDigest), denied);
  });
});

describe('unpackedSnapshotters and unpackedSize', () => {
  const config = realDigests.amd64Config;
  const info = (answer: unknown): Answer => exactly({ digest: config }, answer, 'default');

  it('reads the snapshotters from the unpacker\'s GC labels on the config blob, sorted', async (t) => {
    const labels = {
      'containerd.io/distribution.source.docker.io': 'library/busybox',
      'containerd.io/gc.ref.snapshot.overlayfs': layerDigests.amd64,
      'containerd.io/gc.ref.snapshot.native': layerDigests.amd64,
      'containerd.io/gc.ref.content.l.0': layerDigests.amd64,
    };
    const client = new FakeApi(t, { unary: { [contentPaths.info]: info({ info: { digest: config, size: 399, labels } }) } });
    assert.deepEqual(await unpackedSnapshotters(client, 'default', config), ['native', 'overlayfs']);
  });

  it('finds none on a config that is not in the store, or that an empty reply describes', async (t) => {
    const absent = new FakeApi(t, { unary: { [contentPaths.info]: () => { throw notFound(config); } } });
    assert.deepEqual(await unpackedSnapshotters(absent, 'default', config), []);
    const empty = new FakeApi(t, { unary: { [contentPaths.info]: info({ info: null }) } });
    assert.deepEqual(await unpackedSnapshotters(empty, 'default', config), []);
    assert.equal(await hasBlob(empty, 'default', config), true);
    assert.equal(await hasBlob(absent, 'default', config), false);
  });

  it('passes on a failure other than NOT_FOUND', async (t) => {
    const gone = failure('UNAVAILABLE', 'connection closed');
    const client = new FakeApi(t, { unary: {
      [contentPaths.info]: () => { throw gone; },
      '/containerd.services.snapshots.v1.Snapshots/Usage': () => { throw gone; },
    } });
    await assert.rejects(unpackedSnapshotters(client, 'default', config), gone);
    await assert.rejects(hasBlob(client, 'default', config), gone);
    await assert.rejects(unpackedSize(client, 'default', 'overlayfs', [layerDigests.amd64]), gone);
  });
});

describe('imageChains', () => {
  it('gives every unpackable platform of every image its chain ids, named as the views name it', async (t) => {
    const list = dockerManifestList();
    const blobs = sampleBlobs();
    for (const text of [list, real.layeredManifest, real.layeredConfig]) blobs.set(digestOf(text), Buffer.from(text));
    for (const layer of layerDigests.layered) blobs.set(layer, Buffer.from('layer'));
    const record = (imageName: string, mediaType: string, text: string): object => ({
      name: imageName, labels: {}, target: { media_type: mediaType, digest: digestOf(text), size: text.length, annotations: {} }, created_at: null, updated_at: null,
    });
    const content = contentRoutes(blobs, ['default']);
    const client = new FakeApi(t, { stream: content.stream, unary: {
      ...content.unary,
      [`${images}/List`]: exactly({ filters: [] }, { images: [
        record('app:multi', 'application/vnd.docker.distribution.manifest.list.v2+json', list),
        record(name, ociIndex, real.sampleIndex),
      ] }, 'default'),
    } });
    assert.deepEqual(await imageChains(client, 'default', new BlobCache(), 2), [
      // arm64 and arm/v7 of app:multi were never pulled: no chain.
      { name: 'app:multi (linux/amd64)', chain: layeredChainIds },
      { name: `${name} (linux/amd64)`, chain: [layerDigests.amd64] },
      { name: `${name} (linux/arm64)`, chain: [layerDigests.arm64] },
    ]);
  });
});

describe('readBlob', () => {
  it('reads a blob of exactly the limit', async (t) => {
    const client = new FakeApi(t, contentRoutes(sampleBlobs(), ['default']));
    assert.equal((await readBlob(client, 'default', digestOf(real.amd64Config), real.amd64Config.length)).toString(), real.amd64Config);
  });

  it('refuses chunks that do not follow each other (a broken proxy)', async (t) => {
    const digest = digestOf(real.amd64Config);
    const bytes = Buffer.from(real.amd64Config);
    const client = new FakeApi(t, { stream: { [contentPaths.read]: () => [{ offset: 0, data: bytes.subarray(0, 100) }, { offset: 200, data: bytes.subarray(200) }] } });
    await assert.rejects(readBlob(client, 'default', digest, 4096), new Error(`content ${digest}: chunk at offset 200, expected 100`));
  });
});
