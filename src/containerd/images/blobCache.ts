// Reading small content blobs (indexes, manifests, configs) from containerd's content store, and a
// cache of what was read. Blobs are content-addressed, hence immutable: parsed JSON is cached by
// digest across resyncs, bounded by its bytes, the least recently used dropped first. Presence is
// cached per namespace (content is namespaced): a blob that was there stays while an image
// references it (containerd's GC labels), until a /content/delete names it, a read finds it gone
// (NOT_FOUND) or a resync asks everything again. A blob found missing (a platform never pulled) is
// remembered too, or every warm refresh of a host-platform-only pull would ask again, until an
// /images/* event in its namespace (every pull that could bring it ends with one). Given a
// BlobStore, documents outlive the session too: a new window asks only presence.
import type { ContainerdApi } from '../connection/api';
import type { BlobStore } from './blobStore';
import { isNotFound } from '../connection/errors';
import { BlobTooLargeError, hasBlob, listBlobs, maxDocumentBytes, readBlob } from './contentReads';
import { Lru } from './lru';
import { ReadLimiter } from './readLimiter';

export { BlobTooLargeError, hasBlob, listBlobs, maxDocumentBytes, readBlob } from './contentReads';

export interface BlobCacheStats {
  /** JSON documents served from the cache / read from containerd. */
  readonly hits: number;
  readonly misses: number;
}

export interface BlobCacheOptions {
  /** Parsed documents are kept up to this many bytes of JSON (their size in the content store). */
  readonly maxBytes?: number;
  /** Presence answers kept (a namespace and digest each). */
  readonly maxPresence?: number;
  /** Content.Read and Content.Info calls in flight at once, all readers of the endpoint together (ReadLimiter's default when not given). */
  readonly maxReads?: number;
  /** Where documents outlive the session (shared by every endpoint: a digest names the same bytes). */
  readonly store?: BlobStore;
}

export class BlobCache {
  /** Least recently used first out: the documents of the images on screen stay. */
  private readonly documents: Lru<string, { value: unknown; bytes: number }>;
  /** true: present, false: missing, per namespace and digest. */
  private readonly presenceByKey: Lru<string, boolean>;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Namespaces whose content was listed since the last resync; a new set at each, so a listing begun before one is not taken. */
  private listed = new Set<string>();
  private hitCount = 0;
  private missCount = 0;
  /** Every content read of the endpoint goes through this (see ReadLimiter). */
  readonly reads: ReadLimiter;

  private readonly store: BlobStore | undefined;

  constructor(options: BlobCacheOptions = {}) {
    this.reads = new ReadLimiter(options.maxReads);
    this.documents = new Lru(options.maxBytes ?? 32 * 1024 * 1024, (d) => d.bytes);
    this.presenceByKey = new Lru(options.maxPresence ?? 200_000, () => 1);
    this.store = options.store;
  }

  get stats(): BlobCacheStats {
    return { hits: this.hitCount, misses: this.missCount };
  }

  /** The JSON bytes the documents held stand for (what the bound counts). */
  get documentBytes(): number {
    return this.documents.weight;
  }

  document(digest: string): unknown {
    const value = this.documents.get(digest)?.value;
    if (value === undefined) this.missCount++;
    else this.hitCount++;
    return value;
  }

  /** `bytes`: the document's size as read, what the bound counts. */
  storeDocument(digest: string, value: unknown, bytes: number): void {
    this.documents.set(digest, { value, bytes });
  }

  /** A document read from containerd: kept in memory, and on disk for the next session. */
  async keep(digest: string, value: unknown, bytes: Buffer): Promise<void> {
    this.storeDocument(digest, value, bytes.length);
    await this.store?.put(digest, bytes);
  }

  /** A document of an earlier session (its bytes checked by the store), now in memory too; undefined when none. */
  async stored(digest: string): Promise<unknown> {
    const store = this.store;
    if (!store) return undefined;
    const bytes = await this.shared(`stored\u0000${digest}`, () => store.get(digest));
    if (!bytes) return undefined;
    // The store served these bytes because they hash to the digest: the same bytes containerd holds,
    // so they parse (or fail to, as a SyntaxError for the platform) exactly as a read from it would.
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    this.storeDocument(digest, value, bytes.length);
    return value;
  }

  /** true: known present, false: known missing, undefined: ask containerd. */
  presence(namespace: string, digest: string): boolean | undefined {
    return this.presenceByKey.get(presenceKey(namespace, digest));
  }

  markPresent(namespace: string, digest: string): void {
    this.presenceByKey.set(presenceKey(namespace, digest), true);
  }

  markMissing(namespace: string, digest: string): void {
    this.presenceByKey.set(presenceKey(namespace, digest), false);
  }

  /** Content was deleted (a /content/delete event): its presence must be asked again. */
  forget(namespace: string, digest: string): void {
    this.presenceByKey.delete(presenceKey(namespace, digest));
  }

  /** An image changed in the namespace (/images/* event): blobs found missing may have arrived. */
  forgetMissing(namespace: string): void {
    const prefix = presenceKey(namespace, '');
    this.presenceByKey.deleteWhere((key, present) => !present && key.startsWith(prefix));
  }

  /**
   * What a change of the images area makes stale. After a resync ('all'; also the Refresh
   * button) every presence is asked again: content may have been pruned while the stream was
   * down. After an image event, the blobs found missing in its namespace (a pull may have brought
   * them), and those a /content/delete named. Parsed documents stay: a digest's bytes never change.
   */
  forgetStale(namespaces: ReadonlySet<string> | 'all', contentDeleted: ReadonlyMap<string, ReadonlySet<string>> = new Map()): void {
    if (namespaces === 'all') {
      this.presenceByKey.clear();
      this.listed = new Set();
      return;
    }
    for (const namespace of namespaces) this.forgetMissing(namespace);
    for (const [namespace, digests] of contentDeleted) for (const digest of digests) this.forget(namespace, digest);
  }

  /**
   * Marks every blob of the namespace present, from one listing per resync: a thousand images
   * then cost one Content.List instead of thousands of Content.Info calls. A blob it did not
   * list (a platform never pulled) is still asked for alone: the listing may be older.
   */
  async listOnce(namespace: string, list: () => Promise<readonly string[]>): Promise<void> {
    const listed = this.listed;
    if (listed.has(namespace)) return;
    await this.shared(`list\u0000${namespace}`, async () => {
      // A failed listing (a proxy without Content.List) leaves the single questions.
      const digests = await this.reads.run(list).catch(() => []);
      if (listed !== this.listed) return;
      for (const digest of digests) this.markPresent(namespace, digest);
      listed.add(namespace);
    });
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
    await cache.listOnce(namespace, () => listBlobs(client, namespace));
    const listed = cache.presence(namespace, digest);
    if (listed !== undefined) return listed;
    return cache.shared(`has\u0000${presenceKey(namespace, digest)}`, async () => {
      const found = await cache.reads.run(() => hasBlob(client, namespace, digest));
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
      // Known from an earlier session: only its presence in this namespace is asked.
      const stored = await cache.stored(digest);
      if (stored !== undefined) return (await has(digest)) ? stored : undefined;
      let bytes: Buffer;
      try {
        bytes = await cache.shared(`read\u0000${presenceKey(namespace, digest)}`, () => cache.reads.run(() => readBlob(client, namespace, digest, maxDocumentBytes)));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        cache.markMissing(namespace, digest);
        return undefined;
      }
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      await cache.keep(digest, value, bytes);
      cache.markPresent(namespace, digest);
      return value;
    },
  };
}
