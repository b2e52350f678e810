// Times each view's load path against its ctr equivalent: COLD (a fresh client, so a fresh
// gRPC channel, and a fresh BlobCache every run), WARM (one client and one BlobCache, primed by a
// first load), and ctr spawned on the same daemon; medians of `runs`. A profile run per view
// counts the gRPC calls by method and splits the wall time into our CPU and the daemon's CPU.
import { performance } from 'node:perf_hooks';
import { ContainerdClient } from '../../src/containerd/connection/client';
import type { MethodTable } from '../../src/containerd/proto/codec';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { CountingApi, profileLoad, type LoadProfile } from './profile';
import { median } from './stats';
import { ctrEquivalents, newViewCaches, viewLoads, viewNames, type ViewName } from './viewLoads';

export interface ViewFigures {
  readonly rows: number;
  readonly coldMs: number;
  readonly warmMs: number;
  readonly ctrMs: number;
  readonly coldRuns: readonly number[];
  readonly warmRuns: readonly number[];
  readonly ctrRuns: readonly number[];
  readonly profile: { readonly cold: LoadProfile; readonly warm: LoadProfile };
}

export interface MeasureOptions {
  readonly daemon: ContainerdDaemon;
  readonly methods: MethodTable;
  readonly namespace: string;
  readonly runs: number;
}

async function measureView(view: ViewName, opts: MeasureOptions): Promise<ViewFigures> {
  const { daemon, methods, namespace, runs } = opts;
  const load = viewLoads[view];
  const newClient = (): ContainerdClient => new ContainerdClient(daemon.socket, { methods, timeoutMs: 120_000 });
  const timed = async (fn: () => Promise<number>): Promise<{ ms: number; rows: number }> => {
    const started = performance.now();
    const rows = await fn();
    return { ms: performance.now() - started, rows };
  };

  const coldRuns: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const client = newClient();
    try {
      const run = await timed(() => load(client, namespace, newViewCaches()));
      coldRuns.push(run.ms);
      rows = run.rows;
    } finally {
      client.close();
    }
  }

  const client = newClient();
  const cache = newViewCaches();
  const warmRuns: number[] = [];
  try {
    await load(client, namespace, cache);
    for (let i = 0; i < runs; i++) warmRuns.push((await timed(() => load(client, namespace, cache))).ms);
  } finally {
    client.close();
  }

  const ctrRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await daemon.ctr(['--namespace', namespace, ...ctrEquivalents[view]]);
    ctrRuns.push(performance.now() - started);
  }

  // Profiles: one cold load (fresh channel and cache), then one warm load on the same ones.
  const profiled = newClient();
  try {
    const profileCache = newViewCaches();
    const coldCounter = new CountingApi(profiled);
    const cold = await profileLoad(daemon.pid, coldCounter, () => load(coldCounter, namespace, profileCache));
    const warmCounter = new CountingApi(profiled);
    const warm = await profileLoad(daemon.pid, warmCounter, () => load(warmCounter, namespace, profileCache));
    return { rows, coldMs: median(coldRuns), warmMs: median(warmRuns), ctrMs: median(ctrRuns), coldRuns, warmRuns, ctrRuns, profile: { cold, warm } };
  } finally {
    profiled.close();
  }
}

export async function measureViews(opts: MeasureOptions, log: (line: string) => void): Promise<Record<ViewName, ViewFigures>> {
  const figures: Partial<Record<ViewName, ViewFigures>> = {};
  for (const view of viewNames) {
    const f = await measureView(view, opts);
    log(`  ${view}: ${f.rows} rows; cold ${f.coldMs.toFixed(1)} ms, warm ${f.warmMs.toFixed(1)} ms, ctr ${f.ctrMs.toFixed(1)} ms`);
    figures[view] = f;
  }
  return figures as Record<ViewName, ViewFigures>;
}
