import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { moduleVersion, readBinaryFacts, unoptimizedScope, type BinaryFacts, type GoBinaryFacts } from '../../src/debug/binaryFacts';
import { parseElf, readElfSections, readSectionBytes, SHF_COMPRESSED, SHT_NOBITS, withElf, type ByteSource } from '../../src/debug/elfSections';
import { parseBuildInfoSection, parseModuleInfo, readGoBuildInfo, type GoBuildInfo } from '../../src/debug/goBuildInfo';
import { goQuotedPrefix, goUnquote } from '../../src/debug/goQuoted';
import { buildElf, buildInfoSection, framed, sentinelEnd, sentinelStart, uvarint, type SectionSpec } from './elfBuilder';

/** A ByteSource over a buffer that records every read, to prove what was (not) read. */
function recording(bytes: Buffer): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return { reads, readAt: (position, length) => (reads.push([position, length]), Promise.resolve(bytes.subarray(position, position + length))) };
}

const buildkitdLines = [
  'path\tgithub.com/moby/buildkit/cmd/buildkitd',
  'mod\tgithub.com/moby/buildkit\tv0.32.2\th1:Sfy7=',
  'dep\tgithub.com/containerd/containerd/v2\tv2.1.4\th1:cd=',
  'dep\tgithub.com/containerd/nerdctl/mod/tigron\tv0.0.0',
  '=>\t./tigron\t(devel)\t',
  'dep\tgolang.org/x/sys\tv0.30.0',
  '=>\tgithub.com/fork/sys\tv0.31.0\th1:fork=',
  'build\t-buildmode=exe',
  'build\t-gcflags="all=-N -l"',
  'build\t-ldflags="-s -w -X \\"main.v=1 2\\""',
  'build\tCGO_ENABLED=0',
  'build\t-trimpath=true',
  '',
].join('\n');

function goInfo(info: BinaryFacts | undefined): GoBinaryFacts {
  assert.ok(info && info.kind === 'go', `expected Go facts, got ${JSON.stringify(info)}`);
  return info;
}

describe('ELF section tables', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-elf-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer | string): string => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    return path;
  };
  const sections: SectionSpec[] = [
    { name: '.text', data: Buffer.from('code!'), flags: 0x6 },
    { name: '.bss', type: SHT_NOBITS, size: 4096, flags: 0x3 },
    { name: '.debug_info', data: Buffer.from('dwarf'), flags: SHF_COMPRESSED },
  ];

  for (const bits of [64, 32] as const) {
    it(`reads an ELF${bits} file's section names, types, flags, offsets and sizes, and a section's bytes`, async () => {
      const path = file(`elf${bits}`, buildElf({ bits, sections }));
      const read = await readElfSections(path);
      const headerSize = bits === 64 ? 64 : 52;
      assert.deepEqual(read.map(({ name, type, flags, offset, size }) => [name, type, flags, offset, size]), [
        ['', 0, 0, 0, 0],
        ['.text', 1, 6, headerSize, 5],
        ['.bss', SHT_NOBITS, 3, headerSize + 5, 4096],
        ['.debug_info', 1, SHF_COMPRESSED, headerSize + 5, 5],
        ['.shstrtab', 3, 0, headerSize + 10, 34],
      ]);
      assert.equal((await readSectionBytes(path, '.debug_info'))?.toString(), 'dwarf');
      assert.equal((await readSectionBytes(path, '.bss'))?.length, 0, 'NOBITS occupies no bytes of the file');
      assert.equal(await readSectionBytes(path, '.go.buildinfo'), undefined);
      assert.equal(await withElf(path, (elf) => Promise.resolve(elf.bits)), bits);
    });
  }

  it('refuses a file that is not ELF after reading its first 16 bytes only', async () => {
    const script = Buffer.from(`#!/bin/sh\n${'echo hello\n'.repeat(1000)}`);
    const source = recording(script);
    await assert.rejects(parseElf(source, 'run.sh'), { message: 'run.sh is not an ELF executable' });
    assert.deepEqual(source.reads, [[0, 16]]);
    await assert.rejects(readElfSections(file('short', '\x7fELF')), { message: `${join(scratch, 'short')} is not an ELF executable` });
    await assert.rejects(readElfSections(file('empty', '')), /is not an ELF executable/);
  });

  it('refuses big-endian, unknown classes and byte orders by name', async () => {
    const elf = buildElf({ bits: 64, sections });
    const variant = (at: number, value: number): Buffer => {
      const copy = Buffer.from(elf);
      copy[at] = value;
      return copy;
    };
    await assert.rejects(parseElf(recording(variant(5, 2)), 's390x'), { message: 's390x is a big-endian ELF executable, which this reader does not support' });
    await assert.rejects(parseElf(recording(variant(5, 0)), 'odd'), { message: 'odd is an ELF file of unknown byte order 0' });
    await assert.rejects(parseElf(recording(variant(4, 3)), 'odd'), { message: 'odd is an ELF file of unknown class 3' });
    await assert.rejects(parseElf(recording(variant(4, 0)), 'odd'), { message: 'odd is an ELF file of unknown class 0' });
  });

  it('reads the header and section table without touching the sections themselves', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 0x90);
    const source = recording(buildElf({ bits: 64, sections: [{ name: '.text', data: big }, { name: '.go.buildinfo', data: Buffer.from('info') }] }));
    const elf = await parseElf(source, 'buildkitd');
    const read = source.reads.reduce((sum, [, length]) => sum + length, 0);
    assert.ok(read < 1024, `read ${read} bytes for the table`);
    const info = elf.section('.go.buildinfo');
    assert.ok(info);
    source.reads.length = 0;
    assert.equal((await elf.bytes(info)).toString(), 'info');
    assert.deepEqual(source.reads, [[info.offset, 4]]);
    await assert.rejects(elf.bytes(info, 3), { message: 'buildkitd: section .go.buildinfo is 4 bytes, more than the 3 expected' });
    assert.equal((await elf.bytes(info, 4)).length, 4, 'a section of exactly the limit is read');
  });

  it('follows extended section numbering (count, names index or both in section 0)', async () => {
    for (const bits of [64, 32] as const) {
      for (const extendedNumbering of ['count', 'names', 'both'] as const) {
        const elf = await parseElf(recording(buildElf({ bits, sections, extendedNumbering })), 'many');
        assert.deepEqual(elf.sections.map((s) => s.name), ['', '.text', '.bss', '.debug_info', '.shstrtab'], `${bits} ${extendedNumbering}`);
      }
    }
    const cut = buildElf({ bits: 64, sections, extendedNumbering: 'both' });
    cut.writeBigUInt64LE(BigInt(cut.length - 10), 0x28);
    await assert.rejects(parseElf(recording(cut), 'x'), { message: `x is truncated: its section headers (64 bytes at ${cut.length - 10}) extend past the end of the file` });
  });

  it('reads no more than the identification, the header, the table and the names', async () => {
    const bytes = buildElf({ bits: 64, sections });
    const source = recording(bytes);
    await parseElf(source, 'x');
    const shoff = Number(bytes.readBigUInt64LE(0x28));
    assert.deepEqual(source.reads, [[0, 16], [0, 64], [shoff, 5 * 64], [64 + 10, 34]]);
  });

  it('a name that runs to the end of the names table without its NUL is still read', async () => {
    const bytes = buildElf({ bits: 64, sections });
    const namesSize = Number(bytes.readUInt32LE(0x28)) + 4 * 64 + 32;
    bytes.writeBigUInt64LE(33n, namesSize);
    assert.equal((await parseElf(recording(bytes), 'x')).section('.shstrtab')?.size, 33);
  });

  it('closes the file it opened, whatever happens', async () => {
    const path = file('closing', buildElf({ bits: 64, sections }));
    const notElf = file('closing-not-elf', 'text');
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 20; i += 1) {
      await readElfSections(path);
      await assert.rejects(readElfSections(notElf));
    }
    assert.equal(open(), before);
  });

  it('a file without section headers has no sections', async () => {
    const elf = buildElf({ bits: 64, sections });
    elf.writeBigUInt64LE(0n, 0x28);
    assert.deepEqual((await parseElf(recording(elf), 'bare')).sections, []);
  });

  it('says what is corrupt or truncated instead of reading garbage', async () => {
    const whole = buildElf({ bits: 64, sections });
    await assert.rejects(readElfSections(file('cut', whole.subarray(0, whole.length - 10))), /cut is truncated: its section headers \(320 bytes at \d+\) extend past the end of the file/);
    await assert.rejects(parseElf(recording(whole.subarray(0, 40)), 'tiny'), { message: 'tiny is truncated: its ELF header (64 bytes at 0) extend past the end of the file' });
    await assert.rejects(parseElf(recording(buildElf({ bits: 64, sections, entrySize: 40 })), 'x'), { message: 'x has section headers of 40 bytes, fewer than ELF64 needs (64)' });
    await assert.rejects(parseElf(recording(buildElf({ bits: 32, sections, entrySize: 39 })), 'x'), { message: 'x has section headers of 39 bytes, fewer than ELF32 needs (40)' });
    assert.equal((await parseElf(recording(buildElf({ bits: 32, sections, entrySize: 40 })), 'x')).sections.length, 5);
    await assert.rejects(parseElf(recording(buildElf({ bits: 64, sections, namesIndex: 9 })), 'x'), { message: 'x names its section names table 9, but has only 5 sections' });
    const huge = buildElf({ bits: 64, sections: [{ name: '.text', size: 2 ** 40 }] });
    const elf = await parseElf(recording(huge), 'x');
    const text = elf.section('.text');
    assert.ok(text);
    await assert.rejects(elf.bytes(text), /section \.text is 1099511627776 bytes, more than the 16777216 expected/);
    const sized = buildElf({ bits: 64, sections: [{ name: '.text', size: 16 * 1024 * 1024 }] });
    const exact = await parseElf(recording(sized), 'x');
    await assert.rejects(exact.bytes(exact.section('.text') ?? assert.fail()), /x is truncated: its section \.text/, 'a section of the limit itself is read');
    const table16M = buildElf({ bits: 64, sections, extendedNumbering: 'count' });
    table16M.writeBigUInt64LE(BigInt(2 ** 18), table16M.readUInt32LE(0x28) + 32);
    await assert.rejects(parseElf(recording(table16M), 'x'), /x is truncated: its section headers \(16777216 bytes/, 'a table of exactly the limit is read');
    const names16M = buildElf({ bits: 64, sections });
    names16M.writeBigUInt64LE(BigInt(2 ** 24), names16M.readUInt32LE(0x28) + 4 * 64 + 32);
    await assert.rejects(parseElf(recording(names16M), 'x'), /x is truncated: its section names \(16777216 bytes/, 'a names table of exactly the limit is read');
    const claims = buildElf({ bits: 64, sections, extendedNumbering: 'count' });
    claims.writeBigUInt64LE(BigInt(2 ** 20), claims.readUInt32LE(0x28) + 32);
    await assert.rejects(parseElf(recording(claims), 'x'), { message: 'x claims 1048576 sections: its section headers are corrupt' });
    const names = buildElf({ bits: 64, sections });
    const table = Number(names.readBigUInt64LE(0x28));
    names.writeBigUInt64LE(BigInt(2 ** 25), table + 4 * 64 + 32);
    await assert.rejects(parseElf(recording(names), 'x'), { message: 'x claims a section names table of 33554432 bytes: its section headers are corrupt' });
  });
});

describe('Go string literals in build settings', () => {
  it('reads the escapes Go writes and the raw form its reader accepts', () => {
    assert.equal(goUnquote('"all=-N -l"'), 'all=-N -l');
    assert.equal(goUnquote('"-X \\"main.v=1 2\\" \\\\"'), '-X "main.v=1 2" \\');
    assert.equal(goUnquote('"\\a\\b\\f\\n\\r\\t\\v"'), '\x07\b\f\n\r\t\v');
    assert.equal(goUnquote('"\\x41\\101\\u00e9\\U0001F600"'), 'AAé😀');
    assert.equal(goUnquote('"\\xc3\\xa9"'), 'é', 'hex escapes are bytes, decoded together as UTF-8');
    assert.equal(goUnquote('"é😀x"'), 'é😀x');
    assert.equal(goUnquote('`a\\nb\r`'), 'a\\nb');
    assert.equal(goUnquote('""'), '');
  });

  it('refuses what is not one valid literal', () => {
    for (const bad of ['"open', '"a"b', '"\\q"', '"\\\'"', '"\\x4"', '"\\xzz"', '"\\400"', '"\\12"', '"\\ud800"', '"\\U00110000"', '"a\nb"', '`open', 'plain', '', '"\\', '"\\udfff"', '"\\qab"', '"\\8xy"']) {
      assert.equal(goUnquote(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(goUnquote('"\\uD7FF"'), '\ud7ff');
    assert.equal(goUnquote('"\\uE000"'), '\ue000');
    assert.equal(goUnquote('"\uffff"'), '\uffff', 'the last character of one UTF-16 unit');
    assert.equal(goUnquote('"\\U0010FFFF"'), '\u{10ffff}');
    assert.equal(goUnquote('"\\377"'), '\ufffd', 'octal up to 255 is a byte');
  });

  it('finds where a literal that starts a text ends', () => {
    assert.deepEqual(goQuotedPrefix('"a b"=c'), { value: 'a b', length: 5 });
    assert.deepEqual(goQuotedPrefix('`a b`=c'), { value: 'a b', length: 5 });
    assert.deepEqual(goQuotedPrefix('"😀"='), { value: '😀', length: 4 });
    assert.equal(goQuotedPrefix('a"b"'), undefined);
    assert.equal(goQuotedPrefix('a`b`'), undefined);
    assert.equal(goQuotedPrefix('`open'), undefined);
  });
});

describe('.go.buildinfo', () => {
  it('reads the inline (Go >= 1.18) format: version, and the module info between its binary sentinels', () => {
    const result = parseBuildInfoSection(buildInfoSection('go1.26.8', framed(buildkitdLines)), 'buildkitd');
    assert.equal(result.kind, 'go');
    const { info } = result as { info: GoBuildInfo };
    assert.equal(info.goVersion, 'go1.26.8');
    assert.equal(info.mainPackage, 'github.com/moby/buildkit/cmd/buildkitd');
    assert.deepEqual(info.mainModule, { path: 'github.com/moby/buildkit', version: 'v0.32.2', sum: 'h1:Sfy7=' });
    assert.deepEqual(info.deps, [
      { path: 'github.com/containerd/containerd/v2', version: 'v2.1.4', sum: 'h1:cd=' },
      { path: 'github.com/containerd/nerdctl/mod/tigron', version: 'v0.0.0', sum: '', replace: { path: './tigron', version: '(devel)', sum: '' } },
      { path: 'golang.org/x/sys', version: 'v0.30.0', sum: '', replace: { path: 'github.com/fork/sys', version: 'v0.31.0', sum: 'h1:fork=' } },
    ]);
    assert.deepEqual(info.settings, new Map([
      ['-buildmode', 'exe'],
      ['-gcflags', 'all=-N -l'],
      ['-ldflags', '-s -w -X "main.v=1 2"'],
      ['CGO_ENABLED', '0'],
      ['-trimpath', 'true'],
    ]));
  });

  it('lengths of any size are unsigned varints (1, 2 and 3 bytes here)', () => {
    assert.deepEqual([...uvarint(300)], [0xac, 0x02]);
    const deps = Array.from({ length: 400 }, (_, i) => `dep\texample.com/m${i}\tv1.0.${i}\th1:x=\n`).join('');
    const info = parseBuildInfoSection(buildInfoSection('go1.19.8', framed(`path\tp\n${deps}`)), 'b');
    assert.ok(info.kind === 'go');
    assert.equal(info.info.deps.length, 400);
    assert.deepEqual(info.info.deps[399], { path: 'example.com/m399', version: 'v1.0.399', sum: 'h1:x=' });
    const long = `go${'1'.repeat(126)}`;
    assert.deepEqual([...uvarint(long.length)], [0x80, 0x01], 'a continuation byte with no payload bits');
    const version = parseBuildInfoSection(buildInfoSection(long, framed('path\tp\n')), 'b');
    assert.ok(version.kind === 'go' && version.info.goVersion === long);
  });

  it('module info without its framing (built outside module mode) is empty, not misread', () => {
    const bare = (modules: Buffer): GoBuildInfo => {
      const result = parseBuildInfoSection(buildInfoSection('go1.22.1', modules), 'b');
      assert.ok(result.kind === 'go');
      return result.info;
    };
    assert.deepEqual(bare(Buffer.alloc(0)), { goVersion: 'go1.22.1', mainPackage: '', mainModule: undefined, deps: [], settings: new Map() });
    const noNewline = Buffer.concat([sentinelStart, Buffer.from('path\tp'), sentinelEnd]);
    assert.equal(bare(noNewline).mainPackage, '', 'the byte before the end sentinel must be a newline');
    assert.equal(bare(Buffer.concat([sentinelStart, Buffer.from('\n'), sentinelEnd])).mainPackage, '', 'the shortest framing: one newline');
    assert.equal(bare(framed('path\tp\n')).mainPackage, 'p');
    assert.equal(bare(Buffer.concat([Buffer.from('0123456789abcdefpath\tp\n'), sentinelEnd])).mainPackage, 'p', 'any 16 bytes frame it');
  });

  it('refuses the pre-1.18 pointer format with a clear result instead of guessing', () => {
    const result = parseBuildInfoSection(buildInfoSection('', Buffer.alloc(0), 0x0), '/usr/bin/old');
    assert.deepEqual(result, { kind: 'old-go', message: '/usr/bin/old was built with Go older than 1.18, whose build info this reader does not follow: rebuild it with a newer Go' });
    assert.equal(parseBuildInfoSection(buildInfoSection('go1.20', framed(''), 0x3), 'b').kind, 'go', 'the endianness bit does not matter inline');
    assert.equal(parseBuildInfoSection(buildInfoSection('', Buffer.alloc(0), 0x1), 'b').kind, 'old-go');
  });

  it('says what is wrong with a damaged section', () => {
    const good = buildInfoSection('go1.26.8', framed('path\tp\n'));
    const badMagic = Buffer.from(good);
    badMagic[1] = 0x78;
    assert.throws(() => parseBuildInfoSection(badMagic, 'b'), { message: "b: its .go.buildinfo section does not start with Go's build info header" });
    assert.throws(() => parseBuildInfoSection(good.subarray(0, 31), 'b'), /does not start with Go's build info header/);
    assert.throws(() => parseBuildInfoSection(good.subarray(0, 32), 'b'), { message: "b: the build info's string length at offset 32 is truncated or malformed" });
    assert.throws(() => parseBuildInfoSection(Buffer.concat([good.subarray(0, 32), Buffer.alloc(10, 0xff), Buffer.from([1])]), 'b'), /string length at offset 32 is truncated or malformed/);
    assert.throws(() => parseBuildInfoSection(good.subarray(0, good.length - 1), 'b'), { message: 'b: a build info string of 39 bytes at offset 41 runs past the section\'s end' });
    assert.throws(() => parseBuildInfoSection(buildInfoSection('', framed('')), 'b'), { message: 'b: its build info names no Go version' });
  });
});

describe('module info lines', () => {
  it('replacements apply to the line right before them, main module included', () => {
    const info = parseModuleInfo('mod\texample.com/m\t(devel)\t\n=>\t../m\t(devel)\t\nweird\tline\nbuild\tK=V\n');
    assert.deepEqual(info.mainModule, { path: 'example.com/m', version: '(devel)', sum: '', replace: { path: '../m', version: '(devel)', sum: '' } });
    assert.deepEqual(info.settings, new Map([['K', 'V']]));
    assert.throws(() => parseModuleInfo('path\tp\n=>\ta\tv1\th1:\n'), { message: 'build info line 2: a replacement (=>) follows no module line' });
    assert.throws(() => parseModuleInfo('dep\ta\tv1\n=>\tb\tv2\th1:\n=>\tc\tv3\th1:\n'), { message: 'build info line 3: a replacement (=>) follows no module line' });
    assert.throws(() => parseModuleInfo('dep\ta\tv1\n\n=>\tb\tv2\th1:\n'), /line 3: a replacement/);
    assert.throws(() => parseModuleInfo('dep\ta\tv1\n=>\tb\tv2\n'), { message: 'build info line 2: a module needs 3 columns, found 2' });
    assert.throws(() => parseModuleInfo('dep\ta\tv1\th1:\tmore\n'), { message: 'build info line 1: a module needs 2 or 3 columns, found 4' });
    assert.throws(() => parseModuleInfo('mod\ta\n'), { message: 'build info line 1: a module needs 2 or 3 columns, found 1' });
  });

  it('build settings: quoted keys and values, empty values, and what is not key=value', () => {
    const info = parseModuleInfo('build\t"odd key"="v a"\nbuild\t`raw`=`x y`\nbuild\tEMPTY=\nbuild\tvcs.modified=true\nbuild\tA=b=c\n');
    assert.deepEqual(info.settings, new Map([['odd key', 'v a'], ['raw', 'x y'], ['EMPTY', ''], ['vcs.modified', 'true'], ['A', 'b=c']]));
    assert.throws(() => parseModuleInfo('build\tnoequals\n'), { message: 'build info line 1: a build setting needs key=value, found "noequals"' });
    assert.throws(() => parseModuleInfo('build\t=v\n'), /line 1: a build setting needs key=value/);
    assert.throws(() => parseModuleInfo('path\tp\nbuild\t"k"v\n'), /line 2: a build setting needs key=value, found "\\"k\\"v"/);
    assert.throws(() => parseModuleInfo('build\t"open=v\n'), /a build setting needs key=value/);
    assert.throws(() => parseModuleInfo('build\tK="open\n'), { message: 'build info line 1: the value of K is not a valid Go string literal: "open' });
    assert.throws(() => parseModuleInfo('build\tK=`open\n'), /the value of K is not a valid Go string literal/);
  });
});

describe('what the preflight reads of a Go binary', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-gobin-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  let serial = 0;
  const binary = (sections: readonly SectionSpec[], bits: 32 | 64 = 64): string => {
    const path = join(scratch, `bin${(serial += 1)}`);
    writeFileSync(path, buildElf({ bits, sections }));
    return path;
  };
  const goSection = (lines: string): SectionSpec => ({ name: '.go.buildinfo', data: buildInfoSection('go1.26.8', framed(lines)), flags: 0x3 });
  const dwarf: SectionSpec = { name: '.debug_info', data: Buffer.from('x'), flags: SHF_COMPRESSED };
  const symtab: SectionSpec = { name: '.symtab', data: Buffer.from('syms'), type: 2 };

  it('a debug build: DWARF, symbols, -N -l everywhere, -trimpath', async () => {
    const facts = goInfo(await readBinaryFacts(binary([goSection(buildkitdLines), dwarf, symtab], 32)));
    assert.equal(facts.hasDwarf, true);
    assert.equal(facts.stripped, false);
    assert.equal(facts.unoptimized, 'all');
    assert.equal(facts.optimized, false);
    assert.equal(facts.trimpath, true);
    assert.equal(facts.goVersion, 'go1.26.8');
    assert.equal(facts.mainPackage, 'github.com/moby/buildkit/cmd/buildkitd');
    assert.equal(facts.deps.length, 3);
    assert.equal(facts.settings.get('-buildmode'), 'exe');
  });

  it('a release build: optimised, no -trimpath; stripped of symbols and DWARF', async () => {
    const facts = goInfo(await readBinaryFacts(binary([goSection('path\tp\nbuild\t-ldflags="-s -w"\nbuild\t-trimpath=false\n')])));
    assert.deepEqual([facts.hasDwarf, facts.stripped, facts.unoptimized, facts.optimized, facts.trimpath], [false, true, 'none', true, false]);
  });

  it('DWARF is .debug_info or the older .zdebug_info, with bytes in the file', async () => {
    const hasDwarf = async (section: SectionSpec): Promise<boolean> => (await readBinaryFacts(binary([goSection('path\tp\n'), section]))).hasDwarf;
    assert.equal(await hasDwarf({ name: '.zdebug_info', data: Buffer.from('ZLIB') }), true);
    assert.equal(await hasDwarf({ name: '.debug_info', data: Buffer.from('x') }), true);
    assert.equal(await hasDwarf({ name: '.debug_info', type: SHT_NOBITS, size: 100 }), false, 'a debug-file stub holds no DWARF');
    assert.equal(await hasDwarf({ name: '.debug_info', data: Buffer.alloc(0) }), false);
    assert.equal(await hasDwarf({ name: '.debug_line', data: Buffer.from('x') }), false);
    assert.equal(await hasDwarf({ name: '.debug_infox', data: Buffer.from('x') }), false);
  });

  it('a binary without build info, or of an older Go, keeps its ELF facts and says why', async () => {
    const cProgram = binary([dwarf, symtab]);
    assert.deepEqual(await readBinaryFacts(cProgram), {
      path: cProgram,
      hasDwarf: true,
      stripped: false,
      kind: 'not-go',
      message: `${cProgram} has no Go build info (.go.buildinfo section): it is not a Go program, or one built with Go older than 1.13`,
    });
    assert.equal((await readGoBuildInfo(cProgram)).kind, 'not-go');
    const old = binary([{ name: '.go.buildinfo', data: buildInfoSection('', Buffer.alloc(16), 0) }]);
    const facts = await readBinaryFacts(old);
    assert.equal(facts.kind, 'old-go');
    assert.match(facts.kind === 'old-go' ? facts.message : '', /built with Go older than 1\.18/);
    assert.equal(facts.hasDwarf, false);
    assert.equal(facts.stripped, true);
    const go = await readGoBuildInfo(binary([goSection('path\tq\n')]));
    assert.ok(go.kind === 'go' && go.info.mainPackage === 'q');
    await assert.rejects(readBinaryFacts(join(scratch, 'missing')), /ENOENT/);
  });

  it('optimized is false only when -N -l reach every package', () => {
    const scope = (gcflags: string | undefined): string => unoptimizedScope(new Map([['GOOS', 'linux'], ...(gcflags === undefined ? [] : [['-gcflags', gcflags] as [string, string]])]));
    const cases: [string | undefined, string][] = [
      ['all=-N -l', 'all'],
      ['all=-l -N', 'all'],
      ['all=-N -l -m', 'all'],
      [' all = -N -l ', 'all'],
      ['all=--N --l', 'all'],
      ['all=-N -l=1', 'all'],
      ['all=-N=2 -l=true', 'all'],
      ["all='-N' \"-l\"", 'all'],
      ['all=-N\t-l', 'all'],
      ['-N -l', 'command-line'],
      ['github.com/moby/buildkit/...=-N -l', 'pattern'],
      ['std=-N -l', 'pattern'],
      ['all=-N', 'none'],
      ['all=-l', 'none'],
      ['all=-N -l -l', 'none'],
      ['all=-N -l=4', 'none'],
      ['all=-N -l=0', 'none'],
      ['all=-N=false -l', 'none'],
      ['all=-N -l -l=false', 'none'],
      ['all=-N -l=x', 'none'],
      ['all=-N -l=-1', 'none'],
      ['all="-N -l"', 'none'],
      ['all=-N-l', 'none'],
      ['all=-m', 'none'],
      ['all=', 'none'],
      ['', 'none'],
      [undefined, 'none'],
      ['all=-N -l=x -l', 'all'],
      ['all=-N -l -l=x1', 'all'],
      ['all=-N -l -l=1x', 'all'],
      ['all=-N=12 -l', 'all'],
      ['all=-N -l -lang=go1.21', 'all'],
      ['all=-N -l -X-l', 'all'],
      ['all=-N -l "open', 'all'],
      [' -N=1 -l', 'command-line'],
      ['-l -N=x -N', 'command-line'],
    ];
    for (const [gcflags, expected] of cases) assert.equal(scope(gcflags), expected, JSON.stringify(gcflags));
    assert.equal(unoptimizedScope(new Map()), 'unknown', 'no settings at all: not built by go build');
  });

  it('moduleVersion finds the main module or a dependency, through replacements', () => {
    const info = parseModuleInfo(buildkitdLines);
    assert.equal(moduleVersion(info, 'github.com/moby/buildkit'), 'v0.32.2');
    assert.equal(moduleVersion(info, 'github.com/containerd/containerd/v2'), 'v2.1.4');
    assert.equal(moduleVersion(info, 'golang.org/x/sys'), 'v0.31.0');
    assert.equal(moduleVersion(info, 'github.com/containerd/nerdctl/mod/tigron'), '(devel)');
    assert.equal(moduleVersion(info, 'github.com/fork/sys'), undefined, 'a replacement is found by the path it replaces');
    assert.equal(moduleVersion(info, 'example.com/absent'), undefined);
    assert.equal(moduleVersion(parseModuleInfo('path\tp\n'), 'p'), undefined);
  });
});
