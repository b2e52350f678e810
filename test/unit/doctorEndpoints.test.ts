import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ContainerdClient } from '../../src/containerd/connection/client';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import type { Endpoint } from '../../src/containerd/connection/endpoints';
import { ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { readServerInfo } from '../../src/containerd/connection/serverInfo';
import { MethodTable } from '../../src/containerd/proto/codec';
import type { Snapshotter } from '../../src/containerd/snapshots/snapshots';
import { endpointFindings, type DaemonDetails } from '../../src/doctor/endpointChecks';
import { mountInfoPath, namespaceInode, readEndpointFacts } from '../../src/doctor/endpointFacts';
import { introspectionFix, overlayOnOverlayFix } from '../../src/doctor/knownProblems';
import { mountOf, parseMountInfo } from '../../src/doctor/mountInfo';
import { FakeApi } from './fakeApi';
import { startStandIn } from './grpcStandIn';

const rootful: Endpoint = { address: '/run/containerd/containerd.sock', label: 'rootful', source: 'rootful' };
const up = (endpoint: Endpoint = rootful): EndpointStatus => ({ endpoint, reachable: true, version: { version: 'v2.1.9', revision: 'abc' }, namespaces: [{ name: 'default', labels: {} }] });
const down = (endpoint: Endpoint, reason: 'notFound' | 'permissionDenied'): EndpointStatus => ({ endpoint, reachable: false, error: new ContainerdUnreachableError(reason, endpoint.address, reason === 'notFound' ? `${endpoint.address} does not exist` : `connect EACCES ${endpoint.address}`) });

// The shape of this machine's mountinfo lines (an ext4 root, a tmpfs), with an overlay mount added.
const mountinfo = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '90 27 0:50 / /var/lib/containerd rw,relatime shared:40 - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w',
  '91 27 0:51 / /srv/with\\040space rw - xfs /dev/vdb rw',
].join('\n');

const overlayfs = (over: Partial<Snapshotter> = {}): Snapshotter => ({ name: 'overlayfs', ok: true, capabilities: [], root: '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs', ...over });

function details(over: Partial<DaemonDetails> = {}): DaemonDetails {
  return {
    server: { implemented: true, uuid: 'u', pid: 42, pidns: 4026531836, deprecations: [] },
    snapshotters: [overlayfs(), { name: 'native', ok: true, capabilities: [] }, { name: 'btrfs', ok: false, error: 'not btrfs', capabilities: [] }],
    mounts: { from: '/proc/42/mountinfo', list: parseMountInfo(mountinfo.replace(/^90 .*\n/m, '')) },
    ...over,
  };
}

const levels = (findings: readonly { check: string; level: string }[]): string[] => findings.map((f) => `${f.check}:${f.level}`);

test('a reachable daemon is ok with its version, Server and working snapshotters as evidence', () => {
  const findings = endpointFindings([{ status: up(), details: details() }], false);
  assert.deepEqual(levels(findings), ['endpoint:ok', 'overlay:ok']);
  assert.equal(findings[0]?.message, 'rootful (/run/containerd/containerd.sock): containerd v2.1.9 answers, 1 namespace.');
  assert.deepEqual(findings[0]?.evidence, ['revision abc', 'Introspection.Server: yes (pid 42, pid namespace 4026531836)', 'snapshotters: overlayfs, native']);
  assert.match(findings[1]?.message ?? '', /directory is on ext4, not on overlayfs/);
});

test('an unreachable endpoint is an error with its advice; the guessed default is only info when another answers', () => {
  const missingDefault = down({ address: '/run/containerd/containerd.sock', label: '/run/containerd/containerd.sock', source: 'default' }, 'notFound');
  const denied = down({ address: '/run/k3s/containerd/containerd.sock', label: 'k3s', source: 'k3s' }, 'permissionDenied');
  const alone = endpointFindings([{ status: missingDefault }], false);
  assert.deepEqual(levels(alone), ['endpoint:error']);
  assert.match(alone[0]?.fix ?? '', /start containerd/);
  const withOther = endpointFindings([{ status: missingDefault }, { status: denied }, { status: up(), details: details() }], false);
  assert.deepEqual(levels(withOther), ['endpoint:info', 'endpoint:error', 'endpoint:ok', 'overlay:ok']);
  assert.equal(withOther[0]?.fix, '');
  assert.match(withOther[1]?.message ?? '', /^k3s \(\/run\/k3s\/containerd\/containerd\.sock\): Cannot reach containerd/);
  assert.match(withOther[1]?.fix ?? '', /The socket belongs to root.*chgrp/);
  // As root the advice differs: root's denial is a mode or security-module matter.
  assert.match(endpointFindings([{ status: denied }], true)[0]?.fix ?? '', /Even root may not open/);
});

test('an answered request error (not unreachable) has no reason: the fix points at the log', () => {
  const status: EndpointStatus = { endpoint: rootful, reachable: false, error: new ContainerdRequestError('INTERNAL', '/m', rootful.address, 'boom') };
  const [finding] = endpointFindings([{ status }], false);
  assert.equal(finding?.level, 'error');
  assert.match(finding?.fix ?? '', /output channel/);
});

test('no Introspection.Server is the nerdctl error with its fix; deprecations are warnings each', () => {
  const old = endpointFindings([{ status: up(), details: details({ server: { implemented: false, detail: 'unknown method Server' } }) }], false);
  assert.deepEqual(levels(old), ['endpoint:ok', 'introspection:error', 'overlay:ok']);
  assert.equal(old[1]?.fix, introspectionFix);
  assert.deepEqual(old[1]?.evidence, ['unknown method Server']);
  assert.ok(old[0]?.evidence?.includes('Introspection.Server: not implemented'));
  const deprecated = endpointFindings([{ status: up(), details: details({ server: { implemented: true, uuid: 'u', deprecations: [{ id: 'io.containerd.deprecation/config-v1', message: 'Config version 1 is deprecated' }, { id: 'x', message: 'y' }] } }) }], false);
  assert.deepEqual(levels(deprecated), ['endpoint:ok', 'deprecation:warning', 'deprecation:warning', 'overlay:ok']);
  assert.match(deprecated[1]?.message ?? '', /uses a deprecated feature: Config version 1 is deprecated$/);
  assert.deepEqual(deprecated[1]?.evidence, ['io.containerd.deprecation/config-v1']);
  assert.ok(deprecated[0]?.evidence?.includes('Introspection.Server: yes'));
});

test('the overlayfs snapshotter on an overlay mount is the overlay-on-overlay error, found by the deepest mount', () => {
  const onOverlay = details({ mounts: { from: '/proc/42/mountinfo', list: parseMountInfo(mountinfo) } });
  const findings = endpointFindings([{ status: up(), details: onOverlay }], false);
  assert.deepEqual(levels(findings), ['endpoint:ok', 'overlay:error']);
  assert.equal(findings[1]?.fix, overlayOnOverlayFix);
  assert.deepEqual(findings[1]?.evidence, ['/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs is on overlay (mounted at /var/lib/containerd, per /proc/42/mountinfo)']);
  // A failed overlayfs plugin on overlay says both.
  const failed = endpointFindings([{ status: up(), details: { ...onOverlay, snapshotters: [overlayfs({ ok: false, error: 'invalid argument' })] } }], false);
  assert.deepEqual(failed[1]?.evidence?.slice(1), ['overlayfs snapshotter: invalid argument']);
});

test('a failed overlayfs plugin elsewhere is an error of its own; another snapshotter in use is not checked', () => {
  const failed = endpointFindings([{ status: up(), details: details({ snapshotters: [overlayfs({ ok: false, error: 'kernel says no' })] }) }], false);
  assert.deepEqual(levels(failed), ['endpoint:ok', 'overlay:error']);
  assert.match(failed[1]?.message ?? '', /did not start \(kernel says no\)/);
  assert.match(failed[1]?.fix ?? '', /--snapshotter=native/);
  const native = endpointFindings([{ status: up({ ...rootful, snapshotter: 'native' }), details: details({ mounts: { from: 'x', list: parseMountInfo(mountinfo) } }) }], false);
  assert.deepEqual(levels(native), ['endpoint:ok']);
  // No mounts read, no plugin root: nothing can be said either way.
  assert.deepEqual(levels(endpointFindings([{ status: up(), details: details({ snapshotters: [overlayfs({ root: undefined })] }) }], false)), ['endpoint:ok']);
  const { mounts: _dropped, ...noMounts } = details();
  assert.deepEqual(levels(endpointFindings([{ status: up(), details: noMounts }], false)), ['endpoint:ok']);
  assert.deepEqual(levels(endpointFindings([{ status: up(), details: details({ snapshotters: { failed: 'denied' } }) }], false)), ['endpoint:ok']);
  assert.ok(endpointFindings([{ status: up(), details: details({ snapshotters: { failed: 'denied' } }) }], false)[0]?.evidence?.includes('snapshotters: unreadable (denied)'));
});

test('mountinfo: octal escapes, the deepest mount point, and paths that only share a prefix', () => {
  const mounts = parseMountInfo(`${mountinfo}\nnot a mountinfo line`);
  assert.equal(mounts.length, 4);
  assert.deepEqual(mounts[3], { mountPoint: '/srv/with space', fsType: 'xfs', source: '/dev/vdb' });
  assert.equal(mounts[2]?.fsType, 'overlay');
});

test('whose mountinfo: RootlessKit\'s child for a /proc/PID/root socket, the daemon when its pid is ours, else our own', () => {
  const server = { implemented: true as const, uuid: 'u', pid: 42, pidns: 7, deprecations: [] };
  assert.equal(mountInfoPath('/proc/1234/root/run/containerd/containerd.sock', server, 7), '/proc/1234/mountinfo');
  assert.equal(mountInfoPath('unix:///run/containerd/containerd.sock', server, 7), '/proc/42/mountinfo');
  assert.equal(mountInfoPath('/run/containerd/containerd.sock', server, 8), '/proc/self/mountinfo');
  assert.equal(mountInfoPath('/run/containerd/containerd.sock', { implemented: true, uuid: 'u', deprecations: [] }, 7), '/proc/self/mountinfo');
  assert.equal(mountInfoPath('/run/containerd/containerd.sock', { implemented: false, detail: '' }, 7), '/proc/self/mountinfo');
  assert.equal(namespaceInode('pid:[4026531836]'), 4026531836);
  assert.equal(namespaceInode('garbage'), undefined);
  assert.equal(namespaceInode(undefined), undefined);
});

test('Introspection.Server over a real gRPC channel: answered, and UNIMPLEMENTED as an old containerd says it', async (t) => {
  const answered = await startStandIn(t, {
    unary: {
      '/containerd.services.introspection.v1.Introspection/Server': () => ({ uuid: 'id-1', pid: 77, pidns: 4026531836, deprecations: [{ id: 'io.containerd.deprecation/x', message: 'x is going' }] }),
      '/containerd.services.introspection.v1.Introspection/Plugins': () => ({ plugins: [{ type: 'io.containerd.snapshotter.v1', id: 'overlayfs', exports: { root: '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs' } }] }),
    },
  });
  const methods = new MethodTable();
  const client = new ContainerdClient(answered.socket, { methods, timeoutMs: 5000 });
  t.after(() => client.close());
  assert.deepEqual(await readServerInfo(client), { implemented: true, uuid: 'id-1', pid: 77, pidns: 4026531836, deprecations: [{ id: 'io.containerd.deprecation/x', message: 'x is going' }] });
  const status = up({ address: answered.socket, label: answered.socket, source: 'configured' });
  const reads: string[] = [];
  const [facts] = await readEndpointFacts([status], () => client, { readText: (path) => { reads.push(path); return Promise.resolve(mountinfo); }, ourPidNamespace: 4026531836 });
  assert.deepEqual(reads, ['/proc/77/mountinfo']);
  assert.deepEqual(facts?.details?.snapshotters, [overlayfs()]);
  assert.deepEqual(levels(endpointFindings(facts ? [facts] : [], false)), ['endpoint:ok', 'deprecation:warning', 'overlay:error']);

  const old = await startStandIn(t, { unary: {} });
  const oldClient = new ContainerdClient(old.socket, { methods, timeoutMs: 5000 });
  t.after(() => oldClient.close());
  const info = await readServerInfo(oldClient);
  assert.equal(info.implemented, false);
  const [oldFacts] = await readEndpointFacts([up({ address: old.socket, label: 'old', source: 'configured' })], () => oldClient, { readText: () => Promise.resolve(undefined), ourPidNamespace: undefined });
  assert.match(JSON.stringify(oldFacts?.details?.snapshotters), /failed/);
  assert.equal(oldFacts?.details?.mounts, undefined);
  assert.deepEqual(levels(endpointFindings(oldFacts ? [oldFacts] : [], false)), ['endpoint:ok', 'introspection:error']);
});

test('a Server call failing otherwise (the daemon went away) is thrown, not read as an old containerd', async (t) => {
  const standIn = await startStandIn(t, { unary: { '/containerd.services.introspection.v1.Introspection/Server': () => { throw Object.assign(new Error('denied'), { code: grpc.status.PERMISSION_DENIED, details: 'denied' }); } } });
  const client = new ContainerdClient(standIn.socket, { methods: new MethodTable(), timeoutMs: 5000 });
  t.after(() => client.close());
  await assert.rejects(readServerInfo(client), (error: unknown) => error instanceof ContainerdRequestError && error.code === 'PERMISSION_DENIED');
});

test('mountinfo edges: a line without its separator is skipped, and of two mounts on one point the later covers the earlier', () => {
  assert.deepEqual(parseMountInfo('27 1 254:0 / /mnt rw\n1 2 3\n'), []);
  const stacked = parseMountInfo('27 1 254:0 / / rw - ext4 /dev/vda rw\n50 27 0:40 / /var/lib/containerd rw - ext4 /dev/vdb rw\n51 50 0:41 / /var/lib/containerd rw - overlay overlay rw\n');
  assert.equal(mountOf('/var/lib/containerd/x', stacked)?.fsType, 'overlay');
  assert.equal(mountOf('/var/lib/containerdX', stacked)?.fsType, 'ext4');
  assert.equal(mountOf('/var/lib/containerdX', stacked)?.mountPoint, '/');
  assert.equal(mountOf('/x', []), undefined);
});

test('whose mountinfo, at the edges: a pid without its namespace, a /proc path that is not a pid\'s root, a namespace link with more around it', () => {
  const pidOnly = { implemented: true as const, uuid: 'u', pid: 42, deprecations: [] };
  assert.equal(mountInfoPath('/run/containerd/containerd.sock', pidOnly, undefined), '/proc/self/mountinfo');
  assert.equal(mountInfoPath('/proc/abc/root/run/containerd.sock', pidOnly, undefined), '/proc/self/mountinfo');
  assert.equal(mountInfoPath('/proc/12/rootfs/containerd.sock', pidOnly, undefined), '/proc/self/mountinfo');
  assert.equal(mountInfoPath('not an address', { failed: 'x' }, 1), '/proc/self/mountinfo');
  assert.equal(namespaceInode(' pid:[5]'), undefined);
  assert.equal(namespaceInode('pid:[5]x'), undefined);
  assert.equal(namespaceInode('pid:[x]'), undefined);
});

test('Introspection.Server of a containerd that says no pid (1.6: zeros on the wire) has none; a daemon gone away is thrown, not read as old', async (t) => {
  const api = new FakeApi(t, { unary: { '/containerd.services.introspection.v1.Introspection/Server': () => ({ uuid: 'id-2', pid: 0, pidns: 0, deprecations: [] }) } });
  assert.deepEqual(await readServerInfo(api), { implemented: true, uuid: 'id-2', deprecations: [] });
  const gone = new FakeApi(t, { unary: { '/containerd.services.introspection.v1.Introspection/Server': () => { throw new ContainerdUnreachableError('refused', '/run/x.sock', ''); } } });
  await assert.rejects(readServerInfo(gone), (error: unknown) => error instanceof ContainerdUnreachableError && error.reason === 'refused');
  const old = new FakeApi(t, { unary: { '/containerd.services.introspection.v1.Introspection/Server': () => { throw new ContainerdUnreachableError('notContainerd', '/run/x.sock', 'unknown method Server'); } } });
  assert.deepEqual(await readServerInfo(old), { implemented: false, detail: 'unknown method Server' });
});
