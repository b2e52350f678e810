// A unary call's options as the daemon receives them (grpcStandIn.ts): the lease travels in
// containerd-lease next to the namespace, a call marked noDeadline carries none, and aborting the
// signal cancels the call on the daemon's side and rejects with the signal's reason.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { ContainerdClient, leaseHeader } from '../../src/containerd/connection/client';
import { MethodTable } from '../../src/containerd/proto/codec';
import { startStandIn } from './grpcStandIn';

const methods = new MethodTable();
const viewPath = '/containerd.services.snapshots.v1.Snapshots/View';
const view = methods.method<{ snapshotter: string; key: string; parent: string }, { mounts: { type: string }[] }>('containerd.services.snapshots.v1.Snapshots', 'View');
const request = { snapshotter: 'overlayfs', key: 'v', parent: 'p' };

function clientFor(t: TestContext, socket: string): ContainerdClient {
  const client = new ContainerdClient(socket, { methods, timeoutMs: 3_000 });
  t.after(() => client.close());
  return client;
}

describe('ContainerdClient unary call options', () => {
  it('sends the lease in containerd-lease beside the namespace, only when given; noDeadline sends no deadline', async (t) => {
    const leases: string[][] = [];
    const daemon = await startStandIn(t, { unary: { [viewPath]: (_request, call: grpc.ServerUnaryCall<unknown, unknown>) => {
      leases.push(call.metadata.get(leaseHeader).map(String));
      return { mounts: [{ type: 'overlay' }] };
    } } });
    const client = clientFor(t, daemon.socket);
    assert.deepEqual((await client.unary(view, request, 'default', { lease: 'diff-1' })).mounts.map((m) => m.type), ['overlay']);
    await client.unary(view, request, 'default');
    await client.unary(view, request, 'default', { lease: 'diff-2', noDeadline: true });
    assert.deepEqual(leases, [['diff-1'], [], ['diff-2']]);
    assert.deepEqual(daemon.calls.map((c) => c.namespaces), [['default'], ['default'], ['default']]);
    const [first, second, third] = daemon.calls.map((c) => c.deadlineInMs);
    assert.ok((first ?? 0) > 2_000 && (first ?? 0) <= 3_100 && (second ?? 0) <= 3_100, `deadlines in ${first} and ${second} ms`);
    assert.equal(third, Infinity);
  });

  it('cancels a call on abort: the daemon sees it cancelled, the caller gets the reason; an aborted signal sends nothing', async (t) => {
    let cancelled: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (cancelled = resolve));
    let arrived: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    const daemon = await startStandIn(t, { unary: { [viewPath]: (_request, call: grpc.ServerUnaryCall<unknown, unknown>) => {
      call.on('cancelled', () => cancelled());
      arrived();
      return new Promise(() => undefined);
    } } });
    const client = clientFor(t, daemon.socket);
    const stop = new AbortController();
    const call = client.unary(view, request, 'default', { noDeadline: true, signal: stop.signal });
    await held;
    stop.abort(new Error('the user cancelled'));
    await assert.rejects(call, /the user cancelled/);
    await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error('the daemon never saw the cancel')), 2_000).unref())]);
    await assert.rejects(client.unary(view, request, 'default', { signal: stop.signal }), /the user cancelled/);
    assert.equal(daemon.calls.length, 1);
  });
});
