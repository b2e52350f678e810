// Protocol buffers' wire format, written. Requests are small (a few names and filters), so the
// writer favours plainness: bytes go to an array, nested messages are written on their own first
// and then copied in behind their length.

const twoTo32 = 4_294_967_296;

export class WireWriter {
  private readonly bytes: number[] = [];

  tag(field: number, type: number): void {
    this.uint32(field * 8 + type);
  }

  uint32(value: number): void {
    let v = value >>> 0;
    while (v > 0x7f) {
      this.bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.bytes.push(v);
  }

  /** Any integer up to 2^64 as a varint; a negative one in two's complement, ten bytes long. */
  varint64(value: number): void {
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value % twoTo32 >>> 0;
      hi = Math.floor(value / twoTo32) >>> 0;
    } else {
      const magnitude = -value;
      const mLo = magnitude % twoTo32 >>> 0;
      const mHi = Math.floor(magnitude / twoTo32) >>> 0;
      lo = (~mLo + 1) >>> 0;
      hi = (~mHi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    while (hi > 0 || lo > 0x7f) {
      this.bytes.push((lo & 0x7f) | 0x80);
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.bytes.push(lo);
  }

  int32(value: number): void {
    if (value < 0) this.varint64(value);
    else this.uint32(value);
  }

  /** Length-delimited: a string, bytes or a nested message's encoding. */
  delimited(data: Uint8Array): void {
    this.uint32(data.length);
    this.raw(data);
  }

  finish(): Buffer {
    return Buffer.from(this.bytes);
  }

  private raw(data: Uint8Array): void {
    for (const byte of data) this.bytes.push(byte);
  }
}
