// The bench's call timeline over a real gRPC socket: every unary call and every stream read to its
// end has an answer time once the caller has its reply, and so has a call the daemon refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { RequestCounts } from '../../src/containerd/connection/requestCounts';
import { MethodTable } from '../../src/containerd/proto/codec';
import { startStandIn, type StatusError } from './grpcStandIn';

const versionPath = '/containerd.services.version.v1.Version/Version';
const listStreamPath = '/containerd.services.containers.v1.Containers/ListStream';
const methods = new MethodTable();
const version = methods.method<object, { version: string }>('containerd.services.version.v1.Version', 'Version');
const listStream = methods.method<object, { container: { id: string } | null }>('containerd.services.containers.v1.Containers', 'ListStream');
const refused: StatusError = Object.assign(new Error('not allowed'), { code: grpc.status.PERMISSION_DENIED, details: 'not allowed' });

describe('call timeline', () => {
  it('times the answer of unary calls and streams, answered or refused', async (t) => {
    let refuse = false;
    const daemon = await startStandIn(t, {
      unary: { [versionPath]: () => { if (refuse) throw refused; return { version: 'v2.1.9' }; } },
      stream: { [listStreamPath]: (_request, call) => {
        if (refuse) {
          call.emit('error', refused);
          return;
        }
        call.write({ container: { id: 'web' } });
        call.end();
      } },
    });
    const counts = new RequestCounts();
    const client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 3_000, counts });
    t.after(() => client.close());
    await client.unary(version, {});
    await client.streamAll(listStream, {}, 'default');
    refuse = true;
    await assert.rejects(client.unary(version, {}), /not allowed/);
    await assert.rejects(client.streamAll(listStream, {}, 'default'), /not allowed/);
    const timeline = counts.timeline();
    assert.deepEqual(timeline.map((s) => [s.path, s.namespace]),
      [[versionPath, ''], [listStreamPath, 'default'], [versionPath, ''], [listStreamPath, 'default']]);
    for (const span of timeline) {
      assert.ok(span.answeredMs !== undefined && span.answeredMs >= span.sentMs, `${span.path} has no answer time`);
    }
  });
});
