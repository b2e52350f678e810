// The nerdctl argv builders: validation messages, the invocation's three facts, and a seeded fuzz
// test that feeds hostile values to `run` and reads the argv back as nerdctl's flag parser would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nerdctlInvocation, type DaemonFacts } from '../../src/nerdctl/invocation';
import { runArgs, type RunSpec } from '../../src/nerdctl/runArgs';
import * as validate from '../../src/nerdctl/validate';

describe('nerdctl input checks', () => {
  const ok = (check: validate.Check, values: string[]): void => {
    for (const value of values) assert.equal(check(value), undefined, `${value} should pass`);
  };
  const bad = (check: validate.Check, cases: [string, RegExp][]): void => {
    for (const [value, message] of cases) assert.match(check(value) ?? 'passed', message, value);
  };

  it('takes image references and ids as nerdctl does, and says what a reference looks like', () => {
    ok(validate.imageReference, ['busybox', 'docker.io/library/busybox:1.36', 'reg.example:5000/team/app:v1', `app@sha256:${'a'.repeat(64)}`, 'a'.repeat(64), `sha256:${'b'.repeat(64)}`]);
    bad(validate.imageReference, [
      ['--privileged', /starts with "-", which nerdctl would read as an option/],
      ['', /is empty/],
      ['Busybox', /not an image reference: expected \[registry\[:port\]\/\]name/],
      ['busybox\nlatest', /control character \(U\+000A\)/],
      ['a b', /not an image reference/],
    ]);
    bad(validate.imageTag, [[`app@sha256:${'a'.repeat(64)}`, /names a digest or an id/]]);
  });

  it('checks port mappings as -p reads them', () => {
    ok(validate.portMapping, ['80', '8080:80', '127.0.0.1:8080:80', '127.0.0.1::80', '8000-8010:8000-8010', '53:53/udp', '[::1]:8080:80/tcp', '8080:80/sctp']);
    bad(validate.portMapping, [
      ['0:80', /not a port mapping/], ['8080:65536', /not a port mapping/], ['80/icmp', /not a port mapping/],
      ['1.2.3:80:80', /not a port mapping/], ['8000-8002:9000-9010', /different lengths/], ['a:b:c:d', /not a port mapping/], ['-p', /starts with "-"/],
    ]);
  });

  it('checks names, environment entries, volumes, platforms, restart policies and networks', () => {
    ok(validate.containerName, ['web', 'web-1.a_b']);
    bad(validate.containerName, [['w', /2 to 76 letters/], ['_web', /not at either end/], ['we/b', /not a valid container name/], ['a._b', /never two in a row/], ['x'.repeat(77), /2 to 76/]]);
    ok(validate.environmentEntry, ['A=1', 'PATH', 'X=a=b,c=d', 'MY_VAR=  spaced  ']);
    bad(validate.environmentEntry, [['1A=x', /not an environment variable name/], ['=x', /"" is not an environment variable name/], ['A=\n', /control character/]]);
    ok(validate.volumeMount, ['/data:/data', 'cache:/var/cache:ro', '/only-host-path']);
    bad(validate.volumeMount, [['data:relative', /container path must be absolute/], ['/a:/b:rw:x', /not a volume/], ['/a:/b:bogus', /unknown option in "bogus"/], ['relative', /not a volume/]]);
    ok(validate.platform, ['linux/amd64', 'linux/arm/v7']);
    bad(validate.platform, [['amd64', /os\/arch\[\/variant\]/], ['linux/amd64,linux/arm64', /not a platform/]]);
    ok(validate.restartPolicy, ['no', 'always', 'unless-stopped', 'on-failure', 'on-failure:3']);
    bad(validate.restartPolicy, [['sometimes', /expected no, always/]]);
    bad(validate.networkName, [['my net', /not a network name/]]);
  });
});

describe('nerdctl run argv', () => {
  it('puts every value in --flag=value form and the image after --', () => {
    assert.deepEqual(runArgs({ image: 'busybox', name: 'web', ports: ['8080:80'], env: ['A=b,c=d'], volumes: ['/d:/d:ro'], restart: 'always', mode: 'detached', platform: 'linux/arm64', network: 'none', command: ['sh', '-c', 'echo hi'] }), [
      'run', '--detach', '--name=web', '--publish=8080:80', '--env=A=b,c=d', '--volume=/d:/d:ro', '--restart=always', '--platform=linux/arm64', '--network=none', '--', 'busybox', 'sh', '-c', 'echo hi',
    ]);
    assert.deepEqual(runArgs({ image: 'busybox', mode: 'interactive', remove: true }), ['run', '--interactive', '--tty', '--rm', '--', 'busybox']);
  });

  it('refuses contradictions and bad values before anything runs', () => {
    assert.throws(() => runArgs({ image: 'busybox', mode: 'detached', remove: true, restart: 'always' }), /--rm and the restart policy "always" contradict/);
    assert.throws(() => runArgs({ image: '--privileged', mode: 'detached' }), /starts with "-"/);
    assert.throws(() => runArgs({ image: 'busybox', mode: 'detached', ports: ['8080:80', 'x'] }), /"x" is not a port mapping/);
  });
});

describe('nerdctl invocation', () => {
  const rootful: DaemonFacts = { address: '/run/containerd/containerd.sock', namespace: 'default', callerCanOpen: true };

  it('names the address and namespace of a rootful daemon, with sudo for a non-root caller (nerdctl would go rootless)', () => {
    assert.deepEqual(nerdctlInvocation(['nerdctl'], rootful, { uid: 0 }, 'background'), { ok: true, process: { file: 'nerdctl', args: ['--address', rootful.address, '--namespace', 'default'] } });
    // Even with access to the socket: nerdctl run by a normal user drives only its rootless daemon.
    assert.deepEqual(nerdctlInvocation(['/usr/local/bin/nerdctl'], rootful, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args: ['-n', '/usr/local/bin/nerdctl', '--address', rootful.address, '--namespace', 'default'] } });
    const closed = { ...rootful, callerCanOpen: false };
    assert.deepEqual(nerdctlInvocation(['nerdctl'], closed, { uid: 1000 }, 'terminal'), { ok: true, process: { file: 'sudo', args: ['nerdctl', '--address', rootful.address, '--namespace', 'default'] } });
    assert.deepEqual(nerdctlInvocation(['nerdctl'], closed, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args: ['-n', 'nerdctl', '--address', rootful.address, '--namespace', 'default'] } });
    assert.deepEqual(nerdctlInvocation(['nerdctl'], closed, { uid: 0 }, 'background'), { ok: true, process: { file: 'nerdctl', args: ['--address', rootful.address, '--namespace', 'default'] } });
    assert.deepEqual(nerdctlInvocation(['sudo', '/opt/bin/nerdctl'], closed, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args: ['-n', '/opt/bin/nerdctl', '--address', rootful.address, '--namespace', 'default'] } });
    assert.deepEqual(nerdctlInvocation(['lima', 'nerdctl'], rootful, { uid: 501 }, 'terminal'), { ok: true, process: { file: 'lima', args: ['nerdctl', '--address', rootful.address, '--namespace', 'default'] } });
  });

  it('drives a rootless daemon without --address as its owner, as that user when root, and refuses anyone else', () => {
    const rootless: DaemonFacts = { address: '/proc/4242/root/run/containerd/containerd.sock', namespace: 'default', rootlessOwner: 1001, callerCanOpen: false };
    assert.deepEqual(nerdctlInvocation(['nerdctl'], rootless, { uid: 1001 }, 'background'), { ok: true, process: { file: 'nerdctl', args: ['--namespace', 'default'] } });
    assert.deepEqual(nerdctlInvocation(['nerdctl'], rootless, { uid: 0 }, 'terminal'), {
      ok: true, process: { file: 'setpriv', args: ['--reuid', '1001', '--regid', '1001', '--init-groups', '--reset-env', '--', 'env', 'XDG_RUNTIME_DIR=/run/user/1001', 'nerdctl', '--namespace', 'default'] },
    });
    const other = nerdctlInvocation(['nerdctl'], rootless, { uid: 1002 }, 'terminal');
    assert.equal(other.ok, false);
    assert.match(other.ok ? '' : other.reason, /rootless daemon of uid 1001: nerdctl can drive it only as that user \(or as root\), and VS Code runs as uid 1002/);
    assert.match(nerdctlInvocation([], rootful, { uid: 0 }, 'terminal').ok ? '' : 'empty', /empty/);
  });
});

/** A small seeded generator (mulberry32): the same seed, the same inputs. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostilePieces = ['-', '--', '--privileged', ',', '=', 'a=b,c=d', '\n', '"', "'", '`', '$(id)', ';', ' ', 'ü', '日本', '\u202e', ':', '/', '8080', '80', 'busybox', 'linux/amd64', 'on-failure:3', '[::1]', '127.0.0.1', '\\', '*', 'x'];

function hostileValue(next: () => number): string {
  const parts = 1 + Math.floor(next() * 4);
  let value = '';
  for (let i = 0; i < parts; i++) value += hostilePieces[Math.floor(next() * hostilePieces.length)] ?? '';
  return value;
}

/** What nerdctl's flag parser (pflag) does with our argv: --name=value pairs, then positionals after --. */
function readBack(args: readonly string[]): { flags: [string, string][]; positionals: string[] } {
  const end = args.indexOf('--');
  const flags = args.slice(1, end).filter((a) => a.includes('=')).map((a): [string, string] => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]);
  return { flags, positionals: args.slice(end + 1) };
}

describe('nerdctl run argv, fuzzed', () => {
  it('puts each of 2,000 hostile values in its own slot, or refuses it with a reason', () => {
    const seed = Number(process.env.VSCODE_CONTAINERD_FUZZ_SEED ?? Date.now() % 1_000_000);
    console.log(`fuzz seed ${seed} (set VSCODE_CONTAINERD_FUZZ_SEED to replay)`);
    const next = generator(seed);
    const slots: [keyof RunSpec, string][] = [['image', '--'], ['name', '--name'], ['ports', '--publish'], ['env', '--env'], ['volumes', '--volume'], ['restart', '--restart'], ['platform', '--platform'], ['network', '--network']];
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const [slot, flag] = slots[Math.floor(next() * slots.length)] ?? slots[0];
      const value = hostileValue(next);
      const spec: RunSpec = slot === 'image' ? { image: value, mode: 'detached' }
        : { image: 'busybox', mode: 'detached', [slot]: slot === 'ports' || slot === 'env' || slot === 'volumes' ? [value] : value };
      let args: string[];
      try {
        args = runArgs(spec);
      } catch (error) {
        refused++;
        assert.match((error as Error).message, /expected|starts with "-"|is empty|control character|not a|contradict|different lengths|must be absolute/, `seed ${seed}: the refusal of ${JSON.stringify(value)} says why`);
        continue;
      }
      accepted++;
      const { flags, positionals } = readBack(args);
      if (slot === 'image') {
        assert.deepEqual(positionals, [value], `seed ${seed}: the image ${JSON.stringify(value)} is the only positional`);
      } else {
        assert.deepEqual(flags.filter(([f]) => f === flag).map(([, v]) => v), [value], `seed ${seed}: ${JSON.stringify(value)} is the one ${flag}`);
        assert.deepEqual(positionals, ['busybox'], `seed ${seed}: nothing but the image after --`);
      }
      assert.ok(args.slice(1, args.indexOf('--')).every((a) => a.startsWith('--')), `seed ${seed}: every argument before -- is a flag of ours`);
    }
    assert.ok(accepted > 50 && refused > 50, `seed ${seed}: the inputs exercise both ways (accepted ${accepted}, refused ${refused})`);
  });
});
