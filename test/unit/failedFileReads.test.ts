// A file read that fails (permission denied, the file gone) answers at once, without waiting for
// the time limit, and the reads queued behind it go on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialFileReads } from '../../src/nerdctl/serialFileReads';
import { FakeTimers } from './fakeTimers';

/** What a promise has settled to once pending I/O callbacks had their turn, or 'pending'. */
const soon = <T>(promise: Promise<T>): Promise<{ value: T } | 'pending'> =>
  Promise.race([promise.then((value) => ({ value })), new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);

describe('a failing file read', () => {
  it('answers undefined before its time limit, and the next read runs', async () => {
    const timers = new FakeTimers(); // never advanced: no time limit is ever reached
    const reads = new SerialFileReads({
      timers,
      read: (path) => (path === '/denied' ? Promise.reject(new Error(`EACCES: permission denied, open '${path}'`)) : Promise.resolve('{}')),
    });
    const denied = reads.read('/denied');
    const next = reads.read('/ok');
    assert.deepEqual(await soon(denied), { value: undefined });
    assert.deepEqual(await soon(next), { value: '{}' });
  });
});
