// Which snapshotters an image is unpacked into, and its unpacked size in each, against real
// daemons: the Images tooltip reads the unpack's GC labels instead of assuming overlayfs.
// ctr is the oracle: it unpacks into the snapshotter it is told, and reports each snapshot's usage.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { BlobCache, chainIds, getImage, resolveImage, unpackedSize, unpackedSnapshotters } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeBusyboxOciArchive } from '../harness/sampleImage';

const methods = new MethodTable();
const name = 'docker.io/library/busybox:unpacked';

/** `ctr snapshots usage KEY`: KEY SIZE(2 words) INODES; sizes in ctr's units, so compared by inodes and presence. */
async function ctrUsageInodes(daemon: ContainerdDaemon, namespace: string, snapshotter: string, key: string): Promise<number> {
  const out = await daemon.ctr(['-n', namespace, 'snapshots', '--snapshotter', snapshotter, 'usage', key]);
  const fields = out.trim().split('\n').at(-1)?.trim().split(/\s+/) ?? [];
  return Number(fields.at(-1));
}

for (const version of containerdVersions) {
  describe(`unpacked snapshotters on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    let workDir: string;

    before(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'vscc-unpacked-'));
      const archive = join(workDir, 'busybox.oci.tar');
      await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: name, outFile: archive, workDir: join(workDir, 'sample') });
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 10_000 });
      const local = version === '1.6' ? [] : ['--local'];
      await daemon.ctr(['-n', 'both', 'images', 'import', ...local, '--platform', 'linux/amd64', archive]);
      await daemon.ctr(['-n', 'both', 'images', 'import', ...local, '--platform', 'linux/amd64', '--snapshotter', 'native', archive]);
      await daemon.ctr(['-n', 'packed', 'images', 'import', ...local, '--platform', 'linux/amd64', '--no-unpack', archive]);
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('names every snapshotter the image was unpacked into, and none for an image never unpacked', async () => {
      for (const [namespace, expected] of [['both', ['native', 'overlayfs']], ['packed', []]] as const) {
        const record = await getImage(client, namespace, name);
        assert.ok(record, namespace);
        const amd64 = (await resolveImage(client, namespace, record, new BlobCache())).platforms.find((p) => p.platform === 'linux/amd64');
        assert.ok(amd64?.config, namespace);
        assert.deepEqual(await unpackedSnapshotters(client, namespace, amd64.config.digest), expected, namespace);
        // ctr agrees: the top layer's snapshot exists exactly in those snapshotters.
        const top = chainIds(amd64.diffIds).at(-1) ?? '';
        for (const snapshotter of ['native', 'overlayfs']) {
          const listed = await daemon.ctr(['-n', namespace, 'snapshots', '--snapshotter', snapshotter, 'ls']);
          assert.equal(listed.includes(top), (expected as readonly string[]).includes(snapshotter), `${namespace} ${snapshotter}`);
        }
      }
    });

    it('sizes the unpacked image per snapshotter from the snapshots ctr reports', async () => {
      const record = await getImage(client, 'both', name);
      assert.ok(record);
      const amd64 = (await resolveImage(client, 'both', record, new BlobCache())).platforms.find((p) => p.platform === 'linux/amd64');
      assert.ok(amd64);
      for (const snapshotter of ['native', 'overlayfs']) {
        const size = await unpackedSize(client, 'both', snapshotter, amd64.diffIds);
        assert.ok(size !== undefined && size > 500_000, `${snapshotter}: busybox unpacks to more than 500 kB, got ${size}`);
        const inodes = await ctrUsageInodes(daemon, 'both', snapshotter, chainIds(amd64.diffIds).at(-1) ?? '');
        assert.ok(inodes > 100, `${snapshotter}: ctr sees the unpacked files (${inodes} inodes)`);
      }
      assert.equal(await unpackedSize(client, 'packed', 'overlayfs', amd64.diffIds), undefined);
    });
  });
}
