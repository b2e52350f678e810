// Source mapping for a binary built with -trimpath: its DWARF names files by module path
// ("github.com/moby/buildkit@v0.32.2/control/control.go"), not by a path on disk, so breakpoints
// set in an editor bind nowhere. Where the Go module cache or a workspace folder holds a module's
// source, a substitutePath entry (local folder -> recorded prefix) makes them bind.
import { join } from 'node:path';

/** A module as a binary's build info names it. */
export interface ModuleRef {
  readonly path: string;
  readonly version: string;
  /** A go.mod replacement: the code the binary holds. */
  readonly replace?: ModuleRef;
}

export interface SubstitutePathEntry {
  /** The folder on this machine (what the editor has). */
  readonly from: string;
  /** The prefix the binary records (what dlv has). */
  readonly to: string;
}

export interface SourceRoots {
  /** Go module caches to look in, first match wins. */
  readonly moduleCaches: readonly string[];
  /** Workspace folders holding a module's source, by the module path their go.mod declares. */
  readonly workspaceModules: ReadonlyMap<string, string>;
}

/** The module cache's spelling of a path or version: each capital letter as "!" + lower case. */
export function escapeModulePath(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

/** Where a Go module cache is, from the environment as `go env GOMODCACHE` would decide. */
export function moduleCacheCandidates(env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  const candidates: string[] = [];
  if (env.GOMODCACHE) candidates.push(env.GOMODCACHE);
  const gopath = env.GOPATH?.split(':').find(Boolean);
  candidates.push(join(gopath ?? join(home, 'go'), 'pkg', 'mod'));
  return [...new Set(candidates)];
}

/** The module a go.mod declares, from its `module` line. */
export function declaredModule(goMod: string): string | undefined {
  return /^module\s+"?([^\s"]+)"?\s*$/m.exec(goMod)?.[1];
}

/**
 * How -trimpath names a module's folder: "path@version", or the bare path for a main module built
 * in its own checkout (version "(devel)"). A main module fetched by version (`go build pkg@v`, a
 * tools module) is recorded with its version like any dependency; a replaced one by what replaced it.
 */
export function recordedPrefix(module: ModuleRef): string {
  const held = module.replace ?? module;
  return held.version && held.version !== '(devel)' ? `${held.path}@${held.version}` : module.path;
}

/** dlv applies the first entry that matches: longer local folders first, so nested ones map before their parent. */
function longestFirst(a: SubstitutePathEntry, b: SubstitutePathEntry): number {
  return b.from.length - a.from.length || a.from.localeCompare(b.from);
}

/**
 * The entries for every module of the binary whose source is here. A workspace folder wins over the cache (it
 * is what the user edits). Longest local folders first, so nested modules map before their parent.
 */
export async function proposeSubstitutePath(
  modules: { readonly main: ModuleRef | undefined; readonly deps: readonly ModuleRef[] },
  roots: SourceRoots,
  isFolder: (path: string) => Promise<boolean>,
): Promise<SubstitutePathEntry[]> {
  const wanted = [...(modules.main ? [modules.main] : []), ...modules.deps].map((module) => ({ module, recorded: recordedPrefix(module) }));
  const entries: SubstitutePathEntry[] = [];
  for (const { module, recorded } of wanted) {
    const workspace = roots.workspaceModules.get(module.path);
    if (workspace !== undefined) {
      entries.push({ from: workspace, to: recorded });
      continue;
    }
    const held = module.replace ?? module;
    if (!held.version || held.version === '(devel)') continue;
    for (const cache of roots.moduleCaches) {
      const folder = join(cache, `${escapeModulePath(held.path)}@${escapeModulePath(held.version)}`);
      if (await isFolder(folder)) {
        entries.push({ from: folder, to: recorded });
        break;
      }
    }
  }
  return entries.sort(longestFirst);
}

/** A folder the editor names one way (`path`) that is another on disk (`real`: symlinks resolved). */
export interface LinkedFolder {
  readonly path: string;
  readonly real: string;
}

/**
 * For a binary that names its sources by where they were on disk (built without -trimpath): dlv
 * matches breakpoint paths as text, so a folder the editor reaches through a symbolic link binds
 * nothing when the binary was built from the real folder. Each such folder maps to its real path
 * where the binary holds the real spelling and not the linked one (`holds` asks the binary).
 */
export function linkedFolderSubstitutions(folders: readonly LinkedFolder[], holds: (prefix: string) => boolean): SubstitutePathEntry[] {
  const entries = new Map<string, SubstitutePathEntry>();
  // A folder that is no link holds both spellings (they are one), so it is never mapped.
  for (const { path, real } of folders) if (holds(`${real}/`) && !holds(`${path}/`)) entries.set(path, { from: path, to: real });
  return [...entries.values()].sort(longestFirst);
}
