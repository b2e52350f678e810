// A layer's tar read entry by entry with node-tar's parser, fed from any chunk source (the
// content store's stream after decompression). Listing keeps the headers and skips the data;
// reading one file keeps only that file's bytes. node-tar is required on first use, like grpc-js:
// nothing needs it until a user opens an image's files.
import type { Parser as TarParser, ReadEntry } from 'tar';
import { safeEntryPath, type EntryKind, type LayerEntry } from './layerEntry';

/** A hostile layer of endless tiny entries is refused before its listing fills the memory. */
export const maxLayerEntries = 2_000_000;

const kinds: Readonly<Record<string, EntryKind>> = {
  File: 'file', OldFile: 'file', ContiguousFile: 'file', SparseFile: 'file',
  Link: 'hardlink', SymbolicLink: 'symlink', Directory: 'dir', GNUDumpDir: 'dir',
  CharacterDevice: 'char', BlockDevice: 'block', FIFO: 'fifo',
};

export class LayerFormatError extends Error {}

function tarParser(onEntry: (entry: ReadEntry) => void): TarParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  const { Parser } = require('tar') as typeof import('tar');
  return new Parser({ strict: true, onReadEntry: onEntry });
}

function entryOf(entry: ReadEntry): LayerEntry | undefined {
  const kind = kinds[entry.type];
  if (!kind) return undefined;
  const linkpath = entry.linkpath ?? '';
  return {
    path: safeEntryPath(entry.path),
    kind,
    size: kind === 'file' ? entry.size : 0,
    mode: (entry.mode ?? 0) & 0o7777,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    ...(entry.mtime ? { mtime: entry.mtime } : {}),
    ...(kind === 'symlink' ? { linkTarget: linkpath } : kind === 'hardlink' ? { linkTarget: safeEntryPath(linkpath) } : {}),
  };
}

/** Whether the bytes end with a whole zero block: a tar's end marker, so nothing was cut off. */
class EndMarker {
  private total = 0;
  private tail: Buffer = Buffer.alloc(0);
  /** Nothing but zero bytes so far: the empty tar (an unchanged container's diff, an empty layer). */
  empty = true;

  add(chunk: Buffer): void {
    // Checked only until the first non-zero byte: at once for any tar with an entry.
    if (this.empty) this.empty = chunk.every((byte) => byte === 0);
    this.total += chunk.length;
    // A copy: a decompressor may reuse the chunk's memory.
    this.tail = Buffer.from(Buffer.concat([this.tail, chunk.subarray(-512)]).subarray(-512));
  }

  get seen(): boolean {
    return this.total % 512 === 0 && this.tail.length === 512 && this.tail.every((byte) => byte === 0);
  }
}

/**
 * Feeds every chunk to a parser and waits for its end. `visit` sees each entry with its node-tar
 * stream; it must consume the stream (resume() to skip the data).
 */
async function parseTar(chunks: AsyncIterable<Uint8Array>, visit: (entry: LayerEntry | undefined, raw: ReadEntry) => void): Promise<void> {
  let failure: Error | undefined;
  const marker = new EndMarker();
  const parser = tarParser((raw) => {
    try {
      visit(entryOf(raw), raw);
    } catch (error) {
      failure ??= error as Error;
      raw.resume();
    }
  });
  parser.on('error', (error: Error) => (failure ??= new LayerFormatError(`not a valid tar layer: ${error.message}`)));
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    marker.add(bytes);
    parser.write(bytes);
    if (failure && !marker.empty) throw failure;
  }
  parser.end();
  // node-tar calls an archive of end blocks alone unrecognised; it is a tar with no entries.
  if (marker.empty && marker.seen) return;
  if (failure) throw failure;
  // node-tar ends quietly on a stream cut between entries; every writer ends with zero blocks.
  if (!marker.seen) throw new LayerFormatError('the layer is cut off: its tar has no end marker');
}

/** Every entry of the tar in archive order (whiteouts included: they are interpreted later). */
export async function listTarEntries(chunks: AsyncIterable<Uint8Array>): Promise<LayerEntry[]> {
  const entries: LayerEntry[] = [];
  await parseTar(chunks, (entry, raw) => {
    raw.resume();
    if (!entry) return;
    if (entries.length >= maxLayerEntries) throw new LayerFormatError(`the layer has more than ${maxLayerEntries} entries: not listed`);
    entries.push(entry);
  });
  return entries;
}

export class FileTooLargeError extends Error {}

/**
 * The data of the last regular-file entry at `path` (a later entry of the same path replaces an
 * earlier one, as on extraction); undefined when the layer has no such file. Files over
 * `maxBytes` are refused, not buffered.
 */
export async function readTarFile(chunks: AsyncIterable<Uint8Array>, path: string, maxBytes: number): Promise<Buffer | undefined> {
  let found: Buffer | undefined;
  await parseTar(chunks, (entry, raw) => {
    if (entry?.path !== path || entry.kind !== 'file') {
      raw.resume();
      return;
    }
    if (entry.size > maxBytes) throw new FileTooLargeError(`${path} is ${entry.size} bytes, more than the ${maxBytes} bytes a file may have to be opened`);
    const parts: Buffer[] = [];
    raw.on('data', (data: Buffer) => parts.push(data));
    raw.on('end', () => (found = Buffer.concat(parts)));
  });
  return found;
}
