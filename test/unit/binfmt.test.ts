// The multi-platform preflight over binfmt_misc folders made by the test (never the machine's).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { binfmtProblems, nativePlatform, qemuHandler, readBinfmt } from '../../src/buildkit/binfmt';

describe('multi-platform preflight (binfmt_misc)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-binfmt-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  function folder(name: string, handlers: Record<string, string> | undefined): string {
    const dir = join(scratch, name);
    mkdirSync(dir);
    if (handlers) {
      writeFileSync(join(dir, 'status'), 'enabled\n');
      writeFileSync(join(dir, 'register'), '');
      for (const [handler, text] of Object.entries(handlers)) writeFileSync(join(dir, handler), text);
    }
    return dir;
  }

  it('reads registered handlers, and a folder without status as not mounted', async () => {
    const state = await readBinfmt(folder('mounted', { 'qemu-aarch64': 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: PF\n' }));
    assert.deepEqual(state, { mounted: true, handlers: { 'qemu-aarch64': 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: PF\n' } });
    assert.deepEqual(await readBinfmt(folder('empty', undefined)), { mounted: false, handlers: {} });
    assert.deepEqual(await readBinfmt(join(scratch, 'absent')), { mounted: false, handlers: {} });
  });

  it('says nothing when every platform runs here: native, its 32-bit kin, or an enabled QEMU', async () => {
    const state = await readBinfmt(folder('ready', { 'qemu-aarch64': 'enabled\n', 'qemu-arm': 'enabled\n' }));
    assert.deepEqual(binfmtProblems(['linux/amd64', 'linux/386', 'linux/arm64', 'linux/arm/v7'], 'linux/amd64', state), []);
    assert.deepEqual(binfmtProblems(['linux/arm64', 'linux/arm/v7'], 'linux/arm64', { mounted: false, handlers: {} }), []);
  });

  it('names the platform, what is wrong and the command that fixes it', async () => {
    const unmounted = binfmtProblems(['linux/amd64', 'linux/arm64', 'linux/s390x'], 'linux/amd64', await readBinfmt(folder('unmounted', undefined)));
    assert.equal(unmounted.length, 1);
    assert.match(unmounted[0] ?? '', /^binfmt_misc is not mounted, so RUN steps for linux\/arm64, linux\/s390x cannot run here: sudo mount -t binfmt_misc/);
    const state = await readBinfmt(folder('partial', { 'qemu-aarch64': 'disabled\ninterpreter /usr/bin/qemu-aarch64-static\n' }));
    const problems = binfmtProblems(['linux/arm64', 'linux/ppc64le', 'windows/amd64'], 'linux/amd64', state);
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['linux/arm64', 'linux/ppc64le', 'windows/amd64']);
    assert.match(problems[0] ?? '', /QEMU \(qemu-aarch64\) is registered but disabled .* sudo update-binfmts --enable qemu-aarch64 .* tonistiigi\/binfmt --install arm64\.$/);
    assert.match(problems[1] ?? '', /QEMU \(qemu-ppc64le\) is not registered/);
    assert.match(problems[2] ?? '', /no QEMU emulator is known for it/);
  });

  it('knows the native platform of Node\'s arch names and the handler names of QEMU', () => {
    assert.deepEqual(['x64', 'arm64', 'arm', 'ppc64', 's390x', 'riscv64', 'ia32', 'mips'].map(nativePlatform), ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64', 'linux/386', undefined]);
    assert.deepEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm', 'linux/386', 'linux/riscv64', 'linux/mips64le', 'linux/sparc', 'darwin/arm64'].map(qemuHandler),
      ['qemu-x86_64', 'qemu-aarch64', 'qemu-arm', 'qemu-arm', 'qemu-i386', 'qemu-riscv64', 'qemu-mips64el', undefined, undefined]);
  });
});

describe('multi-platform preflight, per host', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-binfmt-host-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('32-bit arm runs on an arm64 host only; other hosts need QEMU for it', () => {
    assert.deepEqual(binfmtProblems(['linux/arm/v6', 'linux/arm/v7'], 'linux/arm64', { mounted: true, handlers: {} }), []);
    const onPower = binfmtProblems(['linux/arm/v7', 'linux/386', 'linux/s390x'], 'linux/ppc64le', { mounted: true, handlers: { 'qemu-s390x': 'enabled\n' } });
    assert.deepEqual(onPower.map((p) => /QEMU \((\S+)\) is not registered .* --install (\S+)\.$/.exec(p)?.slice(1)), [['qemu-arm', 'arm'], ['qemu-i386', '386']]);
  });

  it('a handler that cannot be read (a folder in its place) counts as not registered', async () => {
    const dir = join(scratch, 'odd');
    mkdirSync(join(dir, 'qemu-aarch64'), { recursive: true });
    writeFileSync(join(dir, 'status'), 'enabled\n');
    const state = await readBinfmt(dir);
    assert.deepEqual(state, { mounted: true, handlers: {} });
    assert.match(binfmtProblems(['linux/arm64'], 'linux/amd64', state)[0] ?? '', /^linux\/arm64: QEMU \(qemu-aarch64\) is not registered with binfmt_misc/);
    assert.deepEqual(['linux/ppc64le', 'linux/s390x', 'linux/arm/v6'].map(qemuHandler), ['qemu-ppc64le', 'qemu-s390x', 'qemu-arm']);
  });
});
