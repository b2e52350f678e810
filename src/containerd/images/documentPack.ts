// The image-document pack (see blobStore.ts) as a file: its format and the writes that keep it
// whole for every reader, this window's or another's sharing the folder. The format: an 8-byte
// header (a magic word and a version byte), then records, each the raw 32-byte sha256 digest, the
// length as a 4-byte big-endian unsigned integer, and the blob's bytes. Nothing here checks a
// digest against its bytes: the store does, when it first serves or rewrites a record.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readRegularBytes } from '../regularFiles';
import { ReadLimiter } from './readLimiter';

/** "ctrdocs" and version 1: a file that does not start with it is not a pack this code wrote. */
export const packHeader = Buffer.from('ctrdocs\u0001', 'latin1');
/** Digest and length: what a record costs beyond its blob's bytes. */
export const recordOverhead = 36;

export interface PackRecord {
  readonly hex: string;
  /** A view into the parsed buffer, no copy. */
  readonly bytes: Buffer;
}

export interface ParsedPack {
  /** In file order: oldest written first. */
  readonly records: PackRecord[];
  /** false: a foreign or missing header, or a torn or garbage tail where parsing stopped. */
  readonly intact: boolean;
}

export function encodeRecord(hex: string, bytes: Buffer): Buffer {
  const record = Buffer.allocUnsafe(recordOverhead + bytes.length);
  record.write(hex, 0, 32, 'hex');
  record.writeUInt32BE(bytes.length, 32);
  bytes.copy(record, recordOverhead);
  return record;
}

/** The records up to the first that does not fit in what is left of the file (a crash mid-append). */
export function parsePack(file: Buffer): ParsedPack {
  // A file shorter than the header has a shorter start, which is not the header either.
  if (!file.subarray(0, packHeader.length).equals(packHeader)) return { records: [], intact: false };
  const records: PackRecord[] = [];
  let offset = packHeader.length;
  while (offset + recordOverhead <= file.length) {
    const length = file.readUInt32BE(offset + 32);
    const end = offset + recordOverhead + length;
    if (end > file.length) break;
    records.push({ hex: file.toString('hex', offset, offset + 32), bytes: file.subarray(offset + recordOverhead, end) });
    offset = end;
  }
  return { records, intact: offset === file.length };
}

/** The files of the store that kept one file per digest (and its temporary files): removed. */
const perDigestName = /^[0-9a-f]{64}(\.[0-9a-f]{12}\.tmp)?$/;
/** A temporary file this old was left by a crash, not by a write in progress in another window. */
const staleTempMs = 60_000;

const errorCode = (error: unknown): unknown => (error as NodeJS.ErrnoException).code;

/** The whole pack; 'absent' when there is none, undefined when it cannot be read or is not a regular file within maxBytes. */
export function readPack(file: string, maxBytes: number): Promise<Buffer | 'absent' | undefined> {
  return readRegularBytes(file, maxBytes).catch((error) => errorCode(error) === 'ENOENT' ? 'absent' as const : undefined);
}

/**
 * Appends the records in one write (O_APPEND: another window's records never land inside them),
 * making the pack first when there is none; the pack's size after it.
 */
export async function appendToPack(file: string, records: Buffer, mayCreate = true): Promise<number> {
  const handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error) => {
    if (mayCreate && errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return createPack(file, records);
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${file} is not a regular file`);
    // Split, the rest would not land next to the first part: a short write is a torn tail.
    const { bytesWritten } = await handle.write(records);
    if (bytesWritten !== records.length) throw new Error(`a short write to ${file}`);
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/**
 * A new pack, made whole aside and linked into place: if another window made one meanwhile, append
 * to it. The folder's first pack: the files of the store before it go then.
 */
async function createPack(file: string, records: Buffer): Promise<number> {
  await removeLeftovers(dirname(file));
  const whole = Buffer.concat([packHeader, records]);
  const temp = await writeTemp(file, whole);
  try {
    await link(temp, file);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return appendToPack(file, records, false);
    // A file system without hard links: a rename, which a racing creation's records may lose to.
    await rename(temp, file);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return whole.length;
}

/** Replaces the pack by a whole new one: written aside and renamed, so a reader never sees half. */
export async function replacePack(file: string, whole: Buffer): Promise<void> {
  const temp = await writeTemp(file, whole);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function writeTemp(file: string, bytes: Buffer): Promise<string> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return temp;
}

/** The per-digest files of the store before the pack, and temporary files a crash left. */
export async function removeLeftovers(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const now = Date.now();
  // Two at a time: thousands of unlinks at once would take every pool thread of the host.
  const io = new ReadLimiter(2);
  await Promise.all(names.map((name) => io.run(async () => {
    const path = join(folder, name);
    const stale = perDigestName.test(name) || (name.endsWith('.tmp') && now - (await stat(path)).mtimeMs > staleTempMs);
    if (stale) await unlink(path);
  }).catch(() => undefined)));
}
