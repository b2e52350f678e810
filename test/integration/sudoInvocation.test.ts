// A real non-root user facing a rootful containerd whose socket it cannot open, with real sudo:
// the background invocation the extension builds uses `sudo -n`, which without a sudoers entry
// fails at once (it never waits for a password) and gets advice naming the entry to write; with
// exactly that entry the same call works. The terminal invocation leaves sudo free to ask.
import assert from 'node:assert/strict';
import { accessSync, constants, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nerdctlInvocation, programUnderSudo, sudoPasswordAdvice, type Process } from '../../src/nerdctl/invocation';
import { runProcess, type RunResult } from '../../src/process/runner';
import { testUser } from '../harness/asUser';
import { loadComponents, MissingComponentError } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { importBusybox } from '../harness/sampleImage';

const user = 'vscc-sudo-test';
const image = 'docker.io/library/busybox:sudo';

describe('sudo for a user who cannot open the socket (real user, sudo and sudoers entry)', () => {
  let daemon: ContainerdDaemon;
  let nerdctl: string;
  let ctr: string;
  let uid = 0;
  let gid = 0;
  const sudoers = `/etc/sudoers.d/${user}-${process.pid}`;

  const asUser = (p: Process): Promise<RunResult> =>
    runProcess({ file: 'setpriv', args: ['--reuid', String(uid), '--regid', String(gid), '--clear-groups', '--', p.file, ...p.args] }, { timeoutMs: 30_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/nonexistent' } });
  const background = (): Process => {
    const invocation = nerdctlInvocation([nerdctl], { address: daemon.socket, namespace: 'default', callerCanOpen: false }, { uid }, 'background');
    assert.ok(invocation.ok);
    return { file: invocation.process.file, args: [...invocation.process.args, 'images', '--format={{.Repository}}:{{.Tag}}'] };
  };

  before(async () => {
    const components = loadComponents();
    try {
      accessSync('/usr/bin/sudo', constants.X_OK);
    } catch {
      throw new MissingComponentError('sudo is missing: run `npm run setup` (scripts/setup.sh installs it for these tests)');
    }
    nerdctl = components.tools.nerdctl['2.x'];
    ctr = join(components.containerd['2.x'], 'ctr');
    ({ uid, gid } = await testUser(user));
    daemon = await startContainerd('2.x');
    await importBusybox(daemon, components.busybox, image, 'default');
  });
  after(async () => {
    rmSync(sudoers, { force: true });
    await daemon?.stop();
  });

  it('the user cannot open the socket itself (the case sudo is for)', async () => {
    const direct = await asUser({ file: ctr, args: ['--address', daemon.socket, 'version'] });
    assert.notEqual(direct.exitCode, 0);
    assert.match(direct.stderr, /permission denied/i);
  });

  it('without a sudoers entry, the background call fails at once with advice naming the entry', async () => {
    const process = background();
    assert.deepEqual([process.file, process.args[0]], ['sudo', '-n']);
    const result = await asUser(process);
    assert.notEqual(result.exitCode, 0);
    assert.equal(result.timedOut, false, 'sudo -n must never wait for a password');
    const advice = sudoPasswordAdvice(result.stderr, programUnderSudo(process), user);
    assert.ok(advice?.includes(`"${user} ALL=(root) NOPASSWD: ${nerdctl}"`), `advice for ${JSON.stringify(result.stderr)}: ${advice}`);
  });

  it('with exactly that entry, the same call lists the daemon\'s image; a terminal call lets sudo ask instead', async () => {
    writeFileSync(sudoers, `${user} ALL=(root) NOPASSWD: ${nerdctl}\n`, { mode: 0o440 });
    const result = await asUser(background());
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^docker\.io\/library\/busybox:sudo$|^busybox:sudo$/m);
    const terminal = nerdctlInvocation([nerdctl], { address: daemon.socket, namespace: 'default', callerCanOpen: false }, { uid }, 'terminal');
    assert.deepEqual(terminal.ok && [terminal.process.file, terminal.process.args[0]], ['sudo', nerdctl]);
  });
});
