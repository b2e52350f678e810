// Every task state in the Containers view's words, and the state order's tie-breaks: containers
// without a task sit with the created ones, above a task whose state containerd could not name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/containerd/containers/containers';
import type { TaskState } from '../../src/containerd/tasks/tasks';
import { compareContainers, stateText } from '../../src/model/containerRows';

function container(name: string, id: string, state?: TaskState): ContainerSummary {
  return {
    namespace: 'default', id, name, nameSource: 'nerdctl', image: 'busybox', labels: {}, runtime: 'io.containerd.runc.v2',
    snapshotter: 'overlayfs', snapshotKey: id, createdAt: new Date('2026-01-01T00:00:00Z'), ports: [], ...(state ? { task: { pid: 7, state } } : {}),
  };
}

const names = (list: readonly ContainerSummary[]): string[] => list.map((c) => `${c.name}/${c.id}`);

describe('container states in the view', () => {
  it('words a pausing, a created and an unnamed task state', () => {
    assert.equal(stateText(container('a', 'a-1', 'pausing')), 'Pausing');
    assert.equal(stateText(container('a', 'a-1', 'created')), 'Created');
    assert.equal(stateText(container('a', 'a-1', 'unknown')), 'Unknown');
  });

  it('sorts containers without a task with the created ones, before an unknown state', () => {
    // Each order is checked from both input orders: a one-sided comparator shows in one of them.
    const rows = [container('a', 'a-1', 'unknown'), container('c', 'c-1', 'created'), container('b', 'b-1')];
    const expected = ['b/b-1', 'c/c-1', 'a/a-1'];
    assert.deepEqual(names([...rows].sort(compareContainers('state'))), expected);
    assert.deepEqual(names([...rows].reverse().sort(compareContainers('state'))), expected);
    const stoppedFirst = [container('z', 'z-1', 'stopped'), container('y', 'y-1')];
    assert.deepEqual(names([...stoppedFirst].sort(compareContainers('state'))), ['y/y-1', 'z/z-1']);
    assert.deepEqual(names([...stoppedFirst].reverse().sort(compareContainers('state'))), ['y/y-1', 'z/z-1']);
  });

  it('orders by name, and two containers of the same name by id', () => {
    const rows = [container('web', 'b-2'), container('api', 'z-9'), container('web', 'a-1')];
    assert.deepEqual(names([...rows].sort(compareContainers('name'))), ['api/z-9', 'web/a-1', 'web/b-2']);
    assert.deepEqual(names([...rows].reverse().sort(compareContainers('name'))), ['api/z-9', 'web/a-1', 'web/b-2']);
  });
});
