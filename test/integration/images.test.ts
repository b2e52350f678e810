// Images against real containerd daemons, one version at a time: 1.6 (bookworm), 1.7 (trixie) and
// 2.x (sid). Real images are imported with ctr into one namespace per case (snapshots and content
// are namespaced, so the cases do not share unpacked layers); ctr, run against the same daemon,
// is the oracle for names, platforms, sizes, snapshots and deletion.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { listBlobs } from '../../src/containerd/images/blobCache';
import { BlobCache, chainIds, deleteImage, listImages, resolveImage, unpackedSize, type ResolvedImage } from '../../src/containerd/images/images';
import { MethodTable, type Method } from '../../src/containerd/proto/codec';
import { containerdVersions, loadComponents, type ContainerdVersion } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeBusyboxOciArchive } from '../harness/sampleImage';
import { writeLayeredDockerArchive } from './imagesLayered';

const methods = new MethodTable();
const sampleName = 'docker.io/library/busybox:sample';
const layeredName = 'registry.example:5000/team/layered:v1';
const nestedName = 'localhost/busybox-layout:index';

/** A ContainerdClient, counting the calls that reach the daemon. */
class CountingClient implements ContainerdApi {
  readonly methods = methods;
  calls = 0;
  constructor(private readonly client: ContainerdClient) {}
  get address(): string {
    return this.client.address;
  }
  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    this.calls++;
    return this.client.unary(method, request, namespace);
  }
  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    this.calls++;
    return this.client.streamAll(method, request, namespace);
  }  streamEach<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined, signal?: AbortSignal): AsyncIterable<Res> {
    this.calls++;
    return this.client.streamEach(method, request, namespace, signal);
  }

}

/** One namespace per case, and the ctr import arguments that make it. */
function importCases(version: ContainerdVersion, sample: string, layered: string): Record<string, string[][]> {
  // From 1.7, ctr imports through the transfer service, which ignores --digests; --local does not.
  const local = version === '1.6' ? [] : ['--local'];
  return {
    multi: [['--all-platforms', sample], ['--all-platforms', '--index-name', nestedName, sample]],
    single: [['--platform', 'linux/amd64', sample]],
    nounpack: [['--all-platforms', '--no-unpack', sample]],
    layered: [[layered]],
    dangling: [[...local, '--digests', '--all-platforms', sample]],
  };
}

interface CtrImage { readonly size: string; readonly platforms: string[] }

/** `ctr images ls`: REF TYPE DIGEST SIZE(2 words) PLATFORMS LABELS. */
async function ctrImages(daemon: ContainerdDaemon, namespace: string): Promise<Map<string, CtrImage>> {
  const lines = (await daemon.ctr(['-n', namespace, 'images', 'ls'])).trim().split('\n').slice(1);
  return new Map(lines.map((line) => {
    const [ref = '', , , number, unit, platforms = ''] = line.trim().split(/\s+/);
    // containerd 1.6 lists BuildKit attestations as unknown/unknown; 1.7 and later skip them.
    return [ref, { size: `${number} ${unit}`, platforms: platforms === '-' ? [] : platforms.split(',').filter((p) => p !== 'unknown/unknown') }];
  }));
}

async function ctrSnapshots(daemon: ContainerdDaemon, namespace: string): Promise<Map<string, string>> {
  const lines = (await daemon.ctr(['-n', namespace, 'snapshots', 'ls'])).trim().split('\n').slice(1);
  return new Map(lines.map((line) => line.trim().split(/\s+/)).map(([key = '', parent = '', kind = '']) => [key, kind ? parent : '']));
}

/** containerd's progress.Bytes: "%02.1f %s" in powers of 1024. */
function ctrBytes(size: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = size;
  let i = 0;
  for (; value >= 1024 && i < units.length - 1; i++) value /= 1024;
  return `${value.toFixed(1)} ${units[i] ?? ''}`;
}

for (const version of containerdVersions) {
  describe(`images on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    let api: CountingClient;
    let workDir: string;
    let cases: Record<string, string[][]>;
    /** Before the first import: every image's timestamps lie after it. */
    let importedFrom: number;
    const cache = new BlobCache();

    const resolveAll = async (namespace: string): Promise<ResolvedImage[]> =>
      Promise.all((await listImages(api, namespace)).map((image) => resolveImage(api, namespace, image, cache)));

    before(async () => {
      const components = loadComponents();
      workDir = await mkdtemp(join(tmpdir(), 'vscc-images-'));
      const sample = join(workDir, 'busybox.oci.tar');
      const layered = join(workDir, 'layered.oci.tar');
      await writeBusyboxOciArchive({ busybox: components.busybox, imageName: sampleName, outFile: sample, workDir: join(workDir, 'sample') });
      await writeLayeredDockerArchive({ busybox: components.busybox.amd64, imageName: layeredName, outFile: layered, workDir: join(workDir, 'layered') });
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 10_000 });
      api = new CountingClient(client);
      cases = importCases(version, sample, layered);
      importedFrom = Date.now();
      for (const [namespace, imports] of Object.entries(cases)) {
        for (const args of imports) await daemon.ctr(['-n', namespace, 'images', 'import', ...args]);
      }
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('lists exactly the images ctr lists, in every namespace', async () => {
      for (const namespace of Object.keys(cases)) {
        const names = (await listImages(api, namespace)).map((image) => image.name).sort();
        assert.deepEqual(names, [...(await ctrImages(daemon, namespace)).keys()].sort(), namespace);
      }
      const multi = await listImages(api, 'multi');
      assert.deepEqual(multi.map((image) => image.name).sort(), [sampleName, nestedName].sort());
      const now = Date.now();
      for (const image of multi) {
        const [created, updated] = [image.createdAt?.getTime() ?? 0, image.updatedAt?.getTime() ?? 0];
        assert.ok(importedFrom <= created && created <= updated && updated <= now, `${image.name} ${String(image.createdAt)} ${String(image.updatedAt)}`);
      }
    });

    it('names the platforms ctr prints, skipping none that ctr lists', async () => {
      for (const namespace of Object.keys(cases)) {
        const listed = await ctrImages(daemon, namespace);
        for (const image of await resolveAll(namespace)) {
          assert.equal(image.error, undefined, `${namespace} ${image.name}`);
          assert.deepEqual(image.platforms.map((p) => p.platform), listed.get(image.name)?.platforms.sort(), `${namespace} ${image.name}`);
        }
      }
    });

    it('computes content sizes from the manifests containerd holds, matching ctr SIZE for the host platform', async () => {
      for (const namespace of Object.keys(cases)) {
        const listed = await ctrImages(daemon, namespace);
        for (const image of await resolveAll(namespace)) {
          for (const platform of image.platforms.filter((p) => p.contentSize !== undefined)) {
            const manifestBytes = Buffer.from(await daemon.ctr(['-n', namespace, 'content', 'get', platform.manifest.digest]));
            const manifest = JSON.parse(manifestBytes.toString()) as { config: { size: number }; layers: { size: number }[] };
            const expected = manifestBytes.length + manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
            assert.equal(platform.contentSize, expected, `${namespace} ${image.name} ${platform.platform}`);
          }
          assert.equal(image.contentSize, image.platforms.reduce((sum, p) => sum + (p.contentSize ?? 0), 0));
          if (image.name === nestedName) continue; // ctr would add the inner index too
          // ctr's SIZE: the target, plus the host platform's manifest, config and layers.
          const host = image.platforms.find((p) => p.platform === 'linux/amd64');
          const ctrSize = (image.kind === 'index' ? image.target.size : 0) + (host?.contentSize ?? 0);
          assert.equal(ctrBytes(ctrSize), listed.get(image.name)?.size, `${namespace} ${image.name}`);
        }
      }
    });

    it('reports what is missing from the content store instead of failing', async () => {
      for (const namespace of Object.keys(cases)) {
        const stored = new Set((await daemon.ctr(['-n', namespace, 'content', 'ls', '-q'])).split('\n').filter(Boolean));
        for (const image of await resolveAll(namespace)) {
          for (const platform of image.platforms) {
            const blobs = [platform.manifest.digest, ...(platform.config ? [platform.config.digest] : []), ...platform.layers.map((l) => l.digest)];
            assert.deepEqual(platform.missing, blobs.filter((d) => !stored.has(d)), `${namespace} ${image.name} ${platform.platform}`);
            assert.equal(platform.available, platform.missing.length === 0);
          }
        }
      }
      const [single] = await resolveAll('single');
      assert.deepEqual(single?.platforms.map((p) => [p.platform, p.available]), [['linux/amd64', true], ['linux/arm64', false]]);
      assert.ok(single?.platforms.every((p) => p.platform !== 'linux/arm64' || p.contentSize === undefined));
    });

    it('sizes the unpacked chain as ctr snapshots usage does, and says when it is not unpacked', async () => {
      for (const namespace of Object.keys(cases)) {
        const snapshots = await ctrSnapshots(daemon, namespace);
        for (const image of await resolveAll(namespace)) {
          for (const platform of image.platforms.filter((p) => p.diffIds.length > 0)) {
            const keys = chainIds(platform.diffIds);
            const unpacked = keys.every((key) => snapshots.has(key));
            let expected: number | undefined;
            if (unpacked) {
              const usage = await daemon.ctr(['-n', namespace, 'snapshots', 'usage', '-b', ...keys]);
              expected = usage.trim().split('\n').slice(1).reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[1]), 0);
            }
            assert.equal(await unpackedSize(api, namespace, 'overlayfs', platform.diffIds), expected, `${namespace} ${image.name} ${platform.platform}`);
          }
        }
      }
      // Every version unpacks the host platform on import (2.x's transfer service unpacks all of them).
      const sample = (await resolveAll('multi')).find((image) => image.name === sampleName);
      assert.ok(((await unpackedSize(api, 'multi', 'overlayfs', sample?.platforms[0]?.diffIds ?? [])) ?? 0) > 1_000_000);
      // The three-layer image: containerd named its snapshots by our chain IDs, each the parent of the next.
      const [layered] = await resolveAll('layered');
      const keys = chainIds(layered?.platforms[0]?.diffIds ?? []);
      const snapshots = await ctrSnapshots(daemon, 'layered');
      assert.deepEqual(keys.map((key) => snapshots.get(key)), ['', keys[0], keys[1]]);
      assert.ok(((await unpackedSize(api, 'layered', 'overlayfs', layered?.platforms[0]?.diffIds ?? [])) ?? 0) > 2_000_000);
      for (const image of await resolveAll('nounpack')) {
        for (const platform of image.platforms) assert.equal(await unpackedSize(api, 'nounpack', 'overlayfs', platform.diffIds), undefined);
      }
      assert.equal((await ctrSnapshots(daemon, 'nounpack')).size, 0);
    });

    it('marks the digest-only image of ctr import --digests dangling, and the tagged ones not', async () => {
      const images = await resolveAll('dangling');
      const dangling = images.filter((image) => image.dangling);
      assert.equal(dangling.length, 1, images.map((i) => i.name).join(', '));
      assert.match(dangling[0]?.name ?? '', /^import-[0-9-]+@sha256:[0-9a-f]{64}$/);
      assert.equal(dangling[0]?.tag, undefined);
      assert.deepEqual(images.filter((image) => !image.dangling).map((image) => [image.repository, image.tag]), [['busybox', 'sample']]);
    });

    it('lists the blobs of a namespace (Content.List) exactly as ctr content ls does', async () => {
      for (const namespace of Object.keys(cases)) {
        const oracle = (await daemon.ctr(['-n', namespace, 'content', 'ls', '-q'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
        assert.ok(oracle.length > 0, namespace);
        assert.deepEqual((await listBlobs(api, namespace)).sort(), oracle, namespace);
      }
    });

    it('resolves warm images from the cache without a single call', async () => {
      for (const namespace of Object.keys(cases)) await resolveAll(namespace);
      const records = await Promise.all(Object.keys(cases).map(async (namespace) => ({ namespace, images: await listImages(api, namespace) })));
      const before = api.calls;
      for (const { namespace, images } of records) {
        for (const image of images) await resolveImage(api, namespace, image, cache);
      }
      assert.equal(api.calls - before, 0);
      assert.ok(cache.stats.hits > 0);
    });

    it('deletes an image: ctr no longer lists it, and a synchronous delete collects its snapshots', async () => {
      const [layered] = await resolveAll('layered');
      assert.equal(layered?.platforms[0]?.diffIds.length, 3, 'the three-layer image, unpacked, before the delete');
      assert.ok(await unpackedSize(api, 'layered', 'overlayfs', layered.platforms[0].diffIds));
      await deleteImage(api, 'layered', layeredName, true);
      assert.ok(!(await daemon.ctr(['-n', 'layered', 'images', 'ls', '-q'])).split('\n').includes(layeredName));
      assert.deepEqual(await listImages(api, 'layered'), []);
      assert.equal(await unpackedSize(api, 'layered', 'overlayfs', layered.platforms[0].diffIds), undefined);
      assert.ok(!(await daemon.ctr(['-n', 'layered', 'content', 'ls', '-q'])).includes(layered.target.digest));
    });
  });
}
