// Our .proto texts as gRPC method descriptors (path + serialize + deserialize), encoded and
// decoded by our own codec (messageCodec.ts). Parsing happens once per root, on first use, never
// at activation.
import { decodeMessage, encodeMessage } from './messageCodec';
import { allProtos } from './definitions';
import { ProtoSchema } from './schema';

export interface Method<Req, Res> {
  readonly path: string;
  readonly serialize: (value: Req) => Buffer;
  readonly deserialize: (bytes: Buffer) => Res;
}

/** A schema parsed from .proto texts once, on first use (never at activation). */
export class LazyRoot {
  private schema: ProtoSchema | undefined;

  constructor(private readonly sources: readonly string[]) {}

  get(): ProtoSchema {
    this.schema ??= new ProtoSchema(this.sources);
    return this.schema;
  }

  /** Whether a message type of that name (e.g. `containerd.events.TaskExit`) is declared. */
  has(typeName: string): boolean {
    return this.get().has(typeName);
  }

  /** The names of a message's fields whose type is the named message (e.g. google.protobuf.Timestamp). */
  fieldsOfType(typeName: string, fieldType: string): string[] {
    return this.get().message(typeName).fields.filter((f) => f.value.kind === 'message' && f.value.plan.fullName === fieldType).map((f) => f.name);
  }

  /** Decodes bytes of a message type to a plain object (see messageCodec.ts for its shape). */
  decode<T>(typeName: string, bytes: Uint8Array): T {
    return decodeMessage(this.get().message(typeName), bytes) as T;
  }

  encode(typeName: string, value: object): Buffer {
    return encodeMessage(this.get().message(typeName), value);
  }
}

export class MethodTable {
  private readonly root: LazyRoot;

  /** Over containerd's services as the extension declares them, or other definitions (the bench's). */
  constructor(sources: readonly string[] = allProtos) {
    this.root = new LazyRoot(sources);
  }

  /** `service` is fully qualified, e.g. `containerd.services.version.v1.Version`. */
  method<Req extends object, Res>(service: string, rpc: string): Method<Req, Res> {
    const { path, request, response } = this.root.get().rpc(service, rpc);
    return {
      path,
      serialize: (value) => encodeMessage(request, value),
      deserialize: (bytes) => decodeMessage(response, bytes) as Res,
    };
  }
}
