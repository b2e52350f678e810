// Times each view's load path against its ctr equivalent: COLD (a fresh client, so a fresh
// gRPC channel, and fresh caches every run), WARM (one client and caches, primed by a first load),
// and ctr spawned on the same daemon; medians of `runs`. Each figure twice: until the rows show,
// and until the work that follows them has settled (image platforms and sizes, snapshot users).
// For images also a NEW SESSION: fresh client and memory caches over documents persisted on disk
// by an earlier one. A profile run per view counts the gRPC calls by method and splits the wall
// time into our CPU and the daemon's CPU.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContainerdClient } from '../../src/containerd/connection/client';
import type { MethodTable } from '../../src/containerd/proto/codec';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { CountingApi, profileLoad, type LoadProfile } from './profile';
import { median } from './stats';
import { ctrEquivalents, newViewCaches, viewLoads, viewNames, type ViewCaches, type ViewName } from './viewLoads';

export interface ViewFigures {
  readonly rows: number;
  /** Until the rows show. */
  readonly coldMs: number;
  readonly warmMs: number;
  /** Until what follows the rows has settled. */
  readonly coldSettledMs: number;
  readonly warmSettledMs: number;
  /** Images only: settled in a new session over persisted documents. */
  readonly newSessionSettledMs?: number;
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

interface Timed { readonly rowsMs: number; readonly settledMs: number; readonly rows: number }

/** Runs `runs` loads, each on what `session()` gives; medians of both figures. */
async function timedLoads(view: ViewName, opts: MeasureOptions, runs: number, session: () => { client: ContainerdClient; caches: ViewCaches; done: () => void }): Promise<{ rows: number; rowsRuns: number[]; settledRuns: number[] }> {
  const rowsRuns: number[] = [];
  const settledRuns: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const { client, caches, done } = session();
    try {
      const run = await timedLoad(() => viewLoads[view](client, opts.namespace, caches));
      rowsRuns.push(run.rowsMs);
      settledRuns.push(run.settledMs);
      rows = run.rows;
    } finally {
      done();
    }
  }
  return { rows, rowsRuns, settledRuns };
}

export async function timedLoad(load: () => ReturnType<(typeof viewLoads)[ViewName]>): Promise<Timed> {
  const started = performance.now();
  const result = await load();
  const rowsMs = performance.now() - started;
  await result.settled;
  return { rowsMs, settledMs: performance.now() - started, rows: result.rows };
}

async function measureView(view: ViewName, opts: MeasureOptions): Promise<ViewFigures> {
  const { daemon, methods, namespace, runs } = opts;
  const newClient = (): ContainerdClient => new ContainerdClient(daemon.socket, { methods, timeoutMs: 120_000 });

  const cold = await timedLoads(view, opts, runs, () => {
    const client = newClient();
    return { client, caches: newViewCaches(), done: () => client.close() };
  });

  const client = newClient();
  const caches = newViewCaches();
  let warm: Awaited<ReturnType<typeof timedLoads>>;
  try {
    await (await viewLoads[view](client, namespace, caches)).settled;
    warm = await timedLoads(view, opts, runs, () => ({ client, caches, done: () => undefined }));
  } finally {
    client.close();
  }

  let newSessionSettledMs: number | undefined;
  if (view === 'images') {
    // One session persists the documents; each run after is a new window over that folder.
    const folder = mkdtempSync(join(tmpdir(), 'vscc-bench-store-'));
    try {
      const first = newClient();
      await (await viewLoads.images(first, namespace, newViewCaches(folder))).settled.finally(() => first.close());
      newSessionSettledMs = median((await timedLoads(view, opts, runs, () => {
        const fresh = newClient();
        return { client: fresh, caches: newViewCaches(folder), done: () => fresh.close() };
      })).settledRuns);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  const ctrRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await daemon.ctr(['--namespace', namespace, ...ctrEquivalents[view]]);
    ctrRuns.push(performance.now() - started);
  }

  // Profiles: one cold load (fresh channel and caches), then one warm load on the same ones.
  const profiled = newClient();
  try {
    const profileCaches = newViewCaches();
    const coldCounter = new CountingApi(profiled);
    const coldProfile = await profileLoad(daemon.pid, coldCounter, async () => (await viewLoads[view](coldCounter, namespace, profileCaches)).settled);
    const warmCounter = new CountingApi(profiled);
    const warmProfile = await profileLoad(daemon.pid, warmCounter, async () => (await viewLoads[view](warmCounter, namespace, profileCaches)).settled);
    return {
      rows: cold.rows,
      coldMs: median(cold.rowsRuns), warmMs: median(warm.rowsRuns),
      coldSettledMs: median(cold.settledRuns), warmSettledMs: median(warm.settledRuns),
      ...(newSessionSettledMs !== undefined ? { newSessionSettledMs } : {}),
      ctrMs: median(ctrRuns), coldRuns: cold.rowsRuns, warmRuns: warm.rowsRuns, ctrRuns,
      profile: { cold: coldProfile, warm: warmProfile },
    };
  } finally {
    profiled.close();
  }
}

export async function measureViews(opts: MeasureOptions, log: (line: string) => void): Promise<Record<ViewName, ViewFigures>> {
  const figures: Partial<Record<ViewName, ViewFigures>> = {};
  for (const view of viewNames) {
    const f = await measureView(view, opts);
    log(`  ${view}: ${f.rows} rows; cold ${f.coldMs.toFixed(1)} ms (settled ${f.coldSettledMs.toFixed(1)}), warm ${f.warmMs.toFixed(1)} ms (settled ${f.warmSettledMs.toFixed(1)}), ctr ${f.ctrMs.toFixed(1)} ms`);
    figures[view] = f;
  }
  return figures as Record<ViewName, ViewFigures>;
}
