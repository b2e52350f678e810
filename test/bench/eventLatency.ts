// Event-to-refreshed latency of the Containers view: an EventFeed (as the Explorer runs it) feeds
// a stand-in of ScopedTree.refresh + ContainersTree.load (each batch touching the namespace's
// containers or tasks starts a reload; only the newest reload is rendered) while ctr starts, kills
// and deletes tasks. A sample runs from the event's envelope timestamp (containerd's clock, the
// same host's) to the moment a rendered reload shows the container in its new state.
import { performance } from 'node:perf_hooks';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { groupByPod } from '../../src/nerdctl/containerNames';
import { type ContainerSummary } from '../../src/containerd/containers/containers';
import { listContainers } from '../harness/listContainers';
import type { ContainerdError } from '../../src/containerd/connection/errors';
import { EventFeed, type EventStreamClient } from '../../src/containerd/events/eventFeed';
import { summarize, type ContainerdEvent } from '../../src/containerd/events/events';
import type { Method, MethodTable } from '../../src/containerd/proto/codec';
import { listTasks, type TaskState } from '../../src/containerd/tasks/tasks';
import { compareContainers } from '../../src/model/containerRows';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { waitFor } from '../harness/waitFor';

export type SampleKind = 'start' | 'exit' | 'delete';

export interface EventSample {
  readonly kind: SampleKind;
  readonly container: string;
  /** Envelope timestamp -> refreshed rows: the figure with the target. */
  readonly fromEventMs: number;
  /** ctr returned -> refreshed rows (negative: the rows were there before ctr returned). */
  readonly fromCtrMs: number;
  /** Envelope timestamp -> the envelope reached this process. */
  readonly deliveryMs: number;
  /** Arrival -> the feed handed the batch over (its coalescing window). */
  readonly coalesceMs: number;
  /** Batch -> the reload that shows the new state completed. */
  readonly reloadMs: number;
}

/** What each kind waits for: its event topic, and the task state the refreshed row must show. */
const expected: Readonly<Record<SampleKind, { topic: string; state: TaskState | undefined }>> = {
  start: { topic: '/tasks/start', state: 'running' },
  exit: { topic: '/tasks/exit', state: 'stopped' },
  delete: { topic: '/tasks/delete', state: undefined },
};

interface Pending {
  readonly kind: SampleKind;
  readonly container: string;
  ctrReturnedAt?: number;
  event?: { at: number; arrivedAt: number; batchAt: number };
  resolve(sample: EventSample): void;
}

/** Wall-clock ms with sub-ms precision (Date.now() granularity would blur the medians). */
const now = (): number => performance.timeOrigin + performance.now();

/** Notes when each envelope arrives, before the feed decodes and queues it. */
class TapClient implements EventStreamClient {
  readonly arrivals: number[] = [];

  constructor(private readonly inner: ContainerdClient) {}

  get address(): string { return this.inner.address; }

  version(): ReturnType<ContainerdClient['version']> { return this.inner.version(); }

  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    return this.inner.unary(method, request, namespace);
  }

  openStream<Req extends object, Res>(method: Method<Req, Res>, request: Req, onItem: (item: Res) => void, onEnd: (error: ContainerdError | undefined) => void, namespace?: string): () => void {
    return this.inner.openStream(method, request, (item) => {
      this.arrivals.push(now());
      onItem(item);
    }, onEnd, namespace);
  }
}

/**
 * How the rows are refreshed. As built: the feed's 10 ms window after a leading-edge delivery, and a full reload
 * (ListStream + Tasks.List) per batch. The what-if: no coalescing delay, and a batch that only
 * touched tasks re-reads Tasks.List alone and joins it with the container records of the last
 * full load (a /containers/* event still reloads everything).
 */
export interface RefreshVariant { readonly coalesceMs: number; readonly tasksOnly: boolean }
/** As the extension does it now: the feed's 10 ms window, task events re-read only Tasks.List. */
export const asBuilt: RefreshVariant = { coalesceMs: 10, tasksOnly: true };

export async function measureEventLatency(opts: { daemon: ContainerdDaemon; methods: MethodTable; namespace: string; containers: readonly string[]; iterations: number; variant: RefreshVariant }): Promise<{ samples: EventSample[]; lostDeletes: number }> {
  const { daemon, methods, namespace, variant } = opts;
  const client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 60_000 });
  const tap = new TapClient(client);
  const pending: Pending[] = [];
  const samples: EventSample[] = [];
  let generation = 0;
  let lastFull: readonly ContainerSummary[] | undefined;

  const load = async (full: boolean): Promise<ContainerSummary[]> => {
    if (full || !lastFull) return (lastFull = await listContainers(client, namespace));
    const tasks = await listTasks(client, namespace);
    return lastFull.map(({ task: _, ...record }) => {
      const task = tasks.get(record.id);
      return task ? { ...record, task } : record;
    });
  };

  // ContainersTree.load + ScopedTree.refresh: only the newest load reaches the screen.
  const reload = (full: boolean): void => {
    const mine = ++generation;
    const startedAt = now();
    void load(full).then((containers) => {
      const { standalone } = groupByPod([...containers].sort(compareContainers('name')));
      if (mine !== generation) return;
      const renderedAt = now();
      const states = new Map(standalone.map((c) => [c.id, c.task?.state]));
      for (const p of [...pending]) {
        if (!p.event || p.event.batchAt > startedAt || states.get(p.container) !== expected[p.kind].state) continue;
        pending.splice(pending.indexOf(p), 1);
        p.resolve({
          kind: p.kind, container: p.container,
          fromEventMs: renderedAt - p.event.at,
          fromCtrMs: renderedAt - (p.ctrReturnedAt ?? renderedAt),
          deliveryMs: p.event.arrivedAt - p.event.at,
          coalesceMs: p.event.batchAt - p.event.arrivedAt,
          reloadMs: renderedAt - p.event.batchAt,
        });
      }
    }, () => undefined);
  };

  let connected = false;
  const feed = new EventFeed({
    client: () => tap,
    methods,
    coalesceMs: variant.coalesceMs,
    onState: (state) => { connected = state.kind === 'connected'; },
    onBatch: (batch: readonly ContainerdEvent[]) => {
      const batchAt = now();
      const arrivals = tap.arrivals.splice(0, batch.length);
      batch.forEach((event, i) => {
        const id = event.payload?.container_id;
        const p = pending.find((q) => q.container === id && expected[q.kind].topic === event.topic && !q.event);
        if (p && event.timestamp) p.event = { at: event.timestamp.getTime(), arrivedAt: arrivals[i] ?? batchAt, batchAt };
      });
      const summary = summarize(batch);
      if (summary.containers.has(namespace)) reload(true);
      else if (summary.tasks.has(namespace)) reload(!variant.tasksOnly);
    },
    onResync: () => reload(true),
  });
  const ctr = (args: readonly string[]): Promise<string> => daemon.ctr(['--namespace', namespace, 'tasks', ...args]);
  let lostDeletes = 0;
  /**
   * Runs one ctr step and waits until the rows show its effect. containerd 2.1 now and then never
   * sends /tasks/delete (`ctr events` misses the same ones; the task is gone all the same): a
   * delete whose event does not come within 3 s is counted as lost, not waited for.
   */
  const step = async (kind: SampleKind, container: string, args: readonly string[]): Promise<void> => {
    let entry: Pending | undefined;
    const shown = new Promise<EventSample | undefined>((resolve) => {
      entry = { kind, container, resolve };
      pending.push(entry);
    });
    await ctr(args);
    if (entry) entry.ctrReturnedAt = now();
    const timeout = new Promise<undefined>((done, reject) => setTimeout(() => {
      if (kind !== 'delete' || entry?.event) reject(new Error(`the rows never showed ${container} after ${kind}`));
      else done(undefined);
    }, kind === 'delete' ? 3_000 : 15_000).unref());
    const sample = await Promise.race([shown, timeout]);
    if (sample) samples.push(sample);
    else {
      lostDeletes++;
      if (entry) pending.splice(pending.indexOf(entry), 1);
    }
  };

  try {
    feed.start();
    await waitFor('the event feed to connect', () => connected, 30_000, 20);
    for (let i = 0; i < opts.iterations; i++) {
      const container = opts.containers[i % opts.containers.length] ?? '';
      await step('start', container, ['start', '--detach', '--null-io', container]);
      await step('exit', container, ['kill', '--signal', 'SIGKILL', container]);
      await step('delete', container, ['delete', container]);
    }
    return { samples, lostDeletes };
  } finally {
    feed.dispose();
    client.close();
  }
}
