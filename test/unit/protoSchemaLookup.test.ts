// Looking types and services up in a parsed schema: by name with or without protobuf's leading
// dot, messages only (an enum is not a message), a message that contains itself, and the
// field numbers the codec's table can hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage } from '../../src/containerd/proto/messageCodec';
import { ProtoSchema } from '../../src/containerd/proto/schema';
import { oracleEncode, oracleRoot } from './protobufOracle';
import { failure } from './thrownMessage';

const source = `syntax = "proto3"; package p;
enum E { A = 0; }
message M { E e = 1; }
message Node { string name = 1; repeated Node children = 2; }
service S { rpc Get(M) returns (M); }`;

describe('protobuf schema lookup', () => {
  it('says which names are messages, with or without a leading dot', () => {
    const schema = new ProtoSchema([source]);
    assert.deepEqual(['p.M', '.p.M', 'p.E', 'p.Nope', '.p.Nope'].map((name) => schema.has(name)), [true, true, false, false, false]);
    assert.equal(schema.message('.p.M').fullName, 'p.M');
    assert.equal(schema.rpc('.p.S', 'Get').path, '/p.S/Get');
  });

  it('refuses a message plan for an enum or an undeclared name, naming it', () => {
    const schema = new ProtoSchema([source]);
    assert.equal(failure(() => schema.message('p.E')), 'proto: no message p.E');
    assert.equal(failure(() => schema.message('p.Nope')), 'proto: no message p.Nope');
  });

  it('decodes a message that contains itself, as protobufjs encodes it', () => {
    const schema = new ProtoSchema([source]);
    const tree = { name: 'root', children: [{ name: 'a', children: [{ name: 'a1', children: [] }] }, { name: 'b', children: [] }] };
    assert.deepEqual(decodeMessage(schema.message('p.Node'), oracleEncode(oracleRoot([source]), 'p.Node', tree)), tree);
  });

  it('takes field numbers up to 4096 (its table of fields by number) and refuses larger ones', () => {
    assert.equal(new ProtoSchema(['package p; message M { string a = 4096; }']).message('p.M').fields[0]?.number, 4096);
    assert.equal(failure(() => new ProtoSchema(['package p; message M { string a = 4097; }'])), 'proto: field number 4097 of p.M.a is above 4096, which this codec does not support');
  });
});
