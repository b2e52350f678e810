import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MethodTable } from '../../src/containerd/proto/codec';

describe('MethodTable', () => {
  const methods = new MethodTable();

  it('builds the method paths containerd serves', () => {
    assert.equal(methods.method('containerd.services.version.v1.Version', 'Version').path, '/containerd.services.version.v1.Version/Version');
    assert.equal(methods.method('containerd.services.namespaces.v1.Namespaces', 'List').path, '/containerd.services.namespaces.v1.Namespaces/List');
  });

  it('encodes field numbers as containerd expects them on the wire', () => {
    const list = methods.method<{ filter: string }, unknown>('containerd.services.namespaces.v1.Namespaces', 'List');
    // field 1, wire type 2 (length-delimited) = 0x0a, then the length and the UTF-8 bytes.
    assert.deepEqual([...list.serialize({ filter: 'name==k8s.io' })], [0x0a, 12, ...Buffer.from('name==k8s.io')]);
  });

  it('decodes a namespaces answer with labels and fills defaults', () => {
    const list = methods.method<object, { namespaces: { name: string; labels: Record<string, string> }[] }>('containerd.services.namespaces.v1.Namespaces', 'List');
    // Namespace{name=1:"a", labels=2:{k:v}} inside ListNamespacesResponse{namespaces=1}, hand-assembled.
    const entry = Buffer.from([0x0a, 1, 0x6b, 0x12, 1, 0x76]); // map entry: key=1 "k", value=2 "v"
    const ns = Buffer.concat([Buffer.from([0x0a, 1, 0x61, 0x12, entry.length]), entry]);
    const bare = Buffer.from([0x0a, 1, 0x62]);
    const res = Buffer.concat([Buffer.from([0x0a, ns.length]), ns, Buffer.from([0x0a, bare.length]), bare]);
    assert.deepEqual(list.deserialize(res), { namespaces: [{ name: 'a', labels: { k: 'v' } }, { name: 'b', labels: {} }] });
  });

  it('skips fields it does not know, as newer daemons may send them', () => {
    const version = methods.method<object, { version: string; revision: string }>('containerd.services.version.v1.Version', 'Version');
    const bytes = Buffer.from([0x0a, 2, 0x76, 0x32, 0x1a, 1, 0x78, 0x12, 1, 0x72]); // 1:"v2", 3:"x" (unknown), 2:"r"
    assert.deepEqual(version.deserialize(bytes), { version: 'v2', revision: 'r' });
  });

  it('says which rpc is missing', () => {
    assert.throws(() => methods.method('containerd.services.version.v1.Version', 'Nope'), /no rpc Nope/);
  });
});
