// What the resolver makes of image documents as builders, registries and tools really write them,
// and of broken or hostile ones: the platforms, content sizes and errors a user is shown, next to
// what `nerdctl images` prints. Media types are written out as `ctr images ls` prints them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { resolveImage } from '../../src/containerd/images/images';
import { resolveTarget } from '../../src/containerd/images/imageResolve';
import type { BlobDescriptor } from '../../src/containerd/images/imageManifests';
import { contentRoutes, sampleBlobs } from './contentStore';
import { fakeAddress, FakeApi } from './fakeApi';
import { buildkitStyleIndex, descriptorOf, digestOf, dockerManifestList, FixtureStore, layerDigests, real, realDigests, sampleDocuments, sampleLayers } from './imagesFixtures';

const ociIndex = 'application/vnd.oci.image.index.v1+json';
const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const dockerList = 'application/vnd.docker.distribution.manifest.list.v2+json';
const dockerManifest = 'application/vnd.docker.distribution.manifest.v2+json';
const ociConfig = 'application/vnd.oci.image.config.v1+json';
const ociLayer = 'application/vnd.oci.image.layer.v1.tar';

const sampleName = 'docker.io/library/busybox:sample';
const sampleTarget = descriptorOf(ociIndex, real.sampleIndex);
const indexOf = (entries: readonly object[]): string => JSON.stringify({ schemaVersion: 2, mediaType: ociIndex, manifests: entries });
const entryOf = (text: string, platform?: object, mediaType = ociManifest): object => ({ ...descriptorOf(mediaType, text), ...(platform ? { platform } : {}) });
const sampleEntries = (JSON.parse(real.sampleIndex) as { manifests: object[] }).manifests;

/** A manifest (and its config) for `platform`, with no layers: what a `FROM scratch` build of metadata only makes. */
function scratchImage(config: object): { manifest: string; config: string } {
  const configText = JSON.stringify(config);
  return { config: configText, manifest: JSON.stringify({ schemaVersion: 2, mediaType: ociManifest, config: descriptorOf(ociConfig, configText), layers: [] }) };
}

describe('resolveTarget: what the Images view shows for a real image', () => {
  it('gives every field of the busybox sample as nerdctl and ctr see it', async () => {
    const image = await resolveTarget({ name: sampleName, target: sampleTarget }, new FixtureStore(sampleDocuments, sampleLayers));
    const platform = (arch: 'amd64' | 'arm64', layerSize: number): object => ({
      platform: `linux/${arch}`, os: 'linux', architecture: arch,
      manifest: { mediaType: ociManifest, digest: realDigests[`${arch}Manifest`], size: 400, annotations: {}, platform: { os: 'linux', architecture: arch } },
      config: { mediaType: ociConfig, digest: realDigests[`${arch}Config`], size: 399, annotations: {} },
      layers: [{ mediaType: ociLayer, digest: layerDigests[arch], size: layerSize, annotations: {} }],
      diffIds: [layerDigests[arch]],
      created: new Date('2000-01-01T00:00:00Z'),
      // nerdctl's BLOB SIZE of the platform: manifest + config + layers.
      contentSize: 400 + 399 + layerSize,
      available: true,
      missing: [],
    });
    assert.deepEqual(image, {
      name: sampleName, repository: 'busybox', fullRepository: 'docker.io/library/busybox', tag: 'sample', dangling: false,
      target: sampleTarget, kind: 'index',
      platforms: [platform('amd64', 2124288), platform('arm64', 1988608)],
      contentSize: 400 + 399 + 2124288 + 400 + 399 + 1988608,
    });
  });

  it('walks the media types containerd stores as image targets, OCI and Docker', async () => {
    const list = dockerManifestList();
    const layered = new FixtureStore([list, real.layeredManifest, real.layeredConfig], layerDigests.layered);
    const kinds = await Promise.all([
      resolveTarget({ name: 'a:1', target: { ...descriptorOf(ociIndex, real.sampleIndex) } }, new FixtureStore(sampleDocuments, sampleLayers)),
      resolveTarget({ name: 'b:1', target: descriptorOf(ociManifest, real.amd64Manifest) }, new FixtureStore(sampleDocuments, sampleLayers)),
      resolveTarget({ name: 'c:1', target: descriptorOf(dockerList, list) }, layered),
      resolveTarget({ name: 'd:1', target: descriptorOf(dockerManifest, real.layeredManifest) }, layered),
    ]);
    assert.deepEqual(kinds.map((i) => [i.kind, i.platforms.map((p) => `${p.platform} ${p.available}`), i.error]), [
      ['index', ['linux/amd64 true', 'linux/arm64 true'], undefined],
      ['manifest', ['linux/amd64 true'], undefined],
      ['index', ['linux/amd64 true', 'linux/arm/v7 false', 'linux/arm64 false'], undefined],
      ['manifest', ['linux/amd64 true'], undefined],
    ]);
  });

  it('says an image without a target media type (a record with no target) is not walked', async () => {
    const image = await resolveTarget({ name: 'b:1', target: { mediaType: '', digest: '', size: 0, annotations: {} } }, new FixtureStore([]));
    assert.deepEqual([image.kind, image.platforms, image.contentSize, image.error], ['unknown', [], 0, 'unsupported media type (none)']);
  });

  it('names a lone manifest that is not in the content store `unknown`, with nothing counted', async () => {
    const target = descriptorOf(ociManifest, real.amd64Manifest);
    const image = await resolveTarget({ name: 'b:1', target }, new FixtureStore([]));
    assert.deepEqual(image.platforms, [{ platform: 'unknown', os: '', architecture: '', manifest: target, layers: [], diffIds: [], available: false, missing: [target.digest] }]);
    assert.equal(image.contentSize, 0);
  });

  it('names a platform whose config has no os (an artifact\'s `{}` config) from the index, or `unknown` alone', async () => {
    const { manifest, config } = scratchImage({});
    const index = indexOf([entryOf(manifest, { os: 'linux', architecture: 'arm', variant: 'v7' })]);
    const store = new FixtureStore([index, manifest, config]);
    const listed = await resolveTarget({ name: 'artifact:1', target: descriptorOf(ociIndex, index) }, store);
    assert.deepEqual(listed.platforms.map((p) => [p.platform, p.variant, p.available, p.diffIds, p.created]), [['linux/arm/v7', 'v7', true, [], undefined]]);
    const alone = await resolveTarget({ name: 'artifact:1', target: descriptorOf(ociManifest, manifest) }, store);
    assert.deepEqual(alone.platforms.map((p) => [p.platform, p.available, p.contentSize]), [['unknown', true, manifest.length + config.length]]);
  });

  it('keeps the variants the documents give that are not the default one (arm/v6 from the index, amd64/v3 from a config)', async () => {
    const { manifest, config } = scratchImage({ architecture: 'amd64', os: 'linux', variant: 'v3' });
    const index = indexOf([entryOf(manifest, { os: 'linux', architecture: 'amd64', variant: 'v3' }), entryOf('arm v6, not pulled', { os: 'linux', architecture: 'arm', variant: 'v6' })]);
    const image = await resolveTarget({ name: 'variants:1', target: descriptorOf(ociIndex, index) }, new FixtureStore([index, manifest, config]));
    assert.deepEqual(image.platforms.map((p) => [p.platform, p.variant, p.available, p.manifest.platform]), [
      ['linux/amd64/v3', 'v3', true, { os: 'linux', architecture: 'amd64', variant: 'v3' }],
      ['linux/arm/v6', 'v6', false, { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ]);
  });

  it('lists two manifests of one platform (Windows images per os.version) in the index\'s order', async () => {
    const entries = ['10.0.17763.1', '10.0.20348.1'].map((version) => entryOf(`windows ${version}`, { os: 'windows', architecture: 'amd64', 'os.version': version }));
    const index = indexOf([...entries, sampleEntries[0] ?? {}]);
    const image = await resolveTarget({ name: 'mcr.microsoft.com/windows/nanoserver:ltsc', target: descriptorOf(ociIndex, index) }, new FixtureStore([index]));
    assert.deepEqual(image.platforms.map((p) => [p.platform, p.manifest.digest]), [
      ['linux/amd64', realDigests.amd64Manifest],
      ['windows/amd64', digestOf('windows 10.0.17763.1')],
      ['windows/amd64', digestOf('windows 10.0.20348.1')],
    ]);
  });
});

describe('resolveTarget on documents as other tools write them', () => {
  it('skips attestation manifests whatever kept their marks: the annotation alone, or an unknown platform alone', async () => {
    const { index: buildkit, attestationBlobs } = buildkitStyleIndex();
    const attestations = (JSON.parse(buildkit) as { manifests: { annotations: object; platform: object }[] }).manifests.slice(2);
    const [first, second] = attestations;
    assert.ok(first && second);
    // A copy that dropped platforms from entries, one that dropped annotations, and half-unknown platforms.
    const index = indexOf([
      ...sampleEntries,
      { ...first, platform: undefined },
      { ...second, annotations: undefined },
      { ...entryOf('half unknown 1'), platform: { os: 'linux', architecture: 'unknown' } },
      { ...entryOf('half unknown 2'), platform: { os: 'unknown', architecture: 'amd64' } },
    ]);
    const store = new FixtureStore([index, ...sampleDocuments.slice(1), ...attestationBlobs], sampleLayers);
    const image = await resolveTarget({ name: 'registry.local:5000/app:1', target: descriptorOf(ociIndex, index) }, store);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
    assert.equal(image.contentSize, 400 + 399 + 2124288 + 400 + 399 + 1988608);
    assert.deepEqual(store.reads.filter((digest) => ![index, ...sampleDocuments].some((d) => digestOf(d) === digest)), []);
  });

  it('ignores index entries that are neither manifests nor indexes (a schema 1 manifest, a layer) without reading them', async () => {
    const index = indexOf([sampleEntries[0] ?? {}, entryOf('schema1', { os: 'linux', architecture: 'arm64' }, 'application/vnd.docker.distribution.manifest.v1+prettyjws'), entryOf('layer', undefined, ociLayer)]);
    const store = new FixtureStore([index, ...sampleDocuments], sampleLayers);
    const image = await resolveTarget({ name: 'mixed:1', target: descriptorOf(ociIndex, index) }, store);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64']);
    assert.equal(image.error, undefined);
    assert.deepEqual(store.reads, [digestOf(index), realDigests.amd64Manifest, realDigests.amd64Config]);
  });

  it('keeps only string annotations, and reads a platform given as anything but an object as none', async () => {
    const amd64 = { ...sampleEntries[0], annotations: { 'org.opencontainers.image.ref.name': 'sample', 'io.example.count': 5, 'io.example.none': null } };
    const arm64 = { ...sampleEntries[1], annotations: ['org.opencontainers.image.ref.name'], platform: 'linux/arm64' };
    const index = indexOf([amd64, arm64]);
    const image = await resolveTarget({ name: sampleName, target: descriptorOf(ociIndex, index) }, new FixtureStore([index, ...sampleDocuments], sampleLayers));
    const [first, second] = image.platforms;
    assert.deepEqual(first?.manifest.annotations, { 'org.opencontainers.image.ref.name': 'sample' });
    assert.deepEqual(second?.manifest, { mediaType: ociManifest, digest: realDigests.arm64Manifest, size: 400, annotations: {} });
    // The config still names it.
    assert.equal(second?.platform, 'linux/arm64');
  });

  it('counts a manifest without a layers list (an artifact) and a zero-byte blob', async () => {
    const config = '{"architecture":"amd64","os":"linux"}';
    const empty: BlobDescriptor = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(''), size: 0, annotations: {} };
    const noLayers = JSON.stringify({ schemaVersion: 2, mediaType: ociManifest, config: descriptorOf(ociConfig, config) });
    const emptyLayer = JSON.stringify({ schemaVersion: 2, mediaType: ociManifest, config: descriptorOf(ociConfig, config), layers: [empty] });
    const store = new FixtureStore([noLayers, emptyLayer, config], [empty.digest]);
    const [a, b] = await Promise.all([noLayers, emptyLayer].map((m) => resolveTarget({ name: 'artifact:1', target: descriptorOf(ociManifest, m) }, store)));
    assert.deepEqual(a?.platforms.map((p) => [p.platform, p.layers, p.available, p.contentSize, p.diffIds]), [['linux/amd64', [], true, noLayers.length + config.length, []]]);
    assert.deepEqual(b?.platforms.map((p) => [p.layers, p.available, p.contentSize, p.error]), [[[empty], true, emptyLayer.length + config.length, undefined]]);
  });

  it('reads a config\'s fields defensively: no created time unless a valid one, diff_ids only as strings', async () => {
    const configs = [
      { architecture: 'amd64', os: 'linux', created: 'yesterday', rootfs: { type: 'layers', diff_ids: [layerDigests.amd64, 5, null] } },
      { architecture: 'amd64', os: 'linux', variant: '', created: 946684800, rootfs: [layerDigests.amd64] },
      { architecture: 'amd64', os: 'linux', rootfs: { diff_ids: layerDigests.amd64 } },
      { architecture: 'amd64', os: 'linux' },
    ];
    const images = configs.map((c) => scratchImage(c));
    const store = new FixtureStore(images.flatMap((i) => [i.manifest, i.config]));
    const resolved = await Promise.all(images.map((i) => resolveTarget({ name: 'odd:1', target: descriptorOf(ociManifest, i.manifest) }, store)));
    assert.deepEqual(resolved.map((r) => r.platforms.map((p) => [p.platform, 'created' in p, p.diffIds, 'variant' in p])), [
      [['linux/amd64', false, [layerDigests.amd64], false]],
      [['linux/amd64', false, [], false]],
      [['linux/amd64', false, [], false]],
      [['linux/amd64', false, [], false]],
    ]);
  });
});

describe('resolveTarget on broken documents: one platform spoiled, the others shown', () => {
  it('says what is wrong with each platform\'s manifest or config', async () => {
    const config = (arch: string): string => JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
    const manifestWith = (configDescriptor: unknown, layers: unknown[] = []): string => JSON.stringify({ schemaVersion: 2, config: configDescriptor, layers });
    const layer = (size: unknown): object => ({ mediaType: ociLayer, digest: digestOf(`layer ${String(size)}`), size });
    const broken: [string, string, string[]][] = [
      ['s390x', 'not json at all', []],
      ['ppc64le', '[]', []],
      ['riscv64', '"a manifest"', []],
      ['mips64le', manifestWith({ mediaType: ociConfig, size: 2 }), []],
      ['386', manifestWith(descriptorOf(ociConfig, config('386')), [layer(-1)]), [config('386')]],
      ['arm', manifestWith(descriptorOf(ociConfig, config('arm')), [layer('12')]), [config('arm')]],
      ['mips', manifestWith(descriptorOf(ociConfig, config('mips')), [layer(1.5)]), [config('mips')]],
      ['loong64', manifestWith(descriptorOf(ociConfig, 'null')), ['null']],
      ['wasm', manifestWith({ mediaType: ociConfig, digest: 5, size: 2 }), []],
    ];
    const entries = broken.map(([arch, manifest]) => entryOf(manifest, { os: 'linux', architecture: arch }));
    const index = indexOf([sampleEntries[0] ?? {}, ...entries]);
    const store = new FixtureStore([index, ...sampleDocuments, ...broken.flatMap(([, manifest, more]) => [manifest, ...more])], sampleLayers);
    const image = await resolveTarget({ name: 'broken:1', target: descriptorOf(ociIndex, index) }, store);
    const byPlatform = new Map(image.platforms.map((p) => [p.platform, p]));
    assert.equal(image.error, undefined);
    assert.equal(image.contentSize, 400 + 399 + 2124288, 'only the platform that could be read is counted');
    assert.equal(byPlatform.get('linux/amd64')?.available, true);
    const errors = Object.fromEntries(image.platforms.filter((p) => p.platform !== 'linux/amd64').map((p) => [p.platform, p.error]));
    assert.match(errors['linux/s390x'] ?? '', /JSON/);
    assert.deepEqual({ ...errors, 'linux/s390x': 'invalid JSON' }, {
      'linux/s390x': 'invalid JSON',
      'linux/ppc64le': 'image manifest is not a JSON object',
      'linux/riscv64': 'image manifest is not a JSON object',
      'linux/mips64le': 'manifest config has no digest',
      'linux/386': 'manifest layer 0 has no valid size',
      'linux/arm/v7': 'manifest layer 0 has no valid size',
      'linux/mips': 'manifest layer 0 has no valid size',
      'linux/loong64': 'image config is not a JSON object',
      'linux/wasm': 'manifest config has no digest',
    });
    for (const p of image.platforms.filter((x) => x.error)) {
      assert.deepEqual([p.available, p.missing, p.contentSize, p.diffIds, p.layers], [false, [], undefined, [], []], p.platform);
    }
  });

  it('says what is wrong with the index itself', async () => {
    const cases: [string, RegExp][] = [
      ['{"schemaVersion":2}', /^image index has no manifests list$/],
      ['{"manifests":[null]}', /^image index entry 0 is not a JSON object$/],
      ['{"manifests":"none"}', /^image index has no manifests list$/],
      ['[]', /^image index is not a JSON object$/],
      ['null', /^image index is not a JSON object$/],
      ['{"manifests":[', /JSON/],
    ];
    const absent = await resolveTarget({ name: 'pruned:1', target: sampleTarget }, new FixtureStore([]));
    assert.deepEqual([absent.kind, absent.platforms, absent.contentSize, absent.error], ['index', [], 0, `index ${sampleTarget.digest} is not in the content store`]);
    for (const [index, error] of cases) {
      const image = await resolveTarget({ name: 'broken:1', target: descriptorOf(ociIndex, index) }, new FixtureStore([index]));
      assert.deepEqual([image.kind, image.platforms, image.contentSize], ['index', [], 0], index);
      assert.match(image.error ?? '', error, index);
    }
  });

  it('refuses a manifest an index declares larger than 4 MiB without reading it, and shows the others', async (t) => {
    const huge = { ...entryOf('huge', { os: 'linux', architecture: 's390x' }), size: 5 * 1024 * 1024 };
    const index = indexOf([sampleEntries[0] ?? {}, huge]);
    const blobs = sampleBlobs();
    blobs.set(digestOf(index), Buffer.from(index));
    const client = new FakeApi(t, contentRoutes(blobs, ['default']));
    const image = await resolveImage(client, 'default', { name: 'hostile:1', target: descriptorOf(ociIndex, index) }, new BlobCache());
    assert.deepEqual(image.platforms.map((p) => [p.platform, p.available, p.error]), [
      ['linux/amd64', true, undefined],
      ['linux/s390x', false, `content ${digestOf('huge')} is larger than 4194304 bytes: not read`],
    ]);
    assert.ok(!client.calls.some((c) => c.request.digest === digestOf('huge')), 'the oversized manifest was asked for');
  });

  it('passes a failure of the daemon on instead of calling the image broken', async () => {
    const gone = new ContainerdRequestError('UNAVAILABLE', 'Content.Read', fakeAddress, 'connection closed');
    const failing = (digest: string): FixtureStore => new (class extends FixtureStore {
      override json(d: string): Promise<unknown> {
        return d === digest ? Promise.reject(gone) : super.json(d);
      }
    })(sampleDocuments, sampleLayers);
    for (const digest of [digestOf(real.sampleIndex), realDigests.arm64Manifest, realDigests.arm64Config]) {
      await assert.rejects(resolveTarget({ name: sampleName, target: sampleTarget }, failing(digest)), gone);
    }
    const lone = failing(realDigests.amd64Manifest);
    await assert.rejects(resolveTarget({ name: 'b:1', target: descriptorOf(ociManifest, real.amd64Manifest) }, lone), gone);
  });
});

describe('resolveTarget within its bounds', () => {
  it('follows indexes nested four deep, not five: the manifests of a fifth are not shown', async () => {
    const arches = ['amd64', 'arm64', '386', 'ppc64le', 's390x', 'riscv64'];
    let inner = indexOf([entryOf('manifest riscv64', { os: 'linux', architecture: 'riscv64' })]);
    const indexes = [inner];
    for (const arch of arches.slice(0, 5).reverse()) {
      inner = indexOf([entryOf(`manifest ${arch}`, { os: 'linux', architecture: arch }), entryOf(inner, undefined, ociIndex)]);
      indexes.push(inner);
    }
    const store = new FixtureStore(indexes);
    const image = await resolveTarget({ name: 'deep:1', target: descriptorOf(ociIndex, inner) }, store);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/386', 'linux/amd64', 'linux/arm64', 'linux/ppc64le', 'linux/s390x']);
    assert.ok(!store.reads.includes(digestOf(indexes[0] ?? '')), 'the fifth nested index was read');
  });

  it('says when both bounds cut an image short', async () => {
    const manifest = (i: number): object => entryOf(`manifest ${i}`, { os: 'linux', architecture: 'amd64' });
    const nested = Array.from({ length: 100 }, (_, n) => indexOf(Array.from({ length: 10 }, (_, i) => manifest(n * 10 + i))));
    const top = indexOf([...nested.map((n) => entryOf(n, undefined, ociIndex)), ...Array.from({ length: 500 }, (_, i) => manifest(1000 + i))]);
    const image = await resolveTarget({ name: 'hostile:both', target: descriptorOf(ociIndex, top) }, new FixtureStore([top, ...nested]));
    assert.equal(image.platforms.length, 1024);
    assert.equal(image.error, 'this image lists more than 1024 manifests (only the first 1024 are shown) and nests more than 64 indexes (the manifests of the others are not shown)');
  });

  it('reads no nested index listed after the 1,024th manifest', async () => {
    const late = indexOf([entryOf('late manifest', { os: 'linux', architecture: 'arm64' })]);
    const top = indexOf([...Array.from({ length: 1025 }, (_, i) => entryOf(`manifest ${i}`, { os: 'linux', architecture: 'amd64' })), entryOf(late, undefined, ociIndex)]);
    const store = new FixtureStore([top, late]);
    const image = await resolveTarget({ name: 'hostile:late', target: descriptorOf(ociIndex, top) }, store);
    assert.deepEqual([image.platforms.length, image.platforms.some((p) => p.platform === 'linux/arm64')], [1024, false]);
    assert.ok(!store.reads.includes(digestOf(late)), 'an index after the 1,024th manifest was read');
  });
});
