import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/containerd/containers/containers';
import type { TaskSummary } from '../../src/containerd/tasks/tasks';
import { compareContainers, stateText } from '../../src/model/containerRows';

function container(name: string, created: string, task?: TaskSummary): ContainerSummary {
  return {
    namespace: 'default', id: `${name}-id`, name, nameSource: 'nerdctl', image: 'busybox', labels: {}, runtime: 'io.containerd.runc.v2',
    snapshotter: 'overlayfs', snapshotKey: `${name}-id`, createdAt: new Date(created), ports: [], ...(task ? { task } : {}),
  };
}

const web = container('web', '2026-01-02T00:00:00Z', { pid: 10, state: 'running' });
const job = container('job', '2026-01-03T00:00:00Z', { pid: 0, state: 'stopped', exitStatus: 137 });
const fresh = container('fresh', '2026-01-01T00:00:00Z');
const paused = container('api', '2026-01-01T12:00:00Z', { pid: 11, state: 'paused' });

describe('containers model', () => {
  it('words the task state as nerdctl users read it', () => {
    assert.equal(stateText(web), 'Running');
    assert.equal(stateText(job), 'Stopped (137)');
    assert.equal(stateText(fresh), 'Created');
    assert.equal(stateText(paused), 'Paused');
  });

  it('orders by name, newest first, or by state', () => {
    const all = [web, job, fresh, paused];
    assert.deepEqual([...all].sort(compareContainers('name')).map((c) => c.name), ['api', 'fresh', 'job', 'web']);
    assert.deepEqual([...all].sort(compareContainers('created')).map((c) => c.name), ['job', 'web', 'api', 'fresh']);
    assert.deepEqual([...all].sort(compareContainers('state')).map((c) => c.name), ['web', 'api', 'fresh', 'job']);
  });
});
