// Layer listings kept by digest: a layer is immutable, so its listing is right for as long as it
// is held, in every namespace and image that shares the layer. Bounded by the entries held (a
// listing of 10,000 files weighs 10,000), least recently used dropped first.
import type { ContainerdApi } from '../connection/api';
import { Lru } from '../images/lru';
import { contentChunks } from './contentStream';
import { decompressedLayer, unreadableMediaType } from './layerDecompress';
import { interpretLayer, type LayerListing } from './layerListing';
import { listTarEntries } from './tarReading';

/** About 200 MB of listings at the ~100 bytes an entry takes. */
export const defaultMaxCachedEntries = 2_000_000;

export interface LayerBlob {
  readonly digest: string;
  readonly mediaType: string;
}

export interface ListOptions {
  readonly signal?: AbortSignal;
  /** Compressed bytes read so far of this layer. */
  readonly onBytes?: (bytesRead: number) => void;
}

export class LayerListings {
  private readonly held: Lru<string, LayerListing>;

  constructor(maxEntries = defaultMaxCachedEntries) {
    this.held = new Lru(maxEntries, (listing) => Math.max(1, listing.entries.length + listing.deletions.length));
  }

  /** The listing if held: no daemon call. */
  cached(digest: string): LayerListing | undefined {
    return this.held.get(digest);
  }

  /** The layer's listing, read from the namespace's content store unless held. */
  async list(api: ContainerdApi, namespace: string, layer: LayerBlob, options: ListOptions = {}): Promise<LayerListing> {
    const held = this.held.get(layer.digest);
    if (held) return held;
    const unreadable = unreadableMediaType(layer.mediaType);
    if (unreadable) throw new Error(unreadable);
    const listing = interpretLayer(await listTarEntries(decompressedLayer(contentChunks(api, namespace, layer.digest, options))));
    this.held.set(layer.digest, listing);
    return listing;
  }
}
