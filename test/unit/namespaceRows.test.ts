import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { childrenOf, connectionState } from '../../src/model/namespaceRows';

const version = { version: 'v2.1.9', revision: 'abc' };
const up = (address: string, names: string[]): EndpointStatus => ({
  endpoint: { address, label: address, source: 'configured' }, reachable: true, version, namespaces: names.map((name) => ({ name, labels: {} })),
});
const down = (address: string, reason: 'notFound' | 'permissionDenied'): EndpointStatus => ({
  endpoint: { address, label: address, source: 'rootful' }, reachable: false, error: new ContainerdUnreachableError(reason, address, ''),
});

function labels(nodes: ReturnType<typeof childrenOf>): string[] {
  return nodes.map((n) => (n.kind === 'namespace' ? n.namespace.name : `endpoint ${n.status.endpoint.address}`));
}

describe('namespaces tree model', () => {
  it('puts the namespaces of a single endpoint at the top level', () => {
    assert.deepEqual(labels(childrenOf([up('/a', ['default', 'k8s.io'])])), ['default', 'k8s.io']);
  });

  it('shows one node per endpoint when there are several, unreachable ones included', () => {
    const statuses = [up('/a', ['default']), down('/b', 'permissionDenied')];
    const top = childrenOf(statuses);
    assert.deepEqual(labels(top), ['endpoint /a', 'endpoint /b']);
    assert.deepEqual(labels(childrenOf(statuses, top[0])), ['default']);
    assert.deepEqual(childrenOf(statuses, top[1]), []);
  });

  it('has no children under a namespace and none for a lone unreachable endpoint', () => {
    const statuses = [up('/a', ['default'])];
    const [ns] = childrenOf(statuses);
    assert.deepEqual(childrenOf(statuses, ns), []);
    assert.deepEqual(childrenOf([down('/a', 'notFound')]), []);
  });

  it('derives the connection state the welcome content reads', () => {
    assert.equal(connectionState([up('/a', [])]), 'connected');
    assert.equal(connectionState([down('/a', 'notFound'), up('/b', [])]), 'connected');
    assert.equal(connectionState([down('/a', 'permissionDenied'), down('/b', 'notFound')]), 'permissionDenied');
    const refused: EndpointStatus = { endpoint: { address: '/a', label: '/a', source: 'default' }, reachable: false, error: new ContainerdRequestError('INTERNAL', '/m', '/a', '') };
    assert.equal(connectionState([refused]), 'unknown');
    assert.equal(connectionState([]), 'unknown');
  });
});
