// gzip layers inflated member by member as raw deflate, so no CRC-32 is computed: the content
// store checked the blob's sha256, a stronger check of the same bytes, when it was written, and
// the CRC is about an eighth of a listing's time. A cut stream still fails (deflate's own end and
// each member's trailer are required). eStargz and other multi-member layers are read whole.
import { createInflateRaw, type InflateRaw } from 'node:zlib';

/** The 1f 8b magic, CM 8 (deflate), and FLG's optional fields (RFC 1952). */
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const reservedFlags = 0xe0;
const trailerBytes = 8;

export class GzipFormatError extends Error {}

/** Whether `head` starts like a gzip member. */
function isMember(head: Buffer): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** The length of the member header at the start of `bytes`, or undefined when more bytes are needed. */
export function gzipHeaderLength(bytes: Buffer): number | undefined {
  if (bytes.length < 10) return undefined;
  if (!isMember(bytes)) throw new GzipFormatError('not a gzip member');
  if (bytes[2] !== 8) throw new GzipFormatError(`unknown gzip compression method ${bytes[2]}`);
  const flags = bytes[3] ?? 0;
  if (flags & reservedFlags) throw new GzipFormatError('reserved gzip header flags are set');
  let at = 10;
  if (flags & FEXTRA) {
    if (bytes.length < at + 2) return undefined;
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const field of [FNAME, FCOMMENT]) {
    if (!(flags & field)) continue;
    const end = bytes.indexOf(0, at);
    if (end === -1) return undefined;
    at = end + 1;
  }
  if (flags & FHCRC) at += 2;
  return bytes.length < at ? undefined : at;
}

/** Chunks pulled from a source on demand, with what was read but not used put back. */
class ChunkQueue {
  private held: Buffer[] = [];

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  get bytes(): number {
    return this.held.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** The next chunk, put-back bytes first; undefined at the end of the source. */
  async next(): Promise<Buffer | undefined> {
    return this.held.shift() ?? this.pull();
  }

  private async pull(): Promise<Buffer | undefined> {
    const next = await this.source.next();
    return next.done ? undefined : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
  }

  /** Reads until at least `count` bytes are held; false when the source ends first. */
  async fill(count: number): Promise<boolean> {
    while (this.bytes < count) {
      const chunk = await this.pull();
      if (!chunk) return false;
      this.held.push(chunk);
    }
    return true;
  }

  /** Reads one more chunk into what is held; false at the end. */
  async more(): Promise<boolean> {
    return this.fill(this.bytes + 1);
  }

  peek(): Buffer {
    if (this.held.length > 1) this.held = [Buffer.concat(this.held)];
    return this.held[0] ?? Buffer.alloc(0);
  }

  skip(count: number): void {
    this.held = [this.peek().subarray(count)];
  }

  putBack(bytes: Buffer): void {
    this.held.unshift(bytes);
  }
}

/** Waits until the inflater takes more input, or is destroyed (a failure, a reader gone). */
function writable(inflater: InflateRaw): Promise<void> {
  if (inflater.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      inflater.off('drain', done).off('close', done);
      resolve();
    };
    inflater.on('drain', done).on('close', done);
  });
}

/** One member's deflate data: yields its output, then puts back the bytes after its end. */
async function* inflateMember(queue: ChunkQueue): AsyncGenerator<Buffer> {
  // 4 MiB output chunks: each hand-over from zlib's thread waits for the main thread, busy with
  // the gRPC stream; fewer of them keep zlib working (16 KiB by default; 1 MiB measured 10 % slower).
  const inflater = createInflateRaw({ chunkSize: 4 << 20 });
  // The compressed bytes the member's deflate data took, known once it has ended.
  let consumed: number | undefined;
  inflater.once('end', () => (consumed = inflater.bytesWritten));
  // Every chunk written, with its offset: those past the end go back. Chunks written after the
  // end are ignored by zlib and go back the same way.
  const written: [Buffer, number][] = [];
  let writtenBytes = 0;
  let stopped = false;
  const feed = async (): Promise<void> => {
    while (consumed === undefined && !stopped) {
      const chunk = await queue.next();
      if (!chunk) {
        inflater.end();
        return;
      }
      // The member ended, or its reader left, while the source was awaited: the chunk is the next member's.
      if (consumed !== undefined || stopped) {
        queue.putBack(chunk);
        return;
      }
      // Chunks zlib has wholly taken are let go: only the tail of the member can come back.
      for (let head = written[0]; head && head[1] + head[0].length <= inflater.bytesWritten; head = written[0]) written.shift();
      written.push([chunk, writtenBytes]);
      writtenBytes += chunk.length;
      // Backpressure: a layer is never read much ahead of its reader.
      if (!inflater.write(chunk)) await writable(inflater);
    }
  };
  // The source's failure, kept: it may come after the member's end, when no inflater reports it.
  let failure: Error | undefined;
  const feeding = feed().catch((error: unknown) => {
    failure = error as Error;
    inflater.destroy(failure);
  });
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } finally {
    stopped = true;
    inflater.destroy();
    await feeding;
  }
  if (failure) throw failure;
  const end = consumed ?? writtenBytes;
  for (const [chunk, offset] of written.filter(([chunk, offset]) => offset + chunk.length > end).reverse()) queue.putBack(chunk.subarray(Math.max(0, end - offset)));
}

/** The tar inside a gzip stream of one or more members; bytes after the last member are ignored, as gzip does. */
export async function* gunzipMembers(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const source = chunks[Symbol.asyncIterator]();
  const queue = new ChunkQueue(source);
  try {
    for (let first = true; ; first = false) {
      if (!(await queue.fill(2)) || !isMember(queue.peek())) {
        if (first) throw new GzipFormatError('not a gzip stream');
        return;
      }
      let header = gzipHeaderLength(queue.peek());
      while (header === undefined) {
        if (!(await queue.more())) throw new GzipFormatError('the gzip stream is cut off in a member header');
        header = gzipHeaderLength(queue.peek());
      }
      queue.skip(header);
      yield* inflateMember(queue);
      if (!(await queue.fill(trailerBytes))) throw new GzipFormatError('the gzip stream is cut off: a member has no trailer');
      queue.skip(trailerBytes);
    }
  } finally {
    await source.return?.();
  }
}
