// The ground truth an image-filesystem reader is compared against, taken from the real tools and
// never from our own tar reading: the merged root filesystem as containerd itself unpacks and
// mounts it (`ctr images mount`, overlayfs), and one layer as GNU tar lists and extracts it.
import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, type Stats } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readlink, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EntryKind } from '../../src/containerd/layers/layerEntry';
import { loadComponents } from './components';
import type { ContainerdDaemon } from './containerdDaemon';

const run = promisify(execFile);
/** GNU tar's messages and its C quoting of names must not depend on the caller's locale. */
const tarEnv = { ...process.env, LC_ALL: 'C' };

/** What lstat says about one path of a tree: a hard link is not a kind here, it is a shared ino. */
export interface TreeEntry {
  /** Relative to the tree's root, no leading or trailing `/`; the root itself is not listed. */
  readonly path: string;
  readonly kind: Exclude<EntryKind, 'hardlink'>;
  /** Bytes of a regular file; 0 for every other kind. */
  readonly size: number;
  /** st_mode & 07777: permissions with setuid, setgid and sticky. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Whole seconds: what a tar header without a pax mtime record can hold. */
  readonly mtime: number;
  readonly linkTarget?: string;
  /**
   * Two names with one ino in the same tree are hard links of each other: overlayfs shows a lower
   * layer's own inode numbers when all layers sit on one filesystem, as a snapshotter's do.
   */
  readonly ino: number;
  /** Links to the inode; overlayfs says 1 for a folder merged from several layers. */
  readonly nlink: number;
}

function kindOf(stats: Stats, path: string): TreeEntry['kind'] {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isCharacterDevice()) return 'char';
  if (stats.isBlockDevice()) return 'block';
  if (stats.isFIFO()) return 'fifo';
  throw new Error(`${path} is a socket: no image layer can hold one`);
}

/** Every path below `root` with lstat's facts (symlinks are never followed), sorted by path. */
export async function walkTree(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const visit = async (relative: string): Promise<void> => {
    for (const name of await readdir(join(root, relative))) {
      const path = relative ? `${relative}/${name}` : name;
      const full = join(root, path);
      const stats = await lstat(full);
      const kind = kindOf(stats, full);
      entries.push({
        path, kind, size: kind === 'file' ? stats.size : 0, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid,
        mtime: Math.floor(stats.mtimeMs / 1000), ino: stats.ino, nlink: stats.nlink,
        ...(kind === 'symlink' ? { linkTarget: await readlink(full) } : {}),
      });
      if (kind === 'dir') await visit(path);
    }
  };
  await visit('');
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The image's root filesystem for one platform as containerd unpacks it: `ctr images mount`
 * (all of 1.6, 1.7 and 2.x have it) unpacks into the default snapshotter if needed and mounts a
 * read-only view; overlayfs applies the whiteouts. Unmounted, its view snapshot and lease removed
 * afterwards; the image stays unpacked (its chain's committed snapshots), as `ctr images unpack` leaves it.
 */
export async function mergedTreeByCtr(daemon: ContainerdDaemon, namespace: string, image: string, platform: string): Promise<TreeEntry[]> {
  // Below the daemon's folder: its stop() unmounts whatever a failed test left mounted there.
  const target = await mkdtemp(join(daemon.dir, 'image-mount-'));
  const ctr = (args: string[]): Promise<string> => daemon.ctr(['--namespace', namespace, 'images', ...args]);
  try {
    await ctr(['mount', '--platform', platform, image, target]);
  } catch (error) {
    await rmdir(target).catch(() => undefined);
    throw error;
  }
  let tree: TreeEntry[];
  try {
    tree = await walkTree(target);
  } catch (error) {
    await ctr(['unmount', '--rm', target]).catch(() => run('umount', ['-l', target]));
    throw error;
  }
  await ctr(['unmount', '--rm', target]);
  await rmdir(target);
  return tree;
}

/** Writes a blob of the content store to `file` (daemon.ctr keeps stdout as text: binary would not survive). */
export async function contentToFile(daemon: ContainerdDaemon, namespace: string, digest: string, file: string): Promise<void> {
  const ctr = join(loadComponents().containerd[daemon.version], 'ctr');
  const out = openSync(file, 'w');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(ctr, ['--address', daemon.socket, '--namespace', namespace, 'content', 'get', digest], { stdio: ['ignore', out, 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.once('error', reject);
      child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`ctr content get ${digest} ended with ${signal ?? code}: ${stderr.trim()}`))));
    });
  } finally {
    closeSync(out);
  }
}

/** GNU tar's decompression flag for a layer media type (OCI's and Docker's names). */
export function tarCompressionArgs(mediaType: string): string[] {
  if (mediaType.endsWith('.tar+zstd') || mediaType.endsWith('.tar.zstd')) return ['--zstd'];
  if (mediaType.endsWith('.tar+gzip') || mediaType.endsWith('.tar.gzip')) return ['--gzip'];
  if (mediaType.endsWith('.tar')) return [];
  throw new Error(`not a layer media type tar can read: ${mediaType}`);
}

/** One name as `tar --quoting-style=c` prints it: in double quotes, C escapes, octal for other bytes. */
export function unquoteC(quoted: string): string {
  if (!quoted.startsWith('"') || !quoted.endsWith('"') || quoted.length < 2) throw new Error(`not a C-quoted name: ${quoted}`);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, '?': 63, "'": 39 };
  const bytes: number[] = [];
  const body = quoted.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0];
    const escaped = body[i + 1] ?? '';
    if (octal) {
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else if (escaped in simple) {
      bytes.push(simple[escaped] ?? 0);
      i += 1;
    } else {
      throw new Error(`unknown escape \\${escaped} in ${quoted}`);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const quotedName = '"(?:[^"\\\\]|\\\\.)*"';
/** `hrw-r--r-- 0/0  0 2026-12-01 05:36 "fx/b" link to "fx/a"`: mode, owner, size, date, time, names. */
const hardLinkLine = new RegExp(`^h\\S+ \\S+ +\\d+ \\S+ \\S+ (${quotedName}) link to (${quotedName})$`);

export interface LayerTarListing {
  /** The layer extracted by GNU tar as root, walked like the merged tree: whiteouts (`.wh.*`) are plain files. */
  readonly entries: readonly TreeEntry[];
  /** Member names in archive order as `tar -t` lists them (a directory keeps its trailing `/`). */
  readonly members: readonly string[];
  /** Hard-link members (`tar -tv` type h) and the earlier member each links to, as written in the archive. */
  readonly hardLinks: readonly { readonly name: string; readonly target: string }[];
}

/**
 * One layer blob as GNU tar reads it. Hard links come from the verbose listing (the archive's own
 * link records); the extracted tree shows them again as names sharing an ino, which the
 * integration test checks against each other.
 */
export async function layerEntriesByTar(daemon: ContainerdDaemon, namespace: string, digest: string, mediaType: string): Promise<LayerTarListing> {
  const work = await mkdtemp(join(daemon.dir, 'layer-tar-'));
  try {
    const blob = join(work, 'blob');
    await contentToFile(daemon, namespace, digest, blob);
    const compression = tarCompressionArgs(mediaType);
    const tree = join(work, 'tree');
    await mkdir(tree);
    // As root GNU tar keeps owners, modes (setuid too) and makes device nodes; numeric ids, not names.
    await run('tar', ['-x', ...compression, '--numeric-owner', '--same-owner', '--same-permissions', '-f', blob, '-C', tree], { env: tarEnv });
    const list = async (verbose: boolean): Promise<string[]> => (await run('tar', [verbose ? '-tv' : '-t', ...compression, '--numeric-owner', '--quoting-style=c', '-f', blob],
      { env: tarEnv, maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter(Boolean);
    const members = (await list(false)).map(unquoteC);
    const hardLinks = (await list(true)).filter((line) => line.startsWith('h')).map((line) => {
      const match = hardLinkLine.exec(line);
      if (!match) throw new Error(`a hard-link line of tar -tv that does not read: ${line}`);
      return { name: unquoteC(match[1] ?? ''), target: unquoteC(match[2] ?? '') };
    });
    return { entries: await walkTree(tree), members, hardLinks };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
