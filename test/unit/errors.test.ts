import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ContainerdRequestError, ContainerdUnreachableError, toContainerdError } from '../../src/containerd/connection/errors';

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
