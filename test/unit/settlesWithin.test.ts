import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settlesWithin } from '../../src/model/settlesWithin';
import { FakeTimers } from './fakeTimers';

/** A promise settled by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve = (): void => undefined;
  let reject = (_error: Error): void => undefined;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('settlesWithin', () => {
  it('is true for work that finishes in time, and cancels its timer', async () => {
    const timers = new FakeTimers();
    const work = deferred();
    const answer = settlesWithin(work.promise, 150, timers);
    timers.advance(149);
    work.resolve();
    assert.equal(await answer, true);
    assert.equal(timers.pending, 0, 'no timer is left behind');
  });

  it('is false once the time passes first, and the work finishing later changes nothing', async () => {
    const timers = new FakeTimers();
    const work = deferred();
    const answer = settlesWithin(work.promise, 150, timers);
    timers.advance(150);
    work.resolve();
    assert.equal(await answer, false);
  });

  it('counts a failure in time as settled, and never rejects', async () => {
    const timers = new FakeTimers();
    const work = deferred();
    const answer = settlesWithin(work.promise, 150, timers);
    work.reject(new Error('gone'));
    assert.equal(await answer, true);
  });
});
