import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, formatBytes, shortDigest } from '../../src/model/format';

describe('format', () => {
  it('prints sizes in binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(2 * 1024 * 1024 + 1), '2.0 MiB');
    assert.equal(formatBytes(300 * 1024 * 1024), '300 MiB');
    assert.equal(formatBytes(undefined), '?');
  });

  it('switches unit at exactly 1024, drops the decimal from 100 up, and stops at TiB', () => {
    assert.equal(formatBytes(1024), '1.0 KiB');
    assert.equal(formatBytes(99.94 * 1024), '99.9 KiB');
    assert.equal(formatBytes(100 * 1024), '100 KiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
    assert.equal(formatBytes(2 * 1024 ** 4), '2.0 TiB');
    assert.equal(formatBytes(2048 * 1024 ** 4), '2048 TiB');
  });

  it('prints ? for a size that is not a number', () => {
    assert.equal(formatBytes(Number.NaN), '?');
    assert.equal(formatBytes(Number.POSITIVE_INFINITY), '?');
  });

  it('shortens digests to 12 hex digits', () => {
    assert.equal(shortDigest('sha256:870390426b48aa0c7b1f5e1b9a1ab2c9d02ce83ac8e13e1ce5c1e3e6b1e3b7c1'), '870390426b48');
    assert.equal(shortDigest('abcdef0123456789'), 'abcdef012345');
  });

  it('says how long ago', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    assert.equal(formatAge(new Date('2026-11-22T09:59:59Z'), now), 'just now');
    assert.equal(formatAge(new Date('2026-11-22T09:59:30Z'), now), '30 seconds ago');
    assert.equal(formatAge(new Date('2026-11-22T09:57:00Z'), now), '3 minutes ago');
    assert.equal(formatAge(new Date('2026-11-22T09:00:00Z'), now), '1 hour ago');
    assert.equal(formatAge(new Date('2026-11-19T10:00:00Z'), now), '3 days ago');
    assert.equal(formatAge(new Date('2026-09-22T10:00:00Z'), now), '2 months ago');
    assert.equal(formatAge(new Date('2024-11-22T10:00:00Z'), now), '2 years ago');
    assert.equal(formatAge(undefined, now), '');
  });
});
