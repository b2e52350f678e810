import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasCapSysPtrace, ptraceFinding, readPtraceScope, type PtraceFacts } from '../../src/debug/ptraceCheck';

// /proc/self/status lines as the kernel prints them: root on a host, and a default Docker container
// (CAP_SYS_PTRACE, bit 19, not granted: 0xa80425fb).
const hostRoot = 'Name:\tnode\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n';
const dockerRoot = 'Name:\tnode\nCapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n';
const user = 'Name:\tnode\nCapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\n';

test('CAP_SYS_PTRACE is bit 19 of the set asked for', () => {
  assert.equal(hasCapSysPtrace(hostRoot), true);
  assert.equal(hasCapSysPtrace(dockerRoot), false);
  assert.equal(hasCapSysPtrace(user), false);
  assert.equal(hasCapSysPtrace(user, 'CapBnd'), true, 'what sudo could give dlv');
  assert.equal(hasCapSysPtrace(dockerRoot, 'CapBnd'), false);
  assert.equal(hasCapSysPtrace('CapEff:\t0000000000080000\n'), true);
  assert.equal(hasCapSysPtrace('CapEff:\t0000000000040000\n'), false);
  assert.equal(hasCapSysPtrace('Name:\tx\n'), false);
});

test('ptrace_scope is read from the file given; no file (no Yama) is undefined', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scope-'));
  writeFileSync(join(dir, 'a'), '1\n');
  writeFileSync(join(dir, 'b'), 'x\n');
  assert.equal(await readPtraceScope(join(dir, 'a')), 1);
  assert.equal(await readPtraceScope(join(dir, 'b')), undefined);
  assert.equal(await readPtraceScope(join(dir, 'missing')), undefined);
});

const facts = (over: Partial<PtraceFacts>): PtraceFacts => ({ attacherUid: 1000, attacherCanPtraceAny: false, targetUid: 1000, targetUser: 'dev', scope: 0, asRoot: false, ...over });

test('the same user with no Yama or scope 0 may attach; CAP_SYS_PTRACE may attach to anyone below scope 3', () => {
  assert.equal(ptraceFinding(facts({ scope: undefined })), undefined);
  assert.equal(ptraceFinding(facts({ scope: 0 })), undefined);
  assert.equal(ptraceFinding(facts({ attacherUid: 0, attacherCanPtraceAny: true, targetUid: 1000, scope: 2 })), undefined);
  assert.equal(ptraceFinding(facts({ attacherUid: 0, attacherCanPtraceAny: true, targetUid: 0, scope: 1 })), undefined);
});

test('another user\'s process: refused by ownership, with asRoot as the fix (or the sudoers entry when asRoot did not help)', () => {
  const other = ptraceFinding(facts({ targetUid: 0, targetUser: 'root' }));
  assert.equal(other?.level, 'error');
  assert.equal(other?.message, 'buildkitd runs as root (uid 0) and dlv would run as uid 1000: the kernel lets only the same user or root attach.');
  assert.match(other?.fix ?? '', /"asRoot": true/);
  assert.match(ptraceFinding(facts({ targetUid: 0, targetUser: 'root', asRoot: true }))?.fix ?? '', /sudoers entry for dlv/);
});

test('each Yama scope refuses a same-user attach with its own reason and fix', () => {
  const one = ptraceFinding(facts({ scope: 1 }));
  assert.match(one?.message ?? '', /ptrace_scope is 1: a process may attach only to its own descendants/);
  assert.match(one?.fix ?? '', /"asRoot": true.*sudo sysctl kernel\.yama\.ptrace_scope=0/);
  const two = ptraceFinding(facts({ scope: 2 }));
  assert.match(two?.message ?? '', /ptrace_scope is 2: only processes with CAP_SYS_PTRACE/);
  assert.doesNotMatch(two?.fix ?? '', /sysctl/);
  const three = ptraceFinding(facts({ scope: 3, attacherUid: 0, attacherCanPtraceAny: true }));
  assert.match(three?.message ?? '', /ptrace_scope is 3: this kernel refuses every ptrace attach, even root's/);
  assert.match(three?.fix ?? '', /reboot/);
  assert.equal(ptraceFinding(facts({ scope: 4 })), undefined, 'an unknown scope is not guessed at');
});

test('root without CAP_SYS_PTRACE (a container) may attach to root below scope 2 only, and is told about --cap-add', () => {
  assert.equal(ptraceFinding(facts({ attacherUid: 0, targetUid: 0, scope: 1 })), undefined);
  assert.equal(ptraceFinding(facts({ attacherUid: 0, targetUid: 0, scope: undefined })), undefined);
  const other = ptraceFinding(facts({ attacherUid: 0, targetUid: 1000 }));
  assert.match(other?.message ?? '', /without CAP_SYS_PTRACE/);
  assert.match(other?.fix ?? '', /--cap-add=SYS_PTRACE/);
  assert.match(ptraceFinding(facts({ attacherUid: 0, targetUid: 0, scope: 2 }))?.fix ?? '', /--cap-add=SYS_PTRACE/);
});
