// Containers, tasks and snapshots against real containerd daemons, one version at a time: 1.6
// (bookworm), 1.7 (trixie) and 2.x (sid). ctr, run against the same daemon, is the oracle.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { groupByPod } from '../../src/nerdctl/containerNames';
import { getContainerSpec, type ContainerSummary } from '../../src/containerd/containers/containers';
import { listContainers } from '../harness/listContainers';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { MethodTable } from '../../src/containerd/proto/codec';
import { listSnapshots, listSnapshotters, snapshotUsage } from '../../src/containerd/snapshots/snapshots';
import { removeSnapshot, SnapshotRemoveRefusedError } from '../../src/containerd/snapshots/removeSnapshot';
import { snapshotTree } from '../../src/containerd/snapshots/snapshotTree';
import { taskMetrics, taskPids } from '../../src/containerd/tasks/taskPayloads';
import { deleteTask, getTask, killTask } from '../../src/containerd/tasks/tasks';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { hostCgroupMode } from '../harness/taskMetricsOracle';
import { writeBusyboxOciArchive } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

const methods = new MethodTable();
const image = 'docker.io/library/busybox:sample';
const loop = ['sh', '-c', 'while true; do sleep 5; done'];
const portsLabel = '[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]';
/** This host's cgroup mode decides the Metrics payload type (see taskPayloads.ts). */
const cgroupMode = hostCgroupMode();

/** Rows of a ctr table (header dropped), split on runs of spaces. */
function rows(output: string): string[][] {
  return output.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).map((l) => l.split(/\s+/));
}

for (const version of containerdVersions) {
  describe(`containers, tasks and snapshots on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    /** Before the first container was made: every timestamp the daemon gives lies after it. */
    let setUpAt: number;
    // Unique ids: runc state and cgroup paths are host-global, and another daemon may run beside us.
    const sfx = `${process.pid}-${Date.now().toString(36)}`;
    const ids = {
      web: `web-${sfx}`, done: `done-${sfx}`, exited: `exited-${sfx}`, created: `created-${sfx}`, paused: `paused-${sfx}`,
      victim: `victim-${sfx}`, sandbox: `pod-sandbox-${sfx}`, app: `pod-app-${sfx}`, native: `native-${sfx}`,
    };
    const podLabels = ['io.kubernetes.pod.name=api-0', 'io.kubernetes.pod.namespace=shop', `io.kubernetes.pod.uid=uid-${sfx}`];
    const ctrIn = (namespace: string, args: readonly string[]): Promise<string> => daemon.ctr(['--namespace', namespace, ...args]);
    const run = (namespace: string, args: readonly string[]): Promise<string> => ctrIn(namespace, ['run', '--runc-root', daemon.runcRoot, ...args]);
    const ctrTasks = async (namespace: string): Promise<Map<string, { pid: number; status: string }>> =>
      new Map(rows(await ctrIn(namespace, ['tasks', 'ls'])).map(([id, pid, status]) => [id ?? '', { pid: Number(pid), status: status ?? '' }]));
    const byId = (list: readonly ContainerSummary[], id: string): ContainerSummary => {
      const found = list.find((c) => c.id === id);
      assert.ok(found, `${id} not listed`);
      return found;
    };

    before(async () => {
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 20_000 });
      const archive = join(daemon.dir, 'busybox.oci.tar');
      await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: image, outFile: archive, workDir: join(daemon.dir, 'image-build') });
      for (const namespace of ['default', 'team-b']) await ctrIn(namespace, ['images', 'import', '--all-platforms', archive]);
      setUpAt = Date.now();

      await run('default', ['--detach', '--label', 'nerdctl/name=web', '--label', `nerdctl/ports=${portsLabel}`, image, ids.web, ...loop]);
      // Ran to completion in the foreground: ctr deletes the task, the container stays.
      await run('default', [image, ids.done, 'sh', '-c', 'echo done']);
      // Exited on its own, detached: the task stays, STOPPED with its exit status.
      await run('default', ['--detach', image, ids.exited, 'sh', '-c', 'exit 3']);
      await ctrIn('default', ['containers', 'create', image, ids.created, 'sh']);
      await run('default', ['--detach', image, ids.paused, ...loop]);
      await ctrIn('default', ['tasks', 'pause', ids.paused]);
      await run('default', ['--detach', image, ids.victim, ...loop]);
      await run('team-b', ['--detach', ...podLabels.flatMap((l) => ['--label', l]), '--label', 'io.cri-containerd.kind=sandbox', image, ids.sandbox, ...loop]);
      await run('team-b', ['--detach', ...podLabels.flatMap((l) => ['--label', l]), '--label', 'io.cri-containerd.kind=container',
        '--label', 'io.kubernetes.container.name=app', image, ids.app, ...loop]);
      await run('team-b', ['--detach', '--snapshotter', 'native', image, ids.native, ...loop]);
      await waitFor(`${ids.exited} to stop`, async () => (await ctrTasks('default')).get(ids.exited)?.status === 'STOPPED');
    });
    after(async () => {
      client?.close();
      // A frozen task cannot die: thaw it so the daemon's teardown can kill it.
      await daemon?.ctr(['--namespace', 'default', 'tasks', 'resume', ids.paused]).catch(() => undefined);
      await daemon?.stop();
    });

    it('lists the containers and tasks ctr lists, in every namespace', async () => {
      for (const namespace of ['default', 'team-b']) {
        const listed = await listContainers(client, namespace);
        const ctrContainers = rows(await ctrIn(namespace, ['containers', 'ls']));
        assert.deepEqual(listed.map((c) => [c.id, c.image, c.runtime]).sort(), ctrContainers.map(([id, img, runtime]) => [id, img, runtime]).sort());
        const tasks = await ctrTasks(namespace);
        assert.deepEqual(listed.filter((c) => c.task).map((c) => c.id).sort(), [...tasks.keys()].sort());
        for (const c of listed) {
          const task = tasks.get(c.id);
          if (!task) continue;
          assert.equal(c.task?.pid, task.pid, c.id);
          assert.equal(c.task?.state.toUpperCase(), task.status, c.id);
        }
      }
    });

    it('knows every task state and the containers without a task', async () => {
      const listed = await listContainers(client, 'default');
      assert.equal(byId(listed, ids.web).task?.state, 'running');
      assert.equal(byId(listed, ids.paused).task?.state, 'paused');
      const exited = byId(listed, ids.exited).task;
      assert.equal(exited?.state, 'stopped');
      assert.equal(exited?.exitStatus, 3);
      const exitedAt = exited?.exitedAt?.getTime() ?? 0;
      assert.ok(exitedAt >= setUpAt && exitedAt <= Date.now(), `exitedAt ${String(exited?.exitedAt)}`);
      assert.equal(byId(listed, ids.done).task, undefined);
      assert.equal(byId(listed, ids.created).task, undefined);
      assert.equal(byId(listed, ids.web).task?.exitedAt, undefined);
      await assert.rejects(getTask(client, 'default', ids.created), (error: unknown) => error instanceof ContainerdRequestError && error.code === 'NOT_FOUND');
    });

    it('names containers, reads nerdctl ports and groups CRI containers by pod', async () => {
      const web = byId(await listContainers(client, 'default'), ids.web);
      assert.equal(web.name, 'web');
      assert.equal(web.nameSource, 'nerdctl');
      assert.deepEqual(web.ports, [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
      assert.equal(web.snapshotter, 'overlayfs');
      assert.equal(web.snapshotKey, ids.web);
      const info = JSON.parse(await ctrIn('default', ['containers', 'info', ids.web])) as { CreatedAt: string };
      assert.equal(web.createdAt.toISOString(), new Date(info.CreatedAt).toISOString());
      const teamB = await listContainers(client, 'team-b');
      assert.equal(byId(teamB, ids.app).name, 'app');
      assert.equal(byId(teamB, ids.native).nameSource, 'id');
      assert.equal(byId(teamB, ids.native).snapshotter, 'native');
      const grouped = groupByPod(teamB);
      assert.equal(grouped.pods.length, 1);
      assert.deepEqual(grouped.pods[0]?.pod, { name: 'api-0', namespace: 'shop', uid: `uid-${sfx}` });
      assert.deepEqual(grouped.pods[0]?.sandboxes.map((c) => c.id), [ids.sandbox]);
      assert.deepEqual(grouped.pods[0]?.containers.map((c) => c.id), [ids.app]);
      assert.deepEqual(grouped.standalone.map((c) => c.id), [ids.native]);
    });

    it('reads the OCI spec for inspect', async () => {
      const got = await getContainerSpec(client, 'default', ids.web);
      assert.equal(got.record.name, 'web');
      const spec = got.spec as { process?: { args?: string[] } };
      assert.deepEqual(spec.process?.args, loop);
      assert.deepEqual(got.spec, JSON.parse(await ctrIn('default', ['containers', 'info', '--spec', ids.web])));
      assert.equal(got.specType, 'types.containerd.io/opencontainers/runtime-spec/1/Spec');
      await assert.rejects(getContainerSpec(client, 'default', 'no-such-container'), (error: unknown) => error instanceof ContainerdRequestError && error.code === 'NOT_FOUND');
    });

    it(`gives cgroup ${cgroupMode} statistics and the processes of a running task`, async () => {
      const metrics = await taskMetrics(client, 'default', ids.web);
      assert.equal(metrics.cgroup, cgroupMode);
      assert.ok(metrics.memoryBytes > 0, `memory ${metrics.memoryBytes}`);
      assert.ok(metrics.cpuNanos > 0, `cpu ${metrics.cpuNanos}`);
      // No limit given: the kernel's "unlimited" reads as none.
      assert.equal(metrics.memoryLimitBytes, undefined);
      const pids = await taskPids(client, 'default', ids.web);
      const web = byId(await listContainers(client, 'default'), ids.web);
      assert.ok(pids.some((p) => p.pid === web.task?.pid), `${web.task?.pid} not in ${JSON.stringify(pids)}`);
      const ctrPids = rows(await ctrIn('default', ['tasks', 'ps', ids.web])).map(([pid]) => Number(pid));
      assert.deepEqual(pids.map((p) => p.pid).sort(), [...ctrPids].sort());
      // The shell and its sleep: the cgroup's pids.current counts what tasks ps lists.
      assert.equal(metrics.pids, ctrPids.length, `pids ${metrics.pids}`);
      await assert.rejects(taskMetrics(client, 'default', ids.created), /no statistics|NOT_FOUND/);
    });

    it('kills a task (STOPPED, exit status 137) and deletes it', async () => {
      await killTask(client, 'default', ids.victim, 'SIGKILL');
      const stopped = await waitFor(`${ids.victim} to stop`, async () => {
        const task = await getTask(client, 'default', ids.victim);
        return task.state === 'stopped' ? task : undefined;
      });
      assert.equal(stopped.exitStatus, 137);
      assert.equal((await ctrTasks('default')).get(ids.victim)?.status, 'STOPPED');
      const deleted = await deleteTask(client, 'default', ids.victim);
      assert.equal(deleted.exitStatus, 137);
      assert.equal((await ctrTasks('default')).has(ids.victim), false);
      assert.equal(byId(await listContainers(client, 'default'), ids.victim).task, undefined);
      // A running task cannot be deleted: containerd's refusal (status UNKNOWN on 1.6 to 2.x) arrives typed.
      await assert.rejects(deleteTask(client, 'default', ids.web), (error: unknown) => error instanceof ContainerdRequestError && /cannot delete a running process/.test(error.detail));
    });

    it('lists the snapshotters with the failed ones and why, as ctr plugins ls does', async () => {
      const snapshotters = await listSnapshotters(client);
      const ok = (name: string): boolean | undefined => snapshotters.find((s) => s.name === name)?.ok;
      assert.equal(ok('overlayfs'), true);
      assert.equal(ok('native'), true);
      assert.ok(snapshotters.some((s) => !s.ok && s.error), JSON.stringify(snapshotters));
      const plugins = rows(await daemon.ctr(['plugins', 'ls'])).filter(([type]) => type === 'io.containerd.snapshotter.v1');
      assert.deepEqual(snapshotters.map((s) => [s.name, s.ok]), plugins.map((p) => [p[1], p[p.length - 1] === 'ok']).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    });

    it('lists the snapshots and their usage as ctr does, per snapshotter and namespace', async () => {
      for (const [namespace, snapshotter] of [['default', 'overlayfs'], ['team-b', 'overlayfs'], ['team-b', 'native']] as const) {
        const listed = await listSnapshots(client, namespace, snapshotter);
        const ctrRows = rows(await ctrIn(namespace, ['snapshots', '--snapshotter', snapshotter, 'ls']))
          .map((r) => (r.length === 3 ? [r[0], r[1], r[2]] : [r[0], undefined, r[1]]));
        assert.deepEqual(listed.map((s) => [s.key, s.parent, s.kind]).sort(), ctrRows.map(([key, parent, kind]) => [key, parent, kind?.toLowerCase()]).sort(), `${namespace}/${snapshotter}`);
        const usage = new Map(rows(await ctrIn(namespace, ['snapshots', '--snapshotter', snapshotter, 'usage', '-b'])).map(([key, size, inodes]) => [key, { size: Number(size), inodes: Number(inodes) }]));
        for (const s of listed) assert.deepEqual(await snapshotUsage(client, namespace, snapshotter, s.key), usage.get(s.key), `${snapshotter} ${s.key}`);
        // Every container's active snapshot hangs under the image's committed layers.
        const tree = snapshotTree(listed);
        assert.ok(tree.every((root) => root.snapshot.kind === 'committed' && !root.snapshot.parent), JSON.stringify(tree.map((r) => r.snapshot.key)));
      }
      const native = await listSnapshots(client, 'team-b', 'native');
      assert.ok(native.some((s) => s.key === ids.native && s.kind === 'active'));
    });

    it('refuses to remove a snapshot in use or with children, and removes nothing', async () => {
      const before = await ctrIn('default', ['snapshots', 'ls']);
      await assert.rejects(removeSnapshot(client, 'default', 'overlayfs', ids.web), (error: unknown) => {
        assert.ok(error instanceof SnapshotRemoveRefusedError, String(error));
        assert.equal(error.reason, 'inUse');
        assert.match(error.message, new RegExp(`root filesystem of container ${ids.web}`));
        return true;
      });
      // ctr run names a container's snapshot after the container.
      const layer = (await listSnapshots(client, 'default', 'overlayfs')).find((s) => s.key === ids.web)?.parent;
      assert.ok(layer, 'the web container snapshot has a parent layer');
      await assert.rejects(removeSnapshot(client, 'default', 'overlayfs', layer), (error: unknown) => {
        assert.ok(error instanceof SnapshotRemoveRefusedError, String(error));
        assert.equal(error.reason, 'hasChildren');
        assert.ok(error.users.includes(ids.web), error.users.join());
        assert.match(error.message, /other snapshots are built on it/);
        return true;
      });
      assert.equal(await ctrIn('default', ['snapshots', 'ls']), before);
      // What nothing uses goes.
      await ctrIn('default', ['snapshots', 'prepare', `scratch-${sfx}`, layer]);
      await removeSnapshot(client, 'default', 'overlayfs', `scratch-${sfx}`);
      assert.equal(await ctrIn('default', ['snapshots', 'ls']), before);
    });
  });
}

