// The queue that reads files named by container metadata: one fs call at a time, a time limit
// per caller, and nothing queued behind a call that never comes back (a dead NFS mount).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Timers } from '../../src/containerd/connection/backoff';
import { readRegularFile, SerialFileReads } from '../../src/nerdctl/serialFileReads';
import { nerdctlDataRoots } from '../../src/nerdctl/stateDir';

/** Timers that fire only when the test says so. */
function manualTimers(): Timers & { fireAll(): void } {
  const pending = new Set<() => void>();
  return {
    now: () => 0,
    schedule: (callback) => {
      pending.add(callback);
      return () => pending.delete(callback);
    },
    fireAll: () => {
      const due = [...pending];
      pending.clear();
      for (const callback of due) callback();
    },
  };
}

/** A read the test finishes by hand, recording which paths were asked for and how many ran at once. */
function handReads(): { read: (path: string) => Promise<string | undefined>; asked: string[]; finish(text: string): void; mostAtOnce: number } {
  const waiting: ((text: string) => void)[] = [];
  const state = {
    asked: [] as string[],
    mostAtOnce: 0,
    read: (path: string): Promise<string | undefined> => {
      state.asked.push(path);
      return new Promise((resolve) => {
        waiting.push(resolve);
        state.mostAtOnce = Math.max(state.mostAtOnce, waiting.length);
      });
    },
    finish: (text: string) => waiting.shift()?.(text),
  };
  return state;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SerialFileReads', () => {
  it('runs one read at a time, in order', async () => {
    const hand = handReads();
    const reads = new SerialFileReads({ read: hand.read, timers: manualTimers() });
    const first = reads.read('/a');
    const second = reads.read('/b');
    await tick();
    assert.deepEqual(hand.asked, ['/a']);
    hand.finish('A');
    assert.equal(await first, 'A');
    await tick();
    hand.finish('B');
    assert.equal(await second, 'B');
    assert.equal(hand.mostAtOnce, 1);
  });

  it('gives up on a read that does not come back, and queues nothing behind it until it does', async () => {
    const hand = handReads();
    const timers = manualTimers();
    const reads = new SerialFileReads({ read: hand.read, timers });
    const stuck = reads.read('/nfs/dead');
    const queued = reads.read('/queued');
    await tick();
    timers.fireAll();
    assert.equal(await stuck, undefined);
    assert.equal(await queued, undefined);
    assert.equal(await reads.read('/while-stuck'), undefined);
    hand.finish('late');
    await tick();
    const after = reads.read('/after');
    await tick();
    // The queued and while-stuck reads never touched the disk; the thread is free again now.
    assert.deepEqual(hand.asked, ['/nfs/dead', '/after']);
    hand.finish('fresh');
    assert.equal(await after, 'fresh');
  });
});

describe('readRegularFile', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-reads-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads a small regular file and nothing else', { timeout: 5_000 }, async () => {
    const small = join(scratch, 'small.json');
    writeFileSync(small, '{"a":1}');
    assert.equal(await readRegularFile(small, 1024), '{"a":1}');
    assert.equal(await readRegularFile(small, 3), undefined);
    const fifo = join(scratch, 'fifo');
    execFileSync('mkfifo', [fifo]);
    assert.equal(await readRegularFile(fifo, 1024), undefined);
    assert.equal(await readRegularFile('/dev/zero', 1024), undefined);
    const link = join(scratch, 'zero');
    symlinkSync('/dev/zero', link);
    await assert.rejects(readRegularFile(link, 1024), { code: 'ELOOP' });
  });
});

describe('nerdctlDataRoots', () => {
  it('lists the rootful, rootless and configured roots, absolute only', () => {
    assert.deepEqual(nerdctlDataRoots({}, '/home/u'), ['/var/lib/nerdctl', '/home/u/.local/share/nerdctl']);
    assert.deepEqual(nerdctlDataRoots({ XDG_DATA_HOME: '/xdg/' }, '/home/u', '/srv/nerdctl/'),
      ['/var/lib/nerdctl', '/xdg/nerdctl', '/home/u/.local/share/nerdctl', '/srv/nerdctl']);
    assert.deepEqual(nerdctlDataRoots({ XDG_DATA_HOME: 'relative' }, '/home/u', 'also-relative'), ['/var/lib/nerdctl', '/home/u/.local/share/nerdctl']);
  });
});
