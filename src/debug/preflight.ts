// The checks a buildkitd debug session passes before dlv starts, each finding with its fix: dlv
// present and able to read the binary's Go; the binary debuggable (DWARF), worth debugging (not
// optimized) and mapped to its source (-trimpath); the kernel letting dlv attach. Every fact is
// gathered by an injected reader, so the rules are tested on their own and on real binaries.
import { goFitsDlv } from './dlvCompat';
import type { Finding } from './finding';
import { ptraceFinding, type PtraceFacts } from './ptraceCheck';
import type { ModuleRef, SubstitutePathEntry } from './substitutePath';

/** What the preflight needs to know of the binary under the debugger. */
export interface BinaryView {
  readonly goVersion: string;
  readonly hasDwarf: boolean;
  readonly optimized: boolean;
  readonly trimpath: boolean;
  readonly mainModule?: ModuleRef;
  readonly deps: readonly ModuleRef[];
}

export interface PreflightInput {
  /** The binary's path, for the messages. */
  readonly binary: string;
  /** The dlv that would run, or why none was found. */
  readonly dlv: { readonly path: string; readonly version: string | undefined } | { readonly missing: string };
  /** The binary's facts, or why they could not be read (not a Go binary, no permission). */
  readonly facts: BinaryView | { readonly unreadable: string };
  /** For an attach: who may ptrace whom. */
  readonly ptrace: PtraceFacts | undefined;
  /** False when dlvFlags turn dlv's own Go version check off (--check-go-version=false). */
  readonly checkGoVersion: boolean;
  /** The configuration's own substitutePath, if it gave one (then none is proposed). */
  readonly givenSubstitutePath: readonly SubstitutePathEntry[] | undefined;
  /** Finds local source for the binary's modules (only asked for a -trimpath build). */
  readonly proposeSubstitutePath: (modules: { main: ModuleRef | undefined; deps: readonly ModuleRef[] }) => Promise<SubstitutePathEntry[]>;
  /** Maps source folders reached through symlinks to the real paths the binary holds (only asked for a build without -trimpath). */
  readonly proposeLinkedFolders: () => Promise<SubstitutePathEntry[]>;
}

export interface PreflightResult {
  readonly findings: readonly Finding[];
  /** The substitutePath the session uses: the given one, else the proposal (-trimpath, or symlinked folders). */
  readonly substitutePath: readonly SubstitutePathEntry[] | undefined;
}

export const debugBuildFlags = "-gcflags='all=-N -l'";

export function hasErrors(result: PreflightResult): boolean {
  return result.findings.some((f) => f.level === 'error');
}

function dlvFinding(input: PreflightInput, goVersion: string | undefined): Finding | undefined {
  if ('missing' in input.dlv) {
    return { check: 'dlv', level: 'error', message: `Delve (dlv) was not found: ${input.dlv.missing}.`, fix: 'Install it with `go install github.com/go-delve/delve/cmd/dlv@latest`, or set containerd.debug.dlvPath (or "dlvPath" in the configuration) to its path.' };
  }
  if (!goVersion || !input.dlv.version) return undefined;
  const fit = goFitsDlv(input.dlv.version, goVersion);
  if (fit.fits !== false) return undefined;
  const range = `Go 1.${fit.range.min} to 1.${fit.range.max}`;
  // Delve's own policy: unsupported, "undefined behavior". dlv 1.20's attach goes ahead anyway and
  // then misreads the runtime, so it is an error unless the user turned the check off on purpose.
  const level = input.checkGoVersion ? 'error' : 'warning';
  const escape = input.checkGoVersion ? ' To try anyway, add "--check-go-version=false" to "dlvFlags".' : '';
  return fit.reason === 'too-old-dlv'
    ? { check: 'go-version', level, message: `${input.binary} was built with ${goVersion}, and dlv ${input.dlv.version} (${input.dlv.path}) reads only ${range}.`, fix: `Use a newer Delve: \`go install github.com/go-delve/delve/cmd/dlv@latest\` with the same Go, then point containerd.debug.dlvPath at it.${escape}` }
    : { check: 'go-version', level, message: `${input.binary} was built with ${goVersion}, older than dlv ${input.dlv.version} (${input.dlv.path}) supports (${range}).`, fix: `Use the Delve release of that Go's time (its range includes the binary's Go), or rebuild the binary with a newer Go.${escape}` };
}

/** A mapping said in a finding: its first three entries, and "..." for the rest. */
function firstThree(entries: readonly string[]): string {
  return `${entries.slice(0, 3).join('; ')}${entries.length > 3 ? '; ...' : ''}`;
}

export async function runPreflight(input: PreflightInput): Promise<PreflightResult> {
  const findings: Finding[] = [];
  const add = (finding: Finding | undefined): void => {
    if (finding) findings.push(finding);
  };
  const ptrace = input.ptrace ? ptraceFinding(input.ptrace) : undefined;
  if ('unreadable' in input.facts) {
    add(dlvFinding(input, undefined));
    // Another user's /proc/PID/exe is unreadable for the very reason ptrace would refuse: say that.
    if (ptrace?.level === 'error') return { findings: [...findings, ptrace], substitutePath: input.givenSubstitutePath };
    // With asRoot, root's dlv reads what this user cannot: only the checks of the binary are lost.
    if (input.ptrace?.asRoot) {
      add({ check: 'binary', level: 'warning', message: `${input.binary} cannot be read as you (${input.facts.unreadable}), so its debug information, optimisation and Go version were not checked.`, fix: 'Root\'s dlv reads it; if the session shows no source, check that it is a -N -l build with DWARF.' });
      return { findings, substitutePath: input.givenSubstitutePath };
    }
    add({ check: 'binary', level: 'error', message: `${input.binary} cannot be debugged with Delve: ${input.facts.unreadable}.`, fix: 'Point the configuration at a Go-built buildkitd or buildctl that you can read.' });
    return { findings, substitutePath: input.givenSubstitutePath };
  }
  const facts = input.facts;
  add(dlvFinding(input, facts.goVersion));
  if (!facts.hasDwarf) {
    add({ check: 'dwarf', level: 'error', message: `${input.binary} carries no debugging information (DWARF): it was stripped or linked with -ldflags="-s -w", so Delve cannot show its source.`, fix: `Rebuild it without -s -w and without strip, for example \`go build ${debugBuildFlags} ./cmd/buildkitd\`.` });
  } else if (facts.optimized) {
    add({ check: 'optimized', level: 'warning', message: `${input.binary} is an optimized build: breakpoints may land on other lines and variables may read "optimized away".`, fix: `For a faithful session rebuild it with \`go build ${debugBuildFlags} ./cmd/buildkitd\`.` });
  }
  let substitutePath = input.givenSubstitutePath;
  if (facts.trimpath && facts.hasDwarf && substitutePath === undefined) {
    const proposed = await input.proposeSubstitutePath({ main: facts.mainModule, deps: facts.deps });
    if (proposed.length > 0) {
      substitutePath = proposed;
      const shown = firstThree(proposed.map((e) => `${e.to} -> ${e.from}`));
      add({ check: 'trimpath', level: 'info', message: `${input.binary} was built with -trimpath, so its files are named by module. Mapped ${proposed.length} module(s) to source found here: ${shown}.`, fix: 'To keep this mapping or change it, copy "substitutePath" from the debug log into the configuration.' });
    } else {
      const module = facts.mainModule ? `${facts.mainModule.path}@${facts.mainModule.version}` : 'its modules';
      add({ check: 'trimpath', level: 'warning', message: `${input.binary} was built with -trimpath, and no source for ${module} was found in the Go module cache or the workspace: breakpoints will not bind.`, fix: `Open the module's source as a workspace folder, or fetch it with \`go mod download ${module}\`, or give "substitutePath" yourself.` });
    }
  }
  if (!facts.trimpath && facts.hasDwarf && substitutePath === undefined) {
    const linked = await input.proposeLinkedFolders();
    if (linked.length > 0) {
      substitutePath = linked;
      const shown = firstThree(linked.map((e) => `${e.from} -> ${e.to}`));
      add({ check: 'symlink', level: 'info', message: `${input.binary} names its sources by their real paths, and ${linked.length === 1 ? 'a source folder is' : `${linked.length} source folders are`} reached here through a symbolic link, which Delve does not follow: mapped ${shown}.`, fix: 'To keep this mapping or change it, copy "substitutePath" from the debug log into the configuration; or open the folder by its real path.' });
    }
  }
  add(ptrace);
  return { findings, substitutePath };
}
