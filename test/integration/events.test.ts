// The event feed against real containerd daemons, one version at a time: what ctr does arrives,
// decoded, in coalesced batches; a killed daemon shows as disconnected and, once restarted, the
// feed is back with a resync by itself. ctr, run against the same daemon, makes the changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { Connections } from '../../src/containerd/connection/connections';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { EventFeed, type FeedState } from '../../src/containerd/events/eventFeed';
import { summarize, type ContainerdEvent } from '../../src/containerd/events/events';
import { BlobCache, listImages, resolveImage } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeBusyboxOciArchive } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

const methods = new MethodTable();
const image = 'docker.io/library/busybox:events';

/** Everything the feed said, in order. */
class Recorder {
  readonly batches: (readonly ContainerdEvent[])[] = [];
  /** When each batch was delivered (Date.now()), index for index with batches. */
  readonly batchTimes: number[] = [];
  readonly states: { state: FeedState; at: number }[] = [];
  resyncs = 0;

  get events(): ContainerdEvent[] {
    return this.batches.flat();
  }

  /** The first event after `from` (an index into events) that matches. */
  find(from: number, topic: string, match: (e: ContainerdEvent) => boolean = () => true): ContainerdEvent | undefined {
    return this.events.slice(from).find((e) => e.topic === topic && match(e));
  }

  get state(): FeedState | undefined {
    return this.states.at(-1)?.state;
  }
}

let workDir: string;
let archive: string;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vscc-events-'));
  archive = join(workDir, 'busybox.oci.tar');
  await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: image, outFile: archive, workDir: join(workDir, 'build') });
});
after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

for (const version of containerdVersions) {
  describe(`containerd ${version} events`, () => {
    let daemon: ContainerdDaemon;
    let connections: Connections;
    let feed: EventFeed;
    const seen = new Recorder();
    const suffix = `${version.replace('.', '')}-${process.pid}`;
    const namespace = `events-${suffix}`;

    before(async () => {
      daemon = await startContainerd(version);
      connections = new Connections({ methods, timeoutMs: 2_000 });
      feed = new EventFeed({
        client: () => connections.get(daemon.socket),
        resetChannel: () => connections.reset(daemon.socket),
        methods,
        // Short probes so the frozen-daemon case is quick to see.
        probeIntervalMs: 1_000,
        onBatch: (events) => { seen.batches.push(events); seen.batchTimes.push(Date.now()); },
        onState: (state) => seen.states.push({ state, at: Date.now() }),
        onResync: () => { seen.resyncs += 1; },
      });
      feed.start();
    });
    after(async () => {
      feed?.dispose();
      connections?.closeAll();
      await daemon?.stop();
    });

    it('connects and asks for a first full load', async () => {
      await waitFor('the feed to connect', () => seen.state?.kind === 'connected', 30_000);
      assert.equal(seen.resyncs, 1);
      assert.deepEqual(seen.states.map((s) => s.state.kind), ['connecting', 'connected']);
    });

    it('delivers namespace, image, snapshot, container and task events with their namespace and ids', async () => {
      const from = seen.events.length;
      const id = `ev-run-${suffix}`;
      await daemon.ctr(['namespaces', 'create', namespace, 'purpose=events']);
      await daemon.ctr(['--namespace', namespace, 'images', 'import', archive]);
      await daemon.ctr(['--namespace', namespace, 'run', '--rm', '--runc-root', daemon.runcRoot, image, id, 'sh', '-c', 'exit 0']);
      const inNs = (e: ContainerdEvent): boolean => e.namespace === namespace;
      // The daemon and the shim publish on their own: wait for each last event, not for one of them.
      await waitFor('the container removal event', () => seen.find(from, '/containers/delete', (e) => inNs(e) && e.payload?.id === id), 30_000);
      await waitFor('the snapshot removal event', () => seen.find(from, '/snapshot/remove', (e) => inNs(e) && e.payload?.key === id), 30_000);
      // containerd 2.x's shim often exits before it has forwarded its /tasks/delete (7 runs in 25
      // here, and `ctr events` misses the same ones), so only 1.6 and 1.7 are held to it.
      const lastTaskTopic = version === '2.x' ? '/tasks/exit' : '/tasks/delete';
      await waitFor(`the ${lastTaskTopic} event`, () => seen.find(from, lastTaskTopic, (e) => inNs(e) && e.payload?.container_id === id), 30_000);

      const created = seen.find(from, '/namespaces/create', (e) => e.payload?.name === namespace);
      assert.ok(created, 'namespace created');
      assert.deepEqual(created.payload?.labels, { purpose: 'events' });
      assert.equal(seen.find(from, '/images/create', inNs)?.payload?.name, image);
      const commit = seen.find(from, '/snapshot/commit', inNs);
      assert.match(String(commit?.payload?.name), /^sha256:[0-9a-f]{64}$/);
      // The container's writable layer: prepared on the image's layer, removed with --rm.
      assert.equal(seen.find(from, '/snapshot/prepare', (e) => inNs(e) && e.payload?.key === id)?.payload?.parent, commit?.payload?.name);
      const snapshotter = seen.find(from, '/snapshot/prepare', inNs)?.payload?.snapshotter;
      assert.equal(snapshotter, version === '1.6' ? '' : 'overlayfs', '1.6 does not name the snapshotter');
      assert.equal(seen.find(from, '/containers/create', inNs)?.payload?.id, id);
      const start = seen.find(from, '/tasks/start', (e) => inNs(e) && e.payload?.container_id === id);
      assert.ok(typeof start?.payload?.pid === 'number' && start.payload.pid > 0);
      const exit = seen.find(from, '/tasks/exit', (e) => inNs(e) && e.payload?.container_id === id);
      assert.equal(exit?.payload?.exit_status, 0);
      assert.ok(exit?.payload?.exited_at instanceof Date);
      const topics = seen.events.slice(from).filter(inNs).map((e) => e.topic);
      const taskLifecycle = ['/tasks/create', '/tasks/start', '/tasks/exit', ...(topics.includes('/tasks/delete') ? ['/tasks/delete'] : [])];
      // Order holds per publisher only: the shim's task events, the daemon's container events.
      for (const lifecycle of [taskLifecycle, ['/containers/create', '/containers/delete']]) {
        assert.ok(lifecycle.every((t) => topics.includes(t)), `missing from: ${topics.join(' ')}`);
        const at = lifecycle.map((t) => topics.indexOf(t));
        assert.deepEqual([...at].sort((a, b) => a - b), at, `out of order: ${topics.join(' ')}`);
      }
      const summary = summarize(seen.events.slice(from));
      for (const area of [summary.images, summary.containers, summary.tasks, summary.snapshots]) assert.ok(area.has(namespace));
      assert.equal(summary.namespaceList, true);
    });

    it('names a deleted blob in /content/delete, and the blob cache then finds it gone without re-reading documents', async () => {
      const api = connections.get(daemon.socket);
      const contentNs = `${namespace}-content`;
      await daemon.ctr(['--namespace', contentNs, 'images', 'import', archive]);
      const record = (await listImages(api, contentNs)).find((i) => i.name === image);
      assert.ok(record, `${image} is not in ${contentNs}`);
      const cache = new BlobCache();
      const before = await resolveImage(api, contentNs, record, cache);
      const amd64 = before.platforms.find((p) => p.platform === 'linux/amd64');
      assert.ok(amd64?.available && amd64.config, 'the host platform was imported');
      const digest = amd64.config.digest;
      const from = seen.events.length;
      await daemon.ctr(['--namespace', contentNs, 'content', 'rm', digest]);
      assert.ok(!(await daemon.ctr(['--namespace', contentNs, 'content', 'ls', '--quiet'])).includes(digest), 'ctr still lists the blob');
      await waitFor('the /content/delete event', () => seen.find(from, '/content/delete', (e) => e.namespace === contentNs && e.payload?.digest === digest), 10_000);
      const summary = summarize(seen.events.slice(from));
      assert.deepEqual(summary.contentDeleted.get(contentNs), new Set([digest]));
      assert.ok(summary.images.has(contentNs));

      cache.forgetStale(summary.images, summary.contentDeleted);
      const calls: string[] = [];
      const counting: ContainerdApi = {
        address: api.address,
        methods: api.methods,
        unary: (method, request, ns) => { calls.push(`${method.path} ${String((request as { digest?: string }).digest)}`); return api.unary(method, request, ns); },
        streamAll: (method, request, ns) => { calls.push(`${method.path} ${String((request as { digest?: string }).digest)}`); return api.streamAll(method, request, ns); },
        streamEach: (method, request, ns, signal) => api.streamEach(method, request, ns, signal),
      };
      const after = (await resolveImage(counting, contentNs, record, cache)).platforms.find((p) => p.platform === 'linux/amd64');
      assert.equal(after?.available, false);
      assert.equal(after?.contentSize, undefined);
      // The deleted blob is asked again, and (an image event came with it) those found missing before
      // (1.6 imports the host platform only); no document that was there is read again.
      const missingBefore = new Set(before.platforms.flatMap((p) => p.missing));
      const askedAgain = calls.filter((c) => !missingBefore.has(c.split(' ')[1] ?? ''));
      assert.deepEqual(askedAgain, [`/containerd.services.content.v1.Content/Info ${digest}`]);
    });

    it('coalesces a burst: 100 image tags, then 100 removals, each delivered in whole windows', async () => {
      const tags = Array.from({ length: 100 }, (_, i) => `docker.io/library/burst:${i}`);
      for (const [command, topic] of [[['images', 'tag', image, ...tags], '/images/create'], [['images', 'rm', ...tags], '/images/delete']] as const) {
        const firstBatch = seen.batches.length;
        await daemon.ctr(['--namespace', namespace, ...command]);
        const mine = (e: ContainerdEvent): boolean => e.topic === topic && tags.includes(String(e.payload?.name));
        await waitFor(`100 ${topic} events`, () => seen.batches.slice(firstBatch).flat().filter(mine).length === 100, 60_000);
        const delivered = seen.batchTimes.slice(firstBatch);
        console.log(`containerd ${version}: 100 ${topic} events arrived in ${delivered.length} batch(es)`);
        // The first event goes out at once and opens a window (10 ms); what comes within it goes
        // out at its end, which opens the next: deliveries are never closer than a window, and on
        // a slow machine only drift further apart. (Timers may round by a millisecond, hence 9.)
        // Without coalescing, a burst arrives as back-to-back deliveries.
        const gaps = delivered.slice(1).map((at, i) => at - (delivered[i] ?? 0));
        assert.ok(gaps.every((gap) => gap >= 9), `deliveries ${gaps.join(', ')} ms apart`);
        assert.equal(seen.batches.slice(firstBatch).flat().filter(mine).length, 100, 'no event twice');
      }
    });

    it('says disconnected after a SIGKILL, then reconnects and resyncs by itself after a restart', async () => {
      const resyncs = seen.resyncs;
      const killedAt = Date.now();
      await daemon.crash();
      const down = await waitFor('the feed to say disconnected', () => seen.states.find((s) => s.at >= killedAt && s.state.kind === 'disconnected'), 30_000);
      console.log(`containerd ${version}: SIGKILL seen as disconnected after ${down.at - killedAt} ms`);
      assert.ok(down.state.kind === 'disconnected' && down.state.error instanceof ContainerdUnreachableError);
      // The socket file stays behind with nothing listening: what the view explains as a stale
      // socket. (The very first report may be "Connection dropped": the dying daemon can drop our
      // connection a moment before its listening socket closes.)
      await waitFor('the next attempt to find the stale socket', () => seen.states.some((s) =>
        s.at >= killedAt && s.state.kind === 'disconnected' && s.state.error instanceof ContainerdUnreachableError && s.state.error.reason === 'refused'), 30_000);

      await daemon.restart();
      const restartedAt = Date.now();
      const back = await waitFor('the feed to reconnect', () => seen.states.find((s) => s.at >= killedAt && s.state.kind === 'connected'), 30_000);
      console.log(`containerd ${version}: reconnected ${back.at - restartedAt} ms after the daemon answered again`);
      assert.equal(seen.resyncs, resyncs + 1);

      const from = seen.events.length;
      await daemon.ctr(['namespaces', 'create', `${namespace}-after`]);
      await waitFor('an event after the restart', () => seen.find(from, '/namespaces/create', (e) => e.payload?.name === `${namespace}-after`), 30_000);
    });

    it('notices a frozen daemon through the Version probe, and comes back when it thaws', async () => {
      const resyncs = seen.resyncs;
      const frozenAt = Date.now();
      process.kill(daemon.pid, 'SIGSTOP');
      try {
        const down = await waitFor('the feed to say disconnected', () => seen.states.find((s) => s.at >= frozenAt && s.state.kind === 'disconnected'), 30_000);
        console.log(`containerd ${version}: frozen daemon seen as disconnected after ${down.at - frozenAt} ms`);
        assert.ok(down.state.kind === 'disconnected' && down.state.error instanceof ContainerdUnreachableError && down.state.error.reason === 'timeout', down.state.kind === 'disconnected' ? down.state.error.message : '');
      } finally {
        process.kill(daemon.pid, 'SIGCONT');
      }
      await waitFor('the feed to reconnect', () => seen.states.find((s) => s.at >= frozenAt && s.state.kind === 'connected'), 30_000);
      assert.equal(seen.resyncs, resyncs + 1);
    });
  });
}
