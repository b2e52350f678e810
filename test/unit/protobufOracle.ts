// protobufjs, an independent implementation of protocol buffers, parsing our own .proto texts:
// the tests encode what a daemon would send (and decode what we send) with it, so our codec is
// checked against another codec, never against itself.
import * as protobuf from 'protobufjs';

export function oracleRoot(sources: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  for (const source of sources) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  return root;
}

/** Encodes a plain object as a message of the named type, as protobufjs does. */
export function oracleEncode(root: protobuf.Root, typeName: string, message: object): Uint8Array {
  const type = root.lookupType(typeName);
  return type.encode(type.fromObject(message)).finish();
}
