// Snapshot removal against real containerd daemons (1.6, 1.7, 2.x): what containerd itself would
// let go but something still needs (an unpacked image's layer, a lease, an unpack in progress)
// is refused and stays; what nothing needs goes. ctr, on the same daemon, is the oracle.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { chainIds, listImages, resolveImage, BlobCache } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { removeSnapshot, SnapshotRemoveRefusedError } from '../../src/containerd/snapshots/removeSnapshot';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeBusyboxOciArchive } from '../harness/sampleImage';

const methods = new MethodTable();
const image = 'docker.io/library/busybox:sample';
const namespace = 'holds';

for (const version of containerdVersions) {
  describe(`snapshot removal refusals on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    /** The committed snapshot of the host platform's (only) layer: the image's layer chain. */
    let layer: string;
    const sfx = `${process.pid}-${Date.now().toString(36)}`;
    const ctr = (args: readonly string[]): Promise<string> => daemon.ctr(['--namespace', namespace, ...args]);
    const snapshots = (args: readonly string[]): Promise<string> => ctr(['snapshots', '--snapshotter', 'overlayfs', ...args]);
    /** `ctr snapshots info` (keys may hold spaces, which `ls` columns cannot show). */
    const exists = (key: string): Promise<boolean> => snapshots(['info', key]).then(() => true, () => false);
    const refused = (reason: string, users: readonly string[]) => (error: unknown): boolean => {
      assert.ok(error instanceof SnapshotRemoveRefusedError, String(error));
      assert.equal(error.reason, reason, error.message);
      assert.deepEqual(error.users, users);
      return true;
    };

    before(async () => {
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 20_000 });
      const archive = join(daemon.dir, 'busybox.oci.tar');
      await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: image, outFile: archive, workDir: join(daemon.dir, 'image-build') });
      await ctr(['images', 'import', '--all-platforms', archive]);
      const [record] = await listImages(client, namespace);
      assert.ok(record, 'the sample image was imported');
      const resolved = await resolveImage(client, namespace, record, new BlobCache());
      const amd64 = resolved.platforms.find((p) => p.platform === 'linux/amd64');
      layer = chainIds(amd64?.diffIds ?? []).at(-1) ?? '';
      assert.ok(await exists(layer), `ctr unpacked the host platform's layer ${layer}`);
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
    });

    it('refuses the layer of an unpacked image, naming the image', async () => {
      const before = await snapshots(['ls']);
      await assert.rejects(removeSnapshot(client, namespace, 'overlayfs', layer), refused('imageLayer', [`${image} (linux/amd64)`]));
      assert.ok(await exists(layer));
      assert.equal(await snapshots(['ls']), before);
    });

    it('refuses a snapshot a lease references by label (ctr leases create), and removes it once the lease is gone', async () => {
      const held = `held-${sfx}`;
      const lease = `lease-${sfx}`;
      await snapshots(['prepare', held, layer]);
      await ctr(['leases', 'create', '--id', lease, `containerd.io/gc.ref.snapshot.overlayfs=${held}`]);
      await assert.rejects(removeSnapshot(client, namespace, 'overlayfs', held), refused('leased', [lease]));
      assert.ok(await exists(held));
      await ctr(['leases', 'rm', lease]);
      await removeSnapshot(client, namespace, 'overlayfs', held);
      assert.equal(await exists(held), false);
    });

    it('refuses a snapshot a lease holds as a resource (ctr images mount)', async () => {
      const target = join(daemon.dir, `mnt-${sfx}`);
      mkdirSync(target);
      await ctr(['images', 'mount', image, target]);
      try {
        // ctr names both the lease and the view snapshot after the mount point.
        await assert.rejects(removeSnapshot(client, namespace, 'overlayfs', target), refused('leased', [target]));
        assert.ok(await exists(target));
      } finally {
        await ctr(['images', 'unmount', '--rm', target]);
      }
    });

    it('refuses an unpack in progress (an extract-… active snapshot), naming its layer', async () => {
      const unpackedLayer = `sha256:${'5e'.repeat(32)}`;
      const key = `extract-${Date.now()}000000-${sfx} ${unpackedLayer}`;
      await snapshots(['prepare', key, layer]);
      try {
        await assert.rejects(removeSnapshot(client, namespace, 'overlayfs', key), refused('unpacking', [unpackedLayer]));
        assert.ok(await exists(key));
      } finally {
        await snapshots(['rm', key]);
      }
    });

    it('removes a snapshot nothing holds', async () => {
      const before = await snapshots(['ls']);
      const scratch = `scratch-${sfx}`;
      await snapshots(['prepare', scratch, layer]);
      await removeSnapshot(client, namespace, 'overlayfs', scratch);
      assert.equal(await exists(scratch), false);
      assert.equal(await snapshots(['ls']), before);
    });
  });
}
