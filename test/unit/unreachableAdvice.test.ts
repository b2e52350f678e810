import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { errorWithAdvice, unreachableAdvice } from '../../src/containerd/connection/unreachableAdvice';

describe('unreachableAdvice', () => {
  it('gives a normal user facing the rootful socket the fix with the socket path', () => {
    const advice = unreachableAdvice('permissionDenied', 'unix:///run/containerd/containerd.sock', false);
    assert.match(advice, /rootless/);
    assert.match(advice, /sudo chgrp <group> \/run\/containerd\/containerd\.sock/);
  });

  it('does not tell root to become rootless', () => {
    assert.doesNotMatch(unreachableAdvice('permissionDenied', '/run/containerd/containerd.sock', true), /rootless/);
  });

  it("points a foreign socket at Docker's containerd and a stale one at a restart", () => {
    assert.match(unreachableAdvice('notContainerd', '/var/run/docker.sock', false), /\/run\/docker\/containerd\/containerd\.sock/);
    assert.match(unreachableAdvice('refused', '/x.sock', false), /reconnects by itself/);
  });

  it('puts the fix after an unreachable endpoint\'s error, and leaves other errors as they are', () => {
    const refused = new ContainerdUnreachableError('refused', '/x.sock', '');
    assert.equal(errorWithAdvice(refused, '/x.sock', false, '\n\n'), `${refused.message}.\n\n${unreachableAdvice('refused', '/x.sock', false)}`);
    const answered = new ContainerdRequestError('NOT_FOUND', '/containerd.services.images.v1.Images/Get', '/x.sock', 'image not found');
    assert.equal(errorWithAdvice(answered, '/x.sock', false), answered.message);
  });

  it('says what to do for each other reason', () => {
    assert.match(unreachableAdvice('notFound', '/x.sock', false), /^Nothing listens there: start containerd \(sudo systemctl start containerd\), or set containerd\.address/);
    assert.match(unreachableAdvice('timeout', '/x.sock', false), /did not answer in time/);
    assert.match(unreachableAdvice('invalidAddress', 'x.sock', false), /absolute socket path such as \/run\/containerd\/containerd\.sock, or unix:\/\/\/path/);
    assert.match(unreachableAdvice('unknown', '/x.sock', false), /containerd output channel/);
  });

  it('names the socket as the user wrote it when it is no path, and root\'s socket by its path', () => {
    assert.match(unreachableAdvice('permissionDenied', 'unix:///run/containerd/containerd.sock', true), /^Even root may not open \/run\/containerd\/containerd\.sock:/);
    assert.match(unreachableAdvice('permissionDenied', 'tcp://h:1', false), /sudo chgrp <group> tcp:\/\/h:1 && sudo chmod g\+rw tcp:\/\/h:1/);
  });

  it('joins the error and the fix with a space unless told otherwise', () => {
    const missing = new ContainerdUnreachableError('notFound', '/x.sock', '');
    assert.equal(errorWithAdvice(missing, '/x.sock', false), `Cannot reach containerd at /x.sock: no such file. ${unreachableAdvice('notFound', '/x.sock', false)}`);
  });
});
