// The content store calls image resolution makes: Content.Read of a whole (small) blob, and for
// presence Content.List (every blob of a namespace in one stream) or Content.Info (one blob).
// The cache around them, and their limiter, live in blobCache.ts.
import type { ContainerdApi } from '../connection/api';
import { isNotFound } from '../connection/errors';

/** Indexes, manifests and configs are small; anything bigger is refused rather than buffered. */
export const maxDocumentBytes = 4 * 1024 * 1024;

export const contentService = 'containerd.services.content.v1.Content';

/** Content.Read: `size` 0 reads to the blob's end; the answer comes in chunks, each at its offset. */
export interface ReadRequest { digest: string; offset: number; size: number }
export interface ReadResponse { offset: number; data: Buffer }
interface InfoRequest { digest: string }
interface InfoResponse { info: { digest: string; size: number; labels: Record<string, string> } | null }
interface ListRequest { filters: string[] }
interface ListResponse { info: { digest: string }[] }

export class BlobTooLargeError extends Error {
  constructor(readonly digest: string, readonly maxBytes: number) {
    super(`content ${digest} is larger than ${maxBytes} bytes: not read`);
  }
}

/** Reads a whole blob, refusing one over maxBytes. NOT_FOUND (ContainerdRequestError) when absent. */
export async function readBlob(client: ContainerdApi, namespace: string, digest: string, maxBytes: number): Promise<Buffer> {
  const method = client.methods.method<ReadRequest, ReadResponse>(contentService, 'Read');
  // One byte more than allowed bounds the transfer and still tells an oversized blob apart.
  const chunks = await client.streamAll(method, { digest, offset: 0, size: maxBytes + 1 }, namespace);
  const parts: Buffer[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (Number(chunk.offset) !== length) throw new Error(`content ${digest}: chunk at offset ${chunk.offset}, expected ${length}`);
    parts.push(chunk.data);
    length += chunk.data.length;
  }
  if (length > maxBytes) throw new BlobTooLargeError(digest, maxBytes);
  return Buffer.concat(parts, length);
}

/** A blob's labels (Content.Info, no data transferred); undefined when the namespace's store lacks it. */
export async function blobLabels(client: ContainerdApi, namespace: string, digest: string): Promise<Readonly<Record<string, string>> | undefined> {
  const method = client.methods.method<InfoRequest, InfoResponse>(contentService, 'Info');
  try {
    return (await client.unary(method, { digest }, namespace)).info?.labels ?? {};
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Whether the namespace's content store has the blob. */
export async function hasBlob(client: ContainerdApi, namespace: string, digest: string): Promise<boolean> {
  return (await blobLabels(client, namespace, digest)) !== undefined;
}

/** The digest of every blob in the namespace's content store (Content.List, one stream). */
export async function listBlobs(client: ContainerdApi, namespace: string): Promise<string[]> {
  const method = client.methods.method<ListRequest, ListResponse>(contentService, 'List');
  const batches = await client.streamAll(method, { filters: [] }, namespace);
  return batches.flatMap((batch) => batch.info.map((info) => info.digest));
}
