// Leases as containerd answers them (ctr leases ls / ctr leases resources), and which of them hold
// a snapshot: what removing it would break.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseResources, leasesHoldingSnapshot, listLeases } from '../../src/containerd/leases/leases';
import { MethodTable } from '../../src/containerd/proto/codec';
import { exactly, FakeApi, notFound } from './fakeApi';

const methods = new MethodTable();
const leasesPath = '/containerd.services.leases.v1.Leases';

describe('listLeases and leaseResources', () => {
  it('reads ids, creation times and labels, and the resources of one lease', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${leasesPath}/List`]: exactly({ filters: [] }, { leases: [
        { id: 'pull-1', created_at: { seconds: 1795335200, nanos: 602619207 }, labels: { 'containerd.io/gc.expire': '2026-11-23T08:13:20Z' } },
        { id: 'old', created_at: null, labels: {} },
      ] }, 'buildkit'),
      [`${leasesPath}/ListResources`]: exactly({ id: 'pull-1' }, { resources: [{ id: 'sha256:abc', type: 'content' }, { id: 'extract-1 sha256:l1', type: 'snapshots/overlayfs' }] }, 'buildkit'),
    } }, methods);
    assert.deepEqual(await listLeases(api, 'buildkit'), [
      { id: 'pull-1', createdAt: new Date('2026-11-22T08:13:20.602Z'), labels: { 'containerd.io/gc.expire': '2026-11-23T08:13:20Z' } },
      { id: 'old', labels: {} },
    ]);
    assert.deepEqual(await leaseResources(api, 'buildkit', 'pull-1'), [{ id: 'sha256:abc', type: 'content' }, { id: 'extract-1 sha256:l1', type: 'snapshots/overlayfs' }]);
  });

  it('gives no resources for a lease that ended since it was listed, and fails on any other error', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${leasesPath}/ListResources`]: (request) => {
        if (request.id === 'ended') throw notFound('lease "ended"');
        throw new Error('connection reset');
      },
    } }, methods);
    assert.deepEqual(await leaseResources(api, 'default', 'ended'), []);
    await assert.rejects(leaseResources(api, 'default', 'other'), /connection reset/);
  });
});

describe('leasesHoldingSnapshot', () => {
  it("names the leases referencing the snapshot in this snapshotter, by resource or by containerd's GC label", async (t) => {
    const leases = [
      { id: 'by-label', created_at: null, labels: { 'containerd.io/gc.ref.snapshot.overlayfs': 'view-1' } },
      { id: 'by-suffixed-label', created_at: null, labels: { 'containerd.io/gc.ref.snapshot.overlayfs/1': 'view-1' } },
      { id: 'other-snapshotter-label', created_at: null, labels: { 'containerd.io/gc.ref.snapshot.overlayfs2': 'view-1', 'containerd.io/gc.ref.snapshot.native': 'view-1' } },
      { id: 'other-key-label', created_at: null, labels: { 'containerd.io/gc.ref.snapshot.overlayfs': 'view-2' } },
      { id: 'by-resource', created_at: null, labels: {} },
      { id: 'other-resources', created_at: null, labels: {} },
      { id: 'ended', created_at: null, labels: {} },
    ];
    const resources: Record<string, object[]> = {
      'other-snapshotter-label': [],
      'other-key-label': [{ id: 'view-2', type: 'snapshots/overlayfs' }],
      'by-resource': [{ id: 'sha256:abc', type: 'content' }, { id: 'view-1', type: 'snapshots/overlayfs' }],
      'other-resources': [{ id: 'view-1', type: 'snapshots/native' }, { id: 'view-1', type: 'content' }],
    };
    const api = new FakeApi(t, { unary: {
      [`${leasesPath}/List`]: exactly({ filters: [] }, { leases }, 'default'),
      [`${leasesPath}/ListResources`]: (request, namespace) => {
        assert.equal(namespace, 'default');
        const id = String(request.id);
        if (id === 'ended') throw notFound('lease "ended"');
        const found = resources[id];
        if (!found) throw new Error(`resources of ${id} asked, though its label already says it holds the snapshot`);
        return { resources: found };
      },
    } }, methods);
    assert.deepEqual(await leasesHoldingSnapshot(api, 'default', 'overlayfs', 'view-1'), ['by-label', 'by-suffixed-label', 'by-resource']);
  });
});
