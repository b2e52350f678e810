// A container's changes against its image, computed by real containerd daemons (1.6, 1.7, 2.x)
// through their Diff service and read back with the layer reader: a running container changed by
// an exec, a stopped one that changed itself, one on the native snapshotter, an unchanged one, one
// without a snapshot and one whose snapshot was removed. ctr is the oracle for what the daemon
// holds meanwhile (the lease keeps the view and the blob through a garbage collection) and
// afterwards (no lease, no view, no blob).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { listContainerRecords, type ContainerRecord } from '../../src/containerd/containers/containers';
import { BlobCache, contentBlobSource } from '../../src/containerd/images/blobCache';
import { getImage, resolveImage } from '../../src/containerd/images/images';
import { readContainerChanges, readContainerFile } from '../../src/containerd/layers/containerChanges';
import { diffContainerSnapshot, emptyTarDigest, type ContainerDiff } from '../../src/containerd/layers/containerDiff';
import { readImageFilesystem } from '../../src/containerd/layers/imageFilesystem';
import { LayerListings } from '../../src/containerd/layers/layerListings';
import { ContainerDiffError } from '../../src/containerd/layers/containerDiffErrors';
import { contentChunks } from '../../src/containerd/layers/contentStream';
import { interpretLayer } from '../../src/containerd/layers/layerListing';
import { listTarEntries, readTarFile } from '../../src/containerd/layers/tarReading';
import { MethodTable } from '../../src/containerd/proto/codec';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { waitFor } from '../harness/waitFor';
import { writeDiffImage } from './containerDiffImage';

const methods = new MethodTable();
const image = 'registry.example/diff/app:v1';
const namespace = 'diffs';
/** Each change a user may make, to files of the image (containerDiffImage.ts) and new ones. */
const changes = [
  'echo added > /etc/added.txt', // add a file
  'echo changed again > /etc/motd', // modify a file of the image
  'rm /etc/old.conf', // delete a file of the image
  'rm -r /opt/docs', // delete a folder of the image (with its files)
  'mkdir /made', // make a folder
  'ln -s /etc/motd /etc/motd.link', // a symlink
  'rm -r /var/cache && mkdir /var/cache && echo fresh > /var/cache/fresh', // replace a folder of the image
].join(' && ');

/**
 * What every version's differ writes for `changes`: the added and changed paths, each folder
 * whose entries changed, a whiteout per deleted path. A deleted folder is one whiteout; a replaced
 * folder is a whiteout per former entry beside the new one (the walking differ compares two trees
 * and writes no opaque marker, on 1.6, 1.7 and 2.x alike).
 */
const expected = {
  written: ['dir etc', 'file etc/added.txt', 'file etc/motd', 'symlink etc/motd.link -> /etc/motd', 'dir made', 'dir opt', 'dir var', 'dir var/cache', 'file var/cache/fresh'].sort(),
  deletions: ['etc/old.conf', 'opt/docs', 'var/cache/one', 'var/cache/two'],
  opaqueDirs: [],
};

/** Rows of a ctr table (header dropped), split on runs of spaces. */
function rows(output: string): string[][] {
  return output.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).map((l) => l.split(/\s+/));
}

for (const version of containerdVersions) {
  describe(`a container's changes against its image on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    let records: ContainerRecord[];
    // Unique ids: runc state and cgroup paths are host-global, and another daemon may run beside us.
    const sfx = `${process.pid}-${Date.now().toString(36)}`;
    const ids = {
      running: `running-${sfx}`, stopped: `stopped-${sfx}`, native: `native-${sfx}`, fresh: `fresh-${sfx}`, raw: `raw-${sfx}`, orphan: `orphan-${sfx}`, big: `big-${sfx}`,
    };
    const ctr = (args: readonly string[]): Promise<string> => daemon.ctr(['--namespace', namespace, ...args]);
    const record = (id: string): ContainerRecord => {
      const found = records.find((r) => r.id === id);
      assert.ok(found, `${id} not listed`);
      return found;
    };
    /** Our leases, views and blobs as ctr lists them; every snapshotter the cases use. */
    const holdings = async (): Promise<{ leases: string[]; views: string[]; blobs: string[] }> => ({
      leases: rows(await ctr(['leases', 'ls'])).map(([id = '']) => id).filter((id) => id.startsWith('vscode-containerd-diff-')),
      views: (await Promise.all(['overlayfs', 'native'].map(async (s) => rows(await ctr(['snapshots', '--snapshotter', s, 'ls'])))))
        .flat().filter(([, , kind]) => kind === 'View').map(([key = '']) => key),
      blobs: rows(await ctr(['content', 'ls'])).map(([digest = '']) => digest),
    });
    /** The changes as the layer reader lists them; the diff is released whatever happens. */
    const changesOf = async (diff: ContainerDiff): Promise<{ written: string[]; deletions: string[]; opaqueDirs: string[]; motd?: string }> => {
      try {
        const listing = interpretLayer(await listTarEntries(contentChunks(client, namespace, diff.descriptor.digest)));
        const motd = await readTarFile(contentChunks(client, namespace, diff.descriptor.digest), 'etc/motd', 1024);
        return {
          written: listing.entries.map((e) => `${e.kind} ${e.path}${e.kind === 'symlink' ? ` -> ${e.linkTarget ?? ''}` : ''}`).sort(),
          deletions: [...listing.deletions].sort(), opaqueDirs: [...listing.opaqueDirs].sort(), ...(motd ? { motd: motd.toString() } : {}),
        };
      } finally {
        await diff.release();
      }
    };

    before(async () => {
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 20_000 });
      const archive = join(daemon.dir, 'diff-image.tar');
      await writeDiffImage({ busybox: loadComponents().busybox.amd64, imageName: image, workDir: join(daemon.dir, 'diff-image'), outFile: archive });
      await ctr(['images', 'import', archive]);
      const run = (args: readonly string[]): Promise<string> => ctr(['run', '--runc-root', daemon.runcRoot, ...args]);
      await run(['--detach', image, ids.running, 'sleep', '1000000']);
      // Waits for the exec to end, so the changes are made when the diff is asked.
      await ctr(['tasks', 'exec', '--exec-id', 'change', ids.running, 'sh', '-c', changes]);
      // In the foreground: the task makes the changes and exits; ctr deletes it, the container stays.
      await run([image, ids.stopped, 'sh', '-c', changes]);
      await run(['--snapshotter', 'native', image, ids.native, 'sh', '-c', changes]);
      await ctr(['containers', 'create', image, ids.fresh]);
      const rootfs = join(daemon.dir, 'raw-rootfs');
      mkdirSync(rootfs);
      await ctr(['containers', 'create', '--rootfs', rootfs, ids.raw]);
      await ctr(['containers', 'create', image, ids.orphan]);
      await ctr(['snapshots', 'rm', ids.orphan]);
      // Enough bytes that the daemon is still writing the diff when the test cancels it.
      await run([image, ids.big, 'dd', 'if=/dev/zero', 'of=/big', 'bs=1M', 'count=384']);
      records = await listContainerRecords(client, namespace);
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
    });

    it('a running container: what an exec added, changed and deleted, with deletions as whiteouts', async () => {
      assert.equal((await ctr(['tasks', 'ls'])).includes(ids.running), true);
      const diff = await diffContainerSnapshot(client, namespace, record(ids.running));
      assert.equal(diff.unchanged, false);
      assert.equal(diff.descriptor.mediaType, 'application/vnd.oci.image.layer.v1.tar');
      assert.deepEqual(await changesOf(diff), { ...expected, motd: 'changed again\n' });
    });

    it('Container Changes: the changes applied on the image\'s own tree say added, modified and deleted; a changed file reads as the container holds it', async () => {
      const imageRecord = await getImage(client, namespace, image);
      assert.ok(imageRecord);
      const platform = (await resolveImage(client, namespace, imageRecord, new BlobCache())).platforms[0];
      assert.ok(platform?.config);
      const fs = await readImageFilesystem(client, namespace, { layers: platform.layers, config: platform.config }, new LayerListings(), contentBlobSource(client, namespace, new BlobCache()));
      const diff = await readContainerChanges(client, namespace, record(ids.running), fs);
      assert.deepEqual(diff.changes.map((c) => `${c.change} ${c.path}`).sort(), [
        'added etc/added.txt', 'added etc/motd.link', 'added made', 'added var/cache/fresh',
        'deleted etc/old.conf', 'deleted opt/docs', 'deleted var/cache/one', 'deleted var/cache/two',
        'modified etc/motd',
      ]);
      assert.equal((await readContainerFile(client, namespace, record(ids.running), 'etc/motd', 1 << 20))?.toString(), 'changed again\n');
      assert.equal(await readContainerFile(client, namespace, record(ids.running), 'etc/hostname-never-written', 1 << 20), undefined);
      assert.deepEqual((await readContainerChanges(client, namespace, record(ids.fresh), fs)).changes, [], 'an unchanged container');
      assert.deepEqual((await holdings()).leases, [], 'every read released its diff');
    });

    it('a stopped container, and one on the native snapshotter: the same changes', async () => {
      for (const id of [ids.stopped, ids.native]) {
        assert.equal(record(id).snapshotter, id === ids.native ? 'native' : 'overlayfs');
        const diff = await diffContainerSnapshot(client, namespace, record(id));
        assert.deepEqual(await changesOf(diff), { ...expected, motd: 'changed again\n' }, id);
      }
    });

    it('the lease holds the view and the blob through a garbage collection; after release nothing is left', async () => {
      const diff = await diffContainerSnapshot(client, namespace, record(ids.stopped));
      try {
        // A lease deleted with --sync runs containerd's GC: what no lease held would go now.
        await ctr(['leases', 'create', '--id', `gc-${sfx}`]);
        await ctr(['leases', 'rm', '--sync', `gc-${sfx}`]);
        const held = await holdings();
        assert.deepEqual(held.leases, [diff.lease]);
        assert.deepEqual(held.views, [`${diff.lease}-parent-view`]);
        assert.ok(held.blobs.includes(diff.descriptor.digest), `${diff.descriptor.digest} not in ${held.blobs.join(' ')}`);
        const labels = rows(await ctr(['leases', 'ls'])).find(([id]) => id === diff.lease)?.slice(-1)[0] ?? '';
        assert.match(labels, new RegExp(`containerd\\.io/gc\\.expire=${diff.expires.toISOString().replace('.000Z', 'Z')}`));
        assert.match(labels, new RegExp(`vscode-containerd/diff-of=${ids.stopped}`));
        assert.deepEqual((await changesOf(diff)).deletions, expected.deletions);
      } finally {
        await diff.release(); // once only: a second call shares the first's outcome
      }

      const left = await holdings();
      assert.deepEqual(left.leases, []);
      assert.deepEqual(left.views, []);
      assert.equal(left.blobs.includes(diff.descriptor.digest), false, 'the diff blob outlived its lease');
    });

    it('cancelled while the daemon writes the diff: the call ends with the reason, and nothing is left, not even the upload', async () => {
      const stop = new AbortController();
      const diffing = diffContainerSnapshot(client, namespace, record(ids.big), stop.signal);
      const settled = diffing.then(() => 'resolved', () => 'rejected');
      const seen = await waitFor('the diff upload to start', async () => {
        const uploads = await Promise.race([settled, ctr(['content', 'active']).then(rows)]);
        return typeof uploads === 'string' || uploads.length > 0 ? uploads : undefined;
      }, 60_000, 5);
      assert.ok(typeof seen !== 'string', `the diff ${String(seen)} before the test saw its upload`);
      stop.abort(new Error('cancelled by the test'));
      await assert.rejects(diffing, /cancelled by the test/);
      // The daemon sees the cancellation and aborts its upload on its own time.
      await waitFor('the cancelled upload to go', async () => rows(await ctr(['content', 'active'])).length === 0, 30_000);
      const left = await holdings();
      assert.deepEqual([left.leases, left.views], [[], []]);
    });

    it('an unchanged container: an empty tar, said to be unchanged, released like any other', async () => {
      const diff = await diffContainerSnapshot(client, namespace, record(ids.fresh));
      assert.equal(diff.unchanged, true);
      assert.deepEqual(diff.descriptor, { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: emptyTarDigest, size: 1024, annotations: {} });
      const bytes: Buffer[] = [];
      for await (const chunk of contentChunks(client, namespace, diff.descriptor.digest)) bytes.push(chunk);
      assert.deepEqual(Buffer.concat(bytes), Buffer.alloc(1024));
      await diff.release();
      const left = await holdings();
      assert.deepEqual([left.leases, left.views], [[], []]);
      assert.equal(left.blobs.includes(emptyTarDigest), false, 'the empty tar outlived its lease');
    });

    it('says plainly that a container created without a snapshot has none, and that a removed snapshot is gone; nothing is made', async () => {
      const raw = record(ids.raw);
      assert.equal(raw.snapshotKey, '');
      const none = await diffContainerSnapshot(client, namespace, raw).then(() => assert.fail('diffed'), (e: unknown) => e);
      assert.ok(none instanceof ContainerDiffError);
      assert.equal(none.problem, 'noSnapshot');
      assert.equal(none.message, `Container ${ids.raw} has no snapshot: it was created with a root filesystem of its own rather than from an image unpacked into a snapshotter, so containerd holds no writable layer to compare with an image.`);

      const gone = await diffContainerSnapshot(client, namespace, record(ids.orphan)).then(() => assert.fail('diffed'), (e: unknown) => e);
      assert.ok(gone instanceof ContainerDiffError);
      assert.equal(gone.problem, 'snapshotGone');
      assert.equal(gone.message, `The snapshot ${ids.orphan} in snapshotter overlayfs of container ${ids.orphan} no longer exists: it was removed after the container was created, or the container is being removed. Refresh the Containers view.`);
      const left = await holdings();
      assert.deepEqual([left.leases, left.views], [[], []]);
    });
  });
}
