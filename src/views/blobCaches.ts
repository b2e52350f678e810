// One BlobCache per endpoint, shared by everything that reads image documents (Images, Snapshots
// for which image uses a layer, inspect documents): blobs are immutable, so one read serves all,
// and its read limiter bounds the content reads of all of them together.
import { BlobCache } from '../containerd/images/images';

export class BlobCaches {
  private readonly caches = new Map<string, BlobCache>();

  for(address: string): BlobCache {
    let cache = this.caches.get(address);
    if (!cache) {
      cache = new BlobCache();
      this.caches.set(address, cache);
    }
    return cache;
  }

  /** Only an existing cache: nothing to forget in one never made. */
  existing(address: string): BlobCache | undefined {
    return this.caches.get(address);
  }
}
