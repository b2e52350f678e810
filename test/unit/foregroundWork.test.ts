import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForegroundWork } from '../../src/model/foregroundWork';
import { FakeTimers } from './fakeTimers';

/** Whether the promise settled by now (after the microtasks queued so far). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ForegroundWork', () => {
  it('lets background work start at once when nothing holds the foreground', async () => {
    const work = new ForegroundWork(new FakeTimers());
    assert.equal(await settled(work.idle()), true);
  });

  it('keeps background work waiting until every hold and tracked load is over', async () => {
    const timers = new FakeTimers();
    const work = new ForegroundWork(timers);
    const releaseView = work.hold(5_000);
    let finishLoad = (): void => undefined;
    void work.track(new Promise<void>((resolve) => { finishLoad = resolve; }));
    const idle = work.idle();
    releaseView();
    releaseView();
    assert.equal(await settled(idle), false, 'a load still runs (and a second release changes nothing)');
    finishLoad();
    assert.equal(await settled(idle), true);
    assert.equal(await settled(work.idle()), true, 'nothing holds it any more');
  });

  it('counts a failed load as over', async () => {
    const work = new ForegroundWork(new FakeTimers());
    const failing = work.track(Promise.reject(new Error('unreachable')));
    await assert.rejects(failing, /unreachable/, 'the load is handed back as it was');
    assert.equal(await settled(work.idle()), true);
  });

  it('lets a hold lapse after its time, so rows that never come do not block the counts', async () => {
    const timers = new FakeTimers();
    const work = new ForegroundWork(timers);
    work.hold(5_000);
    const idle = work.idle();
    timers.advance(4_999);
    assert.equal(await settled(idle), false);
    timers.advance(1);
    assert.equal(await settled(idle), true);
    assert.equal(timers.pending, 0);
  });
});
