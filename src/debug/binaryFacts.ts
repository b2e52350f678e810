// The facts about a Go executable that decide how well dlv can debug it, read from the file alone
// (no Go toolchain on the user's machine is assumed): its DWARF, its symbols, and the flags that
// compiled it, as its build info recorded them.
import { type ElfSection, SHT_NOBITS, withElf } from './elfSections';
import { buildInfoOf, type GoBuildInfo, type ModuleInfo } from './goBuildInfo';

/**
 * Which packages the recorded -gcflags compiled with both -N (no optimisation) and -l (no
 * inlining), which is what lets dlv show every variable and step line by line:
 * - 'all': the `all=` pattern, every package, dependencies and standard library included;
 * - 'command-line': no pattern, so only the packages named on the go build command line (the main
 *   package): the dependencies, where most of buildkitd's code lives, are still optimised;
 * - 'pattern': another pattern (`github.com/moby/buildkit/...=-N -l`): only the packages it matches;
 * - 'none': optimised, Go's default;
 * - 'unknown': the binary records no build settings (built by something other than go build).
 * go build records only the last -gcflags it was given: an earlier one for other packages is lost.
 */
export type UnoptimizedScope = 'all' | 'command-line' | 'pattern' | 'none' | 'unknown';

export interface ElfFacts {
  readonly path: string;
  /** DWARF is where dlv finds lines, types and variables: -ldflags=-w, -s (since Go 1.22) and strip remove it. */
  readonly hasDwarf: boolean;
  /** No symbol table (.symtab): linked with -ldflags=-s, or run through strip. */
  readonly stripped: boolean;
}

export interface GoBinaryFacts extends ElfFacts, GoBuildInfo {
  readonly kind: 'go';
  readonly unoptimized: UnoptimizedScope;
  /** False only when every package was compiled with -N -l (unoptimized === 'all'); true when unknown. */
  readonly optimized: boolean;
  /** Built with -trimpath: its DWARF names sources by module path, not by where they were on disk. */
  readonly trimpath: boolean;
}

/** A file whose build info cannot be read: too old a Go, or not Go at all. */
export interface UnreadBinaryFacts extends ElfFacts {
  readonly kind: 'old-go' | 'not-go';
  readonly message: string;
}

export type BinaryFacts = GoBinaryFacts | UnreadBinaryFacts;

/** Splits flags as go build does: at spaces, with '…' or "…" holding one field (no escapes inside). */
function splitQuoted(text: string): string[] {
  return [...text.matchAll(/(["'])([^]*?)\1|[^ \t\r\n]+/g)].map((match) => match[2] ?? match[0]);
}

/**
 * The compiler's -N and -l are counters: bare or `=true` adds one, `=false` clears, `=n` sets.
 * -N >= 1 turns optimisation off; inlining is off only when -l counts exactly 1 (`-l -l` turns it
 * back on, with extra debugging).
 */
function debuggable(flags: readonly string[]): boolean {
  const counts = { N: 0, l: 0 };
  for (const flag of flags) {
    const match = /^--?([Nl])(?:=(.*))?$/.exec(flag);
    if (!match) continue;
    const name = match[1] as 'N' | 'l';
    const value = match[2];
    if (value === undefined || value === 'true') counts[name] += 1;
    else if (value === 'false') counts[name] = 0;
    else if (/^\d+$/.test(value)) counts[name] = Number(value);
  }
  return counts.N >= 1 && counts.l === 1;
}

/** Where the recorded build settings say -N -l applied (see UnoptimizedScope). */
export function unoptimizedScope(settings: ReadonlyMap<string, string>): UnoptimizedScope {
  if (settings.size === 0) return 'unknown';
  const gcflags = settings.get('-gcflags')?.trim();
  if (!gcflags) return 'none';
  // `pattern=flags` unless the value starts with a flag; the pattern is trimmed as go build does.
  const split = gcflags.startsWith('-') ? -1 : gcflags.indexOf('=');
  const pattern = split < 0 ? undefined : gcflags.slice(0, split).trim();
  if (!debuggable(splitQuoted(gcflags.slice(split + 1)))) return 'none';
  if (pattern === undefined) return 'command-line';
  return pattern === 'all' ? 'all' : 'pattern';
}

/** Go's linker writes DWARF compressed, in .debug_* sections marked SHF_COMPRESSED (before Go 1.12: .zdebug_*). */
function isDwarfInfo(section: ElfSection): boolean {
  return (section.name === '.debug_info' || section.name === '.zdebug_info') && section.type !== SHT_NOBITS && section.size > 0;
}

export function readBinaryFacts(path: string): Promise<BinaryFacts> {
  return withElf(path, async (elf) => {
    const elfFacts: ElfFacts = { path, hasDwarf: elf.sections.some(isDwarfInfo), stripped: !elf.section('.symtab') };
    const build = await buildInfoOf(elf, path);
    if (build.kind !== 'go') return { ...elfFacts, kind: build.kind, message: build.message };
    const unoptimized = unoptimizedScope(build.info.settings);
    return {
      ...elfFacts,
      ...build.info,
      kind: 'go',
      unoptimized,
      optimized: unoptimized !== 'all',
      trimpath: build.info.settings.get('-trimpath') === 'true',
    };
  });
}

/**
 * The version of `modulePath` the binary holds, whether it is the main module or a dependency; a
 * replaced module gives its replacement's version ("(devel)" for a directory). Undefined when the
 * binary holds no such module.
 */
export function moduleVersion(facts: ModuleInfo, modulePath: string): string | undefined {
  const module = [facts.mainModule, ...facts.deps].find((candidate) => candidate?.path === modulePath);
  return module && (module.replace ?? module).version;
}
