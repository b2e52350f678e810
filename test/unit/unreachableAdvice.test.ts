import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unreachableAdvice } from '../../src/containerd/connection/unreachableAdvice';

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
});
