// Image JSON documents for the resolver's unit tests. The `real` ones are verbatim bytes read back
// with `ctr content get` from containerd 2.1.9 after importing the harness's busybox sample
// (writeBusyboxOciArchive), the three-layer Docker-format image of test/integration/imagesLayered.ts,
// and `ctr images import --index-name` (which stores the archive's own index.json: an index whose
// only entry is another index). The BuildKit-style index is assembled here from the real sample
// manifests plus attestation manifests in BuildKit's format (docs/attestations/attestation-storage.md:
// annotations vnd.docker.reference.type/digest, platform unknown/unknown, in-toto layers).
import { createHash } from 'node:crypto';
import type { BlobSource } from '../../src/containerd/images/blobCache';
import type { BlobDescriptor } from '../../src/containerd/images/imageManifests';

export function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export const real = {
  sampleIndex: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:fa67e3af46a926a2b42acdc897ed14da30e940ebef4ed998c7d785cfcba752bd","size":400,"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:391e54457f2162a077287a1e3c11253fe6f60779a739046edae6acfb9a2bd9ff","size":400,"platform":{"architecture":"arm64","os":"linux"}}]}',
  amd64Manifest: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:c03a4f07c23764400aff932fc1f0d9927908db8aaf4a9acd4c152f20b9210887","size":399},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:90170d3b0dcd054529e8336200c15c574cecd49a254276669d31d18b116ced49","size":2124288}]}',
  arm64Manifest: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:d1676131e58a0a9bf653214633823c0c92971f32cb054a5b8bebc081fe3c5ef1","size":399},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:deb556eabb0bf752eba4d41f4bc351b4c88c3b1f6991a484935e321479605d71","size":1988608}]}',
  amd64Config: '{"created":"2000-01-01T00:00:00Z","architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:90170d3b0dcd054529e8336200c15c574cecd49a254276669d31d18b116ced49"]},"history":[{"created":"2000-01-01T00:00:00Z","created_by":"vscode-containerd test harness: busybox sample image"}]}',
  arm64Config: '{"created":"2000-01-01T00:00:00Z","architecture":"arm64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:deb556eabb0bf752eba4d41f4bc351b4c88c3b1f6991a484935e321479605d71"]},"history":[{"created":"2000-01-01T00:00:00Z","created_by":"vscode-containerd test harness: busybox sample image"}]}',
  layoutIndex: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:870390426b48be8ac55723f6ea1c612c4b5b627fd50879c6af30cedc5781aab8","size":491,"annotations":{"io.containerd.image.name":"docker.io/library/busybox:sample","org.opencontainers.image.ref.name":"sample"}}]}',
  layeredManifest: '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:d8790b11ba06d4de37d76f500568f26a0bdbb6509be7e187ea9cc76770b5b832","size":356},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:bf8c47b25e7a7bee0b7843b3d274f1040d385d0daa62e125daea4229bdd198aa","size":1052030},{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:34f1507cddb6b566cd13daade8e8e9cbc3a5653cbd2009fc335f31d9269a43c2","size":161},{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:0506dccf0e4c9161a884d48b9e4fc006b2183e1a15b366061db50977479bc48b","size":518}]}',
  layeredConfig: '{"architecture":"amd64","os":"linux","created":"2000-01-01T00:00:00Z","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:b7644c3dcba7b7508d144f8766b51657f9758d63919ff37e0e5f943ce8df1986","sha256:183c81314279b0056ad6771c0713ef763be8f943ae8c384d7596087be6ce0c03","sha256:c147e80d0518d267bfc74d56333d4f64eac16e40e15767f414b42ceb91b65cfd"]}}',
} as const;

/** The digests containerd reported for the documents above. */
export const realDigests: Readonly<Record<keyof typeof real, string>> = {
  sampleIndex: 'sha256:870390426b48be8ac55723f6ea1c612c4b5b627fd50879c6af30cedc5781aab8',
  amd64Manifest: 'sha256:fa67e3af46a926a2b42acdc897ed14da30e940ebef4ed998c7d785cfcba752bd',
  arm64Manifest: 'sha256:391e54457f2162a077287a1e3c11253fe6f60779a739046edae6acfb9a2bd9ff',
  amd64Config: 'sha256:c03a4f07c23764400aff932fc1f0d9927908db8aaf4a9acd4c152f20b9210887',
  arm64Config: 'sha256:d1676131e58a0a9bf653214633823c0c92971f32cb054a5b8bebc081fe3c5ef1',
  layoutIndex: 'sha256:97f513a5604721a7246897726a5915a82222f91718caeb851b3715961d0f3c65',
  layeredManifest: 'sha256:268032dda5e71dcbbebb7d09c38f6dec695eb9ace8ec9d15c9f209bbaf7fcffd',
  layeredConfig: 'sha256:d8790b11ba06d4de37d76f500568f26a0bdbb6509be7e187ea9cc76770b5b832',
};

/**
 * Real snapshot keys: `ctr snapshots ls` on containerd 2.1.9 after unpacking the layered image,
 * for its diff_ids (layeredConfig). The first key is the first diff_id itself.
 */
export const layeredChainIds = [
  'sha256:b7644c3dcba7b7508d144f8766b51657f9758d63919ff37e0e5f943ce8df1986',
  'sha256:e5748beafcca7022fee9421031cab3e515b4ed41c3e1166680ebe1efb740124e',
  'sha256:f55123afe87387bd427fa94dd0cb49813e5b0e5ce60d53ed49b2bc9a4f5adb73',
] as const;

export const layerDigests = {
  amd64: 'sha256:90170d3b0dcd054529e8336200c15c574cecd49a254276669d31d18b116ced49',
  arm64: 'sha256:deb556eabb0bf752eba4d41f4bc351b4c88c3b1f6991a484935e321479605d71',
  layered: ['sha256:bf8c47b25e7a7bee0b7843b3d274f1040d385d0daa62e125daea4229bdd198aa', 'sha256:34f1507cddb6b566cd13daade8e8e9cbc3a5653cbd2009fc335f31d9269a43c2', 'sha256:0506dccf0e4c9161a884d48b9e4fc006b2183e1a15b366061db50977479bc48b'],
} as const;

export function descriptorOf(mediaType: string, text: string): BlobDescriptor {
  return { mediaType, digest: digestOf(text), size: Buffer.byteLength(text), annotations: {} };
}

/** BuildKit's layout: one attestation manifest per platform manifest, pointing back at it. */
function attestationFor(manifestDigest: string, predicate: string): { entry: object; blobs: string[] } {
  const statement = JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: predicate, subject: [{ name: 'pkg:docker/busybox@sample', digest: { sha256: manifestDigest.slice(7) } }], predicate: {} });
  const config = JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [digestOf(statement)] } });
  const manifest = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.in-toto+json', digest: digestOf(statement), size: statement.length, annotations: { 'in-toto.io/predicate-type': predicate } }],
  });
  const entry = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(manifest), size: manifest.length,
    annotations: { 'vnd.docker.reference.digest': manifestDigest, 'vnd.docker.reference.type': 'attestation-manifest' },
    platform: { architecture: 'unknown', os: 'unknown' },
  };
  return { entry, blobs: [statement, config, manifest] };
}

export function buildkitStyleIndex(): { index: string; attestationBlobs: string[] } {
  const sample = JSON.parse(real.sampleIndex) as { manifests: { digest: string }[] };
  const attestations = sample.manifests.map((m) => attestationFor(m.digest, 'https://slsa.dev/provenance/v0.2'));
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [...sample.manifests, ...attestations.map((a) => a.entry)] });
  return { index, attestationBlobs: attestations.flatMap((a) => a.blobs) };
}

/** A Docker manifest list: the real layered manifest for amd64, plus arm64/v8 and arm/v7 entries not pulled. */
export function dockerManifestList(): string {
  const entry = (digest: string, platform: object): object => ({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest, size: 528, platform });
  return JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: [
      entry(realDigests.layeredManifest, { architecture: 'amd64', os: 'linux' }),
      entry(digestOf('arm64 manifest, not pulled'), { architecture: 'arm64', os: 'linux', variant: 'v8' }),
      entry(digestOf('arm manifest, not pulled'), { architecture: 'arm', os: 'linux', variant: 'v7' }),
    ],
  });
}

/** A content store in memory: the given documents, plus blobs present without JSON (layers). */
export class FixtureStore implements BlobSource {
  readonly reads: string[] = [];
  private readonly documents = new Map<string, string>();
  private readonly others: Set<string>;

  constructor(documents: readonly string[], otherBlobs: readonly string[] = []) {
    for (const text of documents) this.documents.set(digestOf(text), text);
    this.others = new Set(otherBlobs);
  }

  json(digest: string): Promise<unknown> {
    this.reads.push(digest);
    const text = this.documents.get(digest);
    return Promise.resolve(text === undefined ? undefined : JSON.parse(text));
  }

  has(digest: string): Promise<boolean> {
    return Promise.resolve(this.documents.has(digest) || this.others.has(digest));
  }
}

export const sampleDocuments = [real.sampleIndex, real.amd64Manifest, real.arm64Manifest, real.amd64Config, real.arm64Config] as const;
export const sampleLayers = [layerDigests.amd64, layerDigests.arm64] as const;
