// Where the views go when the remembered scope no longer applies, and what the notice says:
// another namespace of the same daemon before another daemon; "all namespaces" of a daemon
// that has none; a chosen namespace that still exists among several stays chosen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { resolveScope } from '../../src/model/scopeChoice';

const version = { version: 'v2.1.9', revision: 'abc' };
const up = (address: string, names: string[]): EndpointStatus => ({
  endpoint: { address, label: address, source: 'configured' },
  reachable: true, version, namespaces: names.map((name) => ({ name, labels: {} })),
});
const down = (address: string): EndpointStatus => ({
  endpoint: { address, label: address, source: 'rootful' }, reachable: false, error: new ContainerdUnreachableError('refused', address, ''),
});

describe('scope fallbacks', () => {
  it('keeps a chosen namespace that still exists, whichever of the daemon\'s namespaces it is', () => {
    const chosen = { address: '/a.sock', namespace: 'team' };
    assert.deepEqual(resolveScope(chosen, [up('/a.sock', ['default', 'team', 'k8s.io'])], chosen), { scope: chosen, forgetChoice: false });
  });

  it('stays on the chosen daemon when its namespace is gone, even when another daemon comes first', () => {
    const chosen = { address: '/a.sock', namespace: 'removed' };
    const r = resolveScope(chosen, [up('/b.sock', ['default']), up('/a.sock', ['other', 'default'])], chosen);
    assert.deepEqual(r.scope, { address: '/a.sock', namespace: 'default' });
    assert.equal(r.notice, 'Namespace "removed" no longer exists on /a.sock: showing namespace "default" of /a.sock.');
  });

  it('keeps remembering an unknown daemon while no daemon is up to fall back to', () => {
    const chosen = { address: '/old.sock', namespace: 'x' };
    assert.deepEqual(resolveScope(chosen, [down('/a.sock')], undefined), { scope: chosen, forgetChoice: false });
  });

  it('says "all namespaces" when the fallback daemon has no namespace yet', () => {
    const chosen = { address: '/gone.sock', namespace: 'default' };
    const r = resolveScope(chosen, [up('/fresh.sock', [])], chosen);
    assert.deepEqual(r.scope, { address: '/fresh.sock', namespace: undefined });
    assert.equal(r.notice, 'The remembered daemon /gone.sock is not among the known endpoints any more: showing all namespaces of /fresh.sock.');
  });
});
