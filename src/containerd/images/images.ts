// Images over containerd's gRPC API: the list (Images.List), delete, and the unpacked size of an
// image's layer chain (Snapshots.Usage). Resolution of index -> manifests -> config lives in
// imageResolve.ts, content reading and its cache in blobCache.ts.
import { createHash } from 'node:crypto';
import { longToNumber, protoDate, type ContainerdApi, type ProtoTimestamp } from '../connection/api';
import { blobLabels } from './contentReads';
import { ContainerdRequestError, isNotFound } from '../connection/errors';
import type { BlobDescriptor } from './imageManifests';

export { BlobCache, readBlob, maxDocumentBytes, BlobTooLargeError } from './blobCache';
export { resolveImage, type ResolvedImage, type PlatformImage } from './imageResolve';
export { parseImageReference, type ImageReference } from './imageReference';

export interface ImageRecord {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly target: BlobDescriptor;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
}

interface WireDescriptor { media_type: string; digest: string; size: number; annotations: Record<string, string> }
interface WireImage {
  name: string;
  labels: Record<string, string>;
  target: WireDescriptor | null;
  created_at: ProtoTimestamp | null;
  updated_at: ProtoTimestamp | null;
}

const imagesService = 'containerd.services.images.v1.Images';
/** Unpacking labels a platform's config blob with this + snapshotter name = its top chain id (for GC). */
const unpackedLabelPrefix = 'containerd.io/gc.ref.snapshot.';
const snapshotsService = 'containerd.services.snapshots.v1.Snapshots';

function toRecord(image: WireImage): ImageRecord {
  const createdAt = protoDate(image.created_at);
  const updatedAt = protoDate(image.updated_at);
  const target = image.target;
  return {
    name: image.name,
    labels: image.labels,
    target: { mediaType: target?.media_type ?? '', digest: target?.digest ?? '', size: longToNumber(target?.size), annotations: target?.annotations ?? {} },
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** Every image of the namespace, in containerd's order (by name). */
export async function listImages(client: ContainerdApi, namespace: string): Promise<ImageRecord[]> {
  const method = client.methods.method<{ filters: string[] }, { images: WireImage[] }>(imagesService, 'List');
  const response = await client.unary(method, { filters: [] }, namespace);
  return response.images.map(toRecord);
}

/** One image by name; undefined when there is none by that name. */
export async function getImage(client: ContainerdApi, namespace: string, name: string): Promise<ImageRecord | undefined> {
  const method = client.methods.method<{ name: string }, { image: WireImage | null }>(imagesService, 'Get');
  try {
    const response = await client.unary(method, { name }, namespace);
    return response.image ? toRecord(response.image) : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Sets one label of an image, leaving its other labels and its target alone: containerd updates
 * only the `labels.<key>` path of the mask. The request still carries the target: containerd
 * 1.7 and 2.x read it before looking at the mask, and a missing one crashes the daemon (a nil
 * dereference, seen on 2.1.9).
 */
export async function setImageLabel(client: ContainerdApi, namespace: string, image: ImageRecord, key: string, value: string): Promise<ImageRecord> {
  const method = client.methods.method<{ image: { name: string; labels: Record<string, string>; target: WireDescriptor }; update_mask: { paths: string[] } }, { image: WireImage }>(imagesService, 'Update');
  const request = { image: { name: image.name, labels: { [key]: value }, target: wireDescriptor(image.target) }, update_mask: { paths: [`labels.${key}`] } };
  return toRecord((await client.unary(method, request, namespace)).image);
}

function wireDescriptor(target: BlobDescriptor): WireDescriptor {
  return { media_type: target.mediaType, digest: target.digest, size: target.size, annotations: { ...target.annotations } };
}

/**
 * Deletes the image record (its content and snapshots go with the next garbage collection).
 * With `sync`, containerd runs that collection before answering.
 */
export async function deleteImage(client: ContainerdApi, namespace: string, name: string, sync: boolean, target?: BlobDescriptor): Promise<void> {
  const method = client.methods.method<{ name: string; sync: boolean; target?: WireDescriptor }, object>(imagesService, 'Delete');
  await client.unary(method, { name, sync, ...(target ? { target: wireDescriptor(target) } : {}) }, namespace);
}

/** The image's tag moved to other content after the user agreed to delete it: nothing was deleted. */
export class ImageChangedError extends Error {
  constructor(readonly image: string, readonly expected: string, readonly actual: string | undefined) {
    super(actual === undefined
      ? `Image ${image} no longer exists: nothing was deleted.`
      : `Image ${image} now points at ${actual}, not ${expected} as shown when you confirmed: nothing was deleted. Look again and retry.`);
  }
}

/**
 * Deletes the image only if its name still points at `digest`: checked by a Get just before,
 * and by containerd itself on 2.x, which refuses a Delete whose target (field 3) differs
 * (1.6 and 1.7 skip the field; the Get narrows the window there). Verified on 1.6.20, 1.7.24, 2.1.9.
 */
export async function deleteImageIfUnchanged(client: ContainerdApi, namespace: string, name: string, digest: string): Promise<void> {
  const current = await getImage(client, namespace, name);
  if (current?.target.digest !== digest) throw new ImageChangedError(name, digest, current?.target.digest);
  try {
    await deleteImage(client, namespace, name, true, current.target);
  } catch (error) {
    // 2.x refuses a moved name as NOT_FOUND ('has target X, not Y').
    if (error instanceof ContainerdRequestError && (error.code === 'NOT_FOUND' || error.code === 'FAILED_PRECONDITION')) {
      throw new ImageChangedError(name, digest, (await getImage(client, namespace, name))?.target.digest);
    }
    throw error;
  }
}

/**
 * The OCI chain IDs of a layer stack: chainID(0) = diffID(0),
 * chainID(n) = sha256(chainID(n-1) + " " + diffID(n)). An unpacked image's committed snapshots
 * are named by them, each the parent of the next.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const parent = chain[chain.length - 1];
    chain.push(parent === undefined ? diffId : `sha256:${createHash('sha256').update(`${parent} ${diffId}`).digest('hex')}`);
  }
  return chain;
}

/**
 * nerdctl's SIZE (imgutil.UnpackedImageSize): the usage of every snapshot of the chain, summed.
 * undefined when the image is not (or not fully) unpacked in this snapshotter, never 0 for that,
 * and for no diff_ids at all (a platform whose config could not be read has none).
 */
export async function unpackedSize(client: ContainerdApi, namespace: string, snapshotter: string, diffIds: readonly string[]): Promise<number | undefined> {
  if (diffIds.length === 0) return undefined;
  const method = client.methods.method<{ snapshotter: string; key: string }, { size: number; inodes: number }>(snapshotsService, 'Usage');
  try {
    const usages = await Promise.all(chainIds(diffIds).map((key) => client.unary(method, { snapshotter, key }, namespace)));
    return usages.reduce((sum, usage) => sum + longToNumber(usage.size), 0);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The snapshotters a platform is unpacked into, read from the GC labels unpacking puts on its
 * config blob (ctr, nerdctl, CRI and BuildKit all unpack through containerd's unpacker, which
 * sets them); [] when the config is not in the store or carries none.
 */
export async function unpackedSnapshotters(client: ContainerdApi, namespace: string, configDigest: string): Promise<string[]> {
  const labels = (await blobLabels(client, namespace, configDigest)) ?? {};
  return Object.keys(labels).filter((key) => key.startsWith(unpackedLabelPrefix)).map((key) => key.slice(unpackedLabelPrefix.length)).sort();
}
