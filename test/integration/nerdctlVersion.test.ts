// nerdctl's version as the extension reads it before running a command: the real nerdctl 1.7 and
// 2.x (their versions stamped by setup), through sudo -n, and a stand-in that reports 0.23.0.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { nerdctlTooOld, readNerdctlVersion } from '../../src/nerdctl/toolVersion';
import { loadComponents } from '../harness/components';

describe('reading nerdctl\'s version', () => {
  const components = loadComponents();
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-nerdctl-version-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads the real nerdctl 1.7 and 2.x, also through sudo -n', async () => {
    const v17 = await readNerdctlVersion([components.tools.nerdctl['1.7']]);
    const v2 = await readNerdctlVersion(['sudo', components.tools.nerdctl['2.x']]);
    assert.deepEqual([v17?.major, v17?.minor], [1, 7]);
    assert.equal(v2?.major, 2);
    assert.equal(nerdctlTooOld(v17 ?? { major: 0, minor: 0, patch: 0 }, 's'), undefined);
  });

  it('refuses an old one and reads nothing from a missing program or one that fails', async () => {
    const old = join(scratch, 'nerdctl-old');
    writeFileSync(old, '#!/bin/sh\necho "nerdctl version 0.23.0"\n');
    chmodSync(old, 0o755);
    const version = await readNerdctlVersion([old]);
    assert.deepEqual(version, { major: 0, minor: 23, patch: 0 });
    assert.match(nerdctlTooOld(version, 'containerd.nerdctl.command') ?? '', /too old/);
    const failing = join(scratch, 'nerdctl-failing');
    writeFileSync(failing, '#!/bin/sh\necho "nerdctl version 2.0.0"; exit 3\n');
    chmodSync(failing, 0o755);
    assert.equal(await readNerdctlVersion([failing]), undefined);
    assert.equal(await readNerdctlVersion([join(scratch, 'absent')]), undefined);
    assert.equal(await readNerdctlVersion([]), undefined);
  });
});
