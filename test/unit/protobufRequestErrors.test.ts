// What a request may hold: null is as absent as undefined, enums go by name or number, and a
// value of the wrong kind is refused with the field's name before anything reaches the daemon.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeMessage } from '../../src/containerd/proto/messageCodec';
import { ProtoSchema } from '../../src/containerd/proto/schema';
import { oracleRoot } from './protobufOracle';
import { failure } from './thrownMessage';

const source = `syntax = "proto3"; package t;
enum Color { RED = 0; GREEN = 1; }
message Inner { string name = 1; }
message Request { string name = 1; bytes data = 2; bool flag = 3; Color color = 4; Inner inner = 5; repeated Inner items = 6; repeated string tags = 7; }`;
const plan = new ProtoSchema([source]).message('t.Request');
const type = oracleRoot([source]).lookupType('t.Request');

describe('protobuf request values', () => {
  it('writes nothing for fields set to null', () => {
    assert.equal(encodeMessage(plan, { name: null, data: null, color: null, inner: null, items: null, tags: null }).length, 0);
  });

  it('takes an enum value by its number as well as by its name', () => {
    const decoded = type.toObject(type.decode(encodeMessage(plan, { color: 1 })), { enums: String });
    assert.deepEqual(decoded, { color: 'GREEN' });
  });

  it('refuses a number that is no enum value', () => {
    assert.equal(failure(() => encodeMessage(plan, { color: 1.5 })), 't.Request.color: 1.5 is not a value of t.Color');
  });

  it('refuses a nested message that is not an object, alone or in a list', () => {
    assert.equal(failure(() => encodeMessage(plan, { inner: 'x' })), 't.Request.inner must be a t.Inner object');
    assert.equal(failure(() => encodeMessage(plan, { items: [{ name: 'a' }, null] })), 't.Request.items must be a t.Inner object');
  });

  it('refuses bytes and booleans of another kind', () => {
    assert.equal(failure(() => encodeMessage(plan, { data: 'abc' })), 't.Request.data must be bytes');
    assert.equal(failure(() => encodeMessage(plan, { flag: 'yes' })), 't.Request.flag must be a boolean');
  });
});
