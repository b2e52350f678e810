// A read that was forgotten (an event made it stale) and then fails must not take the newer read
// of the same namespace with it; forgetting an endpoint nothing was read from is harmless.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeptReads } from '../../src/model/keptReads';

describe('KeptReads with stale reads', () => {
  it('keeps the newer read when a forgotten one fails afterwards', async () => {
    const kept = new KeptReads<string>();
    let failOld = (): void => undefined;
    const old = kept.get('/a.sock', 'default', () => new Promise<string>((_resolve, reject) => { failOld = () => reject(new Error('daemon went away')); }));
    kept.forget('/a.sock', new Set(['default']));
    let reads = 0;
    const fresh = kept.get('/a.sock', 'default', () => Promise.resolve(`rows ${++reads}`));
    failOld();
    await assert.rejects(old, /daemon went away/);
    assert.equal(await kept.get('/a.sock', 'default', () => Promise.resolve(`rows ${++reads}`)), 'rows 1', 'the newer read is still kept');
    assert.equal(kept.peek('/a.sock', 'default'), fresh);
    assert.equal(reads, 1);
  });

  it('forgets namespaces of an endpoint it never read from without complaint', () => {
    const kept = new KeptReads<number>();
    assert.doesNotThrow(() => kept.forget('/never-read.sock', new Set(['default', 'k8s.io'])));
    assert.equal(kept.peek('/never-read.sock', 'default'), undefined);
  });
});
