// Protocol buffers' wire format, read: varints, fixed-width numbers and length-delimited bytes
// from a Buffer. 64-bit integers become JavaScript numbers (containerd's sizes, timestamps and
// counters stay far below 2^53); every read checks the bounds, so bad bytes throw, never loop.

export const wireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

const twoTo32 = 4_294_967_296;

/** Node's own UTF-8 slice: what Buffer.toString calls after checking its arguments (3-10x faster on short strings). */
type FastBuffer = Buffer & { utf8Slice?: (start: number, end: number) => string };

export class WireReader {
  pos: number;

  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  /** A varint's low 32 bits, unsigned (uint32; int32 and enums take `| 0` of it). */
  uint32(): number {
    let p = this.pos;
    let value = 0;
    for (let shift = 0; shift < 32; shift += 7) {
      const byte = this.byteAt(p++);
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return value >>> 0;
      }
    }
    // Bits above 32 (a negative int32 is sign-extended to ten bytes): skipped.
    for (let i = 0; i < 5; i++) {
      if (this.byteAt(p++) < 0x80) {
        this.pos = p;
        return value >>> 0;
      }
    }
    throw new RangeError('protobuf: a varint is longer than ten bytes');
  }

  /**
   * A varint as its two 32-bit halves. Only after smallVarint gave up: the first seven bytes all
   * go on, so the first five are read whole and only the last five can end it.
   */
  private varint64(): [lo: number, hi: number] {
    let lo = 0;
    let p = this.pos;
    for (let shift = 0; shift < 28; shift += 7) lo |= (this.byteAt(p++) & 0x7f) << shift;
    let byte = this.byteAt(p++);
    lo |= (byte & 0x7f) << 28;
    let hi = (byte & 0x7f) >> 4;
    for (let shift = 3; shift < 32; shift += 7) {
      byte = this.byteAt(p++);
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return [lo >>> 0, hi >>> 0];
      }
    }
    throw new RangeError('protobuf: a varint is longer than ten bytes');
  }

  uint64(): number {
    const small = this.smallVarint();
    if (small >= 0) return small;
    const [lo, hi] = this.varint64();
    return hi * twoTo32 + lo;
  }

  int64(): number {
    const small = this.smallVarint();
    if (small >= 0) return small;
    const [lo, hi] = this.varint64();
    return signed64(lo, hi);
  }

  /**
   * A varint of up to seven bytes (below 2^49: every size, count and timestamp containerd sends)
   * with plain arithmetic; -1, and pos unchanged, for a longer one.
   */
  private smallVarint(): number {
    let p = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const byte = this.byteAt(p++);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = p;
        return value;
      }
      scale *= 128;
    }
    return -1;
  }

  bool(): boolean {
    return this.uint64() !== 0;
  }

  /** A length-delimited field's length, checked against the end; pos is then at its first byte. */
  length(): number {
    const length = this.uint32();
    this.need(length);
    return length;
  }

  string(): string {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    const buf = this.buf as FastBuffer;
    return buf.utf8Slice ? buf.utf8Slice(start, this.pos) : buf.toString('utf8', start, this.pos);
  }

  /** The bytes share the message's memory, as Buffer.subarray does. */
  bytes(): Buffer {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  /** Skips a field of an unknown number (newer daemons add fields: they are not errors). */
  skip(type: number): void {
    switch (type) {
      case wireType.varint: this.uint64(); return;
      case wireType.fixed64: this.need(8); this.pos += 8; return;
      case wireType.lengthDelimited: {
        const length = this.length();
        this.pos += length;
        return;
      }
      case wireType.fixed32: this.need(4); this.pos += 4; return;
      default: throw new RangeError(`protobuf: wire type ${type} is not supported`);
    }
  }

  private byteAt(p: number): number {
    if (p >= this.end) throw new RangeError('protobuf: the message ends inside a field');
    return this.buf[p];
  }

  private need(length: number): void {
    if (this.pos + length > this.end) throw new RangeError('protobuf: the message ends inside a field');
  }
}

function signed64(lo: number, hi: number): number {
  if (hi < 0x80000000) return hi * twoTo32 + lo;
  // Two's complement: -(~value + 1).
  const negLo = (~lo + 1) >>> 0;
  const negHi = (~hi + (negLo === 0 ? 1 : 0)) >>> 0;
  return -(negHi * twoTo32 + negLo);
}
