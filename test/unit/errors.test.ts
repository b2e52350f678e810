import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ContainerdRequestError, ContainerdUnreachableError, isNotFound, toContainerdError } from '../../src/containerd/connection/errors';

const address = '/run/containerd/containerd.sock';

function reasonOf(error: unknown): string {
  const typed = toContainerdError(error, address, '/x/y');
  assert.ok(typed instanceof ContainerdUnreachableError, `expected unreachable, got ${typed.name}: ${typed.message}`);
  return typed.reason;
}

describe('toContainerdError', () => {
  // The details strings are the shapes grpc-js produces for unix sockets.
  it('reads the socket errno out of UNAVAILABLE details', () => {
    assert.equal(reasonOf({ code: status.UNAVAILABLE, details: `No connection established. Last error: Error: connect ENOENT ${address}` }), 'notFound');
    assert.equal(reasonOf({ code: status.UNAVAILABLE, details: `No connection established. Last error: Error: connect EACCES ${address}` }), 'permissionDenied');
    assert.equal(reasonOf({ code: status.UNAVAILABLE, details: `No connection established. Last error: Error: connect ECONNREFUSED ${address}` }), 'refused');
  });

  it('treats DEADLINE_EXCEEDED as a timeout and UNIMPLEMENTED as not containerd', () => {
    assert.equal(reasonOf({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded after 0.5s' }), 'timeout');
    assert.equal(reasonOf({ code: status.UNIMPLEMENTED, details: 'unknown service containerd.services.version.v1.Version' }), 'notContainerd');
  });

  it('keeps answers of a live daemon as request errors with their status name', () => {
    const typed = toContainerdError({ code: status.NOT_FOUND, details: 'image "x": not found' }, address, '/containerd.services.images.v1.Images/Get');
    assert.ok(typed instanceof ContainerdRequestError);
    assert.equal(typed.code, 'NOT_FOUND');
    assert.match(typed.message, /Images\/Get: NOT_FOUND: image "x": not found/);
  });

  it('names the address and the reason in the message', () => {
    const typed = toContainerdError({ code: status.UNAVAILABLE, details: 'connect ENOENT /nope.sock' }, '/nope.sock', '/m');
    assert.match(typed.message, /^Cannot reach containerd at \/nope\.sock: no such file/);
  });

  it('maps an unknown failure to reason unknown instead of throwing', () => {
    assert.equal(reasonOf(new Error('something odd')), 'unknown');
    assert.equal(reasonOf('a string'), 'unknown');
  });
});

describe('toContainerdError, the less common shapes', () => {
  it('tells a peer that does not speak containerd\'s gRPC by what grpc-js says about it', () => {
    for (const details of ['Protocol error', 'Received HTTP status code 404', 'Trying to connect an HTTP/1 server', 'bad frame header', 'ERR_HTTP2_ERROR', `connect ENOTSOCK ${address}`, `connect EPROTOTYPE ${address}`]) {
      assert.equal(reasonOf({ code: status.UNAVAILABLE, details }), 'notContainerd', details);
    }
    assert.equal(reasonOf({ code: status.UNAVAILABLE, details: `connect EPERM ${address}` }), 'permissionDenied');
    // A live connection whose daemon went away: nothing to say yet (the client probes the path).
    assert.equal(reasonOf({ code: status.UNAVAILABLE, details: 'Connection dropped' }), 'unknown');
  });

  it('reads a socket cause hidden in INTERNAL or UNKNOWN, and keeps other such answers as the daemon\'s', () => {
    assert.equal(reasonOf({ code: status.INTERNAL, details: 'Received HTTP status code 400' }), 'notContainerd');
    assert.equal(reasonOf({ code: status.UNKNOWN, details: `read ECONNREFUSED ${address}` }), 'refused');
    const internal = toContainerdError({ code: status.INTERNAL, details: 'failed to read metadata' }, address, '/m');
    assert.ok(internal instanceof ContainerdRequestError);
    assert.equal(internal.message, 'containerd refused /m: INTERNAL: failed to read metadata');
    const unknown = toContainerdError({ code: status.UNKNOWN, details: '' }, address, '/m');
    assert.ok(unknown instanceof ContainerdRequestError);
    assert.equal(unknown.message, 'containerd refused /m: UNKNOWN');
    const outOfTable = toContainerdError({ code: 99, details: 'odd' }, address, '/m');
    assert.ok(outOfTable instanceof ContainerdRequestError);
    assert.equal(outOfTable.code, 'UNKNOWN');
  });

  it('takes an Error\'s message without a gRPC code, and hands a typed error back unchanged', () => {
    const typed = toContainerdError(new Error(`connect ENOENT ${address}`), address, '/m');
    assert.ok(typed instanceof ContainerdUnreachableError);
    assert.deepEqual([typed.reason, typed.detail, typed.name], ['notFound', `connect ENOENT ${address}`, 'ContainerdUnreachableError']);
    assert.equal(toContainerdError(typed, '/other.sock', '/n'), typed);
    const text = toContainerdError(42, address, '/m');
    assert.ok(text instanceof ContainerdUnreachableError);
    assert.equal(text.detail, '42');
    assert.equal(toContainerdError({ code: status.NOT_FOUND, details: 'gone' }, address, '/m').name, 'ContainerdRequestError');
  });

  it('words every reason for the user, without empty parentheses', () => {
    const messages = (['notFound', 'permissionDenied', 'refused', 'notContainerd', 'timeout', 'invalidAddress', 'unknown'] as const)
      .map((reason) => new ContainerdUnreachableError(reason, '/x.sock', '').message);
    assert.deepEqual(messages, [
      'Cannot reach containerd at /x.sock: no such file',
      'Cannot reach containerd at /x.sock: permission denied',
      'Cannot reach containerd at /x.sock: connection refused (stale socket: nothing is listening)',
      'Cannot reach containerd at /x.sock: not a containerd socket',
      'Cannot reach containerd at /x.sock: timed out',
      'Cannot reach containerd at /x.sock: invalid address',
      'Cannot reach containerd at /x.sock: unknown error',
    ]);
  });
});

describe('isNotFound', () => {
  it('is true only for a daemon\'s NOT_FOUND answer', () => {
    assert.equal(isNotFound(toContainerdError({ code: status.NOT_FOUND, details: 'x' }, address, '/m')), true);
    assert.equal(isNotFound(toContainerdError({ code: status.ALREADY_EXISTS, details: 'x' }, address, '/m')), false);
    assert.equal(isNotFound(new ContainerdUnreachableError('notFound', address, '')), false);
    assert.equal(isNotFound(new Error('not found')), false);
  });
});
