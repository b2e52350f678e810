// Reading small content blobs (indexes, manifests, configs) from containerd's content store, and a
// cache of what was read. Blobs are content-addressed, hence immutable: parsed JSON is cached by
// digest for good. Presence is cached per namespace (content is namespaced). A blob that was there
// stays there while an image references it (containerd's GC labels): forget() it on /content/delete.
// A blob found missing (a platform never pulled) is remembered too, or every warm refresh of a
// host-platform-only pull would ask again; forgetMissing(namespace) on /images/* events, which
// every pull that could bring it ends with.
import type { ContainerdApi } from '../connection/api';
import { ContainerdRequestError } from '../connection/errors';

/** Indexes, manifests and configs are small; anything bigger is refused rather than buffered. */
export const maxDocumentBytes = 4 * 1024 * 1024;

const contentService = 'containerd.services.content.v1.Content';

interface ReadRequest { digest: string; offset: number; size: number }
interface ReadResponse { offset: string; data: Buffer }
interface InfoRequest { digest: string }
interface InfoResponse { info: { digest: string; size: string } | null }

export class BlobTooLargeError extends Error {
  constructor(readonly digest: string, readonly maxBytes: number) {
    super(`content ${digest} is larger than ${maxBytes} bytes: not read`);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ContainerdRequestError && error.code === 'NOT_FOUND';
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

/** Whether the namespace's content store has the blob (Content.Info, no data transferred). */
export async function hasBlob(client: ContainerdApi, namespace: string, digest: string): Promise<boolean> {
  const method = client.methods.method<InfoRequest, InfoResponse>(contentService, 'Info');
  try {
    await client.unary(method, { digest }, namespace);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export interface BlobCacheStats {
  /** JSON documents served from the cache / read from containerd. */
  readonly hits: number;
  readonly misses: number;
}

export class BlobCache {
  private readonly documents = new Map<string, unknown>();
  private readonly present = new Set<string>();
  private readonly missing = new Set<string>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private hitCount = 0;
  private missCount = 0;

  /** Bounds memory on hosts with many images: the oldest entries go first. */
  constructor(private readonly maxEntries = 20_000) {}

  get stats(): BlobCacheStats {
    return { hits: this.hitCount, misses: this.missCount };
  }

  document(digest: string): unknown {
    const value = this.documents.get(digest);
    if (value === undefined) this.missCount++;
    else this.hitCount++;
    return value;
  }

  storeDocument(digest: string, value: unknown): void {
    this.documents.set(digest, value);
    this.trim(this.documents);
  }

  /** true: known present, false: known missing, undefined: ask containerd. */
  presence(namespace: string, digest: string): boolean | undefined {
    const key = presenceKey(namespace, digest);
    return this.present.has(key) ? true : this.missing.has(key) ? false : undefined;
  }

  markPresent(namespace: string, digest: string): void {
    const key = presenceKey(namespace, digest);
    this.missing.delete(key);
    this.present.add(key);
    this.trim(this.present);
  }

  markMissing(namespace: string, digest: string): void {
    const key = presenceKey(namespace, digest);
    this.present.delete(key);
    this.missing.add(key);
    this.trim(this.missing);
  }

  /** Content was deleted (a /content/delete event): its presence must be asked again. */
  forget(namespace: string, digest: string): void {
    this.present.delete(presenceKey(namespace, digest));
    this.missing.delete(presenceKey(namespace, digest));
  }

  /** An image changed in the namespace (/images/* event): blobs found missing may have arrived. */
  forgetMissing(namespace: string): void {
    const prefix = presenceKey(namespace, '');
    for (const key of this.missing) if (key.startsWith(prefix)) this.missing.delete(key);
  }

  clear(): void {
    this.documents.clear();
    this.present.clear();
    this.missing.clear();
  }

  /**
   * One call in flight per key: the Images and Snapshots views resolve the same images at the
   * same moment (at start-up, after a resync), and the second asker waits for the first read.
   */
  shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const started = read().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private trim(entries: Map<string, unknown> | Set<string>): void {
    for (const key of entries.keys()) {
      if (entries.size <= this.maxEntries) return;
      entries.delete(key);
    }
  }
}

function presenceKey(namespace: string, digest: string): string {
  return `${namespace}\u0000${digest}`;
}

/** The content store of one namespace as the resolver sees it: JSON by descriptor, and presence. */
export interface BlobSource {
  /** The parsed JSON document; undefined when the store does not have it. */
  json(digest: string, size: number): Promise<unknown>;
  has(digest: string): Promise<boolean>;
}

/** A BlobSource over containerd: warm lookups (JSON known, presence known) make no call at all. */
export function contentBlobSource(client: ContainerdApi, namespace: string, cache: BlobCache): BlobSource {
  const has = async (digest: string): Promise<boolean> => {
    const known = cache.presence(namespace, digest);
    if (known !== undefined) return known;
    return cache.shared(`has\u0000${presenceKey(namespace, digest)}`, async () => {
      const found = await hasBlob(client, namespace, digest);
      if (found) cache.markPresent(namespace, digest);
      else cache.markMissing(namespace, digest);
      return found;
    });
  };
  return {
    has,
    json: async (digest, size) => {
      const cached = cache.document(digest);
      if (cached !== undefined) return (await has(digest)) ? cached : undefined;
      if (cache.presence(namespace, digest) === false) return undefined;
      if (size > maxDocumentBytes) throw new BlobTooLargeError(digest, maxDocumentBytes);
      let bytes: Buffer;
      try {
        bytes = await cache.shared(`read\u0000${presenceKey(namespace, digest)}`, () => readBlob(client, namespace, digest, maxDocumentBytes));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        cache.markMissing(namespace, digest);
        return undefined;
      }
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      cache.storeDocument(digest, value);
      cache.markPresent(namespace, digest);
      return value;
    },
  };
}
