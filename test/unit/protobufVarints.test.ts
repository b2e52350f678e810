// Numbers on the wire: the bytes we write for the edge values of each integer type (the same
// as protobufjs writes), the values we read from long, negative and unusual varints, and the
// errors for varints and packed runs that do not end where they should.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage } from '../../src/containerd/proto/messageCodec';
import { ProtoSchema } from '../../src/containerd/proto/schema';
import { oracleEncode, oracleRoot } from './protobufOracle';
import { failure } from './thrownMessage';

const source = `syntax = "proto3"; package t;
message Numbers { int32 small = 1; uint32 count = 2; int64 offset = 3; uint64 size = 4; repeated uint64 values = 5; string name = 6; }`;
const plan = new ProtoSchema([source]).message('t.Numbers');
const oracle = oracleRoot([source]);
const empty = { small: 0, count: 0, offset: 0, size: 0, values: [], name: '' };

describe('protobuf varints, written', () => {
  it('writes the bytes protobufjs writes for edge values of every integer type', () => {
    const cases: Record<string, number>[] = [
      { count: 127 }, { offset: 127 }, { size: 127 },
      { small: -1 }, { small: 2 ** 32 + 5 }, { small: -0.5 },
      { count: -1 },
      { offset: -(2 ** 32) }, { offset: -(2 ** 63) }, { offset: 2 ** 52 + 1 },
    ];
    for (const message of cases) {
      assert.deepEqual([...encodeMessage(plan, message)], [...oracleEncode(oracle, 't.Numbers', message)], JSON.stringify(message));
    }
  });
});

describe('protobuf varints, read', () => {
  it('reads 64-bit values that need eight or ten bytes', () => {
    for (const offset of [2 ** 52 + 1, -(2 ** 32), -(2 ** 63), -(2 ** 40) - 5]) {
      assert.equal(decodeMessage(plan, oracleEncode(oracle, 't.Numbers', { offset })).offset, offset);
    }
  });

  it('reads a zero sent explicitly, and the field after it', () => {
    assert.deepEqual(decodeMessage(plan, Buffer.from([0x18, 0, 0x20, 0, 0x32, 1, 0x6e])), { ...empty, name: 'n' });
  });

  it('ends a varint at its first byte below 0x80, even past the fifth of an int32', () => {
    // -1 as five bytes, then 0x80 0x01: seven bytes, the last two above int32's 32 bits.
    assert.deepEqual(decodeMessage(plan, Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0x8f, 0x80, 0x01, 0x32, 1, 0x6e])), { ...empty, small: -1, name: 'n' });
  });

  it('refuses a varint longer than ten bytes', () => {
    const eleven = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    for (const tag of [0x08, 0x18]) {
      assert.equal(failure(() => decodeMessage(plan, Buffer.from([tag, ...eleven]))), 'protobuf: a varint is longer than ten bytes');
    }
  });

  it('says the message ended when a varint is cut after nine bytes', () => {
    const nine = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    for (const tag of [0x08, 0x18]) {
      assert.equal(failure(() => decodeMessage(plan, Buffer.from([tag, ...nine]))), 'protobuf: the message ends inside a field');
    }
  });

  it('refuses a packed run whose last number goes past the run\'s length', () => {
    assert.equal(failure(() => decodeMessage(plan, Buffer.from([0x2a, 1, 0x96, 0x01]))), 'protobuf: a packed field runs past its length');
  });

  it('skips a number sent length-delimited, and a repeated number sent as fixed64', () => {
    const bytes = Buffer.from([0x0a, 1, 5, 0x08, 7, 0x29, 1, 2, 3, 4, 5, 6, 7, 8, 0x28, 3]);
    assert.deepEqual(decodeMessage(plan, bytes), { ...empty, small: 7, values: [3] });
  });

  it('reads strings on a runtime whose Buffers lack Node\'s internal utf8Slice', () => {
    const bytes = Buffer.from([0x32, 4, ...Buffer.from('név')]);
    // Such a Buffer has only its public toString (Node's own calls utf8Slice: a copy answers).
    const toString = (encoding?: BufferEncoding, start?: number, end?: number): string => Buffer.from(bytes).toString(encoding, start, end);
    Object.defineProperties(bytes, { utf8Slice: { value: undefined }, toString: { value: toString } });
    assert.equal(decodeMessage(plan, bytes).name, 'név');
  });
});
