// startDlvServer against stand-ins for dlv (small shell scripts that print what dlv prints, or
// fail as it fails): the address is read from the line, the rest goes to the log, failures say
// what dlv said, and stop ends the process. The integration tier starts the real dlv.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDlvServer } from '../../src/debug/dlvServer';

function standIn(script: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dlv-stand-in-')), 'dlv');
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

test('the address is read from the listening line; earlier output goes to the log; stop ends dlv', async () => {
  const dlv = standIn('echo "2026-11-30 warning: something"\necho "DAP server listening at: 127.0.0.1:45678"\nexec sleep 30');
  const seen: string[] = [];
  const server = await startDlvServer({ dlvPath: dlv, flags: ['--log'], onOutput: (text) => seen.push(text) });
  assert.equal(server.host, '127.0.0.1');
  assert.equal(server.port, 45678);
  assert.ok(typeof server.pid === 'number' && server.pid > 0);
  assert.match(seen.join(''), /warning: something/);
  await server.stop(1_000);
  assert.equal(await server.exited, 'SIGTERM');
  await server.stop(); // a second stop is harmless
});

test('the flags reach dlv after `dap --listen=127.0.0.1:0`', async () => {
  const dlv = standIn('echo "args: $*"\necho "DAP server listening at: 127.0.0.1:1"\nexec sleep 30');
  const seen: string[] = [];
  const server = await startDlvServer({ dlvPath: dlv, flags: ['--check-go-version=false'], onOutput: (text) => seen.push(text) });
  assert.match(seen.join(''), /args: dap --listen=127\.0\.0\.1:0 --check-go-version=false/);
  await server.stop(1_000);
});

test('a dlv that exits before listening is a failure carrying its last words', async () => {
  const dlv = standIn('echo "Error: unknown flag: --bogus" >&2\nexit 1');
  await assert.rejects(startDlvServer({ dlvPath: dlv }), (error: Error) => {
    assert.match(error.message, /did not start its DAP server: it exited \(1\)/);
    assert.match(error.message, /unknown flag: --bogus/);
    assert.ok(error.message.includes(dlv));
    return true;
  });
});

test('a dlv that prints no address in time is stopped and reported', async () => {
  const dlv = standIn('echo "thinking"\nexec sleep 30');
  const started = Date.now();
  await assert.rejects(startDlvServer({ dlvPath: dlv, startTimeoutMs: 300 }), /no address printed within 300 ms\nthinking/);
  assert.ok(Date.now() - started < 10_000);
});

test('a dlv that cannot be started says why', async () => {
  await assert.rejects(startDlvServer({ dlvPath: '/nonexistent/dlv' }), /did not start its DAP server: spawn \/nonexistent\/dlv ENOENT/);
});
