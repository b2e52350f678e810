// A ContainerdApi without a daemon for the unit tests of content reading: handlers by method
// path, every call recorded, requests encoded with our .proto on the way.
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { MethodTable, type Method } from '../../src/containerd/proto/codec';
import { digestOf, sampleDocuments, sampleLayers } from './imagesFixtures';

export const methods = new MethodTable();

export type Handler = (request: Record<string, unknown>, namespace: string | undefined) => unknown;

/** A ContainerdApi answering from handlers by method path; records every call it gets. */
export class FakeClient implements ContainerdApi {
  readonly address = '/test.sock';
  readonly methods = methods;
  readonly calls: string[] = [];
  constructor(private readonly handlers: Readonly<Record<string, Handler>>) {}

  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    return Promise.resolve().then(() => this.answer(method, request, namespace) as Res);
  }

  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    return Promise.resolve().then(() => this.answer(method, request, namespace) as Res[]);
  }

  private answer<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined): unknown {
    method.serialize(request); // the request must encode with our .proto
    this.calls.push(`${method.path.slice(method.path.lastIndexOf('.') + 1)} ${namespace ?? ''}`);
    const handler = this.handlers[method.path];
    if (!handler) throw new Error(`unexpected call ${method.path}`);
    return handler(request as Record<string, unknown>, namespace);
  }
}

export function notFound(what: string): ContainerdRequestError {
  return new ContainerdRequestError('NOT_FOUND', 'test', '/test.sock', `${what}: not found`);
}

/** A content store with the given blobs in the given namespaces. */
export function contentHandlers(blobs: ReadonlyMap<string, Buffer>, namespaces: readonly string[]): Record<string, Handler> {
  const lookup = (request: Record<string, unknown>, namespace: string | undefined): Buffer => {
    const blob = blobs.get(String(request.digest));
    if (!blob || !namespaces.includes(namespace ?? '')) throw notFound(String(request.digest));
    return blob;
  };
  return {
    '/containerd.services.content.v1.Content/Read': (request, namespace) => {
      const blob = lookup(request, namespace).subarray(0, Number(request.size) || undefined);
      // containerd streams in chunks; split in two to exercise reassembly.
      const half = Math.floor(blob.length / 2);
      return [{ offset: '0', data: blob.subarray(0, half) }, { offset: String(half), data: blob.subarray(half) }];
    },
    '/containerd.services.content.v1.Content/Info': (request, namespace) => ({ info: { digest: request.digest, size: String(lookup(request, namespace).length) } }),
    // Streamed in batches, as containerd does.
    '/containerd.services.content.v1.Content/List': (_request, namespace) => {
      const digests = namespaces.includes(namespace ?? '') ? [...blobs.keys()] : [];
      return [{ info: digests.slice(0, 2).map((digest) => ({ digest })) }, { info: digests.slice(2).map((digest) => ({ digest })) }];
    },
  };
}

export function sampleBlobs(): Map<string, Buffer> {
  const blobs = new Map(sampleDocuments.map((text) => [digestOf(text), Buffer.from(text)]));
  for (const layer of sampleLayers) blobs.set(layer, Buffer.from('layer bytes are never read'));
  return blobs;
}
