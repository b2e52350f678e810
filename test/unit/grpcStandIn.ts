// A real gRPC server on a unix socket in a temp folder, standing in for the few containerd
// services a test names: it speaks our own .proto definitions (the same texts the client encodes
// with), so a ContainerdClient talks to it exactly as to a daemon. Each call is recorded with the
// namespace header and the deadline the server received.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { namespaceHeader } from '../../src/containerd/connection/client';
import { allProtos } from '../../src/containerd/proto/definitions';
import { oracleRoot } from './protobufOracle';

/** A gRPC status as a handler throws it (or a stream handler emits it). */
export interface StatusError extends Error { readonly code: grpc.status; readonly details: string }

/** A unary answer, or a throw of a StatusError; a promise that never settles holds the call. */
export type UnaryHandler = (request: Record<string, unknown>, call: grpc.ServerUnaryCall<unknown, unknown>) => unknown;
/** A server stream: the handler writes, ends or fails `call` itself, now or later. */
export type StreamHandler = (request: Record<string, unknown>, call: grpc.ServerWritableStream<unknown, unknown>) => void;

export interface ReceivedCall {
  readonly path: string;
  readonly request: Record<string, unknown>;
  /** Every `containerd-namespace` value the call carried. */
  readonly namespaces: readonly string[];
  /** Milliseconds from arrival to the call's deadline; Infinity for a call without one. */
  readonly deadlineInMs: number;
}

export interface StandIn {
  /** The socket's path, as users write a containerd address. */
  readonly socket: string;
  /** A scratch folder next to the socket, removed with it. */
  readonly dir: string;
  readonly calls: ReceivedCall[];
}

const roots = oracleRoot(allProtos);

/** Handlers by method path (`/containerd.services.version.v1.Version/Version`), as FakeApi's routes. */
export interface StandInRoutes {
  readonly unary?: Readonly<Record<string, UnaryHandler>>;
  readonly stream?: Readonly<Record<string, StreamHandler>>;
}

type Route = { readonly kind: 'unary'; readonly handler: UnaryHandler } | { readonly kind: 'stream'; readonly handler: StreamHandler };

/** Serves `routes` until the test ends; a method not routed answers UNIMPLEMENTED, as a daemon without it would. */
export async function startStandIn(t: TestContext, routes: StandInRoutes): Promise<StandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'vscc-grpc-'));
  const socket = join(dir, 'containerd.sock');
  const calls: ReceivedCall[] = [];
  const server = new grpc.Server();
  const byService = new Map<string, [string, Route][]>();
  const routed: [string, Route][] = [
    ...Object.entries(routes.unary ?? {}).map(([path, handler]): [string, Route] => [path, { kind: 'unary', handler }]),
    ...Object.entries(routes.stream ?? {}).map(([path, handler]): [string, Route] => [path, { kind: 'stream', handler }]),
  ];
  for (const [path, route] of routed) {
    const [, service = '', rpc = ''] = path.split('/');
    byService.set(service, [...(byService.get(service) ?? []), [rpc, route]]);
  }
  for (const [service, handlers] of byService) {
    const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [rpc, route] of handlers) {
      const m = roots.lookupService(service).methods[rpc];
      if (!m) throw new Error(`no rpc ${rpc} in ${service}`);
      const path = `/${service}/${rpc}`;
      if ((m.responseStream === true) !== (route.kind === 'stream')) throw new Error(`${path} is ${m.responseStream === true ? '' : 'not '}a server stream`);
      m.resolve();
      const reqType = m.resolvedRequestType;
      const resType = m.resolvedResponseType;
      if (!reqType || !resType) throw new Error(`unresolved types for ${path}`);
      definition[rpc] = {
        path, requestStream: false, responseStream: route.kind === 'stream',
        requestDeserialize: (bytes: Buffer) => reqType.toObject(reqType.decode(bytes), { defaults: true, arrays: true, longs: Number, enums: String }),
        requestSerialize: () => Buffer.alloc(0),
        responseSerialize: (value: unknown) => Buffer.from(resType.encode(resType.fromObject(value as Record<string, unknown>)).finish()),
        responseDeserialize: () => ({}),
      };
      const note = (call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>): Record<string, unknown> => {
        const deadline = call.getDeadline();
        const at = deadline instanceof Date ? deadline.getTime() : deadline;
        const request = call.request as Record<string, unknown>;
        calls.push({ path, request, namespaces: call.metadata.get(namespaceHeader).map(String), deadlineInMs: at - Date.now() });
        return request;
      };
      if (route.kind === 'stream') {
        const { handler } = route;
        implementation[rpc] = (call: grpc.ServerWritableStream<unknown, unknown>) => handler(note(call), call);
      } else {
        const { handler } = route;
        implementation[rpc] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          Promise.resolve().then(() => handler(note(call), call)).then((reply) => callback(null, reply), (error: StatusError) => callback(error));
        };
      }
    }
    server.addService(definition, implementation);
  }
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  t.after(() => {
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  return { socket, dir, calls };
}
