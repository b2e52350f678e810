// Containers nerdctl named inside a Kubernetes pod, and pods known only by namespace and name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerName, groupByPod } from '../../src/nerdctl/containerNames';

const inPod = (pod: string, namespace: string, workload: string): Record<string, string> => ({
  'io.cri-containerd.kind': 'container',
  'io.kubernetes.pod.name': pod,
  'io.kubernetes.pod.namespace': namespace,
  'io.kubernetes.container.name': workload,
});

describe('pods of named containers', () => {
  it('keeps the pod of a container whose nerdctl/name wins', () => {
    assert.deepEqual(containerName('c1', { ...inPod('api-0', 'team', 'api'), 'nerdctl/name': 'web' }), {
      name: 'web', nameSource: 'nerdctl', pod: { name: 'api-0', namespace: 'team', uid: '', sandbox: false },
    });
  });

  it('tells pods without a uid apart by namespace and name', () => {
    const items = [
      { id: 'a', ...containerName('a', inPod('api-0', 'team', 'api')) },
      { id: 'b', ...containerName('b', inPod('api-1', 'team', 'api')) },
      { id: 'c', ...containerName('c', inPod('api-0', 'default', 'api')) },
      { id: 'd', ...containerName('d', inPod('api-0', 'team', 'sidecar')) },
    ];
    const grouped = groupByPod(items);
    assert.deepEqual(grouped.pods.map((p) => [p.key, p.containers.map((c) => c.id)]), [['default/api-0', ['c']], ['team/api-0', ['a', 'd']], ['team/api-1', ['b']]]);
  });
});
