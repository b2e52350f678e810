// Image documents kept on disk between sessions, so a new window starts with them instead of
// reading every manifest and config again: the raw blob bytes, by sha256 digest, as records of ONE
// pack file in a folder of the extension's own (documentPack.ts has the format). One file because
// thousands of small ones cost thousands of open/fstat/read/close on the pool threads at start-up:
// the pack is read once, whole, and every get after that costs no I/O.
//
// A record is served only once its bytes hash to its digest (checked on first get: the documents
// of a start are not all asked for). What fails (a torn append, a disk error, tampering) is never
// served and makes the next write rewrite the pack without it. Writes append, one write per batch
// (the puts of a turn of the event loop, and those made while a write is in flight), with
// O_APPEND, so two windows sharing the global storage never interleave records; no fsync: a crash
// costs at most a torn tail, which the next load drops. Past the bound the newest records that fit
// in 3/4 of it are rewritten to a temporary file renamed over the pack (a reader never sees half).
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appendToPack, encodeRecord, packHeader, parsePack, readPack, recordOverhead, removeLeftovers, replacePack } from './documentPack';

export const packName = 'documents.pack';
/** Only sha256 digests, hex lower-case. */
const sha256Digest = /^sha256:([0-9a-f]{64})$/;

interface Entry { readonly bytes: Buffer; checked: boolean }
interface Batch { readonly records: Map<string, Buffer>; readonly written: Promise<void> }

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class BlobStore {
  readonly file: string;
  /** Records by hex digest, oldest written first (what the bound drops first). */
  private entries = new Map<string, Entry>();
  private loaded: Promise<void> | undefined;
  /** The pack's size as last read, appended to or rewritten. */
  private fileBytes = 0;
  /** The pack holds what must go (a bad record, a torn tail, a foreign header) or is not readable: rewrite it. */
  private needsRewrite = false;
  /** Puts not yet written, gathering until the write before them ends. */
  private queued: Batch | undefined;
  private lastWrite: Promise<unknown> = Promise.resolve();
  /** Puts queued or being written, by hex: a second put of the same blob waits for the first. */
  private readonly pending = new Map<string, Promise<boolean>>();
  private writeCount = 0;

  constructor(readonly folder: string, readonly maxBytes = 64 * 1024 * 1024) {
    this.file = join(folder, packName);
  }

  /** The blob's bytes, checked against its digest; undefined when absent, unreadable or corrupt. Never throws. */
  async get(digest: string): Promise<Buffer | undefined> {
    const hex = sha256Digest.exec(digest)?.[1];
    if (!hex) return undefined;
    await this.load();
    const entry = this.entries.get(hex);
    // A copy: the caller cannot change what a later get serves.
    return entry && this.trusted(hex, entry) ? Buffer.from(entry.bytes) : undefined;
  }

  /**
   * Keeps the blob if its bytes hash to its digest; resolves once written.
   * false when it was not kept (bad digest or bytes, too large, a failed write): never throws.
   */
  async put(digest: string, bytes: Buffer): Promise<boolean> {
    const hex = sha256Digest.exec(digest)?.[1];
    // Not a plain sha256 digest (hex undefined): no bytes hash to it.
    if (sha256Hex(bytes) !== hex || packHeader.length + recordOverhead + bytes.length > this.maxBytes) return false;
    // Copied before waiting: the bytes checked are the bytes kept, whatever the caller does with its buffer meanwhile.
    const copy = Buffer.from(bytes);
    await this.load();
    // Pending first: a blob whose write is in flight is in `entries` already.
    const pending = this.pending.get(hex);
    if (pending) return pending;
    const known = this.entries.get(hex);
    if (known && this.trusted(hex, known)) return true;
    // A failed write drops its records from `entries`, as a rewrite drops those past the bound.
    const kept = this.enqueue(hex, copy).then(() => this.entries.has(hex));
    this.pending.set(hex, kept);
    try {
      return await kept;
    } finally {
      this.pending.delete(hex);
    }
  }

  /** The pack's size as this store last saw it. */
  get bytes(): number {
    return this.fileBytes;
  }

  /** Writes to the pack so far (appends, creations and rewrites). */
  get writes(): number {
    return this.writeCount;
  }

  /** The documents the pack holds that would be served (each checked now). */
  async count(): Promise<number> {
    await this.load();
    for (const [hex, entry] of [...this.entries]) this.trusted(hex, entry);
    return this.entries.size;
  }

  private trusted(hex: string, entry: Entry): boolean {
    if (entry.checked) return true;
    if (sha256Hex(entry.bytes) === hex) {
      entry.checked = true;
      return true;
    }
    this.entries.delete(hex);
    this.needsRewrite = true;
    return false;
  }

  private load(): Promise<void> {
    this.loaded ??= readPack(this.file, 2 * this.maxBytes).then((file) => {
      if (file === 'absent') return;
      if (!file) {
        this.needsRewrite = true;
        return;
      }
      const { records, intact } = parsePack(file);
      this.fileBytes = file.length;
      if (!intact) this.needsRewrite = true;
      // Nothing is held before the load. A blob two windows appended at once is there twice: the last copy is kept.
      for (const { hex, bytes } of records) this.entries.set(hex, { bytes, checked: false });
    });
    return this.loaded;
  }

  private enqueue(hex: string, bytes: Buffer): Promise<void> {
    if (!this.queued) {
      const records = new Map<string, Buffer>();
      const written = this.lastWrite.then(nextTurn).then(() => {
        this.queued = undefined;
        return this.write(records);
      });
      this.queued = { records, written };
      this.lastWrite = written;
    }
    this.queued.records.set(hex, bytes);
    return this.queued.written;
  }

  /** One write for the batch: an append, or a rewrite when the pack must be cleaned or would pass the bound. */
  private async write(batch: Map<string, Buffer>): Promise<void> {
    const records = Buffer.concat([...batch].map(([hex, bytes]) => encodeRecord(hex, bytes)));
    for (const [hex, bytes] of batch) this.entries.set(hex, { bytes, checked: true });
    try {
      await mkdir(this.folder, { recursive: true });
      const appends = !this.needsRewrite && this.fileBytes + records.length <= this.maxBytes;
      if (appends) {
        this.fileBytes = await appendToPack(this.file, records);
        this.writeCount++;
      }
      // Other windows' appends may have taken the pack past the bound.
      if (!appends || this.fileBytes > this.maxBytes) await this.rewrite();
    } catch {
      for (const hex of batch.keys()) this.entries.delete(hex);
      // A failed append may have left a torn tail that would hide later appends.
      this.needsRewrite = true;
    }
  }

  /**
   * The pack again, records the other windows appended included, without bad records and within
   * the bound: the newest that fit, in 3/4 of it when they do not all fit.
   */
  private async rewrite(): Promise<void> {
    await removeLeftovers(this.folder);
    const onDisk = await readPack(this.file, 2 * this.maxBytes);
    const merged = new Map<string, Entry>();
    for (const { hex, bytes } of Buffer.isBuffer(onDisk) ? parsePack(onDisk).records : []) merged.set(hex, { bytes, checked: false });
    // This window's own entries (checked already) replace those, in place; the ones the pack lacks come after.
    for (const [hex, entry] of this.entries) merged.set(hex, entry);
    const all = [...merged];
    const wanted = all.reduce((sum, [, entry]) => sum + recordOverhead + entry.bytes.length, packHeader.length);
    const budget = wanted <= this.maxBytes ? this.maxBytes : Math.floor(this.maxBytes * 3 / 4);
    const kept: [string, Entry][] = [];
    let used = packHeader.length;
    for (let i = all.length - 1; i >= 0; i--) {
      const [hex, entry] = all[i];
      const size = recordOverhead + entry.bytes.length;
      // One that does not fit is left out, not every one older than it.
      if (used + size > budget) continue;
      if (!entry.checked && sha256Hex(entry.bytes) !== hex) continue;
      kept.push([hex, entry]);
      used += size;
    }
    kept.reverse();
    const file = Buffer.concat([packHeader, ...kept.map(([hex, entry]) => encodeRecord(hex, entry.bytes))]);
    await replacePack(this.file, file);
    this.writeCount++;
    // Views into the new file's buffer: the buffers read before are freed.
    this.entries = new Map(parsePack(file).records.map(({ hex, bytes }) => [hex, { bytes, checked: true }]));
    this.fileBytes = file.length;
    this.needsRewrite = false;
  }
}
