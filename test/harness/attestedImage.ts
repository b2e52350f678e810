// Writes an image as BuildKit writes it with provenance (`--attest type=provenance` /
// `--provenance=true`, docs/attestations/attestation-storage.md): an OCI index listing a manifest
// per real platform (linux/amd64, linux/arm64) and, for each, an attestation manifest: platform
// unknown/unknown, annotations `vnd.docker.reference.type: attestation-manifest` and
// `vnd.docker.reference.digest: <the platform manifest>`, a config with os/architecture unknown
// and one in-toto statement layer. Saved as an OCI layout archive for `ctr images import`. Layer
// tars are made by GNU tar with fixed owners and times, so the digests are the same on every run.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packLayout, sha256, tarOf } from './ociLayoutFiles';

const oci = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
  inToto: 'application/vnd.in-toto+json',
} as const;
const provenance = 'https://slsa.dev/provenance/v0.2';

interface Blob { readonly mediaType: string; readonly digest: string; readonly size: number }

export interface AttestedPlatform {
  readonly platform: string;
  readonly manifest: Blob;
  readonly config: Blob;
  /** The manifest's own size + its config's + its layers', as written. */
  readonly contentSize: number;
}

export interface AttestedImage {
  /** The image's target: the index listing the platforms and their attestations. */
  readonly indexDigest: string;
  readonly platforms: readonly AttestedPlatform[];
  /** Every blob of the attestation manifests (manifest, config, statement), none shared with a platform. */
  readonly attestationBlobs: readonly Blob[];
}

export async function writeAttestedOciArchive(opts: { imageName: string; workDir: string; outFile: string }): Promise<AttestedImage> {
  await rm(opts.workDir, { recursive: true, force: true });
  const layout = join(opts.workDir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  const addBlob = async (mediaType: string, data: Buffer | string): Promise<Blob> => {
    const digest = sha256(data);
    await writeFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
    return { mediaType, digest, size: Buffer.byteLength(data) };
  };

  const platforms: AttestedPlatform[] = [];
  for (const architecture of ['amd64', 'arm64']) {
    const tree = join(opts.workDir, architecture);
    await mkdir(join(tree, 'etc'), { recursive: true });
    await writeFile(join(tree, 'etc', 'built-for'), `linux/${architecture}\n`);
    const tar = await tarOf(tree);
    const layer = await addBlob(oci.layer, tar);
    const config = await addBlob(oci.config, JSON.stringify({
      architecture, os: 'linux', created: '2000-01-01T00:00:00Z', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }));
    const manifest = await addBlob(oci.manifest, JSON.stringify({ schemaVersion: 2, mediaType: oci.manifest, config, layers: [layer] }));
    platforms.push({ platform: `linux/${architecture}`, manifest, config, contentSize: manifest.size + config.size + layer.size });
  }

  const attestationBlobs: Blob[] = [];
  const attestations = [];
  for (const { platform, manifest } of platforms) {
    // A provenance statement of a realistic size (BuildKit's are a few KiB): its bytes must show if counted.
    const statement = await addBlob(oci.inToto, JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1', predicateType: provenance,
      subject: [{ name: `pkg:docker/${opts.imageName}?platform=${encodeURIComponent(platform)}`, digest: { sha256: manifest.digest.slice('sha256:'.length) } }],
      predicate: { builder: { id: '' }, buildType: 'https://mobyproject.org/buildkit@v1', invocation: { configSource: { entryPoint: 'Dockerfile' } }, buildConfig: { padding: 'x'.repeat(4096) } },
    }));
    const config = await addBlob(oci.config, JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statement.digest] } }));
    const attestation = await addBlob(oci.manifest, JSON.stringify({
      schemaVersion: 2, mediaType: oci.manifest, config, layers: [{ ...statement, annotations: { 'in-toto.io/predicate-type': provenance } }],
    }));
    attestationBlobs.push(attestation, config, statement);
    attestations.push({
      ...attestation,
      annotations: { 'vnd.docker.reference.digest': manifest.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
  }

  const index = await addBlob(oci.index, JSON.stringify({
    schemaVersion: 2, mediaType: oci.index,
    manifests: [
      ...platforms.map(({ platform, manifest }) => ({ ...manifest, platform: { architecture: platform.split('/')[1], os: 'linux' } })),
      ...attestations,
    ],
  }));
  const tag = opts.imageName.slice(opts.imageName.lastIndexOf(':') + 1);
  await writeFile(join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2, mediaType: oci.index,
    manifests: [{ ...index, annotations: { 'io.containerd.image.name': opts.imageName, 'org.opencontainers.image.ref.name': tag } }],
  }));
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await packLayout(layout, opts.outFile);
  return { indexDigest: index.digest, platforms, attestationBlobs };
}
