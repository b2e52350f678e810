// Map fields beyond containerd's string labels: number and bool keys, number, enum and bytes
// values, checked against protobufjs; then entries as a daemon (or bad bytes) may send them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage } from '../../src/containerd/proto/messageCodec';
import { ProtoSchema } from '../../src/containerd/proto/schema';
import { oracleEncode, oracleRoot } from './protobufOracle';
import { failure } from './thrownMessage';

const source = `syntax = "proto3"; package t;
enum Kind { NONE = 0; SOME = 1; }
message Maps {
  map<string, string> labels = 1;
  map<int32, string> names = 2;
  map<string, int32> counts = 3;
  map<string, Kind> kinds = 4;
  map<string, bytes> blobs = 5;
  map<bool, string> flags = 6;
  map<uint32, string> ids = 7;
}`;
const plan = new ProtoSchema([source]).message('t.Maps');
const oracle = oracleRoot([source]);
const type = oracle.lookupType('t.Maps');
const asTheExtensionReads = { longs: Number, enums: String, bytes: Buffer, defaults: true, objects: true };

const sample = {
  labels: { 'io.containerd/ünïcødé': 'v' },
  names: { '-7': 'minus seven', '300': 'three hundred' },
  counts: { a: 5, b: -2 },
  kinds: { k: 'SOME' },
  blobs: { b: Buffer.from([1, 0, 255]) },
  flags: { true: 'yes', false: 'no' },
  ids: { '4000000000': 'big' },
};

/** One map entry (field `number` of t.Maps) holding `entry`'s bytes. */
function entryOf(number: number, entry: readonly number[]): Buffer {
  return Buffer.from([(number << 3) | 2, entry.length, ...entry]);
}

describe('protobuf map fields', () => {
  it('decodes number and bool keys and number, enum and bytes values as protobufjs does', () => {
    // protobufjs writes every bool key as true (it takes the key's string): one true key only.
    const sent = { ...sample, flags: { true: 'yes' } };
    const bytes = oracleEncode(oracle, 't.Maps', sent);
    assert.deepEqual(decodeMessage(plan, bytes), type.toObject(type.decode(bytes), asTheExtensionReads));
    assert.deepEqual(decodeMessage(plan, bytes), sent);
  });

  it('encodes them so that protobufjs reads them back', () => {
    assert.deepEqual(type.toObject(type.decode(encodeMessage(plan, sample)), asTheExtensionReads), sample);
  });

  it('fills an entry without key or value with the zero key and the value\'s default', () => {
    assert.deepEqual(decodeMessage(plan, Buffer.concat([1, 2, 3, 4, 5].map((n) => entryOf(n, [])))), {
      labels: { '': '' }, names: { '0': '' }, counts: { '': 0 }, kinds: { '': 'NONE' }, blobs: { '': Buffer.alloc(0) }, flags: {}, ids: {},
    });
  });

  it('skips a key or value of another wire type and fields past the value', () => {
    // labels: key 1 as a varint, key "k", value "v", field 3 "z", then value 2 as a varint.
    const labels = entryOf(1, [0x08, 5, 0x0a, 1, 0x6b, 0x12, 1, 0x76, 0x1a, 1, 0x7a, 0x10, 7]);
    // counts: key "c", value 2 as a string, which an int32 value never is.
    const counts = entryOf(3, [0x0a, 1, 0x63, 0x12, 1, 0x78]);
    const decoded = decodeMessage(plan, Buffer.concat([counts, labels]));
    assert.deepEqual([decoded.labels, decoded.counts], [{ k: 'v' }, { c: 0 }]);
  });

  it('throws on an entry whose last field runs past the entry\'s length', () => {
    assert.equal(failure(() => decodeMessage(plan, Buffer.from([0x0a, 2, 0x0a, 1, 0x6b]))), 'protobuf: a map entry runs past its length');
  });

  it('keeps a __proto__ label one a consumer can replace and drop like any other', () => {
    const labels = decodeMessage(plan, entryOf(1, [0x0a, 9, ...Buffer.from('__proto__'), 0x12, 1, 0x78])).labels as Record<string, string>;
    assert.equal(Reflect.set(labels, '__proto__', 'y'), true);
    assert.deepEqual(Object.entries(labels), [['__proto__', 'y']]);
    assert.equal(Reflect.deleteProperty(labels, '__proto__'), true);
    assert.deepEqual(Object.keys(labels), []);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });

  it('says which map is wrong when a request holds something else than its keys', () => {
    assert.equal(failure(() => encodeMessage(plan, { labels: 'x' })), 't.Maps.labels must be an object');
    assert.equal(failure(() => encodeMessage(plan, { names: { abc: 'x' } })), 't.Maps.names key must be a finite number');
    assert.equal(failure(() => encodeMessage(plan, { flags: { yes: 'x' } })), 't.Maps.flags key must be a boolean');
  });
});
