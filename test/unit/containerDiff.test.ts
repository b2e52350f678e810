// A container's changes computed by containerd's Diff service: the calls in their order, the lease
// header on every call that makes something, release of what was made on every path, and the
// words each failure is reported in. The integration test (test/integration/containerDiff.test.ts)
// proves the same against real daemons, with ctr as the oracle for what is left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { ContainerdRequestError, ContainerdUnreachableError, type StatusName } from '../../src/containerd/connection/errors';
import { readContainerChanges, readContainerFile } from '../../src/containerd/layers/containerChanges';
import { diffContainerSnapshot, diffMediaType, emptyTarDigest, leaseContainerLabel, leaseExpireLabel, leaseLifetimeMs } from '../../src/containerd/layers/containerDiff';
import { ContainerDiffError } from '../../src/containerd/layers/containerDiffErrors';
import { contentChunks } from '../../src/containerd/layers/contentStream';
import type { ImageFilesystem } from '../../src/containerd/layers/imageFilesystem';
import { interpretLayer } from '../../src/containerd/layers/layerListing';
import { mergeLayers } from '../../src/containerd/layers/mergedTree';
import { listTarEntries } from '../../src/containerd/layers/tarReading';
import { MethodTable } from '../../src/containerd/proto/codec';
import { fakeAddress, FakeApi, notFound, type Answer, type Routes } from './fakeApi';

const methods = new MethodTable();
const snapshots = '/containerd.services.snapshots.v1.Snapshots';
const leases = '/containerd.services.leases.v1.Leases';
const diffPath = '/containerd.services.diff.v1.Diff/Diff';
const container = { id: 'web', snapshotter: 'overlayfs', snapshotKey: 'web' };
const parent = 'sha256:0c7e';
const lowerMounts = [{ type: 'overlay', source: 'overlay', target: '', options: ['lowerdir=/s/2/fs:/s/1/fs'] }];
const upperMounts = [{ type: 'overlay', source: 'overlay', target: '', options: ['workdir=/s/5/work', 'upperdir=/s/5/fs', 'lowerdir=/s/2/fs:/s/1/fs'] }];
const blob = { media_type: diffMediaType, digest: 'sha256:9ad1', size: 9216, annotations: {} };

function requestError(code: StatusName, method: string, detail: string): ContainerdRequestError {
  return new ContainerdRequestError(code, method, fakeAddress, detail);
}

/** The answers of a daemon that computes the diff; `replace` swaps some (a failing step). */
function daemon(replace: Record<string, Answer> = {}, info: object = { name: 'web', parent, kind: 'ACTIVE', labels: {} }): Routes {
  return { unary: {
    [`${snapshots}/Stat`]: () => ({ info }),
    [`${leases}/Create`]: (request) => ({ lease: { id: request.id, labels: request.labels } }),
    [`${snapshots}/View`]: () => ({ mounts: lowerMounts }),
    [`${snapshots}/Mounts`]: () => ({ mounts: upperMounts }),
    [diffPath]: () => ({ diff: blob }),
    [`${snapshots}/Remove`]: () => ({}),
    [`${leases}/Delete`]: () => ({}),
    ...replace,
  } };
}

/** The calls as `Method lease` lines: which calls carried the lease header. */
function leaseLines(api: FakeApi): string[] {
  return api.calls.map((c) => `${c.path.slice(c.path.lastIndexOf('/') + 1)} ${c.lease ? 'lease' : '-'}`);
}

async function rejection(promise: Promise<unknown>): Promise<ContainerDiffError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ContainerDiffError, `expected a ContainerDiffError, got ${String(error)}`);
  return error;
}

/** What the differ writes for added, changed and deleted paths, archived by GNU tar. */
function changesTar(t: TestContext): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'diff-src-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'etc'));
  mkdirSync(join(dir, 'opt'));
  writeFileSync(join(dir, 'etc', 'added.txt'), 'added\n');
  writeFileSync(join(dir, 'etc', '.wh.old.conf'), '');
  writeFileSync(join(dir, 'opt', '.wh.docs'), '');
  symlinkSync('/etc/motd', join(dir, 'etc', 'motd.link'));
  const made = spawnSync('tar', ['-C', dir, '--sort=name', '-cf', '-', 'etc', 'opt']);
  assert.equal(made.status, 0, made.stderr.toString());
  return made.stdout;
}

describe('diffContainerSnapshot', () => {
  it('stats, leases, views the parent, mounts the snapshot and diffs them; the blob lists the changes; release removes the view, then the lease with GC', async (t) => {
    const tar = changesTar(t);
    const api = new FakeApi(t, { ...daemon(), stream: { '/containerd.services.content.v1.Content/Read': () => [{ offset: 0, data: tar }] } }, methods);
    const before = Date.now();
    const diff = await diffContainerSnapshot(api, 'default', container);

    assert.deepEqual(leaseLines(api), ['Stat -', 'Create -', 'View lease', 'Mounts lease', 'Diff lease']);
    assert.ok(api.calls.every((c) => c.namespace === 'default'));
    const [stat, create, view, mounts, diffCall] = api.calls.map((c) => c.request);
    const id = String(create?.id);
    assert.match(id, /^vscode-containerd-diff-[0-9a-f]{16}$/);
    assert.ok(api.calls.slice(2).every((c) => c.lease === id));
    const labels = create?.labels as Record<string, string>;
    assert.equal(labels[leaseContainerLabel], 'web');
    assert.match(labels[leaseExpireLabel] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expires = Date.parse(labels[leaseExpireLabel] ?? '');
    assert.ok(expires >= before + leaseLifetimeMs - 1000 && expires <= Date.now() + leaseLifetimeMs, labels[leaseExpireLabel]);
    assert.deepEqual([stat, view, mounts, diffCall], [{ snapshotter: 'overlayfs', key: 'web' }, { snapshotter: 'overlayfs', key: `${id}-parent-view`, parent },
      { snapshotter: 'overlayfs', key: 'web' }, { left: lowerMounts, right: upperMounts, media_type: diffMediaType }]);
    assert.deepEqual(api.calls.map((c) => c.noDeadline ?? false), [false, false, false, false, true], 'only the Diff, which may take minutes, has no deadline');

    assert.deepEqual({ ...diff, release: undefined }, {
      descriptor: { mediaType: diffMediaType, digest: 'sha256:9ad1', size: 9216, annotations: {} },
      unchanged: false, parent, lease: id, expires: diff.expires, release: undefined,
    });
    assert.equal(diff.expires.getTime(), expires);

    const listing = interpretLayer(await listTarEntries(contentChunks(api, 'default', diff.descriptor.digest)));
    assert.deepEqual(listing.entries.map((e) => `${e.kind} ${e.path}`), ['dir etc', 'file etc/added.txt', 'symlink etc/motd.link', 'dir opt']);
    assert.deepEqual(listing.deletions, ['etc/old.conf', 'opt/docs']);

    await diff.release();
    await diff.release();
    assert.deepEqual(api.lines.slice(6), ['Snapshots/Remove default', 'Leases/Delete default']);
    assert.deepEqual(api.calls.slice(6).map((c) => c.request), [{ snapshotter: 'overlayfs', key: `${id}-parent-view` }, { id, sync: true }]);
  });

  it('compares a snapshot without parent with an empty tree (no view), and knows an empty tar for no changes', async (t) => {
    const api = new FakeApi(t, daemon({ [diffPath]: () => ({ diff: { ...blob, digest: emptyTarDigest, size: 1024 } }) }, { name: 'web', parent: '', kind: 'ACTIVE', labels: {} }), methods);
    const diff = await diffContainerSnapshot(api, 'default', container);
    assert.deepEqual(leaseLines(api), ['Stat -', 'Create -', 'Mounts lease', 'Diff lease']);
    assert.deepEqual(api.calls[3]?.request.left, []);
    assert.equal(diff.parent, undefined);
    assert.equal(diff.unchanged, true);
    await diff.release();
    assert.deepEqual(api.lines.slice(4), ['Leases/Delete default']);
  });

  it('says a container created without a snapshot has none, and asks containerd nothing', async (t) => {
    const api = new FakeApi(t, {}, methods);
    const error = await rejection(diffContainerSnapshot(api, 'default', { id: 'raw', snapshotter: '', snapshotKey: '' }));
    assert.equal(error.problem, 'noSnapshot');
    assert.equal(error.message, 'Container raw has no snapshot: it was created with a root filesystem of its own rather than from an image unpacked into a snapshotter, so containerd holds no writable layer to compare with an image.');
    assert.deepEqual(api.calls, []);
  });

  it('says the snapshot is gone, or its snapshotter not loaded, when Stat says so; no lease is made', async (t) => {
    const cases = [
      [notFound('snapshot web'), 'overlayfs', 'snapshotGone', 'The snapshot web in snapshotter overlayfs of container web no longer exists: it was removed after the container was created, or the container is being removed. Refresh the Containers view.'],
      [requestError('INVALID_ARGUMENT', 'Stat', 'snapshotter not loaded: stargz: invalid argument'), 'stargz', 'snapshotterUnavailable',
        "Container web uses snapshotter stargz, which this containerd has not loaded: configure it (for a remote snapshotter, its proxy plugin in containerd's config) and restart containerd."],
    ] as const;
    for (const [thrown, snapshotter, problem, message] of cases) {
      const api = new FakeApi(t, daemon({ [`${snapshots}/Stat`]: () => { throw thrown; } }), methods);
      const error = await rejection(diffContainerSnapshot(api, 'default', { ...container, snapshotter }));
      assert.deepEqual([error.problem, error.message, error.detail], [problem, message, thrown.detail]);
      assert.deepEqual(api.lines, ['Snapshots/Stat default']);
    }
  });

  it('reports a refused lease, and a permission refusal as such; the lease is deleted in case it was made', async (t) => {
    for (const [code, problem, message] of [
      ['FAILED_PRECONDITION', 'leaseRefused', 'containerd refused the lease that keeps the temporary snapshot and the diff of container web from its garbage collector: leases are disabled.'],
      ['PERMISSION_DENIED', 'permissionDenied', 'containerd refused creating a lease for container web as not permitted (leases are disabled): computing the changes needs a lease, a read-only view and a blob in this namespace, and your access to the socket does not allow creating them.'],
    ] as const) {
      const api = new FakeApi(t, daemon({
        [`${leases}/Create`]: () => { throw requestError(code, 'Create', 'leases are disabled'); },
        [`${leases}/Delete`]: () => { throw notFound('lease'); },
      }), methods);
      const error = await rejection(diffContainerSnapshot(api, 'default', container));
      assert.equal(error.problem, problem);
      assert.equal(error.message, message);
      assert.deepEqual(api.lines, ['Snapshots/Stat default', 'Leases/Create default', 'Leases/Delete default']);
    }
  });

  it("says the image layer below is gone when View finds no parent, and releases what it made", async (t) => {
    const api = new FakeApi(t, daemon({ [`${snapshots}/View`]: () => { throw notFound(`parent snapshot ${parent}`); }, [`${snapshots}/Remove`]: () => { throw notFound('view'); } }), methods);
    const error = await rejection(diffContainerSnapshot(api, 'default', container));
    assert.equal(error.problem, 'snapshotGone');
    assert.equal(error.message, "The image layer below container web's snapshot web in snapshotter overlayfs no longer exists: it was removed after the container was created, or the container is being removed. Refresh the Containers view.");
    assert.deepEqual(leaseLines(api), ['Stat -', 'Create -', 'View lease', 'Remove -', 'Delete -']);
    assert.equal(api.calls[4]?.request.sync, true);
  });

  it('says a snapshotter that hands out no mounts keeps its files out of reach, and releases', async (t) => {
    const api = new FakeApi(t, daemon({ [`${snapshots}/Mounts`]: () => ({ mounts: [] }) }), methods);
    const error = await rejection(diffContainerSnapshot(api, 'default', container));
    assert.equal(error.problem, 'noMounts');
    assert.equal(error.message, 'Snapshotter overlayfs hands out no mounts for the snapshot of container web: its files are kept where containerd cannot mount them (a remote or VM-backed snapshotter), so its changes cannot be compared with the image here.');
    assert.deepEqual(leaseLines(api), ['Stat -', 'Create -', 'View lease', 'Mounts lease', 'Remove -', 'Delete -']);
  });

  it("gives the differ's own words: a mount it could not make, any other failure, no Diff service; and releases each time", async (t) => {
    const mountFailure = 'mount callback failed on /var/lib/containerd/tmpmounts/containerd-mount1: failed to mount /var/lib/containerd/tmpmounts/containerd-mount2: no such device';
    const cases = [
      [requestError('UNKNOWN', 'Diff', mountFailure), 'notMountable',
        `containerd could not mount the snapshot of container web (snapshotter overlayfs, mount type overlay) to compare it with the image: ${mountFailure}. A remote snapshotter may hand out mounts that only its own runtime can use.`],
      [requestError('UNKNOWN', 'Diff', 'failed to write diff: lstat /x: input/output error'), 'differFailed',
        'containerd could not compute the changes of container web (computing the diff, snapshotter overlayfs): failed to write diff: lstat /x: input/output error.'],
      [new ContainerdUnreachableError('notContainerd', fakeAddress, 'unknown service containerd.services.diff.v1.Diff'), 'differFailed',
        'This containerd cannot compute the changes of container web: it has no differ for them (unknown service containerd.services.diff.v1.Diff).'],
    ] as const;
    for (const [thrown, problem, message] of cases) {
      const api = new FakeApi(t, daemon({ [diffPath]: () => { throw thrown; } }), methods);
      const error = await rejection(diffContainerSnapshot(api, 'default', container));
      assert.equal(error.problem, problem);
      assert.equal(error.message, message);
      assert.deepEqual(api.lines.slice(5), ['Snapshots/Remove default', 'Leases/Delete default']);
    }
  });

  it('leaves a daemon that went away to the connection error, and still releases', async (t) => {
    const gone = new ContainerdUnreachableError('refused', fakeAddress, '');
    const api = new FakeApi(t, daemon({ [`${snapshots}/Mounts`]: () => { throw gone; }, [`${snapshots}/Remove`]: () => { throw gone; }, [`${leases}/Delete`]: () => { throw gone; } }), methods);
    await assert.rejects(diffContainerSnapshot(api, 'default', container), (error) => error === gone);
    assert.deepEqual(api.lines.slice(4), ['Snapshots/Remove default', 'Leases/Delete default']);
  });

  it('stops when cancelled: the Diff call is cancelled, what was made is released, the signal says why', async (t) => {
    const stop = new AbortController();
    const api = new FakeApi(t, daemon({ [diffPath]: () => { stop.abort(new Error('the user cancelled')); return { diff: blob }; } }), methods);
    await assert.rejects(diffContainerSnapshot(api, 'default', container, stop.signal), /the user cancelled/);
    assert.deepEqual(api.lines.slice(5), ['Snapshots/Remove default', 'Leases/Delete default']);
    const before = new FakeApi(t, {}, methods);
    await assert.rejects(diffContainerSnapshot(before, 'default', container, stop.signal), /the user cancelled/);
    assert.deepEqual(before.calls, []);
  });

  it('release says what it left behind and when containerd collects it; a view or lease already gone is fine', async (t) => {
    const api = new FakeApi(t, daemon({
      [`${snapshots}/Remove`]: () => { throw notFound('view'); },
      [`${leases}/Delete`]: () => { throw requestError('DEADLINE_EXCEEDED', 'Delete', 'context deadline exceeded'); },
    }), methods);
    const diff = await diffContainerSnapshot(api, 'default', container);
    const error = await rejection(diff.release());
    assert.equal(error.problem, 'leftBehind');
    assert.equal(error.message, `The diff could not remove what it made (lease ${diff.lease}: containerd refused Delete: DEADLINE_EXCEEDED: context deadline exceeded). containerd's garbage collector removes it by itself once its lease is gone, at the latest at its first collection after ${diff.expires.toISOString()}.`);
    assert.equal(await diff.release().catch((e: unknown) => e), error, 'a second release tells the same outcome without asking again');
    assert.equal(api.calls.length, 7);

    const busy = new FakeApi(t, daemon({ [`${snapshots}/Remove`]: () => { throw requestError('FAILED_PRECONDITION', 'Remove', 'device or resource busy'); } }), methods);
    const viewKept = await diffContainerSnapshot(busy, 'default', container);
    const kept = await rejection(viewKept.release());
    assert.equal(kept.detail, `view snapshot ${viewKept.lease}-parent-view: containerd refused Remove: FAILED_PRECONDITION: device or resource busy`);
    assert.deepEqual(busy.lines.slice(5), ['Snapshots/Remove default', 'Leases/Delete default'], 'the lease is deleted even so');
  });
});

describe('readContainerChanges / readContainerFile', () => {
  const imageOf = (): ImageFilesystem => {
    const listing = interpretLayer([{ path: 'etc', kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0 }, { path: 'etc/old.conf', kind: 'file', size: 4, mode: 0o644, uid: 0, gid: 0 }, { path: 'opt/docs/a', kind: 'file', size: 2, mode: 0o644, uid: 0, gid: 0 }]);
    const merged = mergeLayers([listing]);
    return { root: merged.root, layers: [{ index: 0, descriptor: { mediaType: '', digest: 'sha256:l0', size: 0, annotations: {} }, listing, diff: merged.layers[0] ?? { changes: [], writtenBytes: 0, hiddenBytes: 0 } }] };
  };

  it('the changes applied on the image, the diff released after; a file read from a fresh diff; the unchanged tar reads nothing', async (t) => {
    const tar = changesTar(t);
    const api = new FakeApi(t, { ...daemon(), stream: { '/containerd.services.content.v1.Content/Read': () => [{ offset: 0, data: tar }] } }, methods);
    const diff = await readContainerChanges(api, 'default', container, imageOf());
    assert.deepEqual(diff.changes.map((c) => `${c.change} ${c.path}`), ['deleted etc/old.conf', 'deleted opt/docs', 'added etc/added.txt', 'added etc/motd.link']);
    assert.deepEqual(api.lines.slice(-2), ['Snapshots/Remove default', 'Leases/Delete default'], 'released once read');
    assert.equal((await readContainerFile(api, 'default', container, 'etc/added.txt', 100))?.toString(), 'added\n');
    assert.equal(await readContainerFile(api, 'default', container, 'etc/none', 100), undefined);
    assert.deepEqual(api.lines.slice(-2), ['Snapshots/Remove default', 'Leases/Delete default']);

    const unchanged = new FakeApi(t, daemon({ [diffPath]: () => ({ diff: { ...blob, digest: emptyTarDigest, size: 1024 } }) }), methods);
    assert.deepEqual((await readContainerChanges(unchanged, 'default', container, imageOf())).changes, []);
    assert.equal(await readContainerFile(unchanged, 'default', container, 'etc/added.txt', 100), undefined);
    assert.ok(!unchanged.lines.some((line) => line.startsWith('Content/Read')), 'the empty tar is known by its digest: not read');
  });

  it('a release that leaves something behind is told, not thrown; a failed read still releases and throws its own error', async (t) => {
    const tar = changesTar(t);
    const stuck = new FakeApi(t, { ...daemon({ [`${leases}/Delete`]: () => { throw requestError('UNAVAILABLE', 'Delete', 'gone'); } }), stream: { '/containerd.services.content.v1.Content/Read': () => [{ offset: 0, data: tar }] } }, methods);
    const told: unknown[] = [];
    const diff = await readContainerChanges(stuck, 'default', container, imageOf(), { onLeftBehind: (error) => told.push(error) });
    assert.equal(diff.changes.length, 4);
    assert.equal(told.length, 1);
    assert.ok(told[0] instanceof ContainerDiffError);

    const broken = new FakeApi(t, { ...daemon(), stream: { '/containerd.services.content.v1.Content/Read': () => [{ offset: 0, data: Buffer.alloc(2048, 0x41) }] } }, methods);
    await assert.rejects(readContainerChanges(broken, 'default', container, imageOf()), /not a valid tar layer/);
    assert.deepEqual(broken.lines.slice(-2), ['Snapshots/Remove default', 'Leases/Delete default']);
  });
});
