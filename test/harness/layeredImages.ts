// Real multi-layer images for the image filesystem views, built by the tests into one namespace
// of a private containerd with nothing pulled: a base built by Docker on its classic store (the
// one writer here of an opaque-folder marker), then BuildKit's steps over it (containerd worker),
// exported with gzip layers and again with zstd ones, plus a linux/amd64 + linux/arm64 build over
// the busybox sample. What the tools wrote is read back with ctr, for tests to pair.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { outcomeText, type RunResult } from '../../src/process/runner';
import { startBuildkitd, type Buildkitd } from './buildkitd';
import { loadComponents } from './components';
import type { ContainerdDaemon } from './containerdDaemon';
import { startDockerd } from './dockerd';
import { writeDockerBaseContext, writeLayeredContext } from './layeredDockerfiles';
import { importBusybox } from './sampleImage';

export const layeredImageNames = {
  /** Docker-built (classic store): busybox, then a folder made opaque; uncompressed layers. */
  dockerBase: 'docker.io/library/layered-fixture:docker-base',
  /** BuildKit's default export: its own layers gzip, the base's kept as they were (plain tar). */
  gzip: 'docker.io/library/layered-fixture:gzip',
  /** The same build exported with compression=zstd,force-compression=true: every layer zstd. */
  zstd: 'docker.io/library/layered-fixture:zstd',
  /** linux/amd64 and linux/arm64 over the busybox sample (plain tar base, gzip above). */
  multiPlatform: 'docker.io/library/layered-fixture:multi-platform',
} as const;

const busyboxName = 'docker.io/library/busybox:latest';

export interface LayerDescriptor {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/** One entry of the config's history, as the image config holds it. */
export interface HistoryStep {
  readonly created?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

export interface PlatformImage {
  /** `os/architecture[/variant]`, from the config. */
  readonly platform: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layers: readonly LayerDescriptor[];
  /** The config's rootfs.diff_ids: the uncompressed digests, one per layer. */
  readonly diffIds: readonly string[];
  readonly history: readonly HistoryStep[];
}

export interface FixtureImage {
  readonly name: string;
  /** The image's target: a manifest, or an index for the multi-platform one. */
  readonly digest: string;
  readonly mediaType: string;
  readonly platforms: readonly PlatformImage[];
}

export interface LayeredImages {
  readonly namespace: string;
  readonly dockerBase: FixtureImage;
  readonly gzip: FixtureImage;
  readonly zstd: FixtureImage;
  /** Undefined when not asked for. */
  readonly multiPlatform: FixtureImage | undefined;
}

export interface LayeredImagesOptions {
  /** Where every image lands (and where the worker builds); `layered` by default. */
  readonly namespace?: string;
  /** Also the two-platform build (its arm64 RUNs under QEMU, a few seconds more); true by default. */
  readonly multiPlatform?: boolean;
}

function succeeded(what: string, result: RunResult): void {
  if (result.exitCode !== 0) throw new Error(`${what} failed (${outcomeText(result)}):\n${result.stderr.slice(-3000)}`);
}

/** Docker on its classic store builds the base, saves it, and ctr imports the archive into `namespace`. */
async function buildDockerBase(daemon: ContainerdDaemon, namespace: string, work: string): Promise<void> {
  const context = join(work, 'docker-base');
  writeDockerBaseContext(context, loadComponents().busybox.amd64);
  const archive = join(work, 'docker-base.tar');
  const dockerd = await startDockerd(daemon, { containerdSnapshotter: false });
  try {
    succeeded('docker build of the base', await dockerd.docker(['build', '--network=none', '--progress=plain', '--tag', layeredImageNames.dockerBase, context]));
    succeeded('docker save of the base', await dockerd.docker(['save', '--output', archive, layeredImageNames.dockerBase]));
  } finally {
    await dockerd.stop();
  }
  await daemon.ctr(['--namespace', namespace, 'images', 'import', archive]);
}

async function buildctlBuild(buildkitd: Buildkitd, context: string, opts: readonly string[], output: string): Promise<void> {
  const args = ['build', '--frontend', 'dockerfile.v0', '--local', `context=${context}`, '--local', `dockerfile=${context}`,
    // Base images come from the worker's namespace: there is no registry to ask.
    '--opt', 'image-resolve-mode=local', ...opts.flatMap((opt) => ['--opt', opt]), '--output', output, '--progress', 'plain'];
  succeeded(`buildctl build (${output})`, await buildkitd.buildctl(args));
}

export async function buildLayeredImages(daemon: ContainerdDaemon, options: LayeredImagesOptions = {}): Promise<LayeredImages> {
  const namespace = options.namespace ?? 'layered';
  const multiPlatform = options.multiPlatform ?? true;
  const work = await mkdtemp(join(daemon.dir, 'layered-'));
  try {
    await buildDockerBase(daemon, namespace, work);
    if (multiPlatform) await importBusybox(daemon, loadComponents().busybox, busyboxName, namespace);
    const context = join(work, 'layered');
    writeLayeredContext(context);
    const buildkitd = await startBuildkitd(daemon, { namespace });
    try {
      const single = [`build-arg:BASE=${layeredImageNames.dockerBase}`, 'platform=linux/amd64'];
      await buildctlBuild(buildkitd, context, single, `type=image,name=${layeredImageNames.gzip},oci-mediatypes=true`);
      // The same steps again (all cached): only the export differs.
      await buildctlBuild(buildkitd, context, single, `type=image,name=${layeredImageNames.zstd},oci-mediatypes=true,compression=zstd,force-compression=true`);
      if (multiPlatform) {
        await buildctlBuild(buildkitd, context, [`build-arg:BASE=${busyboxName}`, 'platform=linux/amd64,linux/arm64'],
          `type=image,name=${layeredImageNames.multiPlatform},oci-mediatypes=true`);
      }
    } finally {
      await buildkitd.stop();
    }
    return {
      namespace,
      dockerBase: await describeImage(daemon, namespace, layeredImageNames.dockerBase),
      gzip: await describeImage(daemon, namespace, layeredImageNames.gzip),
      zstd: await describeImage(daemon, namespace, layeredImageNames.zstd),
      multiPlatform: multiPlatform ? await describeImage(daemon, namespace, layeredImageNames.multiPlatform) : undefined,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface ManifestJson { readonly config: LayerDescriptor; readonly layers: readonly LayerDescriptor[] }
interface ConfigJson { readonly os: string; readonly architecture: string; readonly variant?: string; readonly rootfs: { readonly diff_ids: readonly string[] }; readonly history?: readonly HistoryStep[] }
interface IndexJson { readonly manifests: readonly { readonly digest: string; readonly platform?: { readonly os: string } }[] }

const indexTypes = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** An image as ctr reads it from the content store: per platform, the manifest's layers and the config's history. */
export async function describeImage(daemon: ContainerdDaemon, namespace: string, name: string): Promise<FixtureImage> {
  const rows = (await daemon.ctr(['--namespace', namespace, 'images', 'list'])).split('\n').slice(1).map((line) => line.split(/\s+/));
  const row = rows.find((fields) => fields[0] === name);
  const [, mediaType, digest] = row ?? [];
  if (!mediaType || !digest) throw new Error(`ctr lists no image ${name} in namespace ${namespace}`);
  const json = async <T>(blob: string): Promise<T> => JSON.parse(await daemon.ctr(['--namespace', namespace, 'content', 'get', blob])) as T;
  // Attestation manifests (platform unknown/unknown) are not platforms of the image.
  const manifests = indexTypes.has(mediaType)
    ? (await json<IndexJson>(digest)).manifests.filter((m) => m.platform !== undefined && m.platform.os !== 'unknown').map((m) => m.digest)
    : [digest];
  const platforms: PlatformImage[] = [];
  for (const manifestDigest of manifests) {
    const manifest = await json<ManifestJson>(manifestDigest);
    const config = await json<ConfigJson>(manifest.config.digest);
    platforms.push({
      platform: [config.os, config.architecture, ...(config.variant ? [config.variant] : [])].join('/'),
      manifestDigest, configDigest: manifest.config.digest,
      layers: manifest.layers.map(({ digest: d, mediaType: m, size }) => ({ digest: d, mediaType: m, size })),
      diffIds: config.rootfs.diff_ids, history: config.history ?? [],
    });
  }
  return { name, digest, mediaType, platforms };
}

/** The platform's image, or a failure naming the ones there are. */
export function platformOf(image: FixtureImage, platform: string): PlatformImage {
  const found = image.platforms.find((p) => p.platform === platform);
  if (!found) throw new Error(`${image.name} has no ${platform}: only ${image.platforms.map((p) => p.platform).join(', ')}`);
  return found;
}

/** The layer (and its index) that the first history step matching `createdBy` made: history entries without empty_layer pair with layers in order. */
export function layerOfStep(image: PlatformImage, createdBy: RegExp): { readonly index: number; readonly layer: LayerDescriptor } {
  const steps = image.history.filter((step) => step.empty_layer !== true);
  if (steps.length !== image.layers.length) throw new Error(`${steps.length} history steps with a layer, but ${image.layers.length} layers`);
  const index = steps.findIndex((step) => createdBy.test(step.created_by ?? ''));
  const layer = image.layers[index];
  if (index < 0 || !layer) throw new Error(`no history step matches ${String(createdBy)}: ${steps.map((s) => s.created_by).join(' | ')}`);
  return { index, layer };
}
