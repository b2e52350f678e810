// A task exit is followed by one more read of that namespace's tasks, in case containerd never
// sends the /tasks/delete (containerd 2.1 drops about 1 in 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExitRechecks } from '../../src/containerd/events/exitRecheck';
import { FakeTimers } from './fakeTimers';

function harness() {
  const timers = new FakeTimers();
  const reads: string[] = [];
  const rechecks = new ExitRechecks(timers, (address, namespace) => reads.push(`${address} ${namespace}`), 1500);
  return { timers, reads, rechecks };
}

describe('exit rechecks', () => {
  it('re-reads the namespace once, a moment after the exit', () => {
    const h = harness();
    h.rechecks.noteExit('/a.sock', 'default');
    h.timers.advance(1499);
    assert.deepEqual(h.reads, []);
    h.timers.advance(1);
    assert.deepEqual(h.reads, ['/a.sock default']);
    h.timers.advance(10_000);
    assert.deepEqual(h.reads, ['/a.sock default'], 'once only');
  });

  it('folds a burst of exits into one read per endpoint and namespace', () => {
    const h = harness();
    h.rechecks.noteExit('/a.sock', 'default');
    h.timers.advance(1000);
    h.rechecks.noteExit('/a.sock', 'default');
    h.rechecks.noteExit('/a.sock', 'k8s.io');
    h.rechecks.noteExit('/b.sock', 'default');
    h.timers.advance(1500);
    assert.deepEqual(h.reads.sort(), ['/a.sock default', '/a.sock k8s.io', '/b.sock default']);
  });

  it('forgets the rechecks of an endpoint whose feed went away, and all on dispose', () => {
    const h = harness();
    h.rechecks.noteExit('/a.sock', 'default');
    h.rechecks.noteExit('/b.sock', 'default');
    h.rechecks.forget('/a.sock');
    h.timers.advance(1500);
    assert.deepEqual(h.reads, ['/b.sock default']);
    h.rechecks.noteExit('/b.sock', 'x');
    h.rechecks.forget();
    h.timers.advance(1500);
    assert.equal(h.timers.pending, 0);
    assert.deepEqual(h.reads, ['/b.sock default']);
  });
});
