// A LazyRoot (the schema of a set of .proto texts, parsed on first use) answers by message name:
// which types it declares, and their encoding, which protobufjs reads back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LazyRoot } from '../../src/containerd/proto/codec';
import { oracleRoot } from './protobufOracle';

const source = 'syntax = "proto3"; package p; enum E { A = 0; B = 1; } message M { string name = 1; E e = 2; repeated int64 sizes = 3; }';

describe('LazyRoot', () => {
  it('encodes a message that protobufjs reads back, and decodes it again', () => {
    const root = new LazyRoot([source]);
    const message = { name: 'n', e: 'B', sizes: [1, 2 ** 40] };
    const type = oracleRoot([source]).lookupType('p.M');
    const bytes = root.encode('p.M', message);
    assert.deepEqual(type.toObject(type.decode(bytes), { longs: Number, enums: String }), message);
    assert.deepEqual(root.decode('p.M', bytes), message);
  });

  it('declares its messages, not its enums', () => {
    const root = new LazyRoot([source]);
    assert.deepEqual([root.has('p.M'), root.has('p.E'), root.has('p.X')], [true, false, false]);
  });
});
