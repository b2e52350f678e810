// Reconnect pacing with options other than the defaults, and node's own timers behind Timers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, systemTimers } from '../../src/containerd/connection/backoff';

describe('Backoff with its own options', () => {
  it('grows by its factor from its first delay up to its ceiling', () => {
    const backoff = new Backoff({ initialMs: 100, factor: 3, maxMs: 1_000, jitter: 0 });
    assert.deepEqual(Array.from({ length: 5 }, () => backoff.next()), [100, 300, 900, 1_000, 1_000]);
  });

  it('never waits less than nothing, however wide the spread', () => {
    const backoff = new Backoff({ jitter: 2, random: () => 0 });
    assert.deepEqual([backoff.next(), backoff.next()], [0, 0]);
  });
});

describe('systemTimers', () => {
  it('runs a callback after its delay on the real clock, and a cancelled one never', async () => {
    const started = systemTimers.now();
    assert.ok(Math.abs(started - Date.now()) <= 1);
    const ran: string[] = [];
    const cancel = systemTimers.schedule(() => ran.push('cancelled'), 10);
    cancel();
    cancel();
    await new Promise<void>((resolve) => systemTimers.schedule(() => {
      ran.push('due');
      resolve();
    }, 30));
    assert.ok(systemTimers.now() - started >= 29, 'ran before its delay');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(ran, ['due']);
  });
});
