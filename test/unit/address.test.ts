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

describe('parseAddress, less common spellings', () => {
  it('reads the unix scheme in any case and tells what to write instead of a relative or foreign address', () => {
    assert.deepEqual(parseAddress('UNIX:///run/c.sock'), { ok: true, socketPath: '/run/c.sock', grpcTarget: 'unix:///run/c.sock' });
    assert.deepEqual(parseAddress('containerd.sock'), { ok: false, error: '"containerd.sock" is not an absolute path: give the socket\'s full path, such as /run/containerd/containerd.sock' });
    assert.deepEqual(parseAddress('unix:run/c.sock'), { ok: false, error: '"unix:run/c.sock" is not absolute: write unix:///absolute/path/to/containerd.sock' });
    assert.deepEqual(parseAddress('Fd+x.y-z://3'), { ok: false, error: '"Fd+x.y-z:" addresses are not supported: containerd listens on a unix socket (give its absolute path)' });
    assert.match((parseAddress('run/unix:/c.sock') as { error: string }).error, /is not an absolute path/);
    assert.deepEqual(parseAddress('/run/user:1000/c.sock'), { ok: true, socketPath: '/run/user:1000/c.sock', grpcTarget: 'unix:///run/user:1000/c.sock' });
    for (const bad of ['/run/c\0.sock', '/run/c\r.sock', 'unix:///run/c\n.sock']) assert.equal(parseAddress(bad).ok, false, JSON.stringify(bad));
  });
});

describe('addressFromEnvironment', () => {
  it('honours CONTAINERD_ADDRESS and ignores an empty one', () => {
    assert.equal(addressFromEnvironment({ CONTAINERD_ADDRESS: ' /tmp/c.sock\n' }), '/tmp/c.sock');
    assert.equal(addressFromEnvironment({ CONTAINERD_ADDRESS: '  ' }), undefined);
    assert.equal(addressFromEnvironment({}), undefined);
  });
});
