import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapLimit } from '../../src/model/mapLimit';

/** Keeps the thread for `ms`, as parsing a cached document does. */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* working */ }
}

describe('mapLimit', () => {
  it('keeps the input order and never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30]);
    assert.equal(most, 2);
  });

  it('lets the event loop turn during work that settles in microtasks (cached reads)', async () => {
    let done = 0;
    let doneWhenLoopTurned: number | undefined;
    setImmediate(() => { doneWhenLoopTurned = done; });
    await mapLimit(Array.from({ length: 200 }, (_, i) => i), 32, (i) => {
      busy(1);
      done++;
      return Promise.resolve(i);
    });
    assert.ok(doneWhenLoopTurned !== undefined && doneWhenLoopTurned < 200,
      `the loop turned only after all 200 items (${String(doneWhenLoopTurned)}): gRPC replies would wait for the whole map`);
  });
});
