// Event storms cost at most two loads per view, and hidden views none until shown or asked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReloadGate } from '../../src/model/reloadGate';

/** Loads the test finishes by hand, in order. */
function harness(visible = true) {
  const pending: (() => void)[] = [];
  let started = 0;
  let shown = visible;
  const gate = new ReloadGate<number>(() => {
    started += 1;
    const n = started;
    return new Promise<number>((resolve) => pending.push(() => resolve(n)));
  }, () => shown);
  const finishNext = async (): Promise<void> => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { gate, finishNext, started: () => started, running: () => pending.length, show: (v: boolean) => { shown = v; } };
}

describe('reload gate', () => {
  it('runs one load for a lone event', async () => {
    const h = harness();
    h.gate.request();
    assert.equal(h.started(), 1);
    await h.finishNext();
    assert.equal(h.started(), 1);
  });

  it('folds a storm of 1,000 events during a load into one more load', async () => {
    const h = harness();
    h.gate.request();
    for (let i = 0; i < 1000; i++) h.gate.request();
    assert.equal(h.started(), 1, 'nothing stacks while a load runs');
    await h.finishNext();
    assert.equal(h.started(), 2, 'the events that came meanwhile get one load');
    await h.finishNext();
    assert.equal(h.started(), 2);
    assert.equal(h.running(), 0);
  });

  it('loads nothing while hidden, and once when shown or asked', () => {
    const h = harness(false);
    for (let i = 0; i < 50; i++) h.gate.request();
    assert.equal(h.started(), 0);
    h.show(true);
    assert.equal(h.gate.takeStale(), true);
    assert.equal(h.gate.takeStale(), false, 'asking clears it');
  });

  it('starts a user\'s load at once even while one runs, and resolves each with its own rows', async () => {
    const h = harness();
    const first = h.gate.run();
    const second = h.gate.run();
    assert.equal(h.started(), 2);
    await h.finishNext();
    await h.finishNext();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  });
});
