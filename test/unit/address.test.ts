import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressFromEnvironment, parseAddress } from '../../src/containerd/connection/address';

describe('parseAddress', () => {
  it('turns an absolute path into a unix:// target with three slashes', () => {
    assert.deepEqual(parseAddress('/run/containerd/containerd.sock'), {
      ok: true, socketPath: '/run/containerd/containerd.sock', grpcTarget: 'unix:///run/containerd/containerd.sock',
    });
  });

  it('accepts unix:///abs and unix:/abs and trims blanks', () => {
    for (const input of ['unix:///run/k3s/containerd/containerd.sock', ' unix:/run/k3s/containerd/containerd.sock ']) {
      const parsed = parseAddress(input);
      assert.ok(parsed.ok, input);
      assert.equal(parsed.grpcTarget, 'unix:///run/k3s/containerd/containerd.sock');
    }
  });

  it('collapses doubled slashes in the path', () => {
    const parsed = parseAddress('/run//containerd///containerd.sock');
    assert.ok(parsed.ok);
    assert.equal(parsed.socketPath, '/run/containerd/containerd.sock');
  });

  it('rejects relative paths, empty text, other schemes and control characters with a reason', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['containerd.sock', /not an absolute path/],
      ['unix://run/containerd.sock', /not absolute/],
      ['tcp://127.0.0.1:1234', /"tcp:" addresses are not supported/],
      ['npipe:////./pipe/containerd-containerd', /"npipe:" addresses are not supported/],
      ['/run/containerd\n/x.sock', /control characters/],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseAddress(input);
      assert.equal(parsed.ok, false, JSON.stringify(input));
      if (!parsed.ok) assert.match(parsed.error, reason, JSON.stringify(input));
    }
  });
});

describe('addressFromEnvironment', () => {
  it('honours CONTAINERD_ADDRESS and ignores an empty one', () => {
    assert.equal(addressFromEnvironment({ CONTAINERD_ADDRESS: '/tmp/c.sock' }), '/tmp/c.sock');
    assert.equal(addressFromEnvironment({ CONTAINERD_ADDRESS: '  ' }), undefined);
    assert.equal(addressFromEnvironment({}), undefined);
  });
});
