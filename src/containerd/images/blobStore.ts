// Image documents kept on disk between sessions, so a new window starts with them instead of
// reading every manifest and config again: the raw blob bytes, one file per sha256 digest, in a
// folder of the extension's own. A file is trusted only while its bytes hash to its name: what
// fails the check (a torn write, a disk error, tampering) is deleted and read from containerd
// again. The folder is bounded by bytes; the oldest written files go first.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReadLimiter } from './readLimiter';

/** Only sha256 digests, hex lower-case: the file name is the hex, so nothing else reaches the path. */
const sha256Digest = /^sha256:([0-9a-f]{64})$/;
const hexName = /^[0-9a-f]{64}$/;
const tempSuffix = '.tmp';

function hexOf(digest: string): string | undefined {
  return sha256Digest.exec(digest)?.[1];
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class BlobStore {
  /** Hex names on disk, read once (a missing file then costs no open). */
  private names: Promise<Set<string>> | undefined;
  /** Sizes by hex, oldest written first; read once, on the first write (what the bound needs). */
  private sizes: Promise<Map<string, number>> | undefined;
  private total = 0;
  /** Files open at once: thousands of documents are looked up together at start-up. */
  private readonly io = new ReadLimiter(16);

  constructor(readonly folder: string, readonly maxBytes = 64 * 1024 * 1024) {}

  /** The blob's bytes, checked against its digest; undefined when absent, unreadable or corrupt. */
  async get(digest: string): Promise<Buffer | undefined> {
    const hex = hexOf(digest);
    if (!hex || !(await this.knownNames()).has(hex)) return undefined;
    let bytes: Buffer;
    try {
      bytes = await this.io.run(() => readFile(join(this.folder, hex)));
    } catch {
      return undefined;
    }
    if (sha256Hex(bytes) === hex) return bytes;
    await this.remove(hex);
    return undefined;
  }

  /**
   * Keeps the blob if its bytes hash to its digest, then drops the oldest files past the bound.
   * false when it was not kept (bad digest or bytes, too large, a failed write): never throws.
   */
  async put(digest: string, bytes: Buffer): Promise<boolean> {
    const hex = hexOf(digest);
    if (!hex || bytes.length > this.maxBytes || sha256Hex(bytes) !== hex) return false;
    const [names, sizes] = await Promise.all([this.knownNames(), this.knownSizes()]);
    if (sizes.has(hex)) return true;
    // Claimed before the write, so a second put of the same blob meanwhile does nothing.
    sizes.set(hex, bytes.length);
    this.total += bytes.length;
    // Written aside and renamed: a reader never sees half a file under the real name.
    const temp = join(this.folder, `${hex}.${randomBytes(6).toString('hex')}${tempSuffix}`);
    try {
      await mkdir(this.folder, { recursive: true });
      await this.io.run(() => writeFile(temp, bytes));
      await rename(temp, join(this.folder, hex));
      names.add(hex);
    } catch {
      sizes.delete(hex);
      this.total -= bytes.length;
      await unlink(temp).catch(() => undefined);
      return false;
    }
    await this.evict(sizes);
    return true;
  }

  /** The bytes the folder holds (once a write has read the sizes). */
  get bytes(): number {
    return this.total;
  }

  private knownNames(): Promise<Set<string>> {
    this.names ??= readdir(this.folder).then(
      (entries) => new Set(entries.filter((name) => hexName.test(name))),
      () => new Set<string>(),
    );
    return this.names;
  }

  private knownSizes(): Promise<Map<string, number>> {
    this.sizes ??= this.readSizes();
    return this.sizes;
  }

  private async readSizes(): Promise<Map<string, number>> {
    const entries = await readdir(this.folder).catch(() => [] as string[]);
    // A write torn by a crash leaves its temp file: nothing else would remove it.
    await Promise.all(entries.filter((name) => name.endsWith(tempSuffix)).map((name) => unlink(join(this.folder, name)).catch(() => undefined)));
    const files: { name: string; size: number; mtimeMs: number }[] = [];
    await Promise.all(entries.filter((name) => hexName.test(name)).map(async (name) => {
      const info = await this.io.run(() => stat(join(this.folder, name))).catch(() => undefined);
      if (info) files.push({ name, size: info.size, mtimeMs: info.mtimeMs });
    }));
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    this.total = files.reduce((sum, f) => sum + f.size, 0);
    return new Map(files.map((f) => [f.name, f.size]));
  }

  private async evict(sizes: Map<string, number>): Promise<void> {
    for (const [hex] of sizes) {
      if (this.total <= this.maxBytes) return;
      await this.remove(hex);
    }
  }

  private async remove(hex: string): Promise<void> {
    (await this.knownNames()).delete(hex);
    const sizes = this.sizes && await this.sizes;
    const size = sizes?.get(hex);
    if (sizes && size !== undefined) {
      sizes.delete(hex);
      this.total -= size;
    }
    await unlink(join(this.folder, hex)).catch(() => undefined);
  }
}
