// One platform of an image as a filesystem: its layers listed (from the cache or the content
// store, two at a time: decompression runs off the main thread while the other layer's tar is
// parsed), merged, each layer with the history step that made it. Progress is in compressed
// bytes of the whole image, as the manifest states them.
import type { ContainerdApi } from '../connection/api';
import type { BlobSource } from '../images/blobCache';
import { parseConfig, type BlobDescriptor } from '../images/imageManifests';
import { instructionText, layerSteps } from './layerHistory';
import type { LayerListing } from './layerListing';
import type { LayerListings } from './layerListings';
import { mergeLayers, type FsNode, type LayerDiff } from './mergedTree';

export interface FilesystemLayer {
  readonly index: number;
  readonly descriptor: BlobDescriptor;
  /** The instruction that made the layer (`RUN apk add curl`), when the history tells. */
  readonly instruction?: string;
  readonly listing: LayerListing;
  readonly diff: LayerDiff;
}

export interface ImageFilesystem {
  readonly layers: readonly FilesystemLayer[];
  readonly root: FsNode;
}

export interface FilesystemProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface PlatformLayers {
  readonly layers: readonly BlobDescriptor[];
  readonly config?: BlobDescriptor;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FilesystemProgress) => void;
  /** Layers read at once. */
  readonly concurrency?: number;
}

export async function readImageFilesystem(api: ContainerdApi, namespace: string, image: PlatformLayers, listings: LayerListings, documents: BlobSource, options: ReadOptions = {}): Promise<ImageFilesystem> {
  const { layers } = image;
  const totalBytes = layers.reduce((sum, layer) => sum + layer.size, 0);
  const readSoFar = layers.map((layer) => (listings.cached(layer.digest) ? layer.size : 0));
  const report = (): void => options.onProgress?.({ bytesRead: readSoFar.reduce((a, b) => a + b, 0), totalBytes });
  const configRead = image.config ? documents.json(image.config.digest, image.config.size) : Promise.resolve(undefined);
  const listed = new Array<LayerListing>(layers.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < layers.length) {
      const index = next++;
      listed[index] = await listings.list(api, namespace, layers[index], {
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (bytes) => {
          readSoFar[index] = bytes;
          report();
        },
      });
      readSoFar[index] = layers[index].size;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, layers.length) }, worker));
  const config = await configRead;
  const steps = layerSteps(config === undefined ? [] : parseConfig(config).history, layers.length);
  const merged = mergeLayers(listed);
  return {
    root: merged.root,
    layers: layers.map((descriptor, index) => {
      const instruction = instructionText(steps[index]);
      return { index, descriptor, ...(instruction ? { instruction } : {}), listing: listed[index], diff: merged.layers[index] };
    }),
  };
}
