// The Images view's rows in two steps: what Images.List says (name, digest, repository and tag
// from the name) shows at once, platforms and sizes follow when every image is resolved. With a
// thousand images that resolution is thousands of content reads; the list is one call.
import type { ContainerdApi } from '../containerd/connection/api';
import { listImages, parseImageReference, resolveImage, type BlobCache, type ImageRecord, type ImageReference, type ResolvedImage } from '../containerd/images/images';
import { mapLimit } from './mapLimit';

export interface ImageRow {
  readonly address: string;
  readonly namespace: string;
  readonly record: ImageRecord;
  /** Repository, tag, dangling: from the name alone, known before resolution. */
  readonly reference: ImageReference;
  /** Platforms and sizes; undefined until resolved. */
  readonly resolved?: ResolvedImage;
  /** Why it could not be resolved (the daemon went away meanwhile). */
  readonly failure?: string;
}

export interface NamespaceImages { readonly namespace: string; readonly rows: readonly ImageRow[] }

/**
 * Images resolved at once: enough to keep the endpoint's read limiter busy (a few reads each);
 * the limiter, not this, bounds the reads in flight.
 */
const resolveConcurrency = 32;

/** Each namespace's images as rows not yet resolved: one Images.List per namespace. */
export function listImageRows(client: ContainerdApi, address: string, namespaces: readonly string[]): Promise<NamespaceImages[]> {
  return Promise.all(namespaces.map(async (namespace) => ({
    namespace,
    rows: (await listImages(client, namespace)).map((record): ImageRow => ({ address, namespace, record, reference: parseImageReference(record.name) })),
  })));
}

/** The same rows resolved; a row that could not be says why instead of failing the others. */
export function resolveImageRows(client: ContainerdApi, blobs: BlobCache, listed: readonly NamespaceImages[]): Promise<NamespaceImages[]> {
  return Promise.all(listed.map(async ({ namespace, rows }) => ({
    namespace,
    rows: await mapLimit(rows, resolveConcurrency, (row) => resolveImage(client, namespace, row.record, blobs).then(
      (resolved): ImageRow => ({ ...row, resolved }),
      (error: unknown): ImageRow => ({ ...row, failure: error instanceof Error ? error.message : String(error) }),
    )),
  })));
}
