// A configured `sudo -n …` command already never prompts: background calls keep its argv as it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nerdctlInvocation } from '../../src/nerdctl/invocation';

describe('sudo in a configured nerdctl command', () => {
  it('adds no second -n to a command that starts with sudo -n', () => {
    const daemon = { address: '/run/containerd/containerd.sock', namespace: 'default', callerCanOpen: false };
    const args = ['-n', 'nerdctl', '--address', daemon.address, '--namespace', 'default'];
    assert.deepEqual(nerdctlInvocation(['sudo', '-n', 'nerdctl'], daemon, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args } });
    assert.deepEqual(nerdctlInvocation(['sudo', '-n', 'nerdctl'], daemon, { uid: 1000 }, 'terminal'), { ok: true, process: { file: 'sudo', args } });
  });
});
