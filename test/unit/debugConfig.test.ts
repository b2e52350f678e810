import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDebugConfig, dlvRequestArguments, type BuildkitdDebugConfig } from '../../src/debug/debugConfig';

function ok(config: Record<string, unknown>): BuildkitdDebugConfig {
  const checked = checkDebugConfig({ type: 'buildkitd', name: 't', ...config });
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  return checked.value;
}

function refused(config: Record<string, unknown>): string {
  const checked = checkDebugConfig({ type: 'buildkitd', name: 't', ...config });
  assert.equal(checked.ok, false, `accepted ${JSON.stringify(config)}`);
  return checked.ok ? '' : checked.error;
}

test('a local attach takes the pid as a number or as the string a picker returns', () => {
  assert.deepEqual(ok({ request: 'attach', processId: '4242' }).target, { kind: 'local', processId: 4242 });
  assert.deepEqual(ok({ request: 'attach', processId: ' 17 ' }).target, { kind: 'local', processId: 17 });
  assert.deepEqual(ok({ request: 'attach', processId: 1 }).target, { kind: 'local', processId: 1 });
  assert.deepEqual(ok({ request: 'attach', processId: 4194304 }).target, { kind: 'local', processId: 4194304 });
});

test('a pid that is not one is refused, saying what is expected', () => {
  assert.match(refused({ request: 'attach', processId: 'abc' }), /"processId" must be a process id \(a whole number above 0\), not "abc"/);
  assert.match(refused({ request: 'attach', processId: 0 }), /must be a process id/);
  assert.match(refused({ request: 'attach', processId: -3 }), /must be a process id/);
  assert.match(refused({ request: 'attach', processId: 1.5 }), /must be a process id/);
  assert.match(refused({ request: 'attach', processId: 4194305 }), /must be a process id/);
  assert.match(refused({ request: 'attach', processId: true }), /must be a process id/);
  assert.match(refused({ request: 'attach', processId: '${command:containerd.buildkitd.pickProcess}' }), /was not replaced: pick a process/);
  assert.match(refused({ request: 'attach' }), /needs "processId" \(for example "\$\{command:containerd\.buildkitd\.pickProcess\}"\), or "host" and "port"/);
});

test('a remote attach takes host and port, the host defaulting to loopback and losing IPv6 brackets', () => {
  assert.deepEqual(ok({ request: 'attach', host: 'builder.local', port: 5000 }).target, { kind: 'remote', host: 'builder.local', port: 5000 });
  assert.deepEqual(ok({ request: 'attach', port: '5000' }).target, { kind: 'remote', host: '127.0.0.1', port: 5000 });
  assert.deepEqual(ok({ request: 'attach', host: '[::1]', port: 1 }).target, { kind: 'remote', host: '::1', port: 1 });
  assert.deepEqual(ok({ request: 'attach', host: 'h', port: 65535 }).target, { kind: 'remote', host: 'h', port: 65535 });
  assert.match(refused({ request: 'attach', host: 'h', port: 0 }), /"port" must be the port of a dlv --headless \(1-65535\), not 0/);
  assert.match(refused({ request: 'attach', host: 'h', port: 65536 }), /"port" must be/);
  assert.match(refused({ request: 'attach', host: 'h' }), /"port" must be/);
  assert.match(refused({ request: 'attach', host: 'a b', port: 5000 }), /"host" must be a host name or address, not "a b"/);
  assert.match(refused({ request: 'attach', host: 'h;rm', port: 5000 }), /"host" must be/);
  assert.match(refused({ request: 'attach', host: 5, port: 5000 }), /"host" must be/);
  assert.match(refused({ request: 'attach', host: 'h', port: 5000, processId: 3 }), /either "processId" \(attach here\) or "host" and "port"/);
});

test('a launch needs a program; args, env and cwd are checked', () => {
  assert.deepEqual(ok({ request: 'launch', program: 'buildctl', args: ['debug', 'workers'], cwd: '/w', env: { A: '1' } }).target, { kind: 'launch', program: 'buildctl', args: ['debug', 'workers'], cwd: '/w', env: { A: '1' } });
  assert.deepEqual(ok({ request: 'launch', program: 'buildkitd' }).target, { kind: 'launch', program: 'buildkitd', args: [], cwd: undefined, env: {} });
  assert.match(refused({ request: 'launch' }), /"program" must name the buildkitd or buildctl binary/);
  assert.match(refused({ request: 'launch', program: '  ' }), /"program" must name/);
  assert.match(refused({ request: 'launch', program: 'b', args: 'debug workers' }), /"args" must be a list of strings/);
  assert.match(refused({ request: 'launch', program: 'b', args: ['ok', 3] }), /"args" must be a list of strings/);
  assert.match(refused({ request: 'launch', program: 'b', env: { A: 1 } }), /"env" must map names to strings/);
  assert.match(refused({ request: 'launch', program: 'b', env: ['A=1'] }), /"env" must map names to strings/);
  assert.match(refused({ request: 'launch', program: 'b', env: 'A=1' }), /"env" must map names to strings/);
  assert.match(refused({ request: 'launch', program: 'b', cwd: 3 }), /"cwd" must be a folder path/);
  assert.match(refused({ request: 'run', program: 'b' }), /"request" must be "attach" or "launch", not "run"/);
});

test('the common attributes are checked, and the extension keeps where dlv listens', () => {
  const full = ok({ request: 'attach', processId: 9, dlvPath: '/opt/dlv', dlvFlags: ['--log'], asRoot: true, stopOnEntry: true, substitutePath: [{ from: '/src', to: 'github.com/x@v1' }] });
  assert.deepEqual({ ...full, target: undefined }, { target: undefined, dlvPath: '/opt/dlv', dlvFlags: ['--log'], asRoot: true, stopOnEntry: true, substitutePath: [{ from: '/src', to: 'github.com/x@v1' }] });
  const plain = ok({ request: 'attach', processId: 9 });
  assert.deepEqual({ ...plain, target: undefined }, { target: undefined, dlvPath: undefined, dlvFlags: [], asRoot: false, stopOnEntry: false, substitutePath: undefined });
  for (const flag of ['--listen=:1', '--listen', '--client-addr=x', '--headless']) {
    assert.match(refused({ request: 'attach', processId: 9, dlvFlags: [flag] }), new RegExp(`"dlvFlags" may not contain ${flag.replace(/[-=:]/g, '\\$&')}: the extension decides where dlv listens`));
  }
  assert.equal(ok({ request: 'attach', processId: 9, dlvFlags: ['--listenx'] }).dlvFlags[0], '--listenx');
  assert.match(refused({ request: 'attach', processId: 9, dlvFlags: '--log' }), /"dlvFlags" must be a list/);
  assert.match(refused({ request: 'attach', processId: 9, dlvPath: '' }), /"dlvPath" must be the path of a dlv binary/);
  assert.match(refused({ request: 'attach', processId: 9, dlvPath: 7 }), /"dlvPath" must be/);
  assert.match(refused({ request: 'attach', processId: 9, asRoot: 'yes' }), /"asRoot" must be true or false/);
  assert.match(refused({ request: 'attach', processId: 9, stopOnEntry: 1 }), /"stopOnEntry" must be true or false/);
  assert.match(refused({ request: 'attach', processId: 9, substitutePath: [{ from: '/a' }] }), /"substitutePath" must be a list of \{"from": local folder, "to": path in the binary\}/);
  assert.match(refused({ request: 'attach', processId: 9, substitutePath: { from: '/a', to: 'b' } }), /"substitutePath" must be a list/);
  assert.match(refused({ request: 'attach', processId: 9, substitutePath: [null] }), /"substitutePath" must be a list/);
  assert.match(refused({ request: 'attach', host: 'h', port: 5000, asRoot: true }), /"asRoot" starts a local dlv with sudo/);
});

test('dlv gets the mode of each shape, the pid as a number, and substitutePath only when there is one', () => {
  const mapping = [{ from: '/src', to: 'github.com/moby/buildkit@v0.32.2' }];
  assert.deepEqual(dlvRequestArguments(ok({ request: 'attach', processId: '12' }), mapping), { stopOnEntry: false, substitutePath: mapping, mode: 'local', processId: 12 });
  assert.deepEqual(dlvRequestArguments(ok({ request: 'attach', processId: 12, stopOnEntry: true }), []), { stopOnEntry: true, mode: 'local', processId: 12 });
  assert.deepEqual(dlvRequestArguments(ok({ request: 'attach', port: 5000 }), undefined), { stopOnEntry: false, mode: 'remote' });
  assert.deepEqual(dlvRequestArguments(ok({ request: 'launch', program: 'buildctl', args: ['du'], cwd: '/w', env: { X: 'y' } }), undefined),
    { stopOnEntry: false, mode: 'exec', program: 'buildctl', args: ['du'], cwd: '/w', env: { X: 'y' }, outputMode: 'remote' });
  assert.deepEqual(dlvRequestArguments(ok({ request: 'launch', program: 'buildctl' }), undefined),
    { stopOnEntry: false, mode: 'exec', program: 'buildctl', args: [], env: {}, outputMode: 'remote' });
});
