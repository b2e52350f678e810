import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeptReads } from '../../src/model/keptReads';

describe('KeptReads', () => {
  it('keeps a read per endpoint and namespace until it is forgotten', async () => {
    const kept = new KeptReads<number>();
    let reads = 0;
    const read = (): Promise<number> => Promise.resolve(++reads);
    assert.equal(await kept.get('/a#1.sock', 'default', read), 1);
    assert.equal(await kept.get('/a#1.sock', 'default', read), 1);
    assert.equal(await kept.get('/a#1.sock', 'k8s.io', read), 2);
    assert.equal(await kept.get('/b.sock', 'default', read), 3);
    kept.forget('/a#1.sock', new Set(['default']));
    assert.equal(await kept.get('/a#1.sock', 'default', read), 4);
    assert.equal(await kept.get('/a#1.sock', 'k8s.io', read), 2, 'another namespace stays kept');
    kept.forget('/a#1.sock', 'all');
    assert.equal(await kept.get('/a#1.sock', 'k8s.io', read), 5);
    assert.equal(await kept.get('/b.sock', 'default', read), 3, 'another endpoint stays kept');
  });

  it('does not keep a failed read', async () => {
    const kept = new KeptReads<number>();
    await assert.rejects(kept.get('/a.sock', 'default', () => Promise.reject(new Error('down'))), /down/);
    assert.equal(await kept.get('/a.sock', 'default', () => Promise.resolve(7)), 7);
  });

  it('peeks at a kept read without starting one', async () => {
    const kept = new KeptReads<number>();
    assert.equal(kept.peek('/a.sock', 'default'), undefined);
    const read = kept.get('/a.sock', 'default', () => Promise.resolve(1));
    assert.equal(kept.peek('/a.sock', 'default'), read);
    kept.forget('/a.sock', new Set(['default']));
    assert.equal(kept.peek('/a.sock', 'default'), undefined);
    assert.equal(await read, 1);
  });
});
