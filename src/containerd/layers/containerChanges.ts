// A container's changes against its image, as a layer on top of the image: the daemon's differ
// writes them as a tar (containerDiff.ts), which is listed like any layer and applied on the
// image's merged tree, so "added" and "modified" mean what they mean between layers. The diff is
// released as soon as it is read: the container keeps changing, every look asks again.
import type { ContainerdApi } from '../connection/api';
import { contentChunks } from './contentStream';
import { diffContainerSnapshot } from './containerDiff';
import type { DiffSubject } from './containerDiffErrors';
import type { ImageFilesystem } from './imageFilesystem';
import { interpretLayer, type LayerListing } from './layerListing';
import { mergeLayers, type LayerDiff } from './mergedTree';
import { listTarEntries, readTarFile } from './tarReading';

/** The changes as a layer applied on the image's layers: its added, modified and deleted paths. */
export function changesOnImage(image: ImageFilesystem, changes: LayerListing): LayerDiff {
  const merged = mergeLayers([...image.layers.map((layer) => layer.listing), changes]);
  return merged.layers[merged.layers.length - 1] ?? { changes: [], writtenBytes: 0, hiddenBytes: 0 };
}

export interface DiffReadOptions {
  readonly signal?: AbortSignal;
  /**
   * What release() could not remove (it expires by itself within minutes): told, not thrown, so
   * a read that worked is not reported as failed.
   */
  readonly onLeftBehind?: (error: unknown) => void;
}

async function withDiff<T>(api: ContainerdApi, namespace: string, container: DiffSubject, options: DiffReadOptions, read: (digest: string | undefined) => Promise<T>): Promise<T> {
  const diff = await diffContainerSnapshot(api, namespace, container, options.signal);
  let result: T;
  try {
    result = await read(diff.unchanged ? undefined : diff.descriptor.digest);
  } catch (error) {
    await diff.release().catch((leftBehind: unknown) => options.onLeftBehind?.(leftBehind));
    throw error;
  }
  await diff.release().catch((leftBehind: unknown) => options.onLeftBehind?.(leftBehind));
  return result;
}

/** What the container changed in its image's filesystem, now. */
export function readContainerChanges(api: ContainerdApi, namespace: string, container: DiffSubject, image: ImageFilesystem, options: DiffReadOptions = {}): Promise<LayerDiff> {
  return withDiff(api, namespace, container, options, async (digest) => {
    const listing = interpretLayer(digest === undefined ? [] : await listTarEntries(contentChunks(api, namespace, digest, streamOptions(options))));
    return changesOnImage(image, listing);
  });
}

/** A file the container wrote, as it is now; undefined when its changes hold no such file. */
export function readContainerFile(api: ContainerdApi, namespace: string, container: DiffSubject, path: string, maxBytes: number, options: DiffReadOptions = {}): Promise<Buffer | undefined> {
  return withDiff(api, namespace, container, options, (digest) => (digest === undefined ? Promise.resolve(undefined) : readTarFile(contentChunks(api, namespace, digest, streamOptions(options)), path, maxBytes)));
}

function streamOptions(options: DiffReadOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
