// The resolver (index -> manifests -> config and layers) on real image documents, and on the
// cases a real content store produces: platforms not pulled, configs or layers missing,
// BuildKit attestation manifests, Docker manifest lists, nested indexes, bad content.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTarget } from '../../src/containerd/images/imageResolve';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import {
  buildkitStyleIndex, descriptorOf, digestOf, dockerManifestList, FixtureStore, layerDigests, real, realDigests, sampleDocuments, sampleLayers,
} from './imagesFixtures';

const sampleName = 'docker.io/library/busybox:sample';
const sampleTarget = descriptorOf(mediaTypes.ociIndex, real.sampleIndex);

describe('image fixtures', () => {
  it('are the exact bytes containerd stored (their digests are the ones it reported)', () => {
    for (const [key, text] of Object.entries(real)) assert.equal(digestOf(text), realDigests[key as keyof typeof real], key);
  });
});

describe('resolveTarget', () => {
  it('resolves the multi-arch sample: platforms from the configs, nerdctl content sizes', async () => {
    const image = await resolveTarget({ name: sampleName, target: sampleTarget }, new FixtureStore(sampleDocuments, sampleLayers));
    assert.equal(image.kind, 'index');
    assert.equal(image.error, undefined);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
    const [amd64, arm64] = image.platforms;
    assert.ok(amd64 && arm64);
    // manifest 400 + config 399 + layer: the index (491) is not counted, as in nerdctl.
    assert.equal(amd64.contentSize, 400 + 399 + 2124288);
    assert.equal(arm64.contentSize, 400 + 399 + 1988608);
    assert.equal(image.contentSize, amd64.contentSize + arm64.contentSize);
    assert.deepEqual(amd64.diffIds, [layerDigests.amd64]);
    assert.equal(amd64.config?.digest, realDigests.amd64Config);
    assert.equal(amd64.manifest.digest, realDigests.amd64Manifest);
    assert.deepEqual(amd64.layers.map((l) => l.digest), [layerDigests.amd64]);
    assert.equal(amd64.created?.toISOString(), '2000-01-01T00:00:00.000Z');
    assert.ok(amd64.available && arm64.available);
    assert.deepEqual([amd64.missing, arm64.missing], [[], []]);
    assert.deepEqual([image.repository, image.tag, image.dangling], ['busybox', 'sample', false]);
  });

  it('reports a platform whose manifest was never pulled as unavailable, named from the index', async () => {
    const store = new FixtureStore([real.sampleIndex, real.amd64Manifest, real.amd64Config], [layerDigests.amd64]);
    const image = await resolveTarget({ name: sampleName, target: sampleTarget }, store);
    const arm64 = image.platforms.find((p) => p.architecture === 'arm64');
    assert.ok(arm64);
    assert.equal(arm64.platform, 'linux/arm64');
    assert.equal(arm64.available, false);
    assert.deepEqual(arm64.missing, [realDigests.arm64Manifest]);
    assert.equal(arm64.contentSize, undefined);
    assert.deepEqual(arm64.diffIds, []);
    assert.equal(image.contentSize, 400 + 399 + 2124288);
  });

  it('reports a platform whose config is missing (containerd 2.x keeps the manifest) as unavailable', async () => {
    const store = new FixtureStore([real.sampleIndex, real.amd64Manifest, real.amd64Config, real.arm64Manifest], [layerDigests.amd64]);
    const arm64 = (await resolveTarget({ name: sampleName, target: sampleTarget }, store)).platforms[1];
    assert.equal(arm64?.available, false);
    assert.deepEqual(arm64?.missing, [realDigests.arm64Config, layerDigests.arm64]);
    assert.deepEqual(arm64?.layers.map((l) => l.digest), [layerDigests.arm64]);
    assert.equal(arm64?.contentSize, undefined);
  });

  it('counts declared layer sizes even when the layers were discarded after unpacking, but says they are missing', async () => {
    const image = await resolveTarget({ name: sampleName, target: sampleTarget }, new FixtureStore(sampleDocuments, [layerDigests.amd64]));
    const arm64 = image.platforms[1];
    assert.equal(arm64?.available, false);
    assert.deepEqual(arm64?.missing, [layerDigests.arm64]);
    assert.equal(arm64?.contentSize, 400 + 399 + 1988608);
    assert.deepEqual(arm64?.diffIds, [layerDigests.arm64]);
  });

  it('skips BuildKit attestation manifests without reading them', async () => {
    const { index, attestationBlobs } = buildkitStyleIndex();
    const store = new FixtureStore([...sampleDocuments.slice(1), index, ...attestationBlobs], sampleLayers);
    const image = await resolveTarget({ name: 'registry.local:5000/app:1', target: descriptorOf(mediaTypes.ociIndex, index) }, store);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
    assert.equal(image.contentSize, 400 + 399 + 2124288 + 400 + 399 + 1988608);
    for (const blob of attestationBlobs) assert.ok(!store.reads.includes(digestOf(blob)), 'an attestation blob was read');
  });

  it('resolves a single Docker-format manifest: gzip layer digests differ from the diff_ids', async () => {
    const target = descriptorOf(mediaTypes.dockerManifest, real.layeredManifest);
    const image = await resolveTarget({ name: 'registry.example:5000/team/layered:v1', target }, new FixtureStore([real.layeredManifest, real.layeredConfig], layerDigests.layered));
    assert.equal(image.kind, 'manifest');
    assert.equal(image.platforms.length, 1);
    const only = image.platforms[0];
    assert.equal(only?.platform, 'linux/amd64');
    assert.equal(only?.contentSize, real.layeredManifest.length + 356 + 1052030 + 161 + 518);
    assert.equal(only?.diffIds.length, 3);
    assert.notDeepEqual(only?.diffIds, only?.layers.map((l) => l.digest));
    assert.equal(image.contentSize, only?.contentSize);
    assert.deepEqual([image.repository, image.fullRepository, image.tag], ['registry.example:5000/team/layered', 'registry.example:5000/team/layered', 'v1']);
  });

  it('names the platforms of a Docker manifest list normalized (arm64/v8 is arm64), pulled or not', async () => {
    const list = dockerManifestList();
    const image = await resolveTarget({ name: 'app:multi', target: descriptorOf(mediaTypes.dockerManifestList, list) },
      new FixtureStore([list, real.layeredManifest, real.layeredConfig], layerDigests.layered));
    assert.deepEqual(image.platforms.map((p) => [p.platform, p.available]), [['linux/amd64', true], ['linux/arm/v7', false], ['linux/arm64', false]]);
  });

  it('flattens an index nested in an index (ctr import --index-name)', async () => {
    const target = descriptorOf(mediaTypes.ociIndex, real.layoutIndex);
    const image = await resolveTarget({ name: 'foo', target }, new FixtureStore([real.layoutIndex, ...sampleDocuments], sampleLayers));
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
    assert.deepEqual([image.tag, image.dangling], ['latest', false]);
  });

  it('says why when the index itself is missing or the media type is unknown', async () => {
    const missing = await resolveTarget({ name: sampleName, target: sampleTarget }, new FixtureStore([]));
    assert.match(missing.error ?? '', /is not in the content store/);
    assert.deepEqual([missing.platforms.length, missing.contentSize], [0, 0]);
    const schema1 = await resolveTarget({ name: 'old:1', target: { ...sampleTarget, mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws' } }, new FixtureStore([]));
    assert.equal(schema1.kind, 'unknown');
    assert.match(schema1.error ?? '', /unsupported media type/);
  });

  it('keeps the other platforms when one manifest is not a manifest', async () => {
    const broken = '{"schemaVersion":2,"layers":[]}';
    const amd64Entry = (JSON.parse(real.sampleIndex) as { manifests: object[] }).manifests[0];
    const index = JSON.stringify({ manifests: [amd64Entry, { ...descriptorOf(mediaTypes.ociManifest, broken), platform: { os: 'linux', architecture: 's390x' } }] });
    const image = await resolveTarget({ name: sampleName, target: descriptorOf(mediaTypes.ociIndex, index) }, new FixtureStore([index, broken, ...sampleDocuments], sampleLayers));
    assert.deepEqual(image.platforms.map((p) => [p.platform, p.available]), [['linux/amd64', true], ['linux/s390x', false]]);
    assert.match(image.platforms[1]?.error ?? '', /manifest config is not a JSON object/);
  });
});

describe('resolveTarget on hostile indexes', () => {
  const amd64Entry = (JSON.parse(real.sampleIndex) as { manifests: object[] }).manifests[0];
  const indexOf = (entries: readonly object[]): string => JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: entries });
  const indexEntry = (text: string): object => descriptorOf(mediaTypes.ociIndex, text);

  it('walks a nested index repeated at every level once (12^5 = 248,832 entries, one platform)', { timeout: 10_000 }, async () => {
    const levels = [indexOf(Array(12).fill(amd64Entry))];
    for (let depth = 1; depth <= 4; depth += 1) levels.push(indexOf(Array(12).fill(indexEntry(levels[depth - 1] ?? ''))));
    const top = levels[4] ?? '';
    const store = new FixtureStore([...levels, ...sampleDocuments], sampleLayers);
    const image = await resolveTarget({ name: 'hostile:nested', target: descriptorOf(mediaTypes.ociIndex, top) }, store);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64']);
    assert.equal(image.error, undefined);
    // Each index once, then the one manifest and its config.
    assert.equal(store.reads.length, levels.length + 2);
  });

  it('lists a manifest listed twice once', async () => {
    const index = indexOf([amd64Entry, amd64Entry]);
    const image = await resolveTarget({ name: sampleName, target: descriptorOf(mediaTypes.ociIndex, index) }, new FixtureStore([index, ...sampleDocuments], sampleLayers));
    assert.equal(image.platforms.length, 1);
  });

  it('walks at most 1,024 manifests per image and says so', async () => {
    const entries = Array.from({ length: 1500 }, (_, i) => ({ ...descriptorOf(mediaTypes.ociManifest, `manifest ${i}`), platform: { os: 'linux', architecture: 'amd64' } }));
    const index = indexOf(entries);
    const store = new FixtureStore([index]);
    const image = await resolveTarget({ name: 'hostile:wide', target: descriptorOf(mediaTypes.ociIndex, index) }, store);
    assert.equal(image.platforms.length, 1024);
    assert.match(image.error ?? '', /more than 1024 manifests/);
    assert.equal(store.reads.length, 1 + 1024);
  });

  it('follows at most 64 nested indexes per image and says so', async () => {
    const nested = Array.from({ length: 100 }, (_, i) => indexOf([{ ...descriptorOf(mediaTypes.ociManifest, `manifest ${i}`), platform: { os: 'linux', architecture: 'amd64' } }]));
    const top = indexOf(nested.map(indexEntry));
    const store = new FixtureStore([top, ...nested]);
    const image = await resolveTarget({ name: 'hostile:fanout', target: descriptorOf(mediaTypes.ociIndex, top) }, store);
    assert.equal(image.platforms.length, 64);
    assert.match(image.error ?? '', /nests more than 64 indexes/);
  });
});
