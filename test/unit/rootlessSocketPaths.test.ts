// Only a socket path that starts with /proc/PID/root/ is reached through another mount namespace:
// the same words deeper in a path say nothing about who runs the daemon.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daemonFacts } from '../../src/nerdctl/daemonFacts';

describe('a daemon\'s socket path and rootless mode', () => {
  it('asks for no owner when /proc/PID/root/ is only part of a path', async () => {
    const socket = '/home/u/proc/4242/root/run/containerd/containerd.sock';
    const asked: string[] = [];
    const facts = await daemonFacts(`unix://${socket}`, 'default', {
      ownerOf: (path) => { asked.push(path); return Promise.resolve(1001); },
      canConnect: () => Promise.resolve(true),
    });
    assert.deepEqual(facts, { address: `unix://${socket}`, namespace: 'default', callerCanOpen: true });
    assert.deepEqual(asked, []);
  });
});
