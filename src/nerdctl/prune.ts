// Prune as a preview, then exactly that: the containers or images a prune would remove are shown
// by name and id first, and what runs afterwards names those ids (never `nerdctl container prune`,
// which would recompute the set and take what appeared meanwhile).
import type { ContainerdApi } from '../containerd/connection/api';
import { parseImageReference } from '../containerd/images/imageReference';
import { deleteImageIfUnchanged, ImageChangedError } from '../containerd/images/images';
import { removeArgs } from './containerArgs';

export interface PrunableContainer {
  readonly id: string;
  readonly name: string;
  /** "created": never started (no task); "exited": its task stopped. */
  readonly state: 'created' | 'exited';
}

/** Containers with no task or a stopped one; running, paused and starting ones are never in it. */
export function prunableContainers(containers: readonly { readonly id: string; readonly name: string; readonly task?: { readonly state: string } }[]): PrunableContainer[] {
  return containers.flatMap((c): PrunableContainer[] => {
    if (c.task === undefined) return [{ id: c.id, name: c.name, state: 'created' }];
    return c.task.state === 'stopped' ? [{ id: c.id, name: c.name, state: 'exited' }] : [];
  });
}

export interface PrunableImage {
  readonly name: string;
  /** The digest the name pointed at when previewed: a name moved since is left alone. */
  readonly digest: string;
}

/** Untagged images (nerdctl's dangling=true), each pinned to the digest it had when listed. */
export function danglingImages(images: readonly { readonly name: string; readonly target: { readonly digest: string } }[]): PrunableImage[] {
  return images.filter((i) => parseImageReference(i.name).dangling).map((i) => ({ name: i.name, digest: i.target.digest }));
}

/** `nerdctl rm` of exactly the previewed ids, without --force: one started meanwhile is refused, not killed. */
export function pruneContainersArgs(previewed: readonly PrunableContainer[]): string[] {
  return removeArgs(previewed.map((c) => c.id), false);
}

/** The preview's lines for a confirmation dialog: all of them up to `max`, then how many more. */
export function previewLines(lines: readonly string[], max = 15): string {
  const shown = lines.slice(0, max);
  const more = lines.length - shown.length;
  return [...shown, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
}

/**
 * Deletes the previewed images over gRPC, each only if its name still points at the previewed
 * digest; returns which went and which were kept because they changed or vanished meanwhile.
 */
export async function deletePreviewedImages(api: ContainerdApi, namespace: string, previewed: readonly PrunableImage[]): Promise<{ deleted: string[]; kept: string[] }> {
  const deleted: string[] = [];
  const kept: string[] = [];
  for (const image of previewed) {
    try {
      await deleteImageIfUnchanged(api, namespace, image.name, image.digest);
      deleted.push(image.name);
    } catch (error) {
      if (!(error instanceof ImageChangedError)) throw error;
      kept.push(image.name);
    }
  }
  return { deleted, kept };
}
