// Small ELF files and .go.buildinfo sections made byte by byte, for the tests of the readers in
// src/debug. Laid out as a linker would: header, section contents, section names, section table.

export interface SectionSpec {
  readonly name: string;
  readonly data?: Buffer;
  /** sh_type; 1 (PROGBITS) unless given. */
  readonly type?: number;
  readonly flags?: number;
  /** sh_size when it should not be data.length (NOBITS sections, corrupt headers). */
  readonly size?: number;
}

export interface ElfSpec {
  readonly bits: 32 | 64;
  readonly sections: readonly SectionSpec[];
  /** EI_DATA: 1 little-endian (default), 2 big-endian. */
  readonly byteOrder?: number;
  /** Put the section count, the names index or both in section 0, as a file with over 0xff00 sections does. */
  readonly extendedNumbering?: 'count' | 'names' | 'both';
  /** e_shentsize when it should not be the standard one. */
  readonly entrySize?: number;
  /** e_shstrndx when it should not be the names table's index. */
  readonly namesIndex?: number;
}

function putWord(buffer: Buffer, at: number, bits: 32 | 64, value: number): void {
  if (bits === 64) buffer.writeBigUInt64LE(BigInt(value), at);
  else buffer.writeUInt32LE(value, at);
}

export function buildElf(spec: ElfSpec): Buffer {
  const { bits } = spec;
  const headerSize = bits === 64 ? 64 : 52;
  const entry = bits === 64 ? 64 : 40;
  const all: SectionSpec[] = [...spec.sections, { name: '.shstrtab', type: 3 }];
  let names = Buffer.from([0]);
  const nameOffsets = all.map((section) => {
    const at = names.length;
    names = Buffer.concat([names, Buffer.from(`${section.name}\0`, 'latin1')]);
    return at;
  });
  const contents = all.map((section, i) => (i === all.length - 1 ? names : section.data ?? Buffer.alloc(0)));
  let offset = headerSize;
  const offsets = contents.map((data) => {
    const at = offset;
    offset += data.length;
    return at;
  });
  const shoff = offset;
  const count = all.length + 1;
  const table = Buffer.alloc(count * entry);
  all.forEach((section, i) => {
    const at = (i + 1) * entry;
    table.writeUInt32LE(nameOffsets[i] ?? 0, at);
    table.writeUInt32LE(section.type ?? 1, at + 4);
    putWord(table, at + 8, bits, section.flags ?? 0);
    putWord(table, at + (bits === 64 ? 24 : 16), bits, offsets[i] ?? 0);
    putWord(table, at + (bits === 64 ? 32 : 20), bits, section.size ?? contents[i]?.length ?? 0);
  });
  const namesIndex = spec.namesIndex ?? all.length;
  const extendCount = spec.extendedNumbering === 'count' || spec.extendedNumbering === 'both';
  const extendNames = spec.extendedNumbering === 'names' || spec.extendedNumbering === 'both';
  // Section 0 holds the other one too, as a file with both fields in range may: it must not be used.
  if (spec.extendedNumbering) {
    putWord(table, bits === 64 ? 32 : 20, bits, extendCount ? count : 1);
    table.writeUInt32LE(extendNames ? namesIndex : 1, bits === 64 ? 40 : 24);
  }
  const header = Buffer.alloc(headerSize);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, spec.byteOrder ?? 1, 1]).copy(header);
  putWord(header, bits === 64 ? 0x28 : 0x20, bits, shoff);
  const fields = bits === 64 ? 0x3a : 0x2e;
  header.writeUInt16LE(spec.entrySize ?? entry, fields);
  header.writeUInt16LE(extendCount ? 0 : count, fields + 2);
  header.writeUInt16LE(extendNames ? 0xffff : namesIndex, fields + 4);
  return Buffer.concat([header, ...contents, table]);
}

export function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** The sentinels cmd/go frames the module info with, as Go 1.26 writes them: binary, not UTF-8. */
export const sentinelStart = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const sentinelEnd = Buffer.from('f932433186182072008242104116d8f2', 'hex');

/** The module info as the binary holds it: sentinel, lines, sentinel. */
export function framed(lines: string): Buffer {
  return Buffer.concat([sentinelStart, Buffer.from(lines, 'utf8'), sentinelEnd]);
}

/** A Go >= 1.18 .go.buildinfo: header with the inline flag, then both strings after their lengths. */
export function buildInfoSection(goVersion: string, moduleInfo: Buffer, flags = 0x2): Buffer {
  const header = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header);
  header[14] = 8;
  header[15] = flags;
  const version = Buffer.from(goVersion, 'utf8');
  return Buffer.concat([header, uvarint(version.length), version, uvarint(moduleInfo.length), moduleInfo]);
}
