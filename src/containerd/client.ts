// A containerd client over one gRPC channel per endpoint. The namespace travels per call in the
// `containerd-namespace` metadata header, exactly as ctr and nerdctl send it.
import * as grpc from '@grpc/grpc-js';
import { stat } from 'node:fs/promises';
import { parseAddress } from './address';
import { ContainerdError, ContainerdUnreachableError, toContainerdError } from './errors';
import type { Method, MethodTable } from './proto/codec';

export const namespaceHeader = 'containerd-namespace';
/** Image indexes, specs and container lists of big hosts exceed grpc-js's 4 MiB default. */
export const maxReceiveBytes = 16 * 1024 * 1024;

export interface ClientOptions {
  readonly methods: MethodTable;
  /** Deadline of each unary call. */
  readonly timeoutMs: number;
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
    this.channel = new grpc.Client(parsed.grpcTarget, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxReceiveBytes,
      'grpc.default_authority': 'localhost',
    });
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
  async unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    const metadata = new grpc.Metadata();
    if (namespace) metadata.set(namespaceHeader, namespace);
    const deadline = Date.now() + this.options.timeoutMs;
    try {
      return await new Promise<Res>((resolve, reject) => {
        this.channel.makeUnaryRequest(method.path, method.serialize, method.deserialize, request, metadata, { deadline },
          (error, response) => (error || response === undefined ? reject(error ?? new Error('empty response')) : resolve(response)));
      });
    } catch (error) {
      throw await this.explain(error, method.path);
    }
  }

  close(): void {
    this.channel.close();
  }

  /** grpc-js reports a missing socket and a regular file alike; a stat tells them apart. */
  private async explain(error: unknown, path: string): Promise<ContainerdError> {
    const typed = toContainerdError(error, this.address, path);
    if (!(typed instanceof ContainerdUnreachableError) || typed.reason === 'timeout') return typed;
    try {
      const info = await stat(this.socketPath);
      if (!info.isSocket()) {
        return new ContainerdUnreachableError('notContainerd', this.address, `${this.socketPath} is not a socket`);
      }
    } catch (statError) {
      const code = (statError as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return new ContainerdUnreachableError('notFound', this.address, `${this.socketPath} does not exist`);
      if (code === 'EACCES') return new ContainerdUnreachableError('permissionDenied', this.address, `cannot look up ${this.socketPath}`);
    }
    return typed;
  }
}
