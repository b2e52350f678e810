// A containerd client over one gRPC channel per endpoint. The namespace travels per call in the
// `containerd-namespace` metadata header, exactly as ctr and nerdctl send it.
import type * as grpc from '@grpc/grpc-js';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { parseAddress } from './address';
import { ContainerdError, ContainerdUnreachableError, toContainerdError, type UnreachableReason } from './errors';
import { grpcJs } from './lazyModules';
import type { Method, MethodTable } from '../proto/codec';
import type { CallOptions } from './api';
import type { RequestCounts } from './requestCounts';

export const namespaceHeader = 'containerd-namespace';
/** containerd's header naming the lease that holds what a call creates (leases/grpc.go). */
export const leaseHeader = 'containerd-lease';
/** Image indexes, specs and container lists of big hosts exceed grpc-js's 4 MiB default. */
export const maxReceiveBytes = 16 * 1024 * 1024;

export interface ClientOptions {
  readonly methods: MethodTable;
  /** Deadline of each unary call. */
  readonly timeoutMs: number;
  /** Where every call is counted, when someone wants to know. */
  readonly counts?: RequestCounts;
}

export interface VersionInfo { readonly version: string; readonly revision: string }
export interface Namespace { readonly name: string; readonly labels: Readonly<Record<string, string>> }

export class ContainerdClient {
  private readonly channel: grpc.Client;
  private readonly socketPath: string;

  constructor(readonly address: string, private readonly options: ClientOptions) {
    const parsed = parseAddress(address);
    if (!parsed.ok) throw new ContainerdUnreachableError('invalidAddress', address, parsed.error);
    this.socketPath = parsed.socketPath;
    const { Client, credentials } = grpcJs();
    this.channel = new Client(parsed.grpcTarget, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxReceiveBytes,
      'grpc.default_authority': 'localhost',
      // HTTP/2's default 64 KiB window makes a 1,000-container ListStream (specs included, ~8 MB)
      // wait for a WINDOW_UPDATE per 64 KiB, each only once this busy thread reads the socket:
      // 2.3 s in a loaded extension host instead of 0.1 s. A window as large as the biggest reply.
      'grpc-node.flow_control_window': maxReceiveBytes,
    });
  }

  /** The method table this client's calls are described with (shared by every client). */
  get methods(): MethodTable {
    return this.options.methods;
  }

  async version(): Promise<VersionInfo> {
    const m = this.options.methods.method<object, { version: string; revision: string }>('containerd.services.version.v1.Version', 'Version');
    const res = await this.unary(m, {});
    return { version: res.version, revision: res.revision };
  }

  async listNamespaces(): Promise<Namespace[]> {
    const m = this.options.methods.method<{ filter?: string }, { namespaces: { name: string; labels: Record<string, string> }[] }>(
      'containerd.services.namespaces.v1.Namespaces', 'List');
    const res = await this.unary(m, {});
    return res.namespaces.map((n) => ({ name: n.name, labels: n.labels }));
  }

  /** One unary call; `namespace` is sent in the containerd-namespace header when given. */
  async unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string, options: CallOptions = {}): Promise<Res> {
    const { signal } = options;
    signal?.throwIfAborted();
    // grpc-js reads an Infinity deadline as none.
    const deadline = options.noDeadline ? Infinity : Date.now() + this.options.timeoutMs;
    const answered = this.options.counts?.note(this.address, method.path, namespace);
    let cancel: (() => void) | undefined;
    try {
      return await new Promise<Res>((resolve, reject) => {
        const call = this.channel.makeUnaryRequest(method.path, method.serialize, method.deserialize, request, this.metadata(namespace, options.lease), { deadline },
          // grpc-js hands over a reply whenever there is no error (no reply is an INTERNAL error).
          (error, response) => (error ? reject(error) : resolve(response as Res)));
        cancel = () => call.cancel();
        signal?.addEventListener('abort', cancel, { once: true });
      });
    } catch (error) {
      signal?.throwIfAborted();
      throw await this.explain(error, method.path);
    } finally {
      if (cancel) signal?.removeEventListener('abort', cancel);
      answered?.();
    }
  }

  /** A server-streaming call read to its end within the deadline (ListStream, Snapshots.List). */
  async streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    const deadline = Date.now() + this.options.timeoutMs;
    const answered = this.options.counts?.note(this.address, method.path, namespace);
    try {
      return await new Promise<Res[]>((resolve, reject) => {
        const items: Res[] = [];
        const call = this.channel.makeServerStreamRequest(method.path, method.serialize, method.deserialize, request, this.metadata(namespace), { deadline });
        call.on('data', (item: Res) => items.push(item));
        call.on('error', reject);
        call.on('end', () => resolve(items));
      });
    } catch (error) {
      throw await this.explain(error, method.path);
    } finally {
      answered?.();
    }
  }

  async *streamEach<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined, signal?: AbortSignal): AsyncGenerator<Res> {
    signal?.throwIfAborted();
    const answered = this.options.counts?.note(this.address, method.path, namespace);
    const call = this.channel.makeServerStreamRequest(method.path, method.serialize, method.deserialize, request, this.metadata(namespace));
    const cancel = (): void => call.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      for await (const item of call) yield item as Res;
    } catch (error) {
      signal?.throwIfAborted();
      throw await this.explain(error, method.path);
    } finally {
      signal?.removeEventListener('abort', cancel);
      call.cancel();
      answered?.();
    }
  }

  /**
   * A long-lived server stream (Events.Subscribe): no deadline; `onEnd` receives the typed error
   * (or undefined when the server closed it cleanly). The returned function cancels it quietly.
   */
  openStream<Req extends object, Res>(method: Method<Req, Res>, request: Req, onItem: (item: Res) => void, onEnd: (error: ContainerdError | undefined) => void, namespace?: string): () => void {
    this.options.counts?.note(this.address, method.path, namespace);
    const call = this.channel.makeServerStreamRequest(method.path, method.serialize, method.deserialize, request, this.metadata(namespace));
    let cancelled = false;
    // grpc-js emits 'error' then 'end'; explaining the error is async, so 'end' must not
    // report a clean close first.
    let failed = false;
    call.on('data', onItem);
    call.on('error', (error: unknown) => {
      failed = true;
      if (!cancelled) void this.explain(error, method.path).then(onEnd);
    });
    call.on('end', () => {
      if (!cancelled && !failed) onEnd(undefined);
    });
    return () => {
      cancelled = true;
      call.cancel();
    };
  }

  close(): void {
    this.channel.close();
  }

  private metadata(namespace: string | undefined, lease?: string): grpc.Metadata {
    const metadata = new (grpcJs().Metadata)();
    if (namespace) metadata.set(namespaceHeader, namespace);
    if (lease) metadata.set(leaseHeader, lease);
    return metadata;
  }

  /**
   * grpc-js reports a missing socket and a regular file alike, and a daemon that just died as a
   * dropped connection; a stat and a plain connect tell what is really at the path.
   */
  private async explain(error: unknown, path: string): Promise<ContainerdError> {
    const typed = toContainerdError(error, this.address, path);
    if (!(typed instanceof ContainerdUnreachableError) || typed.reason === 'timeout' || typed.reason === 'notContainerd') return typed;
    const found = await probeSocket(this.socketPath);
    return found ? new ContainerdUnreachableError(found.reason, this.address, found.detail) : typed;
  }
}

/** What an errno met connecting to the socket path means; undefined for one that tells nothing. */
export function socketProblem(code: string | undefined, socketPath: string): { reason: UnreachableReason; detail: string } | undefined {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'notFound', detail: `${socketPath} does not exist` };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'permissionDenied', detail: `connect ${code} ${socketPath}` };
    case 'ECONNREFUSED':
      // The reason's own text already says nothing listens; the address is in the message.
      return { reason: 'refused', detail: '' };
  }
  return undefined;
}

/** What a stat and a plain connect to the socket path say; undefined when it connects fine. */
export async function probeSocket(socketPath: string): Promise<{ reason: UnreachableReason; detail: string } | undefined> {
  // A path that cannot be looked up fails the connect below with the same errno.
  const info = await stat(socketPath).catch(() => undefined);
  if (info && !info.isSocket()) return { reason: 'notContainerd', detail: `${socketPath} is not a socket` };
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(socketProblem(error.code, socketPath));
    });
  });
}
