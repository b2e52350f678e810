// Messages to and from the wire, walking a MessagePlan. Decoded messages are plain objects in the
// shape every consumer expects: protobuf's field names, int64 as numbers, enums by name (an
// unknown value stays a number), bytes as Buffers, and every field present: its default when
// absent ('' / 0 / false / empty bytes / the enum's first name / null for a message / [] / {}),
// except `optional` fields, which are left out unless sent.
import { defaultOf, scalarWireType, wireTypeOf, type FieldPlan, type MessagePlan, type ValuePlan } from './schema';
import type { ScalarType } from './protoText';
import { wireType, WireReader } from './wireReader';
import { WireWriter } from './wireWriter';

type Decoded = Record<string, unknown>;

export function decodeMessage(plan: MessagePlan, bytes: Uint8Array): Decoded {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = new WireReader(buf);
  return readMessage(plan, reader, buf.length);
}

function readMessage(plan: MessagePlan, reader: WireReader, end: number): Decoded {
  // A copy of the template keeps one object shape per message type (V8 clones it fast).
  const out: Decoded = { ...plan.template };
  for (const field of plan.fresh) out[field.name] = field.rule === 'repeated' ? [] : field.rule === 'map' ? {} : Buffer.alloc(0);
  while (reader.pos < end) {
    const tag = reader.uint32();
    const type = tag & 7;
    const field = plan.byNumber[tag >>> 3];
    if (field === undefined) {
      reader.skip(type);
    } else if (type === field.wire) {
      if (field.rule === 'repeated') (out[field.name] as unknown[]).push(readValue(field.value, reader));
      else if (field.rule === 'map') readMapEntry(field, reader, out[field.name] as Decoded);
      else out[field.name] = readValue(field.value, reader);
    } else if (field.rule === 'repeated' && type === wireType.lengthDelimited) {
      readPacked(field.value, reader, out[field.name] as unknown[]);
    } else {
      // A type this definition does not expect (a changed field): skipped, like an unknown one.
      reader.skip(type);
    }
  }
  if (reader.pos !== end) throw new RangeError(`protobuf: a ${plan.fullName} runs past its length`);
  return out;
}

/** Packed numbers: one length-delimited run of them (proto3's default for repeated numbers). */
function readPacked(value: ValuePlan, reader: WireReader, into: unknown[]): void {
  const end = reader.length() + reader.pos;
  while (reader.pos < end) into.push(readValue(value, reader));
  if (reader.pos !== end) throw new RangeError('protobuf: a packed field runs past its length');
}

function readMapEntry(field: FieldPlan, reader: WireReader, into: Decoded): void {
  const end = reader.length() + reader.pos;
  const keyType = field.key ?? 'string';
  const keyWire = scalarWireType(keyType);
  // The value travels as its own type (a number as a varint), not as the entry's length-delimited one.
  const valueWire = wireTypeOf(field.value);
  let key: unknown = keyType === 'string' ? '' : 0;
  let value: unknown = defaultOf(field.value);
  while (reader.pos < end) {
    const tag = reader.uint32();
    const type = tag & 7;
    const number = tag >>> 3;
    if (number === 1 && type === keyWire) key = readScalar(keyType, reader);
    else if (number === 2 && type === valueWire) value = readValue(field.value, reader);
    else reader.skip(type);
  }
  if (reader.pos !== end) throw new RangeError('protobuf: a map entry runs past its length');
  setKey(into, String(key), value);
}

/** A key named __proto__ is an own property like any other, never the object's prototype. */
function setKey(into: Decoded, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  else into[key] = value;
}

function readValue(value: ValuePlan, reader: WireReader): unknown {
  if (value.kind === 'scalar') return readScalar(value.type, reader);
  if (value.kind === 'enum') {
    const number = reader.uint32() | 0;
    return value.decl.values.get(number) ?? number;
  }
  const end = reader.length() + reader.pos;
  return readMessage(value.plan, reader, end);
}

function readScalar(type: ScalarType, reader: WireReader): unknown {
  switch (type) {
    case 'string': return reader.string();
    case 'int64': return reader.int64();
    case 'uint64': return reader.uint64();
    case 'uint32': return reader.uint32();
    case 'int32': return reader.uint32() | 0;
    case 'bool': return reader.bool();
    case 'bytes': return reader.bytes();
  }
}

/** Encodes a plain object; absent (undefined or null) fields are not written, unknown keys ignored. */
export function encodeMessage(plan: MessagePlan, message: object): Buffer {
  const writer = new WireWriter();
  writeMessage(plan, message as Decoded, writer);
  return writer.finish();
}

function writeMessage(plan: MessagePlan, message: Decoded, writer: WireWriter): void {
  for (const field of plan.fields) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const where = `${plan.fullName}.${field.name}`;
    if (field.rule === 'repeated') {
      if (!Array.isArray(value)) throw new TypeError(`${where} must be an array`);
      for (const item of value as unknown[]) writeField(field.number, field.value, item, where, writer);
    } else if (field.rule === 'map') {
      if (typeof value !== 'object') throw new TypeError(`${where} must be an object`);
      const keyType = field.key ?? 'string';
      for (const [key, item] of Object.entries(value)) {
        const entry = new WireWriter();
        writeField(1, { kind: 'scalar', type: keyType }, mapKey(keyType, key), `${where} key`, entry);
        writeField(2, field.value, item, where, entry);
        writer.tag(field.number, wireType.lengthDelimited);
        writer.delimited(entry.finish());
      }
    } else {
      writeField(field.number, field.value, value, where, writer);
    }
  }
}

/** An object's keys are strings: a number or bool key is written as the value it spells. */
function mapKey(type: ScalarType, key: string): unknown {
  if (type === 'string') return key;
  if (type === 'bool') return key === 'true' ? true : key === 'false' ? false : key;
  return Number(key);
}

function writeField(number: number, value: ValuePlan, item: unknown, where: string, writer: WireWriter): void {
  if (value.kind === 'message') {
    if (typeof item !== 'object' || item === null) throw new TypeError(`${where} must be a ${value.plan.fullName} object`);
    const nested = new WireWriter();
    writeMessage(value.plan, item as Decoded, nested);
    writer.tag(number, wireType.lengthDelimited);
    writer.delimited(nested.finish());
    return;
  }
  if (value.kind === 'enum') {
    const n = typeof item === 'number' ? item : value.numbers.get(String(item));
    if (n === undefined || !Number.isInteger(n)) throw new TypeError(`${where}: ${JSON.stringify(item)} is not a value of ${value.decl.fullName}`);
    writer.tag(number, wireType.varint);
    writer.int32(n);
    return;
  }
  writer.tag(number, scalarWireType(value.type));
  writeScalar(value.type, item, where, writer);
}

function writeScalar(type: ScalarType, item: unknown, where: string, writer: WireWriter): void {
  if (type === 'string') {
    if (typeof item !== 'string') throw new TypeError(`${where} must be a string`);
    writer.delimited(Buffer.from(item, 'utf8'));
  } else if (type === 'bytes') {
    if (!(item instanceof Uint8Array)) throw new TypeError(`${where} must be bytes`);
    writer.delimited(item);
  } else if (type === 'bool') {
    if (typeof item !== 'boolean') throw new TypeError(`${where} must be a boolean`);
    writer.uint32(item ? 1 : 0);
  } else {
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new TypeError(`${where} must be a finite number`);
    writeNumber(type, item, writer);
  }
}

function writeNumber(type: Exclude<ScalarType, 'string' | 'bytes' | 'bool'>, n: number, writer: WireWriter): void {
  switch (type) {
    case 'uint32': writer.uint32(n); return;
    case 'int32': writer.int32(n); return;
    case 'int64': case 'uint64': writer.varint64(Math.trunc(n)); return;
  }
}
