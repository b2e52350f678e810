import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import type { Endpoint } from '../../src/containerd/connection/endpoints';
import { ContainerdRequestError, ContainerdUnreachableError, type UnreachableReason } from '../../src/containerd/connection/errors';
import { isQuietAbsence, needingAttention, rememberAnswered } from '../../src/model/endpointAttention';

const at = (address: string, source: Endpoint['source']): Endpoint => ({ address, label: address, source });
const down = (endpoint: Endpoint, reason: UnreachableReason): EndpointStatus => ({ endpoint, reachable: false, error: new ContainerdUnreachableError(reason, endpoint.address, '') });
const up = (endpoint: Endpoint): EndpointStatus => ({ endpoint, reachable: true, version: { version: 'v2', revision: '' }, namespaces: [] });
const guessed = at('/run/containerd/containerd.sock', 'default');

test('the guessed default with no socket, never answering, is quiet; every other failure counts', () => {
  const none = new Set<string>();
  assert.equal(isQuietAbsence(down(guessed, 'notFound'), none), true);
  assert.equal(isQuietAbsence(down(guessed, 'notFound'), new Set([guessed.address])), false, 'it answered before: its absence is news');
  assert.equal(isQuietAbsence(down(guessed, 'permissionDenied'), none), false, 'a socket is there and refuses: a real problem');
  assert.equal(isQuietAbsence(down(guessed, 'refused'), none), false);
  assert.equal(isQuietAbsence(down(at(guessed.address, 'configured'), 'notFound'), none), false, 'the user chose it');
  assert.equal(isQuietAbsence(down(at(guessed.address, 'environment'), 'notFound'), none), false);
  assert.equal(isQuietAbsence(up(guessed), none), false);
  const answered: EndpointStatus = { endpoint: guessed, reachable: false, error: new ContainerdRequestError('INTERNAL', '/m', guessed.address, '') };
  assert.equal(isQuietAbsence(answered, none), false);
});

test('the badge counts what needs attention; answered addresses are remembered, once each, sorted', () => {
  const rootless = up(at('/proc/7/root/run/containerd/containerd.sock', 'rootless'));
  const k3s = down(at('/run/k3s/containerd/containerd.sock', 'k3s'), 'permissionDenied');
  assert.deepEqual(needingAttention([down(guessed, 'notFound'), rootless, k3s], new Set()), [k3s]);
  assert.deepEqual(needingAttention([down(guessed, 'notFound'), rootless], new Set([guessed.address])).map((s) => s.endpoint.address), [guessed.address]);
  assert.deepEqual(rememberAnswered(['/z.sock', '/proc/7/root/run/containerd/containerd.sock'], [rootless, k3s, up(at('/a.sock', 'configured'))]), ['/a.sock', '/proc/7/root/run/containerd/containerd.sock', '/z.sock']);
});
