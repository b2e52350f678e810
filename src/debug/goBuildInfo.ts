// What `go version -m` shows, read from the executable itself so the preflight needs no Go
// toolchain: the Go version, the main package and module, the dependencies and the build settings.
// The Go linker puts them in the .go.buildinfo section: a 32-byte header (the 14-byte magic, the
// pointer size, a flags byte), then, since Go 1.18, the two strings inline, each after its length as
// an unsigned varint. Before 1.18 the header held pointers to them instead: not followed here.
import { type ElfImage, withElf } from './elfSections';
import { goQuotedPrefix, goUnquote, type QuotedPrefix } from './goQuoted';

export interface GoModule {
  readonly path: string;
  /** "v0.32.2", a pseudo-version, or "(devel)" for the main module built from a checkout or a directory replacement. */
  readonly version: string;
  /** go.sum's hash, "h1:..."; empty for the main module of a checkout and for a replaced module. */
  readonly sum: string;
  /** What go.mod's replace directive put in its place: the code the binary really holds. */
  readonly replace?: GoModule;
}

export interface ModuleInfo {
  /** The main package's import path ("github.com/moby/buildkit/cmd/buildkitd"). */
  readonly mainPackage: string;
  /** Undefined when the binary was built outside module mode (or by another build system). */
  readonly mainModule: GoModule | undefined;
  readonly deps: readonly GoModule[];
  /** Build settings by key, quoting removed: "-gcflags" -> "all=-N -l", "-trimpath" -> "true", "GOARCH" -> "amd64". */
  readonly settings: ReadonlyMap<string, string>;
}

export interface GoBuildInfo extends ModuleInfo {
  readonly goVersion: string;
}

export type BuildInfoResult =
  | { readonly kind: 'go'; readonly info: GoBuildInfo }
  /** Go before 1.18: the header points at the strings; the preflight says so rather than guess. */
  | { readonly kind: 'old-go'; readonly message: string }
  /** No .go.buildinfo section: not a Go program (or one older than Go 1.13). */
  | { readonly kind: 'not-go'; readonly message: string };

const magic = Buffer.from('\xff Go buildinf:', 'latin1');
const headerSize = 32;
const flagInline = 0x2;
/** cmd/go frames the module info with a 16-byte binary sentinel on each side. */
const sentinelSize = 16;

/** An unsigned LEB128 varint at `at`; arithmetic, not bit shifts, which JavaScript limits to 32 bits. */
function uvarint(bytes: Buffer, at: number, name: string): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 10; i += 1) {
    const byte = bytes[at + i];
    if (byte === undefined) break;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  throw new Error(`${name}: the build info's string length at offset ${at} is truncated or malformed`);
}

function lengthPrefixed(bytes: Buffer, at: number, name: string): { value: Buffer; next: number } {
  const { value: length, next } = uvarint(bytes, at, name);
  if (next + length > bytes.length) throw new Error(`${name}: a build info string of ${length} bytes at offset ${at} runs past the section's end`);
  return { value: bytes.subarray(next, next + length), next: next + length };
}

/** The 2 or 3 tab-separated columns of a mod, dep or => line: path, version and, unless replaced, the sum. */
function moduleOf(columns: readonly string[], line: number, replacement: boolean): GoModule {
  if (columns.length !== 3 && (replacement || columns.length !== 2)) {
    throw new Error(`build info line ${line}: a module needs ${replacement ? '3' : '2 or 3'} columns, found ${columns.length}`);
  }
  const [path, version, sum = ''] = columns;
  return { path, version, sum };
}

function quoted(text: string): boolean {
  return text.startsWith('"') || text.startsWith('`');
}

/** One build line's `key=value`, either side possibly a Go string literal. */
function settingOf(text: string, line: number): [string, string] {
  let key: QuotedPrefix | undefined;
  if (quoted(text)) key = goQuotedPrefix(text);
  else {
    const end = text.indexOf('=');
    key = end > 0 ? { value: text.slice(0, end), length: end } : undefined;
  }
  if (!key || text.charAt(key.length) !== '=') throw new Error(`build info line ${line}: a build setting needs key=value, found ${JSON.stringify(text)}`);
  const raw = text.slice(key.length + 1);
  const value = quoted(raw) ? goUnquote(raw) : raw;
  if (value === undefined) throw new Error(`build info line ${line}: the value of ${key.value} is not a valid Go string literal: ${raw}`);
  return [key.value, value];
}

/** Reads the module info text (the lines `go version -m` indents); lines of unknown kinds are skipped. */
export function parseModuleInfo(text: string): ModuleInfo {
  let mainPackage = '';
  let mainModule: GoModule | undefined;
  const deps: GoModule[] = [];
  const settings = new Map<string, string>();
  // Which module a `=>` line replaces: the mod or dep line right before it, only once.
  let replaceable: ((replacement: GoModule) => void) | undefined;
  text.split('\n').forEach((lineText, index) => {
    const line = index + 1;
    const [kind, ...columns] = lineText.split('\t');
    const rest = lineText.slice(kind.length + 1);
    let next: typeof replaceable;
    if (kind === 'path') mainPackage = rest;
    else if (kind === 'mod') {
      const module = moduleOf(columns, line, false);
      mainModule = module;
      next = (replace) => (mainModule = { ...module, replace });
    } else if (kind === 'dep') {
      const module = moduleOf(columns, line, false);
      const at = deps.push(module) - 1;
      next = (replace) => (deps[at] = { ...module, replace });
    } else if (kind === '=>') {
      if (!replaceable) throw new Error(`build info line ${line}: a replacement (=>) follows no module line`);
      replaceable(moduleOf(columns, line, true));
    } else if (kind === 'build') {
      const [key, value] = settingOf(rest, line);
      settings.set(key, value);
    }
    replaceable = next;
  });
  return { mainPackage, mainModule, deps, settings };
}

/** Parses the bytes of a .go.buildinfo section; `name` is how errors call the binary. */
export function parseBuildInfoSection(bytes: Buffer, name: string): BuildInfoResult {
  if (bytes.length < headerSize || !bytes.subarray(0, magic.length).equals(magic)) {
    throw new Error(`${name}: its .go.buildinfo section does not start with Go's build info header`);
  }
  if ((bytes[15] ?? 0) & flagInline) {
    const version = lengthPrefixed(bytes, headerSize, name);
    const modules = lengthPrefixed(bytes, version.next, name).value;
    const goVersion = version.value.toString('utf8');
    if (goVersion === '') throw new Error(`${name}: its build info names no Go version`);
    // The sentinels are binary: strip them as bytes, before decoding. Framed module info ends with a
    // newline just before the end sentinel; a binary built outside module mode (or by another build
    // system) has none at all.
    if (modules[modules.length - sentinelSize - 1] !== 0x0a) return { kind: 'go', info: { goVersion, mainPackage: '', mainModule: undefined, deps: [], settings: new Map() } };
    const text = modules.subarray(sentinelSize, modules.length - sentinelSize).toString('utf8');
    return { kind: 'go', info: { goVersion, ...parseModuleInfo(text) } };
  }
  return { kind: 'old-go', message: `${name} was built with Go older than 1.18, whose build info this reader does not follow: rebuild it with a newer Go` };
}

/** The build info of an opened ELF image. */
export async function buildInfoOf(elf: ElfImage, name: string): Promise<BuildInfoResult> {
  const section = elf.section('.go.buildinfo');
  if (!section) return { kind: 'not-go', message: `${name} has no Go build info (.go.buildinfo section): it is not a Go program, or one built with Go older than 1.13` };
  return parseBuildInfoSection(await elf.bytes(section), name);
}

export function readGoBuildInfo(path: string): Promise<BuildInfoResult> {
  return withElf(path, (elf) => buildInfoOf(elf, path));
}
