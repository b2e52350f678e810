// The layer chain of every image platform in a namespace: the chain ids its unpacked snapshots are
// named by, bottom layer first. What the Snapshots view names a layer's users by, and what keeps a
// snapshot from being removed.
import type { ContainerdApi } from '../connection/api';
import { mapLimit } from '../../model/mapLimit';
import type { BlobCache } from './blobCache';
import { chainIds, listImages, resolveImage } from './images';

export interface ImageChain {
  /** `<image name> (<platform>)`, as the views name a platform of an image. */
  readonly name: string;
  /** Chain ids, bottom layer first; the last is the top snapshot of an unpack. */
  readonly chain: readonly string[];
}

export async function imageChains(api: ContainerdApi, namespace: string, blobs: BlobCache, concurrency: number): Promise<ImageChain[]> {
  const images = await listImages(api, namespace);
  const resolved = await mapLimit(images, concurrency, (image) => resolveImage(api, namespace, image, blobs));
  return resolved.flatMap((image) => image.platforms
    .filter((platform) => platform.diffIds.length > 0)
    .map((platform) => ({ name: `${image.name} (${platform.platform})`, chain: chainIds(platform.diffIds) })));
}
