// proto3 defaults read as "nothing": a Timestamp at the Unix epoch (what an unset field decodes
// to) is no date, and an absent int64 (an image without a target) is 0 bytes, not NaN.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longToNumber, protoDate } from '../../src/containerd/connection/api';

describe('proto3 defaults', () => {
  it('reads the epoch as no date, and the first second after it as a date', () => {
    assert.equal(protoDate({ seconds: 0, nanos: 0 }), undefined);
    assert.equal(protoDate({ seconds: 1, nanos: 500_000_000 })?.toISOString(), '1970-01-01T00:00:01.500Z');
  });

  it('reads an absent or null int64 as 0, and a written-out one as its number', () => {
    assert.equal(longToNumber(undefined), 0);
    assert.equal(longToNumber(null), 0);
    assert.equal(longToNumber('9007199254740991'), 9007199254740991);
  });
});
