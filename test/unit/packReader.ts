// The pack file as the tests read it, written from the format's description (documentPack.ts's
// header comment), not with its parser: an 8-byte header "ctrdocs" + version 1, then records of a
// raw 32-byte sha256, a 4-byte big-endian length and the bytes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { digestOf } from './imagesFixtures';

export const blob = (text: string): { digest: string; bytes: Buffer } => ({ digest: digestOf(text), bytes: Buffer.from(text) });
export const packIn = (folder: string): string => join(folder, 'documents.pack');

interface Record { readonly digest: string; readonly start: number; readonly end: number }

/** The pack's records, asserting that it is whole: the header, then records up to its last byte. */
export function recordsIn(file: string): Record[] {
  const bytes = readFileSync(file);
  assert.equal(bytes.toString('latin1', 0, 8), 'ctrdocs\u0001', 'the pack starts with its header');
  const records: Record[] = [];
  for (let at = 8; at < bytes.length;) {
    const start = at + 36;
    const end = start + bytes.readUInt32BE(at + 32);
    assert.ok(end <= bytes.length, `the record at ${at} ends inside the file`);
    records.push({ digest: `sha256:${bytes.toString('hex', at, at + 32)}`, start, end });
    at = end;
  }
  return records;
}

export const digestsIn = (file: string): string[] => recordsIn(file).map((r) => r.digest);

/** Changes one byte of the blob bytes of the record for `digest`. */
export function flipByteOf(file: string, digest: string): void {
  const record = recordsIn(file).find((r) => r.digest === digest);
  assert.ok(record, `the pack holds ${digest}`);
  const bytes = readFileSync(file);
  bytes[record.start + 3] ^= 0x20;
  writeFileSync(file, bytes);
}

/** A fresh `documents` folder (not yet made) in a temp directory, per test. */
export function scratchFolders(): { readonly folder: string } {
  const current = { folder: '' };
  beforeEach(() => { current.folder = join(mkdtempSync(join(tmpdir(), 'vscc-blobstore-')), 'documents'); });
  afterEach(() => rmSync(join(current.folder, '..'), { recursive: true, force: true }));
  return current;
}
