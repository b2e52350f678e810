// Text of the Files view's rows: a layer named after the instruction that made it, with its size
// and what it changed; a file with its size or where it points. Free of vscode so it is unit-tested.
import type { FilesystemLayer } from '../containerd/layers/imageFilesystem';
import type { LayerEntry } from '../containerd/layers/layerEntry';
import type { FsNode, LayerDiff } from '../containerd/layers/mergedTree';
import { formatBytes } from './format';

/** Long RUN lines are cut for the row; the tooltip has them whole. */
const maxInstruction = 80;

export function layerLabel(layer: FilesystemLayer): string {
  const instruction = layer.instruction?.replace(/\s+/g, ' ');
  const text = instruction === undefined ? '(no history)' : instruction.length > maxInstruction ? `${instruction.slice(0, maxInstruction - 1)}…` : instruction;
  return `${layer.index + 1}  ${text}`;
}

export interface ChangeCounts { readonly added: number; readonly modified: number; readonly deleted: number }

export function changeCounts(diff: LayerDiff): ChangeCounts {
  const counts = { added: 0, modified: 0, deleted: 0 };
  for (const change of diff.changes) counts[change.change]++;
  return counts;
}

/** `12.3 MiB · +120 ~3 −1`: the data the layer writes, then its changes (none shown when zero). */
export function layerDescription(layer: FilesystemLayer): string {
  const { added, modified, deleted } = changeCounts(layer.diff);
  const counts = [added ? `+${added}` : '', modified ? `~${modified}` : '', deleted ? `−${deleted}` : ''].filter(Boolean).join(' ');
  return [formatBytes(layer.diff.writtenBytes), counts || 'no changes'].join(' · ');
}

export function layerTooltip(layer: FilesystemLayer): string {
  const { added, modified, deleted } = changeCounts(layer.diff);
  return [
    `Layer ${layer.index + 1}: ${layer.instruction ?? 'the image config has no history step for this layer'}`,
    `${layer.descriptor.digest} (${layer.descriptor.mediaType})`,
    `${formatBytes(layer.descriptor.size)} compressed, ${formatBytes(layer.diff.writtenBytes)} of file data`,
    `${added} added, ${modified} modified, ${deleted} deleted`,
    layer.diff.hiddenBytes > 0 ? `${formatBytes(layer.diff.hiddenBytes)} of lower layers overwritten or deleted (still shipped with the image)` : '',
  ].filter(Boolean).join('\n');
}

/** A file's size, a folder's total, where a link points. */
export function entryDescription(entry: LayerEntry | undefined, node?: Pick<FsNode, 'bytes' | 'files'>): string {
  if (entry?.kind === 'symlink') return `→ ${entry.linkTarget ?? ''}`;
  if (entry?.kind === 'hardlink') return `hard link to /${entry.linkTarget ?? ''}`;
  if (entry === undefined || entry.kind === 'dir') return node ? `${formatBytes(node.bytes)} · ${node.files} ${node.files === 1 ? 'file' : 'files'}` : '';
  if (entry.kind === 'file') return formatBytes(entry.size);
  return { char: 'character device', block: 'block device', fifo: 'named pipe' }[entry.kind];
}

/** `-rwsr-xr-x 0:0`: mode and owner, as ls shows them. */
export function modeText(entry: LayerEntry): string {
  const type = { file: '-', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c', block: 'b', fifo: 'p' }[entry.kind];
  const bit = (mask: number, letter: string): string => (entry.mode & mask ? letter : '-');
  const special = (exec: number, flag: number, lower: string): string => (entry.mode & flag ? (entry.mode & exec ? lower : lower.toUpperCase()) : bit(exec, 'x'));
  return `${type}${bit(0o400, 'r')}${bit(0o200, 'w')}${special(0o100, 0o4000, 's')}${bit(0o40, 'r')}${bit(0o20, 'w')}${special(0o10, 0o2000, 's')}${bit(0o4, 'r')}${bit(0o2, 'w')}${special(0o1, 0o1000, 't')} ${entry.uid}:${entry.gid}`;
}
