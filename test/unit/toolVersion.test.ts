import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nerdctlTooOld, nerdctlUntested, parseNerdctlVersion, readNerdctlVersion, VersionCache, versionProcess, type ToolVersion } from '../../src/nerdctl/toolVersion';

describe('nerdctl version', () => {
  it('reads what nerdctl --version prints, with or without a v, and nothing else', () => {
    assert.deepEqual(parseNerdctlVersion('nerdctl version 2.3.5\n'), { major: 2, minor: 3, patch: 5 });
    assert.deepEqual(parseNerdctlVersion('WARN[0000] something\nnerdctl version v1.7.7+dirty\n'), { major: 1, minor: 7, patch: 7 });
    assert.deepEqual(parseNerdctlVersion('nerdctl version 10.11.12'), { major: 10, minor: 11, patch: 12 });
    for (const output of ['', 'Docker version 27.1.0', 'nerdctl version', 'nerdctl version 1.7', 'crictl version v1.37.0', 'not nerdctl version 1.2.3']) {
      assert.equal(parseNerdctlVersion(output), undefined, output);
    }
  });

  it('refuses a nerdctl before 1.0, naming the setting and where to get a newer one', () => {
    const refusal = nerdctlTooOld({ major: 0, minor: 23, patch: 0 }, 'containerd.nerdctl.command');
    assert.match(refusal ?? '', /^nerdctl 0\.23\.0 is too old/);
    assert.match(refusal ?? '', /containerd\.nerdctl\.command/);
    assert.match(refusal ?? '', /github\.com\/containerd\/nerdctl\/releases/);
    for (const v of [{ major: 1, minor: 0, patch: 0 }, { major: 2, minor: 3, patch: 5 }]) assert.equal(nerdctlTooOld(v, 's'), undefined);
  });

  it('notes a 1.x older than 1.7 as untested, and only that', () => {
    assert.match(nerdctlUntested({ major: 1, minor: 6, patch: 2 }) ?? '', /^nerdctl 1\.6\.2 is older than 1\.7/);
    for (const v of [{ major: 1, minor: 7, patch: 0 }, { major: 2, minor: 0, patch: 0 }, { major: 0, minor: 9, patch: 0 }]) assert.equal(nerdctlUntested(v), undefined);
  });
});

describe('VersionCache', () => {
  it('reads a command line once, each command line on its own, and a failed read again', async () => {
    const reads: string[] = [];
    const reader: { answer?: ToolVersion } = {};
    const cache = new VersionCache((command) => {
      reads.push(command.join(' '));
      return Promise.resolve(reader.answer);
    });
    assert.equal(await cache.get(['nerdctl']), undefined);
    const answer = { major: 2, minor: 3, patch: 5 };
    reader.answer = answer;
    assert.deepEqual(await cache.get(['nerdctl']), answer);
    assert.deepEqual(await Promise.all([cache.get(['nerdctl']), cache.get(['nerdctl'])]), [answer, answer]);
    await cache.get(['sudo', 'nerdctl']);
    // "a b" as one argument is not "a" "b", nor is "ab".
    await cache.get(['sudo nerdctl']);
    await cache.get(['sudonerdctl']);
    assert.deepEqual(reads, ['nerdctl', 'nerdctl', 'sudo nerdctl', 'sudo nerdctl', 'sudonerdctl']);
  });
});

describe('asking a command for its version', () => {
  it('adds --version, and -n after sudo unless it is there: a background read never prompts', () => {
    assert.deepEqual(versionProcess(['nerdctl']), { file: 'nerdctl', args: ['--version'] });
    assert.deepEqual(versionProcess(['sudo', 'nerdctl']), { file: 'sudo', args: ['-n', 'nerdctl', '--version'] });
    assert.deepEqual(versionProcess(['sudo', '-n', 'nerdctl']), { file: 'sudo', args: ['-n', 'nerdctl', '--version'] });
    assert.deepEqual(versionProcess(['lima', 'nerdctl']), { file: 'lima', args: ['nerdctl', '--version'] });
    assert.equal(versionProcess([]), undefined);
  });

  it('reads what a program prints with exit 0, and nothing from one that fails or is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vscc-version-'));
    try {
      const script = (name: string, body: string): string => {
        const file = join(dir, name);
        writeFileSync(file, `#!/bin/sh\n${body}\n`);
        chmodSync(file, 0o755);
        return file;
      };
      // The version only when asked with --version, as the real one prints it.
      const real = script('nerdctl', '[ "$1" = "--version" ] && echo "nerdctl version 2.3.5" && exit 0; exit 9');
      assert.deepEqual(await readNerdctlVersion([real]), { major: 2, minor: 3, patch: 5 });
      assert.equal(await readNerdctlVersion([script('failing', 'echo "nerdctl version 2.3.5"; exit 1')]), undefined);
      assert.equal(await readNerdctlVersion([join(dir, 'absent')]), undefined);
      assert.equal(await readNerdctlVersion([]), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
