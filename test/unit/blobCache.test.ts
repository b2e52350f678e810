// The blob cache's bounds: documents bounded by their bytes, the least recently used dropped first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobCache, contentBlobSource } from '../../src/containerd/images/blobCache';
import { contentHandlers, FakeClient } from './fakeContent';

/** A JSON document of exactly `bytes` bytes, and its bytes. */
function documentOf(bytes: number, tag: string): Buffer {
  const text = JSON.stringify({ tag, pad: '' });
  return Buffer.from(JSON.stringify({ tag, pad: 'x'.repeat(bytes - text.length) }));
}

describe('BlobCache bound', () => {
  it('holds documents up to its byte bound and drops the least recently used first', async () => {
    // Four 1,000-byte documents in a 3,500-byte cache: one must go when the fourth arrives.
    const blobs = new Map(['a', 'b', 'c', 'd'].map((tag) => [`sha256:${tag}`, documentOf(1000, tag)]));
    const client = new FakeClient(contentHandlers(blobs, ['default']));
    const cache = new BlobCache({ maxBytes: 3500 });
    const source = contentBlobSource(client, 'default', cache);
    const reads = (): number => client.calls.filter((c) => c.startsWith('Content/Read')).length;
    for (const tag of ['a', 'b', 'c']) await source.json(`sha256:${tag}`, 1000);
    assert.equal(cache.documentBytes, 3000);
    // Touch the oldest: "b" becomes the least recently used.
    assert.equal(((await source.json('sha256:a', 1000)) as { tag: string }).tag, 'a');
    await source.json('sha256:d', 1000);
    assert.equal(cache.documentBytes, 3000);
    assert.equal(reads(), 4);
    assert.equal(cache.document('sha256:b'), undefined, 'the least recently used document should have gone');
    for (const tag of ['a', 'c', 'd']) assert.notEqual(cache.document(`sha256:${tag}`), undefined, `${tag} should have stayed`);
    // Those lookups used a, then c, then d: reading "b" again goes back to containerd and drops "a".
    await source.json('sha256:b', 1000);
    assert.equal(reads(), 5);
    assert.equal(cache.document('sha256:a'), undefined);
  });

  it('counts bytes, not entries: one large document displaces several small ones', () => {
    const cache = new BlobCache({ maxBytes: 1000 });
    for (const d of ['sha256:1', 'sha256:2', 'sha256:3']) cache.storeDocument(d, { d }, 100);
    cache.storeDocument('sha256:big', { big: true }, 850);
    assert.equal(cache.documentBytes, 950);
    assert.deepEqual(['sha256:1', 'sha256:2', 'sha256:3'].map((d) => cache.document(d) !== undefined), [false, false, true]);
    // A document larger than the whole bound is not kept (nor does it empty the cache).
    cache.storeDocument('sha256:huge', { huge: true }, 5000);
    assert.equal(cache.document('sha256:huge'), undefined);
    assert.notEqual(cache.document('sha256:big'), undefined);
  });
});
