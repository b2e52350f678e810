// Which scope the views show after each endpoints answer: the remembered choice while its daemon
// is known, else a live default, with a notice saying so.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { defaultScope, isKnownEndpoint, resolveScope } from '../../src/model/scopeChoice';

const version = { version: 'v2.1.9', revision: 'abc' };
const up = (address: string, names: string[], preferredNamespace?: string): EndpointStatus => ({
  endpoint: { address, label: address, source: 'configured', ...(preferredNamespace ? { preferredNamespace } : {}) },
  reachable: true, version, namespaces: names.map((name) => ({ name, labels: {} })),
});
const down = (address: string): EndpointStatus => ({
  endpoint: { address, label: address, source: 'rootful' }, reachable: false, error: new ContainerdUnreachableError('refused', address, ''),
});

describe('scope choice', () => {
  it('starts on the endpoint\'s customary namespace, then default, then the first', () => {
    assert.deepEqual(defaultScope([up('/a.sock', ['default', 'k8s.io'], 'k8s.io')]), { address: '/a.sock', namespace: 'k8s.io' });
    assert.deepEqual(defaultScope([up('/a.sock', ['buildkit', 'default'])]), { address: '/a.sock', namespace: 'default' });
    assert.deepEqual(defaultScope([down('/gone.sock'), up('/b.sock', ['moby'])]), { address: '/b.sock', namespace: 'moby' });
    assert.equal(defaultScope([down('/gone.sock')]), undefined);
  });

  it('keeps a chosen daemon that is merely down: its views say disconnected and come back', () => {
    const chosen = { address: '/a.sock', namespace: 'team' };
    const r = resolveScope(chosen, [down('/a.sock'), up('/b.sock', ['default'])], chosen);
    assert.deepEqual(r, { scope: chosen, forgetChoice: false });
  });

  it('falls back to a live scope, and says so, when the chosen daemon is no longer an endpoint', () => {
    const chosen = { address: '/proc/4242/root/run/containerd/containerd.sock', namespace: 'default' };
    const r = resolveScope(chosen, [up('/run/containerd/containerd.sock', ['default'])], chosen);
    assert.deepEqual(r.scope, { address: '/run/containerd/containerd.sock', namespace: 'default' });
    assert.equal(r.forgetChoice, true);
    assert.match(r.notice ?? '', /\/proc\/4242\/root\/run\/containerd\/containerd\.sock is not among the known endpoints any more: showing namespace "default" of \/run\/containerd\/containerd\.sock/);
  });

  it('falls back to the same daemon\'s default namespace when the chosen one was deleted', () => {
    const chosen = { address: '/a.sock', namespace: 'removed' };
    const r = resolveScope(chosen, [up('/a.sock', ['default', 'other'])], chosen);
    assert.deepEqual(r.scope, { address: '/a.sock', namespace: 'default' });
    assert.equal(r.forgetChoice, true);
    assert.match(r.notice ?? '', /Namespace "removed" no longer exists on \/a\.sock/);
  });

  it('keeps "all namespaces" and the last scope when nothing better is reachable', () => {
    const all = { address: '/a.sock', namespace: undefined };
    assert.deepEqual(resolveScope(all, [up('/a.sock', ['x'])], all), { scope: all, forgetChoice: false });
    const last = { address: '/a.sock', namespace: 'default' };
    assert.deepEqual(resolveScope(undefined, [down('/a.sock')], last), { scope: last, forgetChoice: false });
    assert.deepEqual(resolveScope({ address: '/old.sock', namespace: 'x' }, [down('/a.sock')], last).scope, { address: '/old.sock', namespace: 'x' });
  });

  it('knows only the endpoints of the last answer', () => {
    const statuses = [up('/a.sock', ['default']), down('/b.sock')];
    assert.equal(isKnownEndpoint(statuses, '/a.sock'), true);
    assert.equal(isKnownEndpoint(statuses, '/b.sock'), true);
    assert.equal(isKnownEndpoint(statuses, '/tmp/attacker.sock'), false);
    assert.equal(isKnownEndpoint(statuses, { address: '/a.sock' }), false);
    assert.equal(isKnownEndpoint(undefined, '/a.sock'), false);
  });
});
