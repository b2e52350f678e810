// containerd's content store as FakeApi routes: the given blobs in the given namespaces, answered
// as containerd answers (Read in chunks, List in batches, NOT_FOUND where a namespace lacks a blob).
import { notFound, UnexpectedCallError, type Answer, type Routes } from './fakeApi';
import { digestOf, sampleDocuments, sampleLayers } from './imagesFixtures';

const content = '/containerd.services.content.v1.Content';
export const contentPaths = { read: `${content}/Read`, info: `${content}/Info`, list: `${content}/List` } as const;

/** Routes with both kinds present, so a test can wrap or replace one answer. */
export interface ContentRoutes extends Routes {
  readonly unary: Readonly<Record<string, Answer>>;
  readonly stream: Readonly<Record<string, Answer>>;
}

/** A content store with the given blobs in the given namespaces (int64 fields as numbers, as the codec decodes them). */
export function contentRoutes(blobs: ReadonlyMap<string, Buffer>, namespaces: readonly string[]): ContentRoutes {
  const lookup = (request: Record<string, unknown>, namespace: string | undefined): Buffer => {
    const blob = blobs.get(String(request.digest));
    if (!blob || !namespaces.includes(namespace ?? '')) throw notFound(String(request.digest));
    return blob;
  };
  return {
    unary: {
      [contentPaths.info]: (request, namespace) => ({ info: { digest: request.digest, size: lookup(request, namespace).length, labels: {} } }),
    },
    stream: {
      [contentPaths.read]: (request, namespace) => {
        // Whole blobs are modelled: a read from elsewhere would get wrong bytes, so it is refused.
        if (Number(request.offset ?? 0) !== 0) throw new UnexpectedCallError('reads from offset 0 only');
        const blob = lookup(request, namespace).subarray(0, Number(request.size) || undefined);
        // containerd streams in chunks; split in two to exercise reassembly.
        const half = Math.floor(blob.length / 2);
        return [{ offset: 0, data: blob.subarray(0, half) }, { offset: half, data: blob.subarray(half) }];
      },
      // Streamed in batches, as containerd does; filters are not modelled, so none are accepted.
      [contentPaths.list]: (request, namespace) => {
        if ((request.filters as unknown[] | undefined)?.length) throw new UnexpectedCallError('lists without filters only');
        const digests = namespaces.includes(namespace ?? '') ? [...blobs.keys()] : [];
        return [{ info: digests.slice(0, 2).map((digest) => ({ digest })) }, { info: digests.slice(2).map((digest) => ({ digest })) }];
      },
    },
  };
}

/** The busybox sample's documents, and its layers as blobs whose bytes nothing reads. */
export function sampleBlobs(): Map<string, Buffer> {
  const blobs = new Map(sampleDocuments.map((text) => [digestOf(text), Buffer.from(text)]));
  for (const layer of sampleLayers) blobs.set(layer, Buffer.from('layer bytes are never read'));
  return blobs;
}
