// A handful of cached reads settles long before a slice is over: mapLimit hands the results back
// in the same turn of the event loop instead of waiting for the next one (a view's rows come at once).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapLimit } from '../../src/model/mapLimit';

describe('mapLimit on quick work', () => {
  it('finishes work that settles in microtasks without waiting for the event loop', async () => {
    let loopTurned = false;
    const immediate = setImmediate(() => { loopTurned = true; });
    const results = await mapLimit([1, 2, 3, 4], 2, (n) => Promise.resolve(n * 2));
    const turnedMeanwhile = loopTurned;
    clearImmediate(immediate);
    assert.deepEqual(results, [2, 4, 6, 8]);
    assert.equal(turnedMeanwhile, false, 'four cached results waited for a turn of the loop');
  });
});
