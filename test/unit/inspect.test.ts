// The read-only inspect documents of a container, a snapshot, a namespace and a task's stats, from
// answers shaped as containerd sends them: what the document shows, and which calls it costs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { BlobCache } from '../../src/containerd/images/blobCache';
import { mediaTypes } from '../../src/containerd/images/imageManifests';
import { containerStats, hasNoCgroup, inspectContainer, inspectImage, inspectNamespace, inspectSnapshot } from '../../src/containerd/inspect';
import { MethodTable } from '../../src/containerd/proto/codec';
import { ctrMetrics, type CtrMetricsJson } from '../harness/taskMetricsOracle';
import { contentRoutes } from './contentStore';
import { exactly, FakeApi, notFound } from './fakeApi';
import { digestOf, layerDigests, real, realDigests } from './imagesFixtures';

const methods = new MethodTable();
const containersPath = '/containerd.services.containers.v1.Containers';
const tasksPath = '/containerd.services.tasks.v1.Tasks';
const snapshotsPath = '/containerd.services.snapshots.v1.Snapshots';
const created = { seconds: 1795335200, nanos: 602619207 };
const goZero = { seconds: -62135596800, nanos: 0 };
const specType = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';

function fullContainer(id: string, spec: object | undefined) {
  return { container: {
    id, labels: { 'nerdctl/name': 'web' }, image: 'docker.io/library/nginx:alpine', runtime: { name: 'io.containerd.runc.v2' },
    snapshotter: 'overlayfs', snapshot_key: id, created_at: created, updated_at: created, sandbox: '',
    spec: spec ? { type_url: specType, value: Buffer.from(JSON.stringify(spec)) } : null,
    extensions: { 'io.cri-containerd.container.metadata': { type_url: 'github.com/containerd/cri/pkg/store/container/Metadata', value: Buffer.from('{}') } },
  } };
}

describe('inspectContainer', () => {
  it('shows the record, its task, its extensions and its OCI spec', async (t) => {
    const spec = { ociVersion: '1.1.0', process: { args: ['nginx', '-g', 'daemon off;'] } };
    const api = new FakeApi(t, { unary: {
      [`${containersPath}/Get`]: exactly({ id: 'web-1' }, fullContainer('web-1', spec), 'default'),
      [`${tasksPath}/Get`]: exactly({ container_id: 'web-1' }, { process: { container_id: 'web-1', id: 'web-1', pid: 4242, status: 'RUNNING', exit_status: 0, exited_at: goZero } }, 'default'),
    } }, methods);
    const doc = await inspectContainer(api, 'default', 'web-1') as Record<string, unknown>;
    assert.equal(doc.id, 'web-1');
    assert.equal(doc.name, 'web');
    assert.equal(doc.namespace, 'default');
    assert.deepEqual(doc.task, { pid: 4242, state: 'running' });
    assert.deepEqual(doc.extensions, { 'io.cri-containerd.container.metadata': 'github.com/containerd/cri/pkg/store/container/Metadata' });
    assert.equal(doc.specType, specType);
    assert.deepEqual(doc.spec, spec);
  });

  it('shows null for a container without a task or a spec, and fails on any other task error', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${containersPath}/Get`]: (request) => fullContainer(String(request.id), undefined),
      [`${tasksPath}/Get`]: (request) => {
        if (request.container_id === 'created-only') throw notFound('no running task found: task created-only');
        throw new Error('ttrpc: closed');
      },
    } }, methods);
    const doc = await inspectContainer(api, 'default', 'created-only') as Record<string, unknown>;
    assert.equal(doc.task, null);
    assert.equal(doc.spec, null);
    assert.equal(doc.specType, undefined);
    await assert.rejects(inspectContainer(api, 'default', 'broken'), /ttrpc: closed/);
  });
});

describe('inspectSnapshot', () => {
  it('shows the info with its usage', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${snapshotsPath}/Stat`]: exactly({ snapshotter: 'overlayfs', key: 'web-1' }, { info: { name: 'web-1', parent: 'sha256:l1', kind: 'ACTIVE', created_at: created, updated_at: created, labels: {} } }, 'default'),
      [`${snapshotsPath}/Usage`]: exactly({ snapshotter: 'overlayfs', key: 'web-1' }, { size: 106496, inodes: 12 }, 'default'),
    } }, methods);
    const doc = await inspectSnapshot(api, 'default', 'overlayfs', 'web-1') as Record<string, unknown>;
    assert.deepEqual([doc.key, doc.parent, doc.kind, doc.usage], ['web-1', 'sha256:l1', 'active', { size: 106496, inodes: 12 }]);
  });
});

describe('inspectNamespace', () => {
  it('lists its images, its containers and its snapshots per working snapshotter', async (t) => {
    const plugin = (id: string, error?: string) => ({ type: 'io.containerd.snapshotter.v1', id, capabilities: [], exports: {}, init_err: error ? { code: 2, message: error } : null });
    const container = (id: string, labels: Record<string, string>) => ({ container: { id, labels, image: 'docker.io/library/busybox:latest', runtime: null, snapshotter: 'overlayfs', snapshot_key: id, created_at: created, updated_at: null, sandbox: '' } });
    const snapshot = (name: string) => ({ name, parent: '', kind: 'COMMITTED', created_at: created, updated_at: null, labels: {} });
    const api = new FakeApi(t, {
      unary: {
        '/containerd.services.introspection.v1.Introspection/Plugins': exactly({ filters: ['type==io.containerd.snapshotter.v1'] }, { plugins: [plugin('overlayfs'), plugin('btrfs', 'not a btrfs filesystem'), plugin('native')] }),
        '/containerd.services.images.v1.Images/List': exactly({ filters: [] }, { images: [{ name: 'docker.io/library/busybox:latest', labels: {}, target: null, created_at: created, updated_at: created }] }, 'dev'),
      },
      stream: {
        [`${containersPath}/ListStream`]: exactly({}, [container('0123abcd', { 'nerdctl/name': 'box' }), container('4567ef', {})], 'dev'),
        [`${snapshotsPath}/List`]: (request, namespace) => {
          assert.equal(namespace, 'dev');
          return [{ info: request.snapshotter === 'overlayfs' ? [snapshot('a'), snapshot('b')] : [] }];
        },
      },
    }, methods);
    const doc = await inspectNamespace(api, 'dev', { team: 'infra' });
    assert.deepEqual(doc, {
      name: 'dev',
      labels: { team: 'infra' },
      images: ['docker.io/library/busybox:latest'],
      containers: [{ id: '0123abcd', name: 'box', image: 'docker.io/library/busybox:latest' }, { id: '4567ef', name: '4567ef', image: 'docker.io/library/busybox:latest' }],
      snapshots: { native: 0, overlayfs: 2 },
    });
  });
});

describe('containerStats', () => {
  it("shows a task's statistics and processes as ctr reads them", async (t) => {
    const capture = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'taskMetrics', 'containerd-2x-cgroupv1-limited.json'), 'utf8')) as {
      cgroup: 'v1' | 'v2'; ctr: CtrMetricsJson; metric: { id: string; timestamp: object; data: { type_url: string; value: string } };
    };
    const id = capture.metric.id;
    const api = new FakeApi(t, { unary: {
      [`${containersPath}/Get`]: exactly({ id }, fullContainer(id, { ociVersion: '1.1.0', linux: { cgroupsPath: `/default/${id}` } }), 'default'),
      [`${tasksPath}/Metrics`]: exactly({ filters: [`id==${id}`] }, { metrics: [{ ...capture.metric, data: { ...capture.metric.data, value: Buffer.from(capture.metric.data.value, 'base64') } }] }, 'default'),
      [`${tasksPath}/ListPids`]: exactly({ container_id: id }, { processes: [{ pid: 4242, info: null }, { pid: 4300, info: { type_url: 'containerd.runc.v1.ProcessDetails', value: Buffer.from('Cgdwcm9iZS0x', 'base64') } }] }, 'default'),
    } }, methods);
    const stats = await containerStats(api, 'default', id) as { container: string; namespace: string; metrics: Record<string, unknown>; processes: unknown };
    const ctr = ctrMetrics(capture.cgroup, capture.ctr);
    assert.deepEqual([stats.container, stats.namespace], [id, 'default']);
    assert.deepEqual([stats.metrics.cpuNanos, stats.metrics.pids], [ctr.cpuNanos, ctr.pids]);
    assert.deepEqual(stats.processes, [{ pid: 4242 }, { pid: 4300, execId: 'probe-1' }]);
  });

  it('says a container without a cgroup has no statistics instead of showing the host\'s (no Metrics or ListPids call)', async (t) => {
    const api = new FakeApi(t, { unary: { [`${containersPath}/Get`]: exactly({ id: 'rl' }, fullContainer('rl', { ociVersion: '1.1.0', linux: { namespaces: [] } }), 'default') } }, methods);
    const stats = await containerStats(api, 'default', 'rl') as { metrics: unknown; processes: unknown; note: string };
    assert.deepEqual([stats.metrics, stats.processes], [null, null]);
    assert.match(stats.note, /no cgroup of its own/);
    assert.deepEqual(api.lines.length, 1);
    assert.equal(hasNoCgroup({ linux: { cgroupsPath: '' } }), true);
    assert.equal(hasNoCgroup({ linux: { cgroupsPath: '/k8s/x' } }), false);
    assert.equal(hasNoCgroup({ windows: {} }), false);
    assert.equal(hasNoCgroup(undefined), false);
    assert.equal(hasNoCgroup({ linux: null }), false);
  });
});

describe('inspectImage', () => {
  const notJson = 'not json';
  const brokenIndex = JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [
    { mediaType: mediaTypes.ociManifest, digest: digestOf(notJson), size: notJson.length, platform: { os: 'linux', architecture: 'amd64' } },
  ] });
  // The sample's index, its amd64 manifest and config and layer; arm64's manifest is not in the store.
  const blobs = new Map([real.sampleIndex, real.amd64Manifest, real.amd64Config, notJson, brokenIndex].map((text) => [digestOf(text), Buffer.from(text)]));
  blobs.set(layerDigests.amd64, Buffer.from('layer'));
  const images: Record<string, { media_type: string; digest: string; size: number }> = {
    'docker.io/library/busybox:sample': { media_type: mediaTypes.ociIndex, digest: realDigests.sampleIndex, size: real.sampleIndex.length },
    'docker.io/library/busybox:amd64': { media_type: mediaTypes.ociManifest, digest: realDigests.amd64Manifest, size: real.amd64Manifest.length },
    'registry.local/broken:1': { media_type: mediaTypes.ociIndex, digest: digestOf(brokenIndex), size: brokenIndex.length },
  };

  function daemon(t: TestContext): FakeApi {
    const content = contentRoutes(blobs, ['default']);
    return new FakeApi(t, { stream: content.stream, unary: {
      ...content.unary,
      '/containerd.services.images.v1.Images/Get': (request, namespace) => {
        const target = images[String(request.name)];
        if (!target || namespace !== 'default') throw notFound(`image "${String(request.name)}"`);
        return { image: { name: request.name, labels: {}, target: { ...target, annotations: {} }, created_at: created, updated_at: created } };
      },
    } }, methods);
  }

  it("shows an index's own document and each platform's manifest and config, and says what is missing", async (t) => {
    const doc = await inspectImage(daemon(t), 'default', 'docker.io/library/busybox:sample', new BlobCache()) as Record<string, unknown> & { platforms: Record<string, unknown>[] };
    assert.equal(doc.name, 'docker.io/library/busybox:sample');
    assert.deepEqual([doc.repository, doc.tag, doc.dangling], ['busybox', 'sample', false]);
    assert.deepEqual(doc.index, JSON.parse(real.sampleIndex));
    const [amd64, arm64] = doc.platforms;
    assert.deepEqual(amd64, {
      platform: 'linux/amd64', available: true, contentSize: 400 + 399 + 2124288, missing: [],
      manifestDigest: realDigests.amd64Manifest, manifest: JSON.parse(real.amd64Manifest) as unknown,
      configDigest: realDigests.amd64Config, config: JSON.parse(real.amd64Config) as unknown,
    });
    assert.equal(arm64?.platform, 'linux/arm64');
    assert.deepEqual([arm64?.available, arm64?.contentSize, arm64?.configDigest, arm64?.config], [false, null, null, null]);
    assert.match(String(arm64?.manifest), /^<not available: .*not found/);
  });

  it('has no index for a single-manifest image, shows a document that is not JSON by its size, and fails for an absent image', async (t) => {
    const api = daemon(t);
    const single = await inspectImage(api, 'default', 'docker.io/library/busybox:amd64', new BlobCache()) as Record<string, unknown> & { platforms: Record<string, unknown>[] };
    assert.equal('index' in single, false);
    assert.deepEqual(single.platforms.map((p) => [p.platform, p.manifest]), [['linux/amd64', JSON.parse(real.amd64Manifest)]]);
    const broken = await inspectImage(api, 'default', 'registry.local/broken:1', new BlobCache()) as { platforms: Record<string, unknown>[] };
    assert.equal(broken.platforms[0]?.manifest, '<8 bytes, not JSON>');
    await assert.rejects(inspectImage(api, 'default', 'docker.io/library/nope:1', new BlobCache()), /^Error: image docker.io\/library\/nope:1 does not exist in namespace default$/);
  });
});
