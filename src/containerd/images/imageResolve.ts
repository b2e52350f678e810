// Resolves an image's target the way nerdctl's `nerdctl images` does (pkg/cmd/image/list.go:
// read, readIndex, readManifest): index or manifest list -> each manifest except BuildKit's
// attestation manifests -> config (platform, created, diff_ids) and layers.
//
// Size rule (nerdctl's BLOB SIZE per platform, and its CONTENT SIZE for the image): a platform's
// content size is its manifest's descriptor size + the config's size + every layer's size, as the
// manifest declares them; the image's content size sums the platforms whose manifest and config are
// in the content store (nerdctl skips the others). The index itself is not counted. (ctr's SIZE is
// another rule: index + the host platform's manifest, config and layers.)
// Platform names follow nerdctl too: the config's os/architecture/variant, normalized (so arm64's
// default variant v8 is dropped); a platform whose manifest or config is missing is named from its
// index entry and reported `available: false` instead of failing the whole image.
import type { ContainerdApi } from '../connection/api';
import { BlobTooLargeError, contentBlobSource, type BlobCache, type BlobSource } from './blobCache';
import {
  formatPlatform, InvalidImageDocumentError, isAttestation, isIndexType, isManifestType, normalizePlatform, parseConfig, parseIndex, parseManifest,
  type BlobDescriptor, type Platform,
} from './imageManifests';
import { parseImageReference, type ImageReference } from './imageReference';

export interface PlatformImage {
  /** `linux/amd64`, `linux/arm/v7`; `unknown` when neither config nor index entry says. */
  readonly platform: string;
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly manifest: BlobDescriptor;
  /** Known once the manifest is read. */
  readonly config?: BlobDescriptor;
  readonly layers: readonly BlobDescriptor[];
  /** rootfs.diff_ids of the config: the uncompressed layer digests, the input of the chain IDs. */
  readonly diffIds: readonly string[];
  readonly created?: Date;
  /** nerdctl's BLOB SIZE; undefined when the manifest or config is not in the content store. */
  readonly contentSize?: number;
  /** Every blob (manifest, config, layers) is in the content store. */
  readonly available: boolean;
  /** Digests of the blobs known to be missing. */
  readonly missing: readonly string[];
  /** Why this platform could not be read (an invalid or oversized document). */
  readonly error?: string;
}

export interface ResolvedImage extends ImageReference {
  readonly target: BlobDescriptor;
  readonly kind: 'index' | 'manifest' | 'unknown';
  /** Sorted by platform name; attestation manifests are not platforms. */
  readonly platforms: readonly PlatformImage[];
  /** nerdctl's CONTENT SIZE: the sum of the platforms' content sizes. */
  readonly contentSize: number;
  /** Why the target itself could not be walked (missing index, unknown media type). */
  readonly error?: string;
}

export interface ImageTarget { readonly name: string; readonly target: BlobDescriptor }

/**
 * Bounds on one image's walk, so a hostile index cannot make us read or list without end: nested
 * indexes are legal but rare (ctr import --index-name makes one), so their depth and count are
 * small; an index listing the same digest again adds nothing (entries are de-duplicated).
 */
const maxIndexDepth = 4;
const maxNestedIndexes = 64;
export const maxManifestsPerImage = 1024;

export async function resolveImage(client: ContainerdApi, namespace: string, image: ImageTarget, cache: BlobCache): Promise<ResolvedImage> {
  return resolveTarget(image, contentBlobSource(client, namespace, cache));
}

/** The walk itself, over any BlobSource (containerd's content store, or fixtures in tests). */
export async function resolveTarget(image: ImageTarget, source: BlobSource): Promise<ResolvedImage> {
  const base = { ...parseImageReference(image.name), target: image.target };
  const { mediaType } = image.target;
  if (isManifestType(mediaType)) return summarize(base, 'manifest', [await resolveManifest(image.target, undefined, source)]);
  if (!isIndexType(mediaType)) return { ...summarize(base, 'unknown', []), error: `unsupported media type ${mediaType || '(none)'}` };
  try {
    const walk: IndexWalk = { seen: new Set(), manifests: [], nestedIndexes: 0 };
    if (!(await walkIndex(image.target, source, walk, 0))) return { ...summarize(base, 'index', []), error: `index ${image.target.digest} is not in the content store` };
    const platforms = await Promise.all(walk.manifests.map((entry) => resolveManifest(entry, entry.platform, source)));
    const error = cutShort(walk);
    return { ...summarize(base, 'index', platforms), ...(error ? { error } : {}) };
  } catch (error) {
    if (!isDocumentError(error)) throw error;
    return { ...summarize(base, 'index', []), error: (error as Error).message };
  }
}

function summarize(base: ImageReference & { target: BlobDescriptor }, kind: ResolvedImage['kind'], platforms: PlatformImage[]): ResolvedImage {
  platforms.sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0));
  const contentSize = platforms.reduce((sum, p) => sum + (p.contentSize ?? 0), 0);
  return { ...base, kind, platforms, contentSize };
}

interface IndexWalk {
  /**
   * Digests already taken (nested indexes and manifests): a repeated entry is walked once. The
   * top index needs no entry: no document can list its own digest, nor one that lists it.
   */
  readonly seen: Set<string>;
  readonly manifests: BlobDescriptor[];
  nestedIndexes: number;
  /** Entries left out by the limits above. */
  tooManyManifests?: boolean;
  tooManyIndexes?: boolean;
}

/** What the image's `error` says when the walk left entries out. */
function cutShort(walk: IndexWalk): string | undefined {
  const reasons = [
    ...(walk.tooManyManifests ? [`lists more than ${maxManifestsPerImage} manifests (only the first ${maxManifestsPerImage} are shown)`] : []),
    ...(walk.tooManyIndexes ? [`nests more than ${maxNestedIndexes} indexes (the manifests of the others are not shown)`] : []),
  ];
  return reasons.length > 0 ? `this image ${reasons.join(' and ')}` : undefined;
}

/** Collects the manifests an index lists, attestations skipped, nested indexes flattened; false when absent. */
async function walkIndex(desc: BlobDescriptor, source: BlobSource, walk: IndexWalk, depth: number): Promise<boolean> {
  const document = await source.json(desc.digest, desc.size);
  if (document === undefined) return false;
  for (const entry of parseIndex(document).manifests) {
    if (walk.tooManyManifests) break;
    if (isAttestation(entry) || walk.seen.has(entry.digest)) continue;
    if (isManifestType(entry.mediaType)) {
      if (walk.manifests.length >= maxManifestsPerImage) {
        walk.tooManyManifests = true;
        continue;
      }
      walk.seen.add(entry.digest);
      walk.manifests.push(entry);
    } else if (isIndexType(entry.mediaType) && depth < maxIndexDepth) {
      if (walk.nestedIndexes >= maxNestedIndexes) {
        walk.tooManyIndexes = true;
        continue;
      }
      walk.nestedIndexes += 1;
      walk.seen.add(entry.digest);
      await walkIndex(entry, source, walk, depth + 1);
    }
  }
  return true;
}

function platformFields(platform: Platform | undefined): Pick<PlatformImage, 'platform' | 'os' | 'architecture' | 'variant'> {
  const normalized = normalizePlatform(platform ?? { os: '', architecture: '' });
  return { platform: formatPlatform(normalized), ...normalized };
}

async function resolveManifest(desc: BlobDescriptor, indexPlatform: Platform | undefined, source: BlobSource): Promise<PlatformImage> {
  const unavailable = { ...platformFields(indexPlatform), manifest: desc, layers: [], diffIds: [], available: false };
  try {
    const manifestDocument = await source.json(desc.digest, desc.size);
    if (manifestDocument === undefined) return { ...unavailable, missing: [desc.digest] };
    const { config, layers } = parseManifest(manifestDocument);
    const [configDocument, present] = await Promise.all([
      source.json(config.digest, config.size),
      Promise.all(layers.map((layer) => source.has(layer.digest))),
    ]);
    const missingLayers = layers.filter((_, i) => !present[i]).map((layer) => layer.digest);
    if (configDocument === undefined) return { ...unavailable, config, layers, missing: [config.digest, ...missingLayers] };
    const parsed = parseConfig(configDocument);
    return {
      ...platformFields(parsed.platform.os ? parsed.platform : indexPlatform),
      manifest: desc,
      config,
      layers,
      diffIds: parsed.diffIds,
      ...(parsed.created ? { created: parsed.created } : {}),
      contentSize: layers.reduce((sum, layer) => sum + layer.size, desc.size + config.size),
      available: missingLayers.length === 0,
      missing: missingLayers,
    };
  } catch (error) {
    if (!isDocumentError(error)) throw error;
    return { ...unavailable, missing: [], error: (error as Error).message };
  }
}

/** Bad content (invalid JSON, wrong shape, oversized) spoils one image or platform, not the list. */
function isDocumentError(error: unknown): boolean {
  return error instanceof SyntaxError || error instanceof InvalidImageDocumentError || error instanceof BlobTooLargeError;
}
