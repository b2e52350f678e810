// Namespace counts after an event batch re-list only the areas the batch touched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsText, namespaceCounts } from '../../src/containerd/namespaces/namespaceCounts';
import { MethodTable } from '../../src/containerd/proto/codec';
import { exactly, FakeApi } from './fakeApi';

const methods = new MethodTable();
const images = '/containerd.services.images.v1.Images/List';
const containers = '/containerd.services.containers.v1.Containers/ListStream';
const snapshots = '/containerd.services.snapshots.v1.Snapshots/List';
const container = (id: string) => ({ container: { id, labels: {}, image: '', runtime: null, snapshotter: '', snapshot_key: '', created_at: null, updated_at: null, sandbox: '' } });
const snapshot = (name: string) => ({ name, parent: '', kind: 'COMMITTED', created_at: null, updated_at: null, labels: {} });

describe('namespace counts', () => {
  it('counts every area the first time', async (t) => {
    const api = new FakeApi(t, {
      unary: { [images]: exactly({ filters: [] }, { images: [{ name: 'a', labels: {}, target: null, created_at: null, updated_at: null }] }, 'ns') },
      stream: {
        [containers]: exactly({}, [container('c1'), container('c2')], 'ns'),
        [snapshots]: (request) => [{ info: request.snapshotter === 'overlayfs' ? [snapshot('s1'), snapshot('s2')] : [snapshot('n1')] }],
      },
    }, methods);
    assert.deepEqual(await namespaceCounts(api, 'ns', ['native', 'overlayfs']), { images: 1, containers: 2, snapshots: 3 });
  });

  it('re-lists only the areas an event batch touched, keeping the other counts', async (t) => {
    // Only the container list is set up: listing images or snapshots fails the test.
    const api = new FakeApi(t, { stream: { [containers]: exactly({}, [container('c1')], 'ns') } }, methods);
    const counts = await namespaceCounts(api, 'ns', ['overlayfs'], new Set(['containers']), { images: 7, containers: 2, snapshots: 9 });
    assert.deepEqual(counts, { images: 7, containers: 1, snapshots: 9 });
    assert.deepEqual(api.calls.map((c) => c.path), [containers]);
  });

  it('re-lists images and snapshots when a batch touched them, and every area when none is named', async (t) => {
    const api = new FakeApi(t, {
      unary: { [images]: exactly({ filters: [] }, { images: [] }, 'ns') },
      stream: { [snapshots]: exactly({ snapshotter: 'overlayfs', filters: [] }, [{ info: [snapshot('s1')] }], 'ns'), [containers]: exactly({}, [], 'ns') },
    }, methods);
    const previous = { images: 7, containers: 2, snapshots: 9 };
    assert.deepEqual(await namespaceCounts(api, 'ns', ['overlayfs'], new Set(['images', 'snapshots']), previous), { images: 0, containers: 2, snapshots: 1 });
    assert.deepEqual(api.calls.map((c) => c.path).sort(), [images, snapshots]);
    assert.deepEqual(await namespaceCounts(api, 'ns', ['overlayfs'], undefined, previous), { images: 0, containers: 0, snapshots: 1 });
  });
});

describe('countsText', () => {
  it('reads as the Namespaces view shows it, singular for one', () => {
    assert.equal(countsText({ images: 1, containers: 0, snapshots: 2 }), '1 image · 0 containers · 2 snapshots');
    assert.equal(countsText({ images: 3, containers: 1, snapshots: 1 }), '3 images · 1 container · 1 snapshot');
  });
});
