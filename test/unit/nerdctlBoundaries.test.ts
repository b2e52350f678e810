// The edges of the nerdctl input checks and builders: the first and last values each accepts, the
// first it refuses, and the words its messages use (what the input box shows).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { logsArgs, shellArgs } from '../../src/nerdctl/containerArgs';
import { hostFactsInput } from '../../src/nerdctl/daemonFacts';
import { nerdctlInvocation } from '../../src/nerdctl/invocation';
import { runArgs } from '../../src/nerdctl/runArgs';
import * as v from '../../src/nerdctl/validate';

const passes = (check: v.Check, values: readonly string[]): void => {
  for (const value of values) assert.equal(check(value), undefined, `${JSON.stringify(value)} should pass`);
};
const fails = (check: v.Check, values: readonly string[]): void => {
  for (const value of values) assert.notEqual(check(value), undefined, `${JSON.stringify(value)} should be refused`);
};

describe('nerdctl input checks at their edges', () => {
  it('names the value in an empty one\'s message, as the input box shows it', () => {
    const said: [v.Check, string][] = [
      [v.imageReference, 'The image is empty'], [v.containerName, 'The container name is empty'], [v.portMapping, 'The port mapping is empty'],
      [v.environmentEntry, 'The environment entry is empty'], [v.volumeMount, 'The volume is empty'], [v.platform, 'The platform is empty'],
      [v.networkName, 'The network is empty'], [v.absolutePath, 'The path is empty'],
    ];
    for (const [check, message] of said) assert.equal(check(''), message);
  });

  it('takes ports 1 to 65535 and ranges that do not run backwards', () => {
    passes(v.portMapping, ['1', '65535', '1:1', '65535:65535', '8000-8000', '8000-8001:9000-9001', '8080:80-80', '255.255.255.255:80:80', '0.0.0.0:80:80', '[::1]:8080:80', '[fe80::1]::80/udp']);
    fails(v.portMapping, ['0', '65536', '123456', '8001-8000', '80-', '-80', 'x80', '80x', '80/tcpx', '256.1.1.1:80:80', '1.1.1.1a:80:80', 'a1.1.1.1:80:80', '[::1]x:80:80', '[zz]:80:80', '1.1.1:80:80', '::1:80:80', '80:80:80:80']);
  });

  it('takes names of 2 to 76 characters with single separators', () => {
    passes(v.containerName, ['ab', 'a'.repeat(76), 'a.b', 'a-b_c.d', 'A1']);
    fails(v.containerName, ['a', 'a'.repeat(77), 'a.', 'ab-', '.ab', 'a..b', 'a b', 'ä1']);
  });

  it('takes every mount option nerdctl knows, alone or combined, and a named volume', () => {
    for (const option of ['ro', 'rw', 'rro', 'z', 'Z', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']) passes(v.volumeMount, [`/h:/c:${option}`, `vol:/c:${option}`]);
    passes(v.volumeMount, ['/h:/c:ro,z', 'vol-1.a_b:/c', '/h:/']);
    fails(v.volumeMount, ['/h:/c:ro,bogus', '/h:/c:', 'x!:/c', '!x:/c', 'vol name:/c', '/h:c', 'vol']);
  });

  it('takes restart policies exactly, with any retry count', () => {
    passes(v.restartPolicy, ['on-failure:10', 'on-failure:0']);
    fails(v.restartPolicy, ['xno', 'nox', 'on-failure:', 'on-failure:x', 'always:3', '']);
  });

  it('takes network names and platforms exactly', () => {
    passes(v.networkName, ['host', 'none', 'bridge', 'my-net.1_a', 'N']);
    fails(v.networkName, ['_x', 'x!', '!x', 'a b']);
    passes(v.platform, ['linux/arm/v7', 'linux/amd64', 'windows/amd64', 'linux/arm64/v8']);
    fails(v.platform, ['Linux/amd64', 'linux/amd64/', '/linux/amd64', 'linux/amd64/v8/x', 'linux']);
    passes(v.absolutePath, ['/', '/tmp/a b.tar']);
    fails(v.absolutePath, ['tmp/a.tar', './a.tar']);
    passes(v.environmentEntry, ['_A=1', 'a.b-c=1']);
    fails(v.environmentEntry, ['A B=1', '-A=1']);
  });
});

describe('nerdctl builders at their edges', () => {
  it('takes a tail of 0 lines and refuses an empty shell', () => {
    assert.deepEqual(logsArgs('web', { follow: false, tail: 0, timestamps: false }), ['logs', '--tail=0', '--', 'web']);
    assert.throws(() => shellArgs('web', ''), /"" is not a shell/);
  });

  it('lets --rm go with the restart policy "no", the one that does not restart', () => {
    assert.deepEqual(runArgs({ image: 'busybox', mode: 'detached', remove: true, restart: 'no' }), ['run', '--detach', '--rm', '--restart=no', '--', 'busybox']);
  });

  it('says how to set the nerdctl command when it is empty', () => {
    const empty = nerdctlInvocation([], { address: '/s.sock', namespace: 'default', callerCanOpen: true }, { uid: 0 }, 'terminal');
    assert.deepEqual(empty, { ok: false, reason: 'The nerdctl command (setting containerd.nerdctl.command) is empty: set it to e.g. ["nerdctl"].' });
  });

  it('reads a process\'s owner and a socket\'s permission from the real file system', async (t) => {
    assert.equal(await hostFactsInput.ownerOf('/proc/self'), process.getuid?.());
    assert.equal(await hostFactsInput.ownerOf('/proc/does-not-exist'), undefined);
    const dir = mkdtempSync(join(tmpdir(), 'vscc-facts-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'containerd.sock');
    writeFileSync(file, '');
    assert.equal(await hostFactsInput.canConnect(file), true);
    assert.equal(existsSync(join(dir, 'missing.sock')), false);
    assert.equal(await hostFactsInput.canConnect(join(dir, 'missing.sock')), false);
  });
});
