// The read limiter's queue through a whole life: drained, refilled while reads wait, drained
// again, each read started in its turn and none lost; and which limits it accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadLimiter } from '../../src/containerd/images/readLimiter';

/** A read that ends when the test says so. */
function heldRead(started: string[], name: string): { read: () => Promise<string>; finish: () => void } {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  return { read: async () => { started.push(name); await done; return name; }, finish };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ReadLimiter queue', () => {
  it('starts waiting reads in arrival order, also those queued after the queue emptied and filled again', async () => {
    const limiter = new ReadLimiter(1);
    const started: string[] = [];
    const reads = new Map(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => [n, heldRead(started, n)]));
    const run = (n: string): Promise<string> => limiter.run(reads.get(n)?.read ?? (() => Promise.reject(new Error(n))));
    const finish = async (n: string): Promise<void> => { reads.get(n)?.finish(); await turn(); };
    const results = [run('a'), run('b'), run('c')];
    await turn();
    assert.deepEqual(started, ['a']);
    await finish('a');
    // b runs, c waits: one more joins behind c.
    results.push(run('d'));
    await finish('b');
    await finish('c');
    assert.deepEqual([started, limiter.inFlight], [['a', 'b', 'c', 'd'], 1]);
    await finish('d');
    assert.equal(limiter.inFlight, 0);
    // Empty again: the next read starts at once, and the one after it waits for it.
    results.push(run('e'), run('f'));
    await turn();
    assert.deepEqual([started.slice(4), limiter.inFlight], [['e'], 1]);
    await finish('e');
    assert.deepEqual([started.slice(4), limiter.inFlight], [['e', 'f'], 1]);
    await finish('f');
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual([started, limiter.inFlight], [['a', 'b', 'c', 'd', 'e', 'f'], 0]);
  });

  it('takes a limit of one or more whole reads, and refuses anything else', () => {
    assert.equal(new ReadLimiter(1).limit, 1);
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new ReadLimiter(bad), new RangeError(`a read limit must be a positive integer, not ${bad}`));
  });
});
