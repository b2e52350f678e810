// Bounded reads of files something else wrote: the cap is inclusive, a file that holds more than
// its stat said is refused, and no descriptor is left open.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readRegularBytes } from '../../src/containerd/regularFiles';

describe('readRegularBytes', () => {
  it('reads a file of exactly the cap, and refuses one byte more', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vscc-regular-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'cap'), '12345678');
    writeFileSync(join(dir, 'over'), '123456789');
    assert.equal((await readRegularBytes(join(dir, 'cap'), 8))?.toString(), '12345678');
    assert.equal(await readRegularBytes(join(dir, 'over'), 8), undefined);
  });

  it('refuses a file holding more than its stat said (a /proc file stats as empty)', async () => {
    assert.equal(await readRegularBytes('/proc/self/status', 1_000_000), undefined);
  });

  it('closes what it opened, whatever it answers', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vscc-regular-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'config.json'), '{}');
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 10; i++) {
      await readRegularBytes(join(dir, 'config.json'), 100);
      await readRegularBytes(join(dir, 'config.json'), 1);
      await readRegularBytes(dir, 100);
    }
    assert.equal(open(), before);
  });
});
