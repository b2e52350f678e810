// One entry of a layer's tar as the filesystem views use it: the path made safe (relative to the
// root, `..` unable to climb out, as containerd's applier joins it to "/"), the kind, and the
// metadata a listing shows. File data is never held here.

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface LayerEntry {
  /** `usr/bin/env`: no leading `/` or `./`, no trailing `/`; '' is the root itself. */
  readonly path: string;
  readonly kind: EntryKind;
  /** Bytes of file data (0 for everything but regular files; a hard link's data is its target's). */
  readonly size: number;
  /** Permission bits with setuid, setgid and sticky (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime?: Date;
  /** A symlink's target as written; a hard link's target path, made safe like `path`. */
  readonly linkTarget?: string;
}

/** A tar path made relative to the root: `./a//b/../c/` -> `a/c`; `../../etc` -> `etc`. */
export function safeEntryPath(raw: string): string {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The folder holding a path ('' for a top-level name) and the name within it. */
export function splitPath(path: string): { readonly dir: string; readonly name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { dir: '', name: path } : { dir: path.slice(0, slash), name: path.slice(slash + 1) };
}
