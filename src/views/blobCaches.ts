// One BlobCache per endpoint, shared by everything that reads image documents (Images, Snapshots
// for which image uses a layer, inspect documents): blobs are immutable, so one read serves all,
// and its read limiter bounds the content reads of all of them together. One disk store under
// them all: a digest names the same bytes on every endpoint, and its pack is read once.
import { BlobCache } from '../containerd/images/images';
import { BlobStore } from '../containerd/images/blobStore';

export class BlobCaches {
  private readonly caches = new Map<string, BlobCache>();
  private readonly store: BlobStore | undefined;

  /** `folder`: where documents are kept between sessions (the extension's global storage); none: memory only. */
  constructor(folder: string | undefined) {
    this.store = folder === undefined ? undefined : new BlobStore(folder);
  }

  for(address: string): BlobCache {
    let cache = this.caches.get(address);
    if (!cache) {
      cache = new BlobCache({ store: this.store });
      this.caches.set(address, cache);
    }
    return cache;
  }

  /** Only an existing cache: nothing to forget in one never made. */
  existing(address: string): BlobCache | undefined {
    return this.caches.get(address);
  }
}
