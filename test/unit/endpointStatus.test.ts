// Connections and readEndpointStatus over real gRPC stand-ins (grpcStandIn.ts): what the
// Namespaces view gets per endpoint, when a second try is made, and which channels are dropped.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Connections } from '../../src/containerd/connection/connections';
import { readAllEndpointStatus, readEndpointStatus } from '../../src/containerd/connection/endpointStatus';
import type { Endpoint } from '../../src/containerd/connection/endpoints';
import { ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { RequestCounts } from '../../src/containerd/connection/requestCounts';
import { MethodTable } from '../../src/containerd/proto/codec';
import { startStandIn } from './grpcStandIn';

const versionPath = '/containerd.services.version.v1.Version/Version';
const namespacesPath = '/containerd.services.namespaces.v1.Namespaces/List';
const methods = new MethodTable();

function endpoint(address: string): Endpoint {
  return { address, label: address, source: 'configured' };
}

function connectionsFor(t: { after: (fn: () => void) => void }): Connections {
  const connections = new Connections({ methods, timeoutMs: 2_000 });
  t.after(() => connections.closeAll());
  return connections;
}

function status(code: grpc.status, details: string): Error {
  return Object.assign(new Error(details), { code, details });
}

const namespaces = { namespaces: [{ name: 'k8s.io' }, { name: 'buildkit' }, { name: 'default', labels: { owner: 'me' } }] };

describe('readEndpointStatus', () => {
  it('gives the version and the namespaces sorted by name', async (t) => {
    const daemon = await startStandIn(t, { unary: { [versionPath]: () => ({ version: 'v2.1.9', revision: 'r1' }), [namespacesPath]: () => namespaces } });
    const got = await readEndpointStatus(endpoint(daemon.socket), connectionsFor(t));
    assert.ok(got.reachable);
    assert.deepEqual(got.version, { version: 'v2.1.9', revision: 'r1' });
    assert.deepEqual(got.namespaces, [{ name: 'buildkit', labels: {} }, { name: 'default', labels: { owner: 'me' } }, { name: 'k8s.io', labels: {} }]);
    assert.equal(daemon.calls.length, 2, 'one Version and one List: an endpoint that answered is not asked again');
  });

  it('tries once more on a fresh channel when a connection dropped for no known reason', async (t) => {
    let versions = 0;
    const daemon = await startStandIn(t, {
      unary: {
        [versionPath]: () => {
          versions += 1;
          if (versions === 1) throw status(grpc.status.UNAVAILABLE, 'Connection dropped');
          return { version: 'v1.7.24', revision: 'r2' };
        },
        [namespacesPath]: () => namespaces,
      },
    });
    const connections = connectionsFor(t);
    const first = connections.get(daemon.socket);
    const got = await readEndpointStatus(endpoint(daemon.socket), connections);
    assert.ok(got.reachable, 'the second try reached the daemon');
    assert.equal(got.version.version, 'v1.7.24');
    assert.equal(versions, 2);
    assert.notEqual(connections.get(daemon.socket), first, 'the failed channel was dropped');
  });

  it('does not try again when the daemon answered, nor when the reason is known; drops only an unreachable channel', async (t) => {
    const refusing = await startStandIn(t, {
      unary: { [versionPath]: () => ({ version: 'v2.1.9' }), [namespacesPath]: () => { throw status(grpc.status.PERMISSION_DENIED, 'read-only proxy'); } },
    });
    const foreign = await startStandIn(t, { unary: { [versionPath]: () => ({ version: 'v0' }) } });
    const connections = connectionsFor(t);
    const kept = connections.get(refusing.socket);
    const dropped = connections.get(foreign.socket);
    const [answered, notContainerd] = await readAllEndpointStatus([endpoint(refusing.socket), endpoint(foreign.socket)], connections);

    assert.ok(answered && !answered.reachable && answered.error instanceof ContainerdRequestError);
    assert.equal(answered.error.code, 'PERMISSION_DENIED');
    assert.deepEqual(refusing.calls.map((c) => c.path).sort(), [namespacesPath, versionPath]);
    assert.equal(connections.get(refusing.socket), kept, 'a daemon that answered keeps its channel');

    assert.ok(notContainerd && !notContainerd.reachable && notContainerd.error instanceof ContainerdUnreachableError);
    assert.equal(notContainerd.error.reason, 'notContainerd');
    assert.equal(foreign.calls.length, 1, 'one Version call: no second try');
    assert.notEqual(connections.get(foreign.socket), dropped);
  });

  it('says per endpoint, in order, which one answered and why another did not', async (t) => {
    const daemon = await startStandIn(t, { unary: { [versionPath]: () => ({ version: 'v2.1.9' }), [namespacesPath]: () => namespaces } });
    const missing = join(daemon.dir, 'missing.sock');
    const got = await readAllEndpointStatus([endpoint(missing), endpoint(daemon.socket)], connectionsFor(t));
    assert.deepEqual(got.map((s) => [s.endpoint.address, s.reachable ? 'reachable' : s.error.message]), [
      [missing, `Cannot reach containerd at ${missing}: no such file (${missing} does not exist)`],
      [daemon.socket, 'reachable'],
    ]);
  });
});

describe('Connections', () => {
  it('keeps one channel per address until it is reset or all are closed', async (t) => {
    const daemon = await startStandIn(t, { unary: { [versionPath]: () => ({ version: 'v2.1.9' }) } });
    const connections = connectionsFor(t);
    const client = connections.get(daemon.socket);
    assert.equal(connections.get(daemon.socket), client);
    assert.equal((await client.version()).version, 'v2.1.9');

    connections.reset(daemon.socket);
    connections.reset(join(daemon.dir, 'never-dialed.sock'));
    await assert.rejects(client.version(), /Channel has been shut down/, 'a reset closes the old channel');
    const fresh = connections.get(daemon.socket);
    assert.notEqual(fresh, client);
    assert.equal((await fresh.version()).version, 'v2.1.9');

    connections.closeAll();
    await assert.rejects(fresh.version(), /Channel has been shut down/);
    const reopened = connections.get(daemon.socket);
    assert.notEqual(reopened, fresh);
    assert.equal((await reopened.version()).version, 'v2.1.9');
  });
});

describe('RequestCounts', () => {
  it('counts calls per method for one endpoint, or summed over all', () => {
    const counts = new RequestCounts();
    counts.note('/a.sock', '/containerd.services.images.v1.Images/List');
    counts.note('/a.sock', '/containerd.services.images.v1.Images/List');
    counts.note('/b.sock', '/containerd.services.images.v1.Images/List');
    counts.note('/b.sock', '/containerd.services.version.v1.Version/Version');
    assert.deepEqual(counts.snapshot('/a.sock'), { '/containerd.services.images.v1.Images/List': 2 });
    assert.deepEqual(counts.snapshot('/b.sock'), { '/containerd.services.images.v1.Images/List': 1, '/containerd.services.version.v1.Version/Version': 1 });
    assert.deepEqual(counts.snapshot(), { '/containerd.services.images.v1.Images/List': 3, '/containerd.services.version.v1.Version/Version': 1 });
    assert.deepEqual(counts.snapshot('/c.sock'), {});
  });

  it('keeps the first 200 calls in order with their namespace, answered once, later ones only counted', () => {
    const counts = new RequestCounts();
    const before = performance.now();
    const answerList = counts.note('/a.sock', '/containerd.services.images.v1.Images/List', 'default');
    counts.note('/a.sock', '/containerd.services.events.v1.Events/Subscribe');
    answerList();
    const answeredAt = counts.timeline()[0]?.answeredMs;
    answerList();
    const [list, subscribe] = counts.timeline();
    assert.equal(list?.path, '/containerd.services.images.v1.Images/List');
    assert.equal(list?.namespace, 'default');
    assert.ok(list !== undefined && list.sentMs >= before && answeredAt !== undefined && answeredAt >= list.sentMs);
    assert.equal(list?.answeredMs, answeredAt, 'a second answer does not move the first');
    assert.deepEqual([subscribe?.namespace, subscribe?.answeredMs], ['', undefined]);
    for (let i = 0; i < 250; i++) counts.note('/a.sock', '/containerd.services.version.v1.Version/Version')();
    assert.equal(counts.timeline().length, 200);
    assert.equal(counts.snapshot()['/containerd.services.version.v1.Version/Version'], 250);
  });
});
