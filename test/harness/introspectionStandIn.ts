// A STAND-IN, not a containerd: a small real gRPC server (grpc-js) on a unix socket in a temp
// folder that answers like a containerd too old for nerdctl (the 1.3 line Docker 19.03 shipped,
// say). It serves Version.Version and Namespaces.List, encoded by the project's own proto
// definitions and codec, and has no Introspection.Server: a client asking for it gets gRPC's own
// UNIMPLEMENTED for a method the server does not know, in grpc-js's words ("The server does not
// implement the method /containerd.services.introspection.v1.Introspection/Server"; a real
// containerd, grpc-go, says "unknown method Server for service ..."). Why a stand-in: the oldest
// containerd Debian's mirror has is bullseye's 1.4.13, and it already answers Server (tried: ctr
// shows its UUID, nerdctl info works), so no real daemon here lacks the method.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { LazyRoot } from '../../src/containerd/proto/codec';
import { allProtos } from '../../src/containerd/proto/definitions';

export interface IntrospectionStandIn {
  readonly dir: string;
  readonly socket: string;
  /** The version it claims, e.g. `v1.3.10`: older than Introspection.Server. */
  readonly version: string;
  /** Every method path a client called, in order (unknown ones never reach a handler: not listed). */
  readonly calls: readonly string[];
  stop(): Promise<void>;
}

/** One unary method whose request and response travel in the project's codec. */
function unary(root: LazyRoot, path: string, requestType: string, responseType: string): grpc.MethodDefinition<object, object> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: object) => root.encode(requestType, value),
    requestDeserialize: (bytes: Buffer) => root.decode<object>(requestType, bytes),
    responseSerialize: (value: object) => root.encode(responseType, value),
    responseDeserialize: (bytes: Buffer) => root.decode<object>(responseType, bytes),
  };
}

export async function startIntrospectionStandIn(version = 'v1.3.10', namespaces: readonly string[] = ['default']): Promise<IntrospectionStandIn> {
  const root = new LazyRoot(allProtos);
  const dir = mkdtempSync(join(tmpdir(), 'vscc-old-containerd-'));
  const socket = join(dir, 'containerd.sock');
  const calls: string[] = [];
  const server = new grpc.Server();

  const versionPath = '/containerd.services.version.v1.Version/Version';
  server.addService({ Version: unary(root, versionPath, 'containerd.services.version.v1.Empty', 'containerd.services.version.v1.VersionResponse') }, {
    Version: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      calls.push(versionPath);
      callback(null, { version, revision: 'stand-in' });
    },
  });
  const namespacesPath = '/containerd.services.namespaces.v1.Namespaces/List';
  server.addService({ List: unary(root, namespacesPath, 'containerd.services.namespaces.v1.ListNamespacesRequest', 'containerd.services.namespaces.v1.ListNamespacesResponse') }, {
    List: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      calls.push(namespacesPath);
      callback(null, { namespaces: namespaces.map((name) => ({ name, labels: {} })) });
    },
  });

  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())));
  return {
    dir,
    socket,
    version,
    calls,
    stop: async () => {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
