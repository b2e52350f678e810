// A configured `sudo -n …` command already never prompts: background calls keep its argv as it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nerdctlInvocation, programUnderSudo, sudoPasswordAdvice } from '../../src/nerdctl/invocation';

describe('sudo in a configured nerdctl command', () => {
  it('adds no second -n to a command that starts with sudo -n', () => {
    const daemon = { address: '/run/containerd/containerd.sock', namespace: 'default', callerCanOpen: false };
    const args = ['-n', 'nerdctl', '--address', daemon.address, '--namespace', 'default'];
    assert.deepEqual(nerdctlInvocation(['sudo', '-n', 'nerdctl'], daemon, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args } });
    assert.deepEqual(nerdctlInvocation(['sudo', '-n', 'nerdctl'], daemon, { uid: 1000 }, 'terminal'), { ok: true, process: { file: 'sudo', args } });
  });
});

describe('a background sudo that wanted a password', () => {
  it('names the program a sudoers entry must allow: the first argument after sudo\'s options', () => {
    assert.equal(programUnderSudo({ file: 'sudo', args: ['-n', '/usr/local/bin/nerdctl', '--address', '/run/x.sock'] }), '/usr/local/bin/nerdctl');
    assert.equal(programUnderSudo({ file: 'sudo', args: ['-n', '-E', 'nerdctl'] }), 'nerdctl');
    assert.equal(programUnderSudo({ file: 'sudo', args: ['-n'] }), 'sudo');
    assert.equal(programUnderSudo({ file: '/usr/bin/nerdctl', args: ['images'] }), '/usr/bin/nerdctl');
  });

  it('gets the entry to write for its user and program, and other failures get nothing here', () => {
    const entry = '"dev ALL=(root) NOPASSWD: /usr/local/bin/nerdctl"';
    assert.ok(sudoPasswordAdvice('sudo: a password is required\n', '/usr/local/bin/nerdctl', 'dev')?.includes(entry));
    assert.ok(sudoPasswordAdvice('sudo: a terminal is required to read the password; either use the -S option', '/usr/local/bin/nerdctl', 'dev')?.includes(entry));
    assert.equal(sudoPasswordAdvice('permission denied', '/usr/local/bin/nerdctl', 'dev'), undefined);
  });
});
