// Turns our .proto text into gRPC method descriptors (path + serialize + deserialize) with
// protobufjs. Parsing happens once per MethodTable, on first use, never at activation.
import type * as protobuf from 'protobufjs';
import { protobufJs } from '../connection/lazyModules';
import { allProtos } from './definitions';

export interface Method<Req, Res> {
  readonly path: string;
  readonly serialize: (value: Req) => Buffer;
  readonly deserialize: (bytes: Buffer) => Res;
}

/**
 * How decoded messages become plain objects everywhere: enums by name, int64 as numbers (sizes and
 * timestamps stay far below 2^53; decimal strings cost a Long division each, a third of decoding a
 * thousand images).
 */
export const conversion: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: Buffer, defaults: true, arrays: true, objects: true };


/** A protobufjs root parsed from our .proto texts once, on first use (never at activation). */
export class LazyRoot {
  private root: protobuf.Root | undefined;

  constructor(private readonly sources: readonly string[]) {}

  get(): protobuf.Root {
    if (!this.root) {
      const { Root, parse } = protobufJs();
      const root = new Root();
      for (const source of this.sources) parse(source, root, { keepCase: true });
      root.resolveAll();
      this.root = root;
    }
    return this.root;
  }

  /** Decodes bytes of a message type to a plain object. */
  decode<T>(typeName: string, bytes: Uint8Array): T {
    const type = this.get().lookupType(typeName);
    return type.toObject(type.decode(bytes), conversion) as T;
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
    const svc = this.root.get().lookupService(service);
    const m = svc.methods[rpc];
    if (!m) throw new Error(`no rpc ${rpc} in ${service}`);
    m.resolve();
    const reqType = m.resolvedRequestType;
    const resType = m.resolvedResponseType;
    if (!reqType || !resType) throw new Error(`unresolved types for ${service}/${rpc}`);
    return {
      path: `/${service}/${rpc}`,
      serialize: (value) => Buffer.from(reqType.encode(reqType.fromObject(value)).finish()),
      deserialize: (bytes) => resType.toObject(resType.decode(bytes), conversion) as Res,
    };
  }
}
