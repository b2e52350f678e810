// The foreground is held and released again and again (every restart of a view, every reload):
// background work waiting for a later round is woken just like the first round's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForegroundWork } from '../../src/model/foregroundWork';
import { FakeTimers } from './fakeTimers';

async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ForegroundWork over several rounds', () => {
  it('wakes the background work of each round once its holds are released', async () => {
    const work = new ForegroundWork(new FakeTimers());
    for (let round = 1; round <= 3; round++) {
      const release = work.hold(5_000);
      const idle = work.idle();
      assert.equal(await settled(idle), false, `round ${round}: held`);
      release();
      assert.equal(await settled(idle), true, `round ${round}: released`);
    }
  });
});
