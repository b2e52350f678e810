// The reload gate from a view's creation to its disposal: nothing stale before any event, one load
// per user reload, an event exactly one gap after the last load counts as lone, a superseded
// load's end does not free the gate while the newer one runs, and disposal drops a waiting load.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReloadGate } from '../../src/model/reloadGate';
import { FakeTimers } from './fakeTimers';

function harness() {
  const timers = new FakeTimers();
  const pending: (() => void)[] = [];
  let started = 0;
  const gate = new ReloadGate<number>(() => {
    started++;
    const n = started;
    return new Promise<number>((resolve) => pending.push(() => resolve(n)));
  }, () => true, { timers, minGapMs: 100, maxGapMs: 2000 });
  /** Finishes the oldest running load and lets its handlers run. */
  const finishOldest = async (): Promise<void> => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { gate, timers, finishOldest, started: () => started };
}

describe('reload gate lifecycle', () => {
  it('has nothing stale before any event came', () => {
    assert.equal(new ReloadGate(() => Promise.resolve(0), () => true).takeStale(), false);
  });

  it('loads at once with its default timing when no options are given', async () => {
    let loads = 0;
    const gate = new ReloadGate(() => Promise.resolve(++loads), () => true);
    gate.request();
    assert.equal(loads, 1);
    await new Promise((resolve) => setImmediate(resolve));
    gate.request();
    assert.equal(loads, 1, 'the next event waits its gap (100 ms by default)');
    gate.dispose();
  });

  it('loads once for a user\'s reload when no event comes', async () => {
    const h = harness();
    void h.gate.run();
    await h.finishOldest();
    h.timers.advance(10_000);
    assert.equal(h.started(), 1);
  });

  it('loads once for a lone event when no other comes', async () => {
    const h = harness();
    h.gate.request();
    await h.finishOldest();
    h.timers.advance(10_000);
    assert.equal(h.started(), 1);
  });

  it('takes an event exactly one gap after the last load for a lone one: it loads at once', async () => {
    const h = harness();
    h.gate.request();
    await h.finishOldest();
    h.timers.advance(100);
    h.gate.request();
    assert.equal(h.started(), 2);
  });

  it('runs no event load while the user\'s newest load runs, though an older one ended', async () => {
    const h = harness();
    void h.gate.run();
    void h.gate.run();
    await h.finishOldest();
    h.gate.request();
    h.timers.advance(5_000);
    assert.equal(h.started(), 2, 'the event waits for the running load');
    await h.finishOldest();
    h.timers.advance(5_000);
    assert.equal(h.started(), 3, 'then it loads');
  });

  it('drops a waiting load when disposed, and disposes twice or unused without harm', async () => {
    const h = harness();
    h.gate.request();
    await h.finishOldest();
    h.gate.request();
    assert.equal(h.started(), 1, 'the event waits its gap');
    h.gate.dispose();
    h.timers.advance(10_000);
    assert.equal(h.started(), 1);
    assert.equal(h.timers.pending, 0);
    assert.doesNotThrow(() => h.gate.dispose());
    assert.doesNotThrow(() => harness().gate.dispose());
  });
});
