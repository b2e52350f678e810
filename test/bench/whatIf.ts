// Bench-only emulations of the changes the figures suggest, measured on the same daemon so the
// suggestions come with numbers. None of this is the extension's code:
// - containers, records cached: a reload after task events re-reads Tasks.List only and joins it
//   with the records of the last full load (containers change far less often than tasks);
// - startup, one pass with shared reads: the three views loaded once, and concurrent identical
//   calls (two views missing the same blob at once) answered by one call, as a BlobCache that
//   caches the pending read would;
// - snapshots from gc labels: which image uses which snapshot read from the content store's
//   garbage-collection labels (one Content.List) instead of resolving every image.
import { performance } from 'node:perf_hooks';
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { groupByPod } from '../../src/nerdctl/containerNames';
import { listContainerRecords } from '../../src/containerd/containers/containers';
import { listContainers } from '../harness/listContainers';
import { listImages } from '../../src/containerd/images/images';
import type { Method, MethodTable } from '../../src/containerd/proto/codec';
import { snapshotTree, snapshotUsers } from '../../src/containerd/snapshots/snapshotTree';
import { listSnapshots, listSnapshotters } from '../../src/containerd/snapshots/snapshots';
import { listTasks } from '../../src/containerd/tasks/tasks';
import { compareContainers } from '../../src/model/containerRows';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { BenchMethods } from './benchProto';
import { CountingApi, profileLoad, type LoadProfile } from './profile';
import { median } from './stats';
import { newViewCaches, viewLoads, viewNames } from './viewLoads';

export interface WhatIfFigures {
  readonly containersRecordsCachedMs: number;
  readonly startupSharedReads: LoadProfile;
  readonly snapshotsFromLabelsColdMs: number;
}

/** Concurrent identical calls share one answer (completed ones are the BlobCache's business). */
class SharedReadsApi implements ContainerdApi {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly inner: ContainerdApi) {}

  get address(): string { return this.inner.address; }
  get methods(): MethodTable { return this.inner.methods; }

  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    return this.shared(`u${method.path}${namespace ?? ''}${JSON.stringify(request)}`, () => this.inner.unary(method, request, namespace));
  }

  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    return this.shared(`s${method.path}${namespace ?? ''}${JSON.stringify(request)}`, () => this.inner.streamAll(method, request, namespace));
  }
  streamEach<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined, signal?: AbortSignal): AsyncIterable<Res> {
    return this.inner.streamEach(method, request, namespace, signal);
  }


  private shared<T>(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = call().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}

/** The Snapshots view's load with image users found by following gc labels from each image's target. */
async function snapshotsFromLabels(api: ContainerdApi, namespace: string, contentList: Method<{ filters: string[] }, { info: { digest: string; labels: Record<string, string> }[] }>): Promise<number> {
  const [snapshotters, containers, images, batches] = await Promise.all([
    listSnapshotters(api), listContainerRecords(api, namespace), listImages(api, namespace), api.streamAll(contentList, { filters: [] }, namespace),
  ]);
  const labels = new Map(batches.flatMap((b) => b.info).map((i) => [i.digest, i.labels]));
  const imageRefs = images.flatMap((image) => {
    const refs: { name: string; chainId: string; snapshotter: string }[] = [];
    const queue = [image.target.digest];
    for (let digest = queue.shift(); digest; digest = queue.shift()) {
      for (const [key, value] of Object.entries(labels.get(digest) ?? {})) {
        if (key.startsWith('containerd.io/gc.ref.snapshot.')) refs.push({ name: image.name, chainId: value, snapshotter: key.slice('containerd.io/gc.ref.snapshot.'.length) });
        else if (key === 'containerd.io/gc.ref.content.config' || key.startsWith('containerd.io/gc.ref.content.m.')) queue.push(value);
      }
    }
    return refs;
  });
  // Every seeded image is unpacked: an emulation that found fewer users would flatter itself.
  if (imageRefs.length < images.length) throw new Error(`gc labels led to ${imageRefs.length} snapshots for ${images.length} images`);
  const shown = await Promise.all(snapshotters.filter((s) => s.ok).map(async (s) => {
    const snapshots = await listSnapshots(api, namespace, s.name);
    return { roots: snapshotTree(snapshots), users: snapshotUsers(snapshots, containers, imageRefs) };
  }));
  return shown.filter((c) => c.roots.length > 0).length;
}

export async function measureWhatIfs(opts: { daemon: ContainerdDaemon; methods: MethodTable; namespace: string; runs: number }): Promise<WhatIfFigures> {
  const { daemon, methods, namespace, runs } = opts;
  const newClient = (): ContainerdClient => new ContainerdClient(daemon.socket, { methods, timeoutMs: 120_000 });
  const timed = async (fn: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };
  const client = newClient();
  const cachedRuns: number[] = [];
  try {
    const records = await listContainers(client, namespace);
    for (let i = 0; i < runs; i++) {
      cachedRuns.push(await timed(async () => {
        const tasks = await listTasks(client, namespace);
        const rows = records.map(({ task: _, ...record }) => ({ ...record, task: tasks.get(record.id) }));
        return groupByPod(rows.sort(compareContainers('name')));
      }));
    }
  } finally {
    client.close();
  }

  const shared = newClient();
  let startupSharedReads: LoadProfile;
  try {
    const counting = new CountingApi(shared);
    const api = new SharedReadsApi(counting);
    const cache = newViewCaches();
    startupSharedReads = await profileLoad(daemon.pid, counting, () => Promise.all(viewNames.map(async (view) => (await viewLoads[view](api, namespace, cache)).settled)));
  } finally {
    shared.close();
  }

  const contentList = new BenchMethods().listContent();
  const labelRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cold = newClient();
    try {
      labelRuns.push(await timed(() => snapshotsFromLabels(cold, namespace, contentList)));
    } finally {
      cold.close();
    }
  }
  return { containersRecordsCachedMs: median(cachedRuns), startupSharedReads, snapshotsFromLabelsColdMs: median(labelRuns) };
}
