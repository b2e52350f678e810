// A Run form saved as a task: a process task with the exact argv (no shell), and a label that no
// task of the workspace has yet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freeLabel, runTask } from '../../src/nerdctl/runTask';

describe('run saved as a task', () => {
  it('is a process task carrying the invocation\'s file and every argument as given', () => {
    const task = runTask('nerdctl run web', { file: 'sudo', args: ['nerdctl', '--address', '/run/containerd/containerd.sock', '--namespace', 'default', 'run', '--detach', '--', 'busybox', 'sh', '-c', 'echo "$HOME"; ls'] }, 'namespace "default"');
    assert.deepEqual(task, {
      label: 'nerdctl run web', type: 'process', command: 'sudo',
      args: ['nerdctl', '--address', '/run/containerd/containerd.sock', '--namespace', 'default', 'run', '--detach', '--', 'busybox', 'sh', '-c', 'echo "$HOME"; ls'],
      problemMatcher: [], detail: 'nerdctl run, saved from the containerd explorer (namespace "default")',
    });
  });

  it('takes the label as it is when free, else the first free numbered one', () => {
    assert.equal(freeLabel('nerdctl run web', []), 'nerdctl run web');
    assert.equal(freeLabel('nerdctl run web', [{ label: 'other' }, 'junk', null, { label: 3 }]), 'nerdctl run web');
    assert.equal(freeLabel('nerdctl run web', [{ label: 'nerdctl run web' }]), 'nerdctl run web (2)');
    assert.equal(freeLabel('nerdctl run web', [{ label: 'nerdctl run web' }, { label: 'nerdctl run web (2)' }, { label: 'nerdctl run web (4)' }]), 'nerdctl run web (3)');
  });
});
