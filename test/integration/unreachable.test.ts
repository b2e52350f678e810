// What the client says about addresses where no containerd answers, each set up for real:
// a missing path, a regular file, an HTTP/1 API socket, a gRPC server that is not containerd, a
// socket that accepts and never answers, and an address that is not an address.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Connections } from '../../src/containerd/connection/connections';
import { readEndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { MethodTable } from '../../src/containerd/proto/codec';

async function reasonAt(address: string, timeoutMs = 10_000): Promise<{ reason: string; message: string }> {
  const connections = new Connections({ methods: new MethodTable(), timeoutMs });
  try {
    const status = await readEndpointStatus({ address, label: address, source: 'configured' }, connections);
    assert.equal(status.reachable, false, `${address} should be unreachable`);
    assert.ok(!status.reachable && status.error instanceof ContainerdUnreachableError, 'expected a ContainerdUnreachableError');
    return { reason: status.error.reason, message: status.error.message };
  } finally {
    connections.closeAll();
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}

describe('unreachable endpoints', () => {
  let dir: string;
  const closers: (() => void)[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vscc-unreach-'));
  });
  after(() => {
    for (const close of closers) close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a missing socket: no such file', async () => {
    const { reason, message } = await reasonAt(join(dir, 'missing.sock'));
    assert.equal(reason, 'notFound');
    assert.match(message, /missing\.sock: no such file/);
  });

  it('a regular file: not a containerd socket', async () => {
    const file = join(dir, 'file.sock');
    writeFileSync(file, 'not a socket');
    const { reason, message } = await reasonAt(file);
    assert.equal(reason, 'notContainerd');
    assert.match(message, /is not a socket/);
  });

  it("an HTTP/1 API socket (like Docker's): not a containerd socket", async () => {
    const path = join(dir, 'http.sock');
    const server = createHttpServer((_req, res) => res.end('{"message":"page not found"}'));
    await listen(server, path);
    closers.push(() => server.close());
    assert.equal((await reasonAt(path)).reason, 'notContainerd');
  });

  it('a gRPC server without containerd services: not a containerd socket', async () => {
    const path = join(dir, 'grpc.sock');
    const server = new grpc.Server();
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${path}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
    closers.push(() => server.forceShutdown());
    const { reason, message } = await reasonAt(path);
    assert.equal(reason, 'notContainerd');
    assert.match(message, /not a containerd socket/);
  });

  it('a socket that accepts and never answers: timed out', async () => {
    const path = join(dir, 'silent.sock');
    const held: Socket[] = [];
    const server = createNetServer((socket) => held.push(socket));
    await listen(server, path);
    closers.push(() => {
      for (const s of held) s.destroy();
      server.close();
    });
    const { reason, message } = await reasonAt(path, 700);
    assert.equal(reason, 'timeout');
    assert.match(message, /timed out/);
  });

  it('a relative path: invalid address, with the reason', async () => {
    const { reason, message } = await reasonAt('run/containerd.sock');
    assert.equal(reason, 'invalidAddress');
    assert.match(message, /not an absolute path/);
  });
});
