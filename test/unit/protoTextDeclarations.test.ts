// What the .proto reader makes of a definition: declarations by full name, map key types,
// nested enums, services and their rpcs, with comments of both kinds ignored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProto } from '../../src/containerd/proto/protoText';

describe('.proto reader declarations', () => {
  it('reads messages, nested enums, map fields and services, skipping comments', () => {
    const parsed = parseProto(`syntax = "proto3"; // only proto3
package p.v1;
/* A message,
   with a nested enum */
message M {
  enum Kind { A = 0; B = 1; }
  Kind kind = 1;
  map<int32, string> names = 2;
  repeated string tags = 3;
}
service S {
  rpc Get(M) returns (M);
  rpc Watch(M) returns (stream M);
}
`);
    assert.deepEqual(parsed, {
      package: 'p.v1',
      types: [
        {
          kind: 'message',
          fullName: 'p.v1.M',
          fields: [
            { name: 'kind', number: 1, type: 'Kind', rule: 'single' },
            { name: 'names', number: 2, type: 'string', rule: 'map', keyType: 'int32' },
            { name: 'tags', number: 3, type: 'string', rule: 'repeated' },
          ],
        },
        { kind: 'enum', fullName: 'p.v1.M.Kind', values: new Map([[0, 'A'], [1, 'B']]), first: 'A' },
      ],
      services: [{ fullName: 'p.v1.S', rpcs: [{ name: 'Get', request: 'M', response: 'M' }, { name: 'Watch', request: 'M', response: 'M' }] }],
    });
  });

  it('declares no services for a text without any', () => {
    assert.deepEqual(parseProto('package p; message M {}').services, []);
  });

  it('names the types of a text without a package by their own names', () => {
    const parsed = parseProto('message M { string a = 1; }');
    assert.deepEqual([parsed.package, parsed.types.map((t) => t.fullName)], ['', ['M']]);
  });

  it('keeps the first name of a number that an enum names twice (an alias), as protoc does', () => {
    const [decl] = parseProto('package p; enum E { A = 0; B = 1; C = 1; D = 2; }').types;
    assert.deepEqual(decl?.kind === 'enum' ? decl.values : undefined, new Map([[0, 'A'], [1, 'B'], [2, 'D']]));
  });
});
