// The OCI / Docker image JSON documents (index, manifest, config) read into plain typed values,
// defensively: content comes from registries and builders, not from us. Also platform names
// normalized and formatted the way containerd's platforms package does (Normalize + Format).

export const mediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface BlobDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations: Readonly<Record<string, string>>;
  /** Only on an index's entries. */
  readonly platform?: Platform;
}

export interface ImageIndex { readonly manifests: readonly BlobDescriptor[] }
export interface ImageManifest { readonly config: BlobDescriptor; readonly layers: readonly BlobDescriptor[] }
/** One step of the config's history: the instruction that made a layer, or a step that made none. */
export interface HistoryStep {
  readonly createdBy: string;
  readonly comment: string;
  /** The step changed the config only (ENV, LABEL, CMD...): no layer of its own. */
  readonly emptyLayer: boolean;
}

export interface ImageConfig {
  readonly platform: Platform;
  readonly created?: Date;
  readonly diffIds: readonly string[];
  readonly history: readonly HistoryStep[];
}

export class InvalidImageDocumentError extends Error {}

/** containerd's images.IsIndexType / IsManifestType. */
export function isIndexType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociIndex || mediaType === mediaTypes.dockerManifestList;
}
export function isManifestType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociManifest || mediaType === mediaTypes.dockerManifest;
}

/** BuildKit's attestation manifests: `vnd.docker.reference.type` annotation, platform unknown/unknown. */
export function isAttestation(desc: BlobDescriptor): boolean {
  return desc.annotations['vnd.docker.reference.type'] === 'attestation-manifest'
    || desc.platform?.os === 'unknown' || desc.platform?.architecture === 'unknown';
}

type Json = Readonly<Record<string, unknown>>;

/** A JSON object; null or undefined for anything else (JSON's null is an object to typeof: every caller reads it as none). */
function record(value: unknown): Json | null | undefined {
  return typeof value === 'object' && !Array.isArray(value) ? (value as Json | null) : undefined;
}

function asObject(value: unknown, what: string): Json {
  const o = record(value);
  if (!o) throw new InvalidImageDocumentError(`${what} is not a JSON object`);
  return o;
}

/** A string field; '' when absent or of another type. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(record(value) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The os, architecture and variant fields of an index entry's platform, or of a config. */
function platformOf(o: Json): Platform {
  const variant = text(o.variant);
  return { os: text(o.os), architecture: text(o.architecture), ...(variant ? { variant } : {}) };
}

export function parseDescriptor(value: unknown, what: string): BlobDescriptor {
  const o = asObject(value, what);
  const digest = text(o.digest);
  if (!digest) throw new InvalidImageDocumentError(`${what} has no digest`);
  const size = o.size;
  if (!Number.isSafeInteger(size) || (size as number) < 0) throw new InvalidImageDocumentError(`${what} has no valid size`);
  const platform = record(o.platform);
  return { mediaType: text(o.mediaType), digest, size: size as number, annotations: stringMap(o.annotations), ...(platform ? { platform: platformOf(platform) } : {}) };
}

export function parseIndex(value: unknown): ImageIndex {
  const manifests = asObject(value, 'image index').manifests;
  if (!Array.isArray(manifests)) throw new InvalidImageDocumentError('image index has no manifests list');
  return { manifests: manifests.map((m, i) => parseDescriptor(m, `image index entry ${i}`)) };
}

export function parseManifest(value: unknown): ImageManifest {
  const o = asObject(value, 'image manifest');
  const layers = Array.isArray(o.layers) ? o.layers : [];
  return { config: parseDescriptor(o.config, 'manifest config'), layers: layers.map((l, i) => parseDescriptor(l, `manifest layer ${i}`)) };
}

export function parseConfig(value: unknown): ImageConfig {
  const o = asObject(value, 'image config');
  const diffIds = record(o.rootfs)?.diff_ids;
  // new Date('') is an invalid date too.
  const created = new Date(text(o.created));
  return {
    platform: platformOf(o),
    ...(Number.isNaN(created.getTime()) ? {} : { created }),
    diffIds: Array.isArray(diffIds) ? diffIds.filter((d): d is string => typeof d === 'string') : [],
    history: (Array.isArray(o.history) ? o.history : []).map((step) => {
      const h = record(step) ?? {};
      return { createdBy: text(h.created_by), comment: text(h.comment), emptyLayer: h.empty_layer === true };
    }),
  };
}

/** containerd/platforms normalizeArch: aliases folded, arm64's default variant v8 dropped. */
function normalizeArch(architecture: string, variant: string): [string, string] {
  const arch = architecture.toLowerCase();
  const v = variant.toLowerCase();
  switch (arch) {
    case 'i386': return ['386', ''];
    case 'x86_64': case 'x86-64': case 'amd64': return ['amd64', v === 'v1' ? '' : v];
    case 'aarch64': case 'arm64':
      if (v === '8' || v === 'v8' || v === 'v8.0') return ['arm64', ''];
      return ['arm64', v === '9' || v === '9.0' || v === 'v9.0' ? 'v9' : v];
    case 'armhf': return ['arm', 'v7'];
    case 'armel': return ['arm', 'v6'];
    case 'arm': return ['arm', v === '' || v === '7' ? 'v7' : ['5', '6', '8'].includes(v) ? `v${v}` : v];
    default: return [arch, v];
  }
}

export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase() === 'macos' ? 'darwin' : platform.os.toLowerCase();
  const [architecture, variant] = normalizeArch(platform.architecture, platform.variant ?? '');
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** platforms.Format: `linux/amd64`, `linux/arm/v7`; `unknown` without an OS. */
export function formatPlatform(platform: Platform): string {
  if (!platform.os) return 'unknown';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
