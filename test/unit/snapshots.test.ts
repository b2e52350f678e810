// Snapshot trees, users, snapshotter discovery and the remove guard, on answers shaped exactly as
// containerd sends them (plugin errors and snapshot lists as containerd 1.6.20 / 2.1.9 gave them).
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { MethodTable } from '../../src/containerd/proto/codec';
import { snapshotChain, snapshotTree, snapshotUsers, type SnapshotNode } from '../../src/containerd/snapshots/snapshotTree';
import { listSnapshots, listSnapshotters, snapshotUsage, statSnapshot, type SnapshotInfo } from '../../src/containerd/snapshots/snapshots';
import { removeSnapshot, SnapshotRemoveRefusedError } from '../../src/containerd/snapshots/removeSnapshot';
import { exactly, FakeApi, notFound, type Routes } from './fakeApi';
import { contentRoutes, sampleBlobs } from './contentStore';
import { digestOf, layerDigests, real } from './imagesFixtures';

const methods = new MethodTable();

const snapshotsPath = '/containerd.services.snapshots.v1.Snapshots';
const containersListPath = '/containerd.services.containers.v1.Containers/ListStream';

const at = (seconds: number): Date => new Date(seconds * 1000);
function snap(key: string, parent: string | undefined, kind: SnapshotInfo['kind'], seconds: number): SnapshotInfo {
  return { snapshotter: 'overlayfs', key, ...(parent ? { parent } : {}), kind, createdAt: at(seconds), labels: {} };
}

// An image of two layers (chain ids L1 <- L2), two containers on it, a view, and an unrelated base.
const l1 = 'sha256:90170d3b0dcd054529e8336200c15c574cecd49a254276669d31d18b116ced49';
const l2 = 'sha256:deb556eabb0bf752eba4d41f4bc351b4c88c3b1f6991a484935e321479605d71';
const snapshots = [
  snap('web-1', l2, 'active', 30),
  snap(l2, l1, 'committed', 20),
  snap('job-1', l2, 'active', 25),
  snap(l1, undefined, 'committed', 10),
  snap('other-base', undefined, 'committed', 5),
  snap('view-1', l1, 'view', 40),
  snap('orphan', 'removed-meanwhile', 'active', 50),
];

describe('snapshotTree', () => {
  it('builds parent -> children chains, roots first by age, orphans as roots', () => {
    const tree = snapshotTree(snapshots);
    const shape = (nodes: readonly SnapshotNode[]): unknown => nodes.map((n) => [n.snapshot.key, shape(n.children)]);
    assert.deepEqual(shape(tree), [
      ['other-base', []],
      [l1, [[l2, [['job-1', []], ['web-1', []]]], ['view-1', []]]],
      ['orphan', []],
    ]);
  });

  it('survives a parent loop in bad input', () => {
    const tree = snapshotTree([snap('a', 'b', 'active', 1), snap('b', 'a', 'active', 2), snap('c', undefined, 'committed', 0)]);
    assert.deepEqual(tree.map((n) => n.snapshot.key), ['c']);
    // A key listed twice, once as a root and once under its own child: each key is shown once.
    const twice = snapshotTree([snap('x', undefined, 'committed', 1), snap('a', 'x', 'active', 2), snap('x', 'a', 'active', 3)]);
    const shape = (nodes: readonly SnapshotNode[]): unknown => nodes.map((n) => [n.snapshot.key, shape(n.children)]);
    assert.deepEqual(shape(twice), [['x', [['a', []]]]]);
  });

  it('shows a snapshot that names itself as parent as a root, and orders same-age siblings by key', () => {
    const tree = snapshotTree([
      snap('self', 'self', 'active', 3), snap('base', undefined, 'committed', 1),
      snap('b-child', 'base', 'active', 2), snap('a-child', 'base', 'active', 2), snap('c-child', 'base', 'view', 1),
    ]);
    const shape = (nodes: readonly SnapshotNode[]): unknown => nodes.map((n) => [n.snapshot.key, n.depth, shape(n.children)]);
    assert.deepEqual(shape(tree), [['base', 0, [['c-child', 1, []], ['a-child', 1, []], ['b-child', 1, []]]], ['self', 0, []]]);
  });

  it('walks a chain to its root, or to a parent removed meanwhile', () => {
    const byKey = new Map(snapshots.map((s) => [s.key, s]));
    assert.deepEqual(snapshotChain(byKey, 'web-1'), ['web-1', l2, l1]);
    assert.deepEqual(snapshotChain(byKey, 'orphan'), ['orphan', 'removed-meanwhile']);
  });

  it('builds a 12,000 deep chain without overflowing the stack', () => {
    const depth = 12_000;
    const chain = Array.from({ length: depth }, (_, i) => snap(`layer-${i}`, i > 0 ? `layer-${i - 1}` : undefined, 'committed', i));
    const tree = snapshotTree([...chain].reverse());
    assert.equal(tree.length, 1);
    let node = tree[0];
    let levels = 0;
    while (node) {
      assert.equal(node.snapshot.key, `layer-${levels}`);
      assert.equal(node.depth, levels);
      levels += 1;
      node = node.children[0];
    }
    assert.equal(levels, depth);
    const byKey = new Map(chain.map((s) => [s.key, s]));
    assert.equal(snapshotChain(byKey, `layer-${depth - 1}`).length, depth);
    const users = snapshotUsers(chain, [{ namespace: 'default', id: 'c', name: 'c', snapshotter: 'overlayfs', snapshotKey: `layer-${depth - 1}` }]);
    assert.equal(users.get('layer-0')?.length, 1);
  });
});

describe('snapshotUsers', () => {
  it('says which container uses each active snapshot and which image its layers', () => {
    const containers = [
      { namespace: 'default', id: 'web-1', name: 'web', snapshotter: 'overlayfs', snapshotKey: 'web-1' },
      { namespace: 'default', id: 'job-1', name: 'job-1', snapshotter: 'overlayfs', snapshotKey: 'job-1' },
      { namespace: 'default', id: 'nat-1', name: 'nat-1', snapshotter: 'native', snapshotKey: 'view-1' },
    ];
    const users = snapshotUsers(snapshots, containers, [{ name: 'docker.io/library/busybox:sample', chainId: l2 }]);
    assert.deepEqual(users.get('web-1'), [{ kind: 'container', namespace: 'default', id: 'web-1', name: 'web', direct: true }]);
    assert.deepEqual(users.get(l2)?.map((u) => [u.kind, u.kind === 'image' ? u.name : u.id, u.direct]), [
      ['container', 'web-1', false], ['container', 'job-1', false], ['image', 'docker.io/library/busybox:sample', true]]);
    assert.equal(users.get(l1)?.length, 3);
    // Another snapshotter's container with the same key is not a user; nothing uses these.
    assert.equal(users.get('view-1'), undefined);
    assert.equal(users.get('other-base'), undefined);
  });

  it('names no user in an empty snapshotter', () => {
    assert.equal(snapshotUsers([], [{ namespace: 'default', id: 'web-1', name: 'web', snapshotter: 'overlayfs', snapshotKey: 'web-1' }]).size, 0);
  });

  it('names no user for a snapshot that is not listed, or an image unpacked into another snapshotter', () => {
    const users = snapshotUsers(snapshots, [{ namespace: 'default', id: 'gone-1', name: 'gone', snapshotter: 'overlayfs', snapshotKey: 'removed-meanwhile' }], [
      { name: 'docker.io/library/busybox:native', chainId: l2, snapshotter: 'native' },
      { name: 'docker.io/library/busybox:overlay', chainId: l1, snapshotter: 'overlayfs' },
    ]);
    assert.deepEqual([...users], [[l1, [{ kind: 'image', name: 'docker.io/library/busybox:overlay', direct: true }]]]);
  });
});

describe('listSnapshotters', () => {
  it('keeps failed plugins with their init error (containerd 1.6.20 answers)', async (t) => {
    const plugin = (id: string, message?: string) => ({ type: 'io.containerd.snapshotter.v1', id, requires: [], platforms: [], exports: {}, capabilities: [], init_err: message ? { code: 2, message } : null });
    const api = new FakeApi(t, { unary: { '/containerd.services.introspection.v1.Introspection/Plugins': exactly({ filters: ['type==io.containerd.snapshotter.v1'] }, { plugins: [
      plugin('aufs', 'aufs is not supported (modprobe aufs failed: exec: "modprobe": executable file not found in $PATH ""): skip plugin'),
      plugin('overlayfs'),
      plugin('devmapper', 'devmapper not configured'),
      plugin('native'),
      { ...plugin('zfs'), init_err: { code: 9, message: '' } },
    ] }) } }, methods);
    const list = await listSnapshotters(api);
    assert.deepEqual(list.map((s) => [s.name, s.ok]), [['aufs', false], ['devmapper', false], ['native', true], ['overlayfs', true], ['zfs', false]]);
    assert.deepEqual(list[1], { name: 'devmapper', ok: false, error: 'devmapper not configured', capabilities: [] });
    assert.deepEqual(list[2], { name: 'native', ok: true, capabilities: [] });
    assert.equal(list[4]?.error, 'failed to initialize (code 9)');
    // Plugins are per daemon: no namespace header.
    assert.deepEqual(api.calls.map((c) => c.namespace), [undefined]);
  });
});

describe('listSnapshots and usage', () => {
  it('maps kinds, parents and times from the List stream', async (t) => {
    const created = { seconds: 1795335213, nanos: 219095517 };
    const api = new FakeApi(t, {
      unary: { [`${snapshotsPath}/Usage`]: exactly({ snapshotter: 'overlayfs', key: 'web-1' }, { size: 106496, inodes: 12 }, 'default') },
      stream: { [`${snapshotsPath}/List`]: exactly({ snapshotter: 'overlayfs', filters: [] }, [{ info: [
        { name: l1, parent: '', kind: 'COMMITTED', created_at: created, updated_at: created, labels: { 'containerd.io/snapshot.ref': l1 } },
        { name: 'web-1', parent: l1, kind: 'ACTIVE', created_at: created, updated_at: created, labels: {} },
      ] }, { info: [
        { name: 'v', parent: l1, kind: 'VIEW', created_at: created, updated_at: created, labels: {} },
        { name: 'odd', parent: '', kind: 'UNKNOWN', created_at: null, updated_at: null, labels: {} },
      ] }], 'default') },
    }, methods);
    const list = await listSnapshots(api, 'default', 'overlayfs');
    assert.deepEqual(list.map((s) => [s.key, s.parent, s.kind]), [[l1, undefined, 'committed'], ['web-1', l1, 'active'], ['v', l1, 'view'], ['odd', undefined, 'unknown']]);
    assert.equal(list[0]?.createdAt.toISOString(), '2026-11-22T08:13:33.219Z');
    assert.equal(list[0]?.updatedAt?.toISOString(), '2026-11-22T08:13:33.219Z');
    assert.deepEqual(list[3], { snapshotter: 'overlayfs', key: 'odd', kind: 'unknown', createdAt: new Date(0), labels: {} });
    assert.equal(list[0]?.labels['containerd.io/snapshot.ref'], l1);
    assert.deepEqual(await snapshotUsage(api, 'default', 'overlayfs', 'web-1'), { size: 106496, inodes: 12 });
  });

  it('says so when Stat answers without info', async (t) => {
    const api = new FakeApi(t, { unary: { [`${snapshotsPath}/Stat`]: exactly({ snapshotter: 'overlayfs', key: 'web-1' }, { info: null }, 'default') } }, methods);
    await assert.rejects(statSnapshot(api, 'default', 'overlayfs', 'web-1'), /Snapshots\.Stat for web-1 without info/);
  });
});

describe('removeSnapshot', () => {
  const containerStream = [{ container: { id: 'web-1', labels: {}, image: 'i', runtime: { name: 'io.containerd.runc.v2' }, snapshotter: 'overlayfs', snapshot_key: 'web-1', created_at: null, updated_at: null, sandbox: '' } }];
  const info = (name: string, kind: string, parent = '') => ({ info: { name, parent, kind, created_at: null, updated_at: null, labels: {} } });
  const removePath = `${snapshotsPath}/Remove`;
  const leasesPath = '/containerd.services.leases.v1.Leases';

  interface DaemonOptions { leases?: object[]; resources?: Record<string, object[]>; children?: (call: number) => object[]; remove?: () => unknown; images?: object[]; content?: Routes; containers?: object[] }

  /** A daemon where `key` exists as `kind`; leases, children and Remove answer as given; any other call fails the test. */
  function daemon(t: TestContext, key: string, kind: string, options: DaemonOptions = {}): FakeApi {
    let childLists = 0;
    return new FakeApi(t, {
      unary: {
        [`${snapshotsPath}/Stat`]: exactly({ snapshotter: 'overlayfs', key }, info(key, kind), 'default'),
        [`${leasesPath}/List`]: () => ({ leases: options.leases ?? [] }),
        [`${leasesPath}/ListResources`]: (request) => ({ resources: options.resources?.[String(request.id)] ?? [] }),
        '/containerd.services.images.v1.Images/List': exactly({ filters: [] }, { images: options.images ?? [] }, 'default'),
        [removePath]: exactly({ snapshotter: 'overlayfs', key }, {}, 'default'),
        ...(options.remove ? { [removePath]: options.remove } : {}),
        ...options.content?.unary,
      },
      stream: {
        ...options.content?.stream,
        [containersListPath]: exactly({}, options.containers ?? containerStream, 'default'),
        [`${snapshotsPath}/List`]: exactly({ snapshotter: 'overlayfs', filters: [`parent==${JSON.stringify(key)}`] }, [{ info: [] }], 'default'),
        ...(options.children ? { [`${snapshotsPath}/List`]: () => [{ info: options.children?.(childLists++) ?? [] }] } : {}),
      },
    }, methods);
  }
  const refusal = (reason: string, users: readonly string[], message: RegExp) => (error: unknown): boolean => {
    assert.ok(error instanceof SnapshotRemoveRefusedError && error instanceof ContainerdRequestError, String(error));
    assert.equal(error.reason, reason);
    assert.equal(error.code, 'FAILED_PRECONDITION');
    assert.deepEqual(error.users, users);
    assert.match(error.message, message);
    return true;
  };
  const removed = (api: FakeApi): boolean => api.calls.some((c) => c.path === removePath);

  it('refuses the active snapshot of a container without asking containerd to remove it', async (t) => {
    const api = daemon(t, 'web-1', 'ACTIVE');
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', 'web-1'), (error) => {
      assert.ok(error instanceof SnapshotRemoveRefusedError);
      assert.equal(error.message, 'Snapshot web-1 (overlayfs) is the root filesystem of container web-1: delete the container first, which removes its snapshot too.');
      assert.equal(error.method, '/containerd.services.snapshots.v1.Snapshots/Remove');
      assert.equal(error.detail, 'held: inUse (web-1)');
      return refusal('inUse', ['web-1'], /is the root filesystem/)(error);
    });
    assert.ok(!removed(api));
  });

  it('refuses an unpack in progress, naming the layer', async (t) => {
    const key = `extract-1795335213219095517-Xh2k sha256:${'ab'.repeat(32)}`;
    const api = daemon(t, key, 'ACTIVE');
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', key), refusal('unpacking', [`sha256:${'ab'.repeat(32)}`], /is an unpack in progress/));
    assert.ok(!removed(api));
  });

  it('refuses a snapshot with children, naming them', async (t) => {
    const api = daemon(t, l1, 'COMMITTED', { children: () => [info('web-1', 'ACTIVE', l1).info] });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', l1), refusal('hasChildren', ['web-1'], /other snapshots are built on it \(web-1\)/));
    const listCall = api.calls.find((c) => c.path === `${snapshotsPath}/List`);
    assert.deepEqual(listCall?.request, { snapshotter: 'overlayfs', filters: [`parent=="${l1}"`] });
    assert.ok(!removed(api));
  });

  it('refuses a snapshot a lease holds, as a resource or through a GC label of its snapshotter', async (t) => {
    const leases = [
      { id: 'buildkit-rec-1', created_at: null, labels: {} },
      { id: 'mounted', created_at: null, labels: { 'containerd.io/gc.ref.snapshot.overlayfs': 'view-1' } },
      { id: 'native-only', created_at: null, labels: { 'containerd.io/gc.ref.snapshot.native': 'view-1' } },
    ];
    const resources = { 'buildkit-rec-1': [{ id: 'view-1', type: 'snapshots/overlayfs' }, { id: 'view-1', type: 'snapshots/native' }] };
    const api = daemon(t, 'view-1', 'VIEW', { leases, resources });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', 'view-1'), (error) => {
      assert.equal((error as SnapshotRemoveRefusedError).detail, 'held: leased (buildkit-rec-1, mounted)');
      return refusal('leased', ['buildkit-rec-1', 'mounted'], /is held by lease buildkit-rec-1, mounted/)(error);
    });
    assert.ok(!removed(api));
  });

  it('explains containerd\'s own refusal of a snapshot that got children meanwhile', async (t) => {
    const api = daemon(t, l1, 'ACTIVE', {
      children: (call) => (call > 0 ? [info('late-1', 'ACTIVE', l1).info] : []),
      remove: () => { throw new ContainerdRequestError('FAILED_PRECONDITION', removePath, '/run/fake.sock', 'cannot remove snapshot with child: failed precondition'); },
    });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', l1), refusal('hasChildren', ['late-1'], /other snapshots are built on it \(late-1\)/));
  });

  it('removes an unused snapshot; an active one cannot be an image layer, so no image is resolved', async (t) => {
    const api = daemon(t, 'unused', 'ACTIVE', { children: () => [] });
    await removeSnapshot(api, 'default', 'overlayfs', 'unused');
    assert.deepEqual(api.calls.find((c) => c.path === removePath)?.request, { snapshotter: 'overlayfs', key: 'unused' });
    assert.deepEqual(api.lines, ['Snapshots/Stat default', 'Containers/ListStream default', 'Snapshots/List default', 'Leases/List default', 'Snapshots/Remove default']);
  });

  // The busybox sample unpacked: its amd64 layer's snapshot is named by its chain id (one layer: its diff id).
  const sample = { name: 'docker.io/library/busybox:sample', labels: {}, target: { media_type: 'application/vnd.oci.image.index.v1+json', digest: digestOf(real.sampleIndex), size: real.sampleIndex.length, annotations: {} }, created_at: null, updated_at: null };

  it('refuses a layer of an unpacked image, naming the image and platform', async (t) => {
    const api = daemon(t, layerDigests.amd64, 'COMMITTED', { images: [sample], content: contentRoutes(sampleBlobs(), ['default']) });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', layerDigests.amd64),
      refusal('imageLayer', ['docker.io/library/busybox:sample (linux/amd64)'], /is a layer of the unpacked image docker\.io\/library\/busybox:sample \(linux\/amd64\): delete the image instead/));
    assert.ok(!removed(api));
  });

  it('removes a committed snapshot no image has in its layers', async (t) => {
    const api = daemon(t, 'other-base', 'COMMITTED', { images: [sample], content: contentRoutes(sampleBlobs(), ['default']) });
    await removeSnapshot(api, 'default', 'overlayfs', 'other-base');
    assert.ok(removed(api));
  });

  it('treats keys that only look like an unpack, and another snapshotter\'s container, as no holders', async (t) => {
    const native = { container: { ...containerStream[0]?.container, id: 'nat-1', snapshotter: 'native', snapshot_key: 'web-1' } };
    const cases: [string, string, object[]?][] = [
      [`my-extract-1 sha256:${'ab'.repeat(32)}`, 'ACTIVE'], ['extract-1 sha256:a b', 'ACTIVE'],
      [`extract-1 sha256:${'ab'.repeat(32)}`, 'VIEW'], ['web-1', 'ACTIVE', [native]],
    ];
    for (const [key, kind, containers] of cases) {
      const api = daemon(t, key, kind, { children: () => [], ...(containers ? { containers } : {}) });
      await removeSnapshot(api, 'default', 'overlayfs', key);
      assert.ok(removed(api), key);
    }
  });

  it('names all of five holders', async (t) => {
    const ids = ['rec-1', 'rec-2', 'rec-3', 'rec-4', 'rec-5'];
    const api = daemon(t, 'view-1', 'VIEW', {
      leases: ids.map((id) => ({ id, created_at: null, labels: {} })),
      resources: Object.fromEntries(ids.map((id) => [id, [{ id: 'view-1', type: 'snapshots/overlayfs' }]])),
    });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', 'view-1'), refusal('leased', ids, /held by lease rec-1, rec-2, rec-3, rec-4, rec-5 \(BuildKit/));
  });

  it('names the first five holders and counts the rest', async (t) => {
    const ids = ['rec-1', 'rec-2', 'rec-3', 'rec-4', 'rec-5', 'rec-6', 'rec-7'];
    const api = daemon(t, 'view-1', 'VIEW', {
      leases: ids.map((id) => ({ id, created_at: null, labels: {} })),
      resources: Object.fromEntries(ids.map((id) => [id, [{ id: 'view-1', type: 'snapshots/overlayfs' }]])),
    });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', 'view-1'), refusal('leased', ids, /held by lease rec-1, rec-2, rec-3, rec-4, rec-5, and 2 more \(/));
  });

  it('says "unknown" when containerd refused for children it then would not list', async (t) => {
    const api = daemon(t, l1, 'ACTIVE', {
      children: (call) => { if (call > 0) throw new ContainerdRequestError('UNAVAILABLE', `${snapshotsPath}/List`, '/run/fake.sock', 'connection reset'); return []; },
      remove: () => { throw new ContainerdRequestError('FAILED_PRECONDITION', removePath, '/run/fake.sock', 'cannot remove snapshot with Child: failed precondition'); },
    });
    await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', l1), refusal('hasChildren', [], /other snapshots are built on it \(unknown\)/));
  });

  it('passes on containerd\'s other refusals as they are', async (t) => {
    for (const error of [notFound('snapshot build-child does not exist'), new ContainerdRequestError('FAILED_PRECONDITION', removePath, '/run/fake.sock', 'snapshot is in use by a mount')]) {
      const api = daemon(t, 'build-child', 'ACTIVE', { children: () => [], remove: () => { throw error; } });
      await assert.rejects(removeSnapshot(api, 'default', 'overlayfs', 'build-child'), (got) => got === error);
    }
  });
});
