// What the debugger's preflight reads of real Go binaries, without Go, checked against Go's own
// reading of them (`go version -m`, Go 1.26) and binutils' (readelf -S): the BuildKit builds of the
// set-up (optimised, -N -l, -N -l with -trimpath, linked -s -w), nerdctl 2 (a replaced module), dlv,
// and the fixture program built here by Debian's Go 1.19, for amd64, 386 (ELF32) and s390x
// (big-endian, refused by name), with and without -N -l, linked -s -w, or run through strip.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { moduleVersion, readBinaryFacts, type BinaryFacts, type GoBinaryFacts } from '../../src/debug/binaryFacts';
import { readElfSections, SHF_COMPRESSED, withElf } from '../../src/debug/elfSections';
import type { GoModule } from '../../src/debug/goBuildInfo';
import { loadComponents, MissingComponentError } from '../harness/components';
import { buildHello, debianGo, helloSource } from '../harness/goHello';

const run = promisify(execFile);
const newGo = '/usr/local/go/bin/go';

function requireProgram(path: string, what: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new MissingComponentError(`${what} is missing: ${path} is not an executable file. Run \`npm run setup\` to install it.`);
  }
  return path;
}

/** What `go version -m` says of a binary: its lines for the modules, its JSON for the settings (no quoting to undo). */
interface Oracle {
  readonly goVersion: string;
  readonly mainPackage: string;
  readonly mainModule: GoModule | undefined;
  readonly deps: readonly GoModule[];
  readonly settings: ReadonlyMap<string, string>;
}

async function goVersionM(binary: string): Promise<Oracle> {
  const { stdout } = await run(newGo, ['version', '-m', binary], { maxBuffer: 16 * 1024 * 1024 });
  const [first = '', ...lines] = stdout.split('\n');
  const goVersion = first.slice(`${binary}: `.length);
  let mainPackage = '';
  let mainModule: GoModule | undefined;
  const deps: GoModule[] = [];
  for (const line of lines) {
    const [, kind, ...columns] = line.split('\t');
    const module = (): GoModule => ({ path: columns[0] ?? '', version: columns[1] ?? '', sum: columns[2] ?? '' });
    if (kind === 'path') mainPackage = columns.join('\t');
    else if (kind === 'mod') mainModule = module();
    else if (kind === 'dep') deps.push(module());
    else if (kind === '=>') {
      const last = deps.pop();
      assert.ok(last, `a replacement follows no dependency in go version -m ${binary}`);
      deps.push({ ...last, replace: module() });
    }
  }
  const json = await run(newGo, ['version', '-m', '-json', binary], { maxBuffer: 16 * 1024 * 1024 });
  const parsed = JSON.parse(json.stdout) as { Settings?: { Key: string; Value: string }[] };
  const settings = new Map((parsed.Settings ?? []).map(({ Key, Value }) => [Key, Value]));
  return { goVersion, mainPackage, mainModule, deps, settings };
}

function goFacts(facts: BinaryFacts): GoBinaryFacts {
  assert.equal(facts.kind, 'go', JSON.stringify(facts));
  return facts;
}

/** Our reading equals Go's, field by field (deps compared whole, replacements included). */
async function assertSameAsGo(binary: string): Promise<GoBinaryFacts> {
  const [facts, oracle] = await Promise.all([readBinaryFacts(binary).then(goFacts), goVersionM(binary)]);
  assert.equal(facts.goVersion, oracle.goVersion);
  assert.equal(facts.mainPackage, oracle.mainPackage);
  assert.deepEqual(facts.mainModule, oracle.mainModule);
  assert.deepEqual(facts.deps, oracle.deps);
  assert.deepEqual(facts.settings, oracle.settings);
  assert.ok(oracle.settings.size > 0 && oracle.mainPackage !== '', `${binary}: go version -m said too little to compare`);
  return facts;
}

/** readelf's section table: name, offset, size, and whether its flags hold C (compressed). */
async function readelfSections(binary: string): Promise<string[]> {
  const { stdout } = await run('readelf', ['-S', '-W', binary], { maxBuffer: 4 * 1024 * 1024 });
  const row = /^\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+$/;
  return stdout.split('\n').flatMap((line) => {
    const match = row.exec(line);
    if (!match || match[1] === '0') return [];
    return [`${match[2]} ${parseInt(match[3] ?? '', 16)} ${parseInt(match[4] ?? '', 16)} ${(match[5] ?? '').includes('C')}`];
  });
}

async function assertSectionsAsReadelf(binary: string): Promise<void> {
  const ours = (await readElfSections(binary)).slice(1).map((s) => `${s.name} ${s.offset} ${s.size} ${(s.flags & SHF_COMPRESSED) !== 0}`);
  const theirs = await readelfSections(binary);
  assert.ok(theirs.length > 10, `readelf listed ${theirs.length} sections of ${binary}`);
  assert.deepEqual(ours, theirs);
}

describe('Go binary facts: the set-up\'s BuildKit builds, nerdctl and dlv', () => {
  const { tools } = loadComponents();
  requireProgram(newGo, 'Go 1.26 (/usr/local/go, set-up installs it)');

  it('an optimised buildkitd: what go version -m says, DWARF and symbols kept', async () => {
    const facts = await assertSameAsGo(tools.buildkitd);
    assert.deepEqual([facts.optimized, facts.unoptimized, facts.trimpath, facts.hasDwarf, facts.stripped], [true, 'none', false, true, false]);
    assert.equal(moduleVersion(facts, 'github.com/moby/buildkit'), facts.mainModule?.version);
    assert.match(moduleVersion(facts, 'github.com/moby/buildkit') ?? '', /^v0\.\d+\.\d+$/);
    assert.match(facts.goVersion, /^go1\.\d+/);
    await assertSectionsAsReadelf(tools.buildkitd);
  });

  it('a -N -l buildkitd is not optimised, and its DWARF is compressed in .debug_info', async () => {
    const facts = await assertSameAsGo(tools.buildkitdDebug);
    assert.deepEqual([facts.optimized, facts.unoptimized, facts.trimpath, facts.hasDwarf, facts.stripped], [false, 'all', false, true, false]);
    assert.equal(facts.settings.get('-gcflags'), 'all=-N -l');
    const info = (await readElfSections(tools.buildkitdDebug)).find((s) => s.name === '.debug_info');
    assert.ok(info && (info.flags & SHF_COMPRESSED) !== 0, 'Go compresses its DWARF');
  });

  it('a -trimpath -N -l buildkitd says -trimpath (and records no -ldflags: go build drops them with -trimpath)', async () => {
    const facts = await assertSameAsGo(tools.buildkitdTrimpath);
    assert.deepEqual([facts.optimized, facts.unoptimized, facts.trimpath, facts.hasDwarf, facts.stripped], [false, 'all', true, true, false]);
    assert.equal(facts.settings.has('-ldflags'), false);
    await assertSectionsAsReadelf(tools.buildkitdTrimpath);
  });

  it('a buildkitd linked -s -w has no DWARF and no symbols, its build info intact', async () => {
    const facts = await assertSameAsGo(tools.buildkitdStripped);
    assert.deepEqual([facts.hasDwarf, facts.stripped, facts.optimized], [false, true, true]);
    assert.equal(moduleVersion(facts, 'github.com/moby/buildkit'), moduleVersion(await readBinaryFacts(tools.buildkitd).then(goFacts), 'github.com/moby/buildkit'));
    await assertSectionsAsReadelf(tools.buildkitdStripped);
  });

  it('nerdctl 2 replaces a module with a directory; dlv records a quoted DefaultGODEBUG', async () => {
    const nerdctl = await assertSameAsGo(tools.nerdctl['2.x']);
    const replaced = nerdctl.deps.filter((dep) => dep.replace);
    assert.ok(replaced.length > 0, 'nerdctl 2 has a replaced module');
    for (const dep of replaced) assert.equal(moduleVersion(nerdctl, dep.path), dep.replace?.version);
    await assertSameAsGo(tools.dlv);
    await assertSameAsGo(tools.buildctl);
  });
});

describe('Go binary facts: the fixture program built by Debian\'s Go 1.19', () => {
  requireProgram(debianGo, 'Debian\'s golang-go (Go 1.19)');
  requireProgram(newGo, 'Go 1.26 (/usr/local/go)');
  requireProgram('/usr/bin/strip', 'binutils\' strip');
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-gofacts-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const binaries = new Map<string, string>();

  async function build(name: string, flags: readonly string[], goarch = 'amd64'): Promise<void> {
    binaries.set(name, await buildHello(debianGo, flags, goarch));
  }
  const binary = (name: string): string => binaries.get(name) ?? assert.fail(`${name} was not built`);

  before(async () => {
    await build('debug', ['-gcflags=all=-N -l']);
    await build('release', []);
    await build('main-only', ['-gcflags=-N -l']);
    await build('ldflags-s-w', ['-ldflags=-s -w']);
    await build('i386', ['-gcflags=all=-N -l'], '386');
    await build('s390x', [], 's390x');
    copyFileSync(binary('debug'), join(scratch, 'stripped'));
    await run('/usr/bin/strip', [join(scratch, 'stripped')]);
    binaries.set('stripped', join(scratch, 'stripped'));
  });

  it('-gcflags=all=-N -l: Go 1.19, not optimised, with DWARF', async () => {
    const facts = await assertSameAsGo(binary('debug'));
    assert.match(facts.goVersion, /^go1\.19(\.|$)/);
    assert.equal(facts.mainPackage, 'example.com/hello');
    assert.deepEqual(facts.mainModule, { path: 'example.com/hello', version: '(devel)', sum: '' });
    assert.deepEqual([facts.optimized, facts.unoptimized, facts.hasDwarf, facts.stripped, facts.trimpath], [false, 'all', true, false, false]);
    await assertSectionsAsReadelf(binary('debug'));
  });

  it('no -gcflags: optimised; -gcflags without all=: only the main package is not', async () => {
    const release = await assertSameAsGo(binary('release'));
    assert.deepEqual([release.optimized, release.unoptimized, release.hasDwarf], [true, 'none', true]);
    const mainOnly = await assertSameAsGo(binary('main-only'));
    assert.deepEqual([mainOnly.optimized, mainOnly.unoptimized, mainOnly.hasDwarf], [true, 'command-line', true]);
  });

  it('-ldflags=-s -w, or strip afterwards: no DWARF, no symbols, build info still read', async () => {
    const linked = await assertSameAsGo(binary('ldflags-s-w'));
    assert.deepEqual([linked.hasDwarf, linked.stripped], [false, true]);
    const stripped = await assertSameAsGo(binary('stripped'));
    assert.deepEqual([stripped.hasDwarf, stripped.stripped, stripped.optimized], [false, true, false]);
    await assertSectionsAsReadelf(binary('stripped'));
  });

  it('a 386 build is ELF32, read the same way', async () => {
    assert.equal(await withElf(binary('i386'), (elf) => Promise.resolve(elf.bits)), 32);
    const facts = await assertSameAsGo(binary('i386'));
    assert.deepEqual([facts.settings.get('GOARCH'), facts.optimized, facts.hasDwarf], ['386', false, true]);
    await assertSectionsAsReadelf(binary('i386'));
  });

  it('a big-endian (s390x) build is refused by name, though Go itself reads it', async () => {
    const oracle = await goVersionM(binary('s390x'));
    assert.equal(oracle.settings.get('GOARCH'), 's390x');
    await assert.rejects(readBinaryFacts(binary('s390x')), { message: `${binary('s390x')} is a big-endian ELF executable, which this reader does not support` });
  });

  it('a file that is not ELF is refused by name', async () => {
    const source = join(helloSource(), 'main.go');
    await assert.rejects(readBinaryFacts(source), { message: `${source} is not an ELF executable` });
  });
});
