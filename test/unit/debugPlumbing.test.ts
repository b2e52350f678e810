import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { addrFlags, defaultAddress, listBuildkitdProcesses, parseEnviron, processSummary, userNames, type BuildkitdProcess } from '../../src/debug/buildkitdProcesses';
import { DapReader, encodeDapMessage } from '../../src/debug/dapFraming';
import { dialsUnix, listenForDlv, sudoDlvProcess } from '../../src/debug/dlvDialIn';
import { dlvDapArgs, parseListeningLine } from '../../src/debug/dlvServer';

test('DAP frames round-trip, split anywhere and several to a chunk, with multi-byte text', () => {
  const messages = [{ seq: 1, type: 'request', command: 'initialize' }, { seq: 2, type: 'event', event: 'output', body: { output: 'grüße ✓\n' } }];
  const bytes = Buffer.concat(messages.map(encodeDapMessage));
  assert.match(encodeDapMessage(messages[1] ?? {}).toString('utf8'), /^Content-Length: \d+\r\n\r\n\{/);
  for (let cut = 0; cut <= bytes.length; cut += 7) {
    const reader = new DapReader();
    assert.deepEqual([...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))], messages);
  }
  assert.throws(() => new DapReader().push(Buffer.from('Content-Type: x\r\n\r\n{}')), /a DAP header without Content-Length/);
  assert.deepEqual(new DapReader().push(Buffer.from('content-length: 2\r\n\r\n{}')), [{}]);
});

test('dlv dap listens on a loopback port of its choosing; the address is read from its line', () => {
  assert.deepEqual(dlvDapArgs(), ['dap', '--listen=127.0.0.1:0']);
  assert.deepEqual(dlvDapArgs(['--log']), ['dap', '--listen=127.0.0.1:0', '--log']);
  assert.deepEqual(parseListeningLine('DAP server listening at: 127.0.0.1:40123\n'), { host: '127.0.0.1', port: 40123 });
  assert.deepEqual(parseListeningLine('warning: x\nDAP server listening at: [::1]:5000\n'), { host: '::1', port: 5000 });
  assert.equal(parseListeningLine('DAP server listening at: 127.0.0.1:'), undefined);
  assert.equal(parseListeningLine('API server listening at: 127.0.0.1:4'), undefined);
});

test('asRoot: sudo (with -n only when nobody can type a password) runs dlv dialling our address', () => {
  assert.deepEqual(sudoDlvProcess(['sudo'], '/usr/bin/dlv', 'unix:/tmp/d/dap.sock', ['--log'], true), { file: 'sudo', args: ['--', '/usr/bin/dlv', 'dap', '--client-addr=unix:/tmp/d/dap.sock', '--log'] });
  assert.deepEqual(sudoDlvProcess(['doas', '-u', 'root'], 'dlv', '127.0.0.1:9', [], false), { file: 'doas', args: ['-u', 'root', '-n', '--', 'dlv', 'dap', '--client-addr=127.0.0.1:9'] });
  assert.deepEqual(sudoDlvProcess([], 'dlv', 'a', [], true).file, 'sudo');
  assert.equal(dialsUnix('1.24.0'), true);
  assert.equal(dialsUnix('1.27.2'), true);
  assert.equal(dialsUnix('2.0.0'), true);
  assert.equal(dialsUnix('1.23.1'), false);
  assert.equal(dialsUnix('1.20.2'), false);
  assert.equal(dialsUnix(undefined), true);
});

test('the dial-in listener takes one connection, on a unix socket or loopback TCP, and cleans up', async () => {
  for (const unix of [true, false]) {
    const listener = await listenForDlv(unix);
    assert.match(listener.clientAddr, unix ? /^unix:\/.*\/dap\.sock$/ : /^127\.0\.0\.1:\d+$/);
    const target = listener.clientAddr.startsWith('unix:') ? { path: listener.clientAddr.slice(5) } : { host: '127.0.0.1', port: Number(listener.clientAddr.split(':')[1]) };
    const client = connect(target);
    const socket = await listener.accepted;
    client.write('hello');
    const got = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    assert.equal(got, 'hello');
    client.destroy();
    socket.destroy();
    await listener.close();
  }
  const unused = await listenForDlv(true);
  await unused.close();
  await assert.rejects(unused.accepted, /dlv did not connect before the session ended/);
});

test('--addr in both spellings and repeated; environ and passwd parsed as the kernel and libc write them', () => {
  assert.deepEqual(addrFlags(['--addr', 'unix:///a.sock', '--root', '/r', '--addr=tcp://0.0.0.0:1234', '--addr']), ['unix:///a.sock', 'tcp://0.0.0.0:1234']);
  assert.deepEqual(addrFlags(['--debug']), []);
  assert.deepEqual([...parseEnviron('USER=dev\0XDG_RUNTIME_DIR=/run/user/1000\0EMPTY=\0=odd\0A=b=c\0')], [['USER', 'dev'], ['XDG_RUNTIME_DIR', '/run/user/1000'], ['EMPTY', ''], ['A', 'b=c']]);
  assert.deepEqual([...parseEnviron(undefined)], []);
  assert.deepEqual([...userNames('root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/sh\n# comment\nbad:x:zz:0\n')], [[0, 'root'], [1000, 'dev']]);
});

test('the default address follows BuildKit: rootless only in a user namespace with a non-root $USER and a runtime dir', () => {
  const env = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
  assert.equal(defaultAddress(false, env({ USER: 'dev', XDG_RUNTIME_DIR: '/run/user/1000' })), 'unix:///run/buildkit/buildkitd.sock');
  assert.equal(defaultAddress(true, env({ USER: 'dev', XDG_RUNTIME_DIR: '/run/user/1000:/x' })), 'unix:///run/user/1000/buildkit/buildkitd.sock');
  assert.equal(defaultAddress(true, env({ USER: 'root', XDG_RUNTIME_DIR: '/run/user/0' })), 'unix:///run/buildkit/buildkitd.sock');
  assert.equal(defaultAddress(true, env({ XDG_RUNTIME_DIR: '/run/user/1000' })), 'unix:///run/buildkit/buildkitd.sock');
  assert.equal(defaultAddress(true, env({ USER: 'dev' })), 'unix:///run/buildkit/buildkitd.sock');
});

test('the process list reads a /proc-shaped folder: buildkitd by name, namespaces against ours, the preferred address first', async () => {
  const root = mkdtempSync(join(tmpdir(), 'proc-'));
  const proc = (pid: string, files: Record<string, string>, links: Record<string, string> = {}): void => {
    mkdirSync(join(root, pid, 'ns'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, pid, name), text);
    for (const [name, target] of Object.entries(links)) symlinkSync(target, join(root, pid, name));
  };
  const ns = { 'ns/pid': 'pid:[1]', 'ns/user': 'user:[1]' };
  proc('self', {}, ns);
  proc('10', { cmdline: '/usr/bin/buildkitd\0--addr\0unix:///run/b.sock\0', comm: 'buildkitd\n', status: 'Name:\tbuildkitd\nUid:\t0\t0\t0\t0\n' }, { ...ns, exe: '/usr/bin/buildkitd' });
  proc('7', { cmdline: 'buildkitd\0', comm: 'buildkitd\n', status: 'Uid:\t1000\t1000\t1000\t1000\n', environ: 'USER=dev\0XDG_RUNTIME_DIR=/run/user/1000\0' }, { 'ns/pid': 'pid:[1]', 'ns/user': 'user:[9]' });
  proc('30', { cmdline: '/bin/buildkitd\0--addr=tcp://0.0.0.0:1234\0', comm: 'buildkitd\n', status: 'Uid:\t4242\t4242\t4242\t4242\n' }, { 'ns/pid': 'pid:[5]', 'ns/user': 'user:[1]' });
  proc('40', { cmdline: '/usr/bin/containerd\0', comm: 'containerd\n', status: 'Uid:\t0\n' }, ns);
  proc('50', { cmdline: '', comm: 'kworker\n', status: 'Uid:\t0\n' }, ns);
  proc('60', { cmdline: '/x/buildkitd\0', comm: 'sh\n' }, ns); // no status: gone mid-read
  writeFileSync(join(root, 'passwd'), 'root:x:0:0::/root:/bin/sh\ndev:x:1000:1000::/home/dev:/bin/sh\n');
  const source = { procRoot: root, passwdFile: join(root, 'passwd') };
  const all = await listBuildkitdProcesses(source);
  assert.deepEqual(all.map((p) => [p.pid, p.user, p.addresses, p.defaultAddress, p.rootless, p.inContainer, p.executable]), [
    [7, 'dev', ['unix:///run/user/1000/buildkit/buildkitd.sock'], true, true, false, undefined],
    [10, 'root', ['unix:///run/b.sock'], false, false, false, '/usr/bin/buildkitd'],
    [30, '4242', ['tcp://0.0.0.0:1234'], false, false, true, undefined],
  ]);
  assert.deepEqual((await listBuildkitdProcesses(source, 'tcp://0.0.0.0:1234')).map((p) => p.pid), [30, 7, 10]);
  assert.deepEqual(all[1]?.commandLine, ['/usr/bin/buildkitd', '--addr', 'unix:///run/b.sock']);
});

test('the picker line names pid, user, version and where the process lives', () => {
  const base: BuildkitdProcess = { pid: 42, uid: 0, user: 'root', commandLine: ['buildkitd'], addresses: ['unix:///run/buildkit/buildkitd.sock'], defaultAddress: true, inContainer: false, rootless: false, executable: undefined };
  assert.equal(processSummary(base, 'v0.32.2'), 'pid 42 · root · v0.32.2');
  assert.equal(processSummary({ ...base, rootless: true }, 'v0.32.2'), 'pid 42 · root · v0.32.2 · rootless');
  assert.equal(processSummary({ ...base, rootless: true, inContainer: true }, 'v1'), 'pid 42 · root · v1 · rootless, in a container');
  assert.equal(processSummary({ ...base, inContainer: true }, 'v1'), 'pid 42 · root · v1 · in a container');
});
