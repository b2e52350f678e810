// ContainerdClient over a real gRPC server on a unix socket (grpcStandIn.ts) and over real broken
// paths: what a caller gets back, and what the daemon receives (namespace header, deadline).
import assert from 'node:assert/strict';
import { linkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ContainerdClient, socketProblem } from '../../src/containerd/connection/client';
import { ContainerdError, ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { RequestCounts } from '../../src/containerd/connection/requestCounts';
import { MethodTable } from '../../src/containerd/proto/codec';
import { startStandIn, type StatusError } from './grpcStandIn';

const versionPath = '/containerd.services.version.v1.Version/Version';
const namespacesPath = '/containerd.services.namespaces.v1.Namespaces/List';
const listStreamPath = '/containerd.services.containers.v1.Containers/ListStream';
const subscribePath = '/containerd.services.events.v1.Events/Subscribe';
const methods = new MethodTable();
const listStream = methods.method<object, { container: { id: string } | null }>('containerd.services.containers.v1.Containers', 'ListStream');
const subscribe = methods.method<object, { topic: string }>('containerd.services.events.v1.Events', 'Subscribe');
const version = methods.method<object, { version: string }>('containerd.services.version.v1.Version', 'Version');

function clientFor(t: TestContext, address: string, timeoutMs = 3_000, counts?: RequestCounts): ContainerdClient {
  const client = new ContainerdClient(address, { methods, timeoutMs, ...(counts ? { counts } : {}) });
  t.after(() => client.close());
  return client;
}

async function failure(call: Promise<unknown>): Promise<ContainerdError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ContainerdError, `expected a ContainerdError, got ${String(error)}`);
    return error;
  }
  return assert.fail('the call succeeded');
}

async function unreachable(call: Promise<unknown>): Promise<ContainerdUnreachableError> {
  const error = await failure(call);
  assert.ok(error instanceof ContainerdUnreachableError, `expected unreachable, got ${error.message}`);
  return error;
}

/** The error a daemon answers with, as a handler throws it. */
function fail(code: grpc.status, details: string): StatusError {
  return Object.assign(new Error(details), { code, details });
}

const never = (): Promise<never> => new Promise(() => undefined);

describe('ContainerdClient over a gRPC socket', () => {
  it('reads the version and namespaces without a namespace header, within its deadline, counting each call', async (t) => {
    const daemon = await startStandIn(t, { unary: {
      [versionPath]: () => ({ version: 'v2.1.9', revision: 'abc123' }),
      [namespacesPath]: () => ({ namespaces: [{ name: 'default' }, { name: 'k8s.io', labels: { team: 'infra' } }] }),
    } });
    const counts = new RequestCounts();
    const client = clientFor(t, `unix://${daemon.socket}`, 3_000, counts);
    assert.equal(client.methods, methods);
    assert.deepEqual(await client.version(), { version: 'v2.1.9', revision: 'abc123' });
    assert.deepEqual(await client.listNamespaces(), [{ name: 'default', labels: {} }, { name: 'k8s.io', labels: { team: 'infra' } }]);
    assert.deepEqual(daemon.calls.map((c) => [c.path, c.namespaces]), [[versionPath, []], [namespacesPath, []]]);
    for (const call of daemon.calls) assert.ok(call.deadlineInMs > 2_000 && call.deadlineInMs <= 3_100, `deadline in ${call.deadlineInMs} ms`);
    assert.deepEqual(counts.snapshot(`unix://${daemon.socket}`), { [versionPath]: 1, [namespacesPath]: 1 });
  });

  it('sends the namespace in containerd-namespace on unary calls and streams, and reads a stream to its end', async (t) => {
    const daemon = await startStandIn(t, {
      unary: { [versionPath]: () => ({ version: 'v1.7.24' }) },
      stream: {
        [listStreamPath]: (_request, call) => {
          for (const id of ['web', 'db', 'cache']) call.write({ container: { id } });
          call.end();
        },
      },
    });
    const counts = new RequestCounts();
    const client = clientFor(t, daemon.socket, 1_000, counts);
    assert.equal((await client.unary(version, {}, 'k8s.io')).version, 'v1.7.24');
    await client.unary(version, {}, ''); // no namespace: no header at all, not an empty one
    const items = await client.streamAll(listStream, {}, 'e2e');
    assert.deepEqual(items.map((m) => m.container?.id), ['web', 'db', 'cache']);
    assert.deepEqual(daemon.calls.map((c) => [c.path, c.namespaces]), [[versionPath, ['k8s.io']], [versionPath, []], [listStreamPath, ['e2e']]]);
    const streamed = daemon.calls[2];
    assert.ok(streamed && streamed.deadlineInMs > 500 && streamed.deadlineInMs <= 1_100, `stream deadline in ${streamed?.deadlineInMs} ms`);
    assert.deepEqual(counts.snapshot(), { [versionPath]: 2, [listStreamPath]: 1 });
  });

  it('takes a reply larger than gRPC\'s 4 MiB default (a big host\'s container list)', async (t) => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const daemon = await startStandIn(t, { unary: { [namespacesPath]: () => ({ namespaces: [{ name: 'default', labels: { big } }] }) } });
    const [only] = await clientFor(t, daemon.socket).listNamespaces();
    assert.equal(only?.labels.big?.length, big.length);
  });

  it('says timed out when the daemon holds a call past the deadline, even once its socket path is gone', async (t) => {
    let socket = '';
    const daemon = await startStandIn(t, {
      unary: {
        [versionPath]: () => {
          unlinkSync(socket); // a connection made stays up; only a probe would notice
          return never();
        },
      },
      stream: { [listStreamPath]: (_request, call) => call.write({ container: { id: 'first' } }) },
    });
    socket = daemon.socket;
    const client = clientFor(t, daemon.socket, 150);
    const started = Date.now();
    const unary = await unreachable(client.version());
    assert.equal(unary.reason, 'timeout');
    assert.ok(Date.now() - started >= 120, 'failed before its deadline');
    assert.match(unary.message, /timed out/);
    const stream = await unreachable(client.streamAll(listStream, {}, 'default'));
    assert.equal(stream.reason, 'timeout');
  });

  it("keeps a daemon's own answers as request errors with their status, even once its socket path is gone", async (t) => {
    let socket = '';
    const daemon = await startStandIn(t, {
      unary: {
        [versionPath]: () => {
          unlinkSync(socket);
          throw fail(grpc.status.NOT_FOUND, 'image "x": not found');
        },
      },
      stream: {
        [listStreamPath]: (_request, call) => {
          call.write({ container: { id: 'first' } });
          call.emit('error', fail(grpc.status.FAILED_PRECONDITION, 'namespace is being deleted'));
        },
      },
    });
    socket = daemon.socket;
    const client = clientFor(t, daemon.socket);
    const answered = await failure(client.version());
    assert.ok(answered instanceof ContainerdRequestError);
    assert.equal(answered.code, 'NOT_FOUND');
    assert.equal(answered.message, `containerd refused ${versionPath}: NOT_FOUND: image "x": not found`);
    assert.equal(answered.address, daemon.socket);
    const streamed = await failure(client.streamAll(listStream, {}, 'default'));
    assert.ok(streamed instanceof ContainerdRequestError);
    assert.equal(streamed.code, 'FAILED_PRECONDITION');
    assert.match(streamed.message, /ListStream: FAILED_PRECONDITION: namespace is being deleted$/);
  });

  it('UNAVAILABLE from a daemon still listening stays unexplained; once its socket is gone it says no such file', async (t) => {
    let socket = '';
    const daemon = await startStandIn(t, { unary: {
      [versionPath]: () => {
        throw fail(grpc.status.UNAVAILABLE, 'shutting down');
      },
      [namespacesPath]: () => {
        unlinkSync(socket);
        throw fail(grpc.status.UNAVAILABLE, 'shutting down');
      },
    } });
    socket = daemon.socket;
    const client = clientFor(t, daemon.socket);
    const live = await unreachable(client.version());
    assert.deepEqual([live.reason, live.detail], ['unknown', 'shutting down']);
    const gone = await unreachable(client.listNamespaces());
    assert.deepEqual([gone.reason, gone.detail], ['notFound', `${daemon.socket} does not exist`]);
    assert.equal(gone.message, `Cannot reach containerd at ${daemon.socket}: no such file (${daemon.socket} does not exist)`);
  });

  it('a gRPC server without a containerd service is not containerd, even once its socket path is gone', async (t) => {
    const daemon = await startStandIn(t, { unary: { [versionPath]: () => ({ version: 'v2.0.0' }) } });
    const client = clientFor(t, daemon.socket);
    await client.version();
    unlinkSync(daemon.socket);
    const error = await unreachable(client.listNamespaces());
    assert.equal(error.reason, 'notContainerd');
    assert.match(error.message, /not a containerd socket/);
  });
});

describe('ContainerdClient at paths where no daemon answers', () => {
  async function reasonAt(t: TestContext, path: string): Promise<ContainerdUnreachableError> {
    return unreachable(clientFor(t, path).version());
  }

  it('says what is at the path: nothing, a regular file, a file as a folder, a stale socket', async (t) => {
    const daemon = await startStandIn(t, {});
    const missing = await reasonAt(t, join(daemon.dir, 'missing.sock'));
    assert.equal(missing.message, `Cannot reach containerd at ${join(daemon.dir, 'missing.sock')}: no such file (${join(daemon.dir, 'missing.sock')} does not exist)`);

    const file = join(daemon.dir, 'file.sock');
    writeFileSync(file, 'not a socket');
    const regular = await reasonAt(t, file);
    assert.deepEqual([regular.reason, regular.detail], ['notContainerd', `${file} is not a socket`]);

    const under = join(file, 'containerd.sock');
    const notDir = await reasonAt(t, under);
    assert.deepEqual([notDir.reason, notDir.detail], ['notFound', `${under} does not exist`]);

    // A socket file left behind by a daemon that died: linked aside while a server listened.
    const stale = join(daemon.dir, 'stale.sock');
    const listening = join(daemon.dir, 'listening.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(listening, resolve));
    linkSync(listening, stale);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await reasonAt(t, stale);
    assert.equal(refused.message, `Cannot reach containerd at ${stale}: connection refused (stale socket: nothing is listening)`);
  });

  it('leaves a failure it cannot name as unknown (a symlink loop)', async (t) => {
    const daemon = await startStandIn(t, {});
    const loop = join(daemon.dir, 'loop');
    symlinkSync(loop, loop);
    const error = await reasonAt(t, join(loop, 'containerd.sock'));
    assert.equal(error.reason, 'unknown');
  });

  // Tests run as root, whom no permission stops: the errnos a user meets, as the probe reads them.
  it('reads a permission problem out of the connect errno, naming the path', () => {
    assert.deepEqual(socketProblem('EACCES', '/run/containerd/containerd.sock'), { reason: 'permissionDenied', detail: 'connect EACCES /run/containerd/containerd.sock' });
    assert.deepEqual(socketProblem('EPERM', '/run/containerd/containerd.sock'), { reason: 'permissionDenied', detail: 'connect EPERM /run/containerd/containerd.sock' });
    assert.equal(socketProblem('EAGAIN', '/run/containerd/containerd.sock'), undefined);
    assert.equal(socketProblem(undefined, '/run/containerd/containerd.sock'), undefined);
  });

  it('refuses an address that is not one before dialing', () => {
    assert.throws(() => new ContainerdClient('run/containerd.sock', { methods, timeoutMs: 1_000 }),
      (error: unknown) => error instanceof ContainerdUnreachableError && error.reason === 'invalidAddress' && /not an absolute path/.test(error.message));
  });
});

describe('ContainerdClient.openStream', () => {
  interface Ended { readonly error: ContainerdError | undefined }

  function open(client: ContainerdClient, namespace?: string): { items: string[]; ends: Ended[]; ended: Promise<Ended>; cancel: () => void } {
    const items: string[] = [];
    const ends: Ended[] = [];
    let done: (end: Ended) => void = () => undefined;
    const ended = new Promise<Ended>((resolve) => (done = resolve));
    const cancel = client.openStream(subscribe, {}, (item) => items.push(item.topic), (error) => {
      ends.push({ error });
      done({ error });
    }, namespace);
    return { items, ends, ended, cancel };
  }

  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

  it('delivers each event, then one clean end, on a call without deadline', async (t) => {
    const daemon = await startStandIn(t, { stream: {
      [subscribePath]: (_request, call) => {
        call.write({ topic: '/containers/create' });
        call.write({ topic: '/tasks/exit' });
        call.end();
      },
    } });
    const counts = new RequestCounts();
    const stream = open(clientFor(t, daemon.socket, 200, counts), 'default');
    assert.equal((await stream.ended).error, undefined);
    await settle();
    assert.deepEqual(stream.items, ['/containers/create', '/tasks/exit']);
    assert.equal(stream.ends.length, 1);
    assert.deepEqual(daemon.calls.map((c) => [c.namespaces, c.deadlineInMs]), [[['default'], Infinity]]);
    assert.deepEqual(counts.snapshot(daemon.socket), { [subscribePath]: 1 });
  });

  it('ends once, with the typed error, when the daemon fails the stream', async (t) => {
    const daemon = await startStandIn(t, { stream: {
      [subscribePath]: (_request, call) => {
        call.write({ topic: '/images/create' });
        call.emit('error', fail(grpc.status.PERMISSION_DENIED, 'read-only proxy'));
      },
    } });
    const stream = open(clientFor(t, daemon.socket));
    const { error } = await stream.ended;
    assert.ok(error instanceof ContainerdRequestError, `ended with ${String(error)}`);
    assert.equal(error.code, 'PERMISSION_DENIED');
    await settle();
    assert.equal(stream.ends.length, 1);
    assert.deepEqual(stream.items, ['/images/create']);
    assert.deepEqual(daemon.calls.map((c) => c.namespaces), [[]]);
  });

  it('cancels quietly: the daemon sees the cancellation, the caller hears no end', async (t) => {
    let cancelled: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (cancelled = resolve));
    let first: () => void = () => undefined;
    const written = new Promise<void>((resolve) => (first = resolve));
    const daemon = await startStandIn(t, { stream: {
      [subscribePath]: (_request, call) => {
        call.on('cancelled', () => cancelled());
        call.write({ topic: '/snapshot/prepare' }, () => first());
      },
    } });
    const stream = open(clientFor(t, daemon.socket));
    await written;
    while (stream.items.length === 0) await new Promise((resolve) => setImmediate(resolve));
    stream.cancel();
    await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error('the daemon never saw the cancel')), 2_000).unref())]);
    await settle();
    assert.deepEqual(stream.ends, []);
  });
});
