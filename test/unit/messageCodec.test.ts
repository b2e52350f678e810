// Our protobuf codec against protobufjs, another implementation, over every message type the
// extension declares: what protobufjs encodes we decode to what protobufjs decodes (in the
// shape the extension reads: int64 as numbers, enums by name, every field present), and what we
// encode protobufjs reads back. Then the edge cases a daemon (or bad bytes) can produce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage } from '../../src/containerd/proto/messageCodec';
import { allProtos } from '../../src/containerd/proto/definitions';
import { eventPayloadsProto, imageEventsProto } from '../../src/containerd/proto/events';
import { ProtoSchema, type MessagePlan, type ValuePlan } from '../../src/containerd/proto/schema';
import { cgroupsV1MetricsProto, cgroupsV2MetricsProto, runcProcessDetailsProto } from '../../src/containerd/proto/taskPayloads';
import { typesProto } from '../../src/containerd/proto/types';
import { oracleRoot } from './protobufOracle';

/** How the extension reads messages, in protobufjs's words. */
const asTheExtensionReads = { longs: Number, enums: String, bytes: Buffer, defaults: true, arrays: true, objects: true };

const sourceSets: readonly (readonly string[])[] = [
  allProtos,
  [typesProto, eventPayloadsProto, imageEventsProto],
  [cgroupsV1MetricsProto, cgroupsV2MetricsProto, runcProcessDetailsProto],
];

/** Values that exercise each scalar's encoding: multi-byte varints, negatives, high bits, UTF-8. */
function scalarSample(type: string, seed: number): unknown {
  switch (type) {
    case 'string': return seed % 2 ? `név-${seed}-ünïcødé-${'x'.repeat(seed * 7)}` : `s${seed}`;
    case 'bytes': return Buffer.from([seed, 0, 255, 128, seed * 3 % 256]);
    case 'bool': return seed % 2 === 1;
    case 'int32': return seed % 2 ? -1 - seed * 1_000_003 : 2_000_000_000 - seed;
    case 'uint32': return 4_000_000_000 - seed;
    case 'int64': return seed % 2 ? -(2 ** 40) - seed : 1_700_000_000_123 + seed;
    case 'uint64': return 2 ** 52 + seed;
    default: throw new Error(`no sample for ${type}`);
  }
}

function valueSample(value: ValuePlan, seed: number, depth: number): unknown {
  if (value.kind === 'scalar') return scalarSample(value.type, seed);
  if (value.kind === 'enum') {
    const names = [...value.decl.values.values()];
    return names[seed % names.length];
  }
  return depth > 3 ? {} : messageSample(value.plan, seed + 1, depth + 1);
}

/** Every field set (repeated and map fields twice), nested messages filled in turn. */
function messageSample(plan: MessagePlan, seed: number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of plan.fields) {
    const s = seed + field.number;
    if (field.rule === 'repeated') out[field.name] = [valueSample(field.value, s, depth), valueSample(field.value, s + 1, depth)];
    else if (field.rule === 'map') out[field.name] = { [`k${s}`]: valueSample(field.value, s, depth), 'io.containerd/ünïcødé': valueSample(field.value, s + 1, depth) };
    else out[field.name] = valueSample(field.value, s, depth);
  }
  return out;
}

function messagePlans(schema: ProtoSchema, sources: readonly string[]): MessagePlan[] {
  const names = sources.flatMap((source) => {
    const pkg = /package ([\w.]+);/.exec(source)?.[1] ?? '';
    return [...source.matchAll(/^message (\w+)/gm)].map((m) => `${pkg}.${m[1] ?? ''}`);
  });
  return names.map((name) => schema.message(name));
}

describe('protobuf codec, against protobufjs', () => {
  for (const sources of sourceSets) {
    const schema = new ProtoSchema(sources);
    const oracle = oracleRoot(sources);
    for (const plan of messagePlans(schema, sources)) {
      const type = oracle.lookupType(plan.fullName);
      it(`decodes ${plan.fullName} as protobufjs does, set and empty`, () => {
        for (const seed of [1, 2]) {
          const bytes = type.encode(type.fromObject(messageSample(plan, seed))).finish();
          assert.deepEqual(decodeMessage(plan, bytes), type.toObject(type.decode(bytes), asTheExtensionReads));
        }
        assert.deepEqual(decodeMessage(plan, new Uint8Array(0)), type.toObject(type.decode(new Uint8Array(0)), asTheExtensionReads));
      });
      it(`encodes ${plan.fullName} so that protobufjs reads it back`, () => {
        const sample = messageSample(plan, 3);
        const ours = encodeMessage(plan, sample);
        const theirs = type.encode(type.fromObject(sample)).finish();
        assert.deepEqual(type.toObject(type.decode(ours), asTheExtensionReads), type.toObject(type.decode(theirs), asTheExtensionReads));
      });
    }
  }
});

describe('protobuf codec, edge cases', () => {
  const schema = new ProtoSchema([...sourceSets[0] ?? [], `syntax = "proto3"; package t;
    enum Color { RED = 0; GREEN = 1; }
    message Numbers { repeated uint64 values = 1; repeated int32 small = 2; Color color = 3; int32 delta = 4; map<string, string> labels = 5; }`]);
  const numbers = schema.message('t.Numbers');
  const info = schema.message('containerd.services.snapshots.v1.Info');

  it('reads packed and unpacked repeated numbers alike (proto3 packs, older writers did not)', () => {
    const packed = Buffer.from([0x0a, 4, 1, 0x96, 0x01, 3, 0x10, 5]); // values [1, 150, 3] packed, small: 5 unpacked
    const unpacked = Buffer.from([0x08, 1, 0x08, 0x96, 0x01, 0x08, 3, 0x10, 5]);
    assert.deepEqual(decodeMessage(numbers, packed), { values: [1, 150, 3], small: [5], color: 'RED', delta: 0, labels: {} });
    assert.deepEqual(decodeMessage(numbers, unpacked), decodeMessage(numbers, packed));
  });

  it('reads a negative int32 sent as ten bytes, and keeps an enum value it does not know as its number', () => {
    const bytes = Buffer.from([0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x18, 7]);
    assert.deepEqual(decodeMessage(numbers, bytes), { values: [], small: [], color: 7, delta: -1, labels: {} });
  });

  it('keeps a label named __proto__ as a label, never as the prototype', () => {
    const entry = Buffer.concat([Buffer.from([0x0a, 9]), Buffer.from('__proto__'), Buffer.from([0x12, 1, 0x78])]);
    const decoded = decodeMessage(numbers, Buffer.concat([Buffer.from([0x2a, entry.length]), entry])) as { labels: Record<string, string> };
    assert.deepEqual(Object.entries(decoded.labels), [['__proto__', 'x']]);
    assert.equal(Object.getPrototypeOf(decoded.labels), Object.prototype);
  });

  it('skips unknown fields of every wire type, and a known field sent with another wire type', () => {
    // 9: varint, 10: fixed64, 11: bytes, 12: fixed32, then name (1) as a varint (wrong type), then name.
    const bytes = Buffer.from([0x48, 0x80, 0x01, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5a, 2, 0x61, 0x62, 0x65, 1, 2, 3, 4, 0x08, 5, 0x0a, 1, 0x6e]);
    assert.equal((decodeMessage(info, bytes) as { name: string }).name, 'n');
  });

  it('throws on bytes that end inside a field or a nested message, instead of reading past them', () => {
    assert.throws(() => decodeMessage(info, Buffer.from([0x0a, 5, 0x61])), /ends inside a field/);
    assert.throws(() => decodeMessage(info, Buffer.from([0x08])), /ends inside a field/);
    // created_at (4) says 2 bytes, but its seconds varint needs 3.
    assert.throws(() => decodeMessage(info, Buffer.from([0x22, 2, 0x08, 0x80, 0x80, 0x01])), /runs past its length|ends inside/);
    assert.throws(() => decodeMessage(info, Buffer.from([0x0b])), /wire type 3/);
  });

  it('says which field is wrong when a request holds a value of the wrong kind', () => {
    const request = schema.message('containerd.services.snapshots.v1.ListSnapshotsRequest');
    assert.throws(() => encodeMessage(request, { snapshotter: 7 }), /ListSnapshotsRequest\.snapshotter must be a string/);
    assert.throws(() => encodeMessage(request, { filters: 'x' }), /filters must be an array/);
    assert.throws(() => encodeMessage(numbers, { color: 'BLUE' }), /"BLUE" is not a value of t\.Color/);
    assert.throws(() => encodeMessage(numbers, { values: [Number.NaN] }), /values must be a finite number/);
  });
});

describe('protobuf schema', () => {
  it('refuses definitions it cannot read, with the line', () => {
    assert.throws(() => new ProtoSchema(['syntax = "proto3"; package p; message M { Missing m = 1; }']), /Missing \(used in p\.M\) is not declared/);
    assert.throws(() => new ProtoSchema(['syntax = "proto3";\npackage p;\nmessage M { string a = 1; string b = 1; }']), /line 3: field number 1 is used twice/);
    assert.throws(() => new ProtoSchema(['syntax = "proto2"; package p;']), /only proto3/);
    assert.throws(() => new ProtoSchema(['package p; message M { string a = 1 }']), /expected ";", got "}"/);
    assert.throws(() => new ProtoSchema(['package p; message M { string a = 1; } message M {}']), /p\.M is declared twice/);
    assert.throws(() => new ProtoSchema(['package p; message M { map<bytes, string> a = 1; }']), /a map key cannot be bytes/);
    assert.throws(() => new ProtoSchema(['package p; message M { string a = 0; }']), /field number 0 of a is out of range/);
    assert.throws(() => new ProtoSchema(['package p; message M { string a = 1; } @']), /unexpected "@"/);
    assert.throws(() => new ProtoSchema(['package p; message M { double d = 1; }']), /line 1: double fields are not supported by this codec/);
  });

  it('finds a nested type before an outer one of the same name, as protobuf scopes them', () => {
    const schema = new ProtoSchema(['syntax = "proto3"; package p; message Runtime { int32 outer = 1; } message Create { message Runtime { string name = 1; } Runtime runtime = 3; } message Other { Runtime runtime = 1; }']);
    const field = (name: string): string => {
      const value = schema.message(name).fields[0]?.value;
      return value?.kind === 'message' ? value.plan.fullName : '';
    };
    assert.equal(field('p.Create'), 'p.Create.Runtime');
    assert.equal(field('p.Other'), 'p.Runtime');
  });

  it('names the service and the rpc a caller asks for when either is missing', () => {
    const schema = new ProtoSchema(allProtos);
    assert.throws(() => schema.rpc('containerd.services.nope.v1.Nope', 'List'), /no service containerd\.services\.nope\.v1\.Nope/);
    assert.throws(() => schema.rpc('containerd.services.version.v1.Version', 'Nope'), /no rpc Nope/);
    assert.equal(schema.rpc('containerd.services.snapshots.v1.Snapshots', 'List').response.fullName, 'containerd.services.snapshots.v1.ListSnapshotsResponse');
  });
});
