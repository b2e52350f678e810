// A lone event reloads at once; a storm of any length costs a few loads; hidden views none until
// shown or asked. Driven on a hand-moved clock, with loads the test finishes by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReloadGate } from '../../src/model/reloadGate';
import { FakeTimers } from './fakeTimers';

function harness(visible = true) {
  const timers = new FakeTimers();
  const pending: (() => void)[] = [];
  const startedAt: number[] = [];
  let shown = visible;
  const gate = new ReloadGate<number>(() => {
    startedAt.push(timers.now());
    const n = startedAt.length;
    return new Promise<number>((resolve) => pending.push(() => resolve(n)));
  }, () => shown, { timers, minGapMs: 100, maxGapMs: 2000 });
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  /** Finishes the running load after `ms` of work. */
  const finish = async (ms = 0): Promise<void> => {
    timers.advance(ms);
    pending.shift()?.();
    await settle();
  };
  return { gate, timers, finish, settle, started: () => startedAt.length, startedAt, running: () => pending.length, show: (v: boolean) => { shown = v; } };
}

describe('reload gate', () => {
  it('loads at once for a lone event, and again at once for the next lone one', async () => {
    const h = harness();
    h.gate.request();
    assert.equal(h.started(), 1);
    await h.finish(30);
    h.timers.advance(5_000);
    h.gate.request();
    assert.equal(h.started(), 2, 'after a quiet spell an event is not held back');
  });

  it('folds 1,000 events during a load into one more load, after a short gap', async () => {
    const h = harness();
    h.gate.request();
    for (let i = 0; i < 1000; i++) h.gate.request();
    assert.equal(h.started(), 1, 'nothing stacks while a load runs');
    await h.finish(30);
    assert.equal(h.started(), 1, 'the next load waits its gap');
    h.timers.advance(100);
    assert.equal(h.started(), 2);
    await h.finish(30);
    assert.equal(h.started(), 2, 'no event came since: no load');
  });

  it('costs a few loads for a storm of 10 s, however fast the events come', async () => {
    const h = harness();
    for (let t = 0; t < 10_000; t += 10) {
      h.gate.request();
      h.timers.advance(10);
      // Each load takes 40 ms of the storm's time.
      if (h.running() > 0 && h.timers.now() - (h.startedAt.at(-1) ?? 0) >= 40) await h.finish();
    }
    assert.ok(h.started() <= 12, `${h.started()} loads for a 10 s storm`);
    assert.ok(h.started() >= 5, 'the view still follows the storm');
    const gaps = h.startedAt.slice(1).map((at, i) => at - (h.startedAt[i] ?? 0));
    assert.ok(gaps.every((gap, i) => i === 0 || gap >= (gaps[i - 1] ?? 0) || gap >= 2000), `gaps grow to 2 s: ${gaps.join(', ')}`);
  });

  it('loads nothing while hidden, and once when shown or asked', () => {
    const h = harness(false);
    for (let i = 0; i < 50; i++) h.gate.request();
    assert.equal(h.started(), 0);
    h.show(true);
    assert.equal(h.gate.takeStale(), true);
    assert.equal(h.gate.takeStale(), false, 'asking clears it');
  });

  it('starts a user\'s load at once even while one runs or waits, and resolves each with its own rows', async () => {
    const h = harness();
    const first = h.gate.run();
    const second = h.gate.run();
    assert.equal(h.started(), 2);
    await h.finish();
    await h.finish();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    h.gate.request();
    h.gate.request();
    assert.equal(h.started(), 2, 'an event right after waits its gap');
    void h.gate.run();
    assert.equal(h.started(), 3, 'the user does not wait');
    h.timers.advance(5_000);
    await h.settle();
    assert.equal(h.started(), 3, 'the waiting event load was folded into the user\'s');
  });
});
