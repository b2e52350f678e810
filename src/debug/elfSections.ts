// The section table of an ELF executable, read with positioned reads: buildkitd is tens of
// megabytes, and the debugger's preflight needs only its section headers and one small section
// (.go.buildinfo). Little-endian only (amd64, arm64, 386, riscv64...): a big-endian file is refused
// by name rather than misread.
import { open } from 'node:fs/promises';

export interface ElfSection {
  readonly name: string;
  /** sh_type: 1 PROGBITS, 8 NOBITS (occupies no bytes in the file), ... */
  readonly type: number;
  /** sh_flags: SHF_COMPRESSED (0x800) marks Go's compressed DWARF. */
  readonly flags: number;
  /** Where the section's bytes start in the file. */
  readonly offset: number;
  readonly size: number;
}

export const SHT_NOBITS = 8;
export const SHF_COMPRESSED = 0x800;

/** Reads up to `length` bytes at `position`; fewer only at the end of the file. */
export interface ByteSource {
  readAt(position: number, length: number): Promise<Buffer>;
}

export interface ElfImage {
  readonly bits: 32 | 64;
  readonly sections: readonly ElfSection[];
  section(name: string): ElfSection | undefined;
  /** The section's bytes as the file holds them (none for NOBITS); refuses one over `limit`. */
  bytes(section: ElfSection, limit?: number): Promise<Buffer>;
}

/** Sections the preflight reads whole are small (.go.buildinfo is tens of KB); a bigger one is a corrupt header. */
const defaultLimit = 16 * 1024 * 1024;

// Where the two layouts keep what we read (ELF specification, "ELF Header" and "Sections").
const layouts = {
  64: { headerSize: 64, shoff: 0x28, shentsize: 0x3a, shnum: 0x3c, shstrndx: 0x3e, entry: 64, flags: 8, offset: 24, size: 32, link: 40 },
  32: { headerSize: 52, shoff: 0x20, shentsize: 0x2e, shnum: 0x30, shstrndx: 0x32, entry: 40, flags: 8, offset: 16, size: 20, link: 24 },
} as const;
type Layout = (typeof layouts)[32 | 64];

/** A word of the layout: 8 bytes in ELF64, 4 in ELF32. Offsets stay far below 2^53 in any real file. */
function word(buffer: Buffer, at: number, bits: 32 | 64): number {
  return bits === 64 ? Number(buffer.readBigUInt64LE(at)) : buffer.readUInt32LE(at);
}

async function exactly(source: ByteSource, position: number, length: number, name: string, what: string): Promise<Buffer> {
  const bytes = await source.readAt(position, length);
  if (bytes.length < length) throw new Error(`${name} is truncated: its ${what} (${length} bytes at ${position}) extend past the end of the file`);
  return bytes;
}

function nameAt(strings: Buffer, at: number): string {
  const end = strings.indexOf(0, at);
  return strings.toString('latin1', at, end < 0 ? strings.length : end);
}

/** Reads the ELF header and section table from `source`; `name` is how errors call the file. */
export async function parseElf(source: ByteSource, name: string): Promise<ElfImage> {
  // The identification bytes first: anything else is refused before another byte is read.
  const ident = await source.readAt(0, 16);
  if (ident.length < 16 || ident.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${name} is not an ELF executable`);
  const elfClass = ident[4];
  if (elfClass !== 1 && elfClass !== 2) throw new Error(`${name} is an ELF file of unknown class ${elfClass}`);
  if (ident[5] === 2) throw new Error(`${name} is a big-endian ELF executable, which this reader does not support`);
  if (ident[5] !== 1) throw new Error(`${name} is an ELF file of unknown byte order ${ident[5]}`);
  const bits = elfClass === 2 ? 64 : 32;
  const layout: Layout = layouts[bits];
  const header = await exactly(source, 0, layout.headerSize, name, 'ELF header');
  const shoff = word(header, layout.shoff, bits);
  const entrySize = header.readUInt16LE(layout.shentsize);
  let count = header.readUInt16LE(layout.shnum);
  let namesIndex = header.readUInt16LE(layout.shstrndx);
  const sections: ElfSection[] = [];
  if (shoff !== 0) {
    if (entrySize < layout.entry) throw new Error(`${name} has section headers of ${entrySize} bytes, fewer than ELF${bits} needs (${layout.entry})`);
    // More than 0xff00 sections: the real count and names index live in section 0 (sh_size, sh_link).
    if (count === 0 || namesIndex === 0xffff) {
      const first = await exactly(source, shoff, entrySize, name, 'section headers');
      if (count === 0) count = word(first, layout.size, bits);
      if (namesIndex === 0xffff) namesIndex = first.readUInt32LE(layout.link);
    }
    if (count * entrySize > defaultLimit) throw new Error(`${name} claims ${count} sections: its section headers are corrupt`);
    const table = await exactly(source, shoff, count * entrySize, name, 'section headers');
    const raw = Array.from({ length: count }, (_, i) => {
      const at = i * entrySize;
      return {
        nameOffset: table.readUInt32LE(at),
        type: table.readUInt32LE(at + 4),
        flags: word(table, at + layout.flags, bits),
        offset: word(table, at + layout.offset, bits),
        size: word(table, at + layout.size, bits),
      };
    });
    const namesHeader = raw[namesIndex];
    if (namesHeader === undefined) throw new Error(`${name} names its section names table ${namesIndex}, but has only ${count} sections`);
    if (namesHeader.size > defaultLimit) throw new Error(`${name} claims a section names table of ${namesHeader.size} bytes: its section headers are corrupt`);
    const names = await exactly(source, namesHeader.offset, namesHeader.size, name, 'section names');
    for (const { nameOffset, ...rest } of raw) sections.push({ name: nameAt(names, nameOffset), ...rest });
  }
  return {
    bits,
    sections,
    section: (wanted) => sections.find((s) => s.name === wanted),
    bytes: async (section, limit = defaultLimit) => {
      if (section.type === SHT_NOBITS) return Buffer.alloc(0);
      if (section.size > limit) throw new Error(`${name}: section ${section.name} is ${section.size} bytes, more than the ${limit} expected`);
      return exactly(source, section.offset, section.size, name, `section ${section.name}`);
    },
  };
}

/** Opens the file at `path` for as long as `use` runs: one handle for the headers and any sections read. */
export async function withElf<T>(path: string, use: (elf: ElfImage) => Promise<T>): Promise<T> {
  const handle = await open(path, 'r');
  try {
    const source: ByteSource = {
      readAt: async (position, length) => {
        const buffer = Buffer.alloc(length);
        let filled = 0;
        // A read may return fewer bytes than asked before the end of the file: ask again.
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      },
    };
    return await use(await parseElf(source, path));
  } finally {
    await handle.close();
  }
}

export function readElfSections(path: string): Promise<readonly ElfSection[]> {
  return withElf(path, (elf) => Promise.resolve(elf.sections));
}

/** The bytes of the section called `sectionName`, or undefined when the file has none. */
export function readSectionBytes(path: string, sectionName: string): Promise<Buffer | undefined> {
  return withElf(path, async (elf) => {
    const section = elf.section(sectionName);
    return section && elf.bytes(section);
  });
}
