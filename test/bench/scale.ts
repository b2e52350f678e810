// The views at scale: a namespace of 10,000 images and 10,000 containers on the same daemon.
// Containers: cold (fresh caches) and warm (records kept until a /containers/* event, so a load is
// one Tasks.List joined with them), medians of `runs`. Images: rows from Images.List (median),
// then every image resolved once cold, once warm, once in a new session over persisted documents.
// Snapshots: rows once, cold. ctr on the same namespace for comparison.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContainerdClient } from '../../src/containerd/connection/client';
import type { MethodTable } from '../../src/containerd/proto/codec';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { timedLoad } from './measure';
import { median } from './stats';
import { newViewCaches, viewLoads, type ViewCaches } from './viewLoads';

export interface ScaleFigures {
  readonly namespace: string;
  readonly containers: { readonly rows: number; readonly coldMs: number; readonly warmMs: number; readonly warmRuns: readonly number[]; readonly ctrMs: number };
  readonly images: {
    readonly rows: number; readonly firstRowsMs: number;
    readonly coldResolvedMs: number; readonly warmResolvedMs: number; readonly newSessionResolvedMs: number;
    /** JSON the memory cache holds after resolving them all, and what the disk store kept. */
    readonly documentMB: number; readonly storedMB: number;
    readonly ctrMs: number;
  };
  readonly snapshots: { readonly rows: number; readonly coldMs: number; readonly ctrMs: number };
}

export async function measureScale(opts: { daemon: ContainerdDaemon; methods: MethodTable; namespace: string; runs: number }, log: (line: string) => void): Promise<ScaleFigures> {
  const { daemon, methods, namespace, runs } = opts;
  const newClient = (): ContainerdClient => new ContainerdClient(daemon.socket, { methods, timeoutMs: 300_000 });
  const ctrMs = async (args: readonly string[]): Promise<number> => {
    const started = performance.now();
    await daemon.ctr(['--namespace', namespace, ...args]);
    return performance.now() - started;
  };
  /** A load on a fresh client with the given caches. */
  const fresh = async (view: 'images' | 'containers' | 'snapshots', caches: ViewCaches): Promise<Awaited<ReturnType<typeof timedLoad>>> => {
    const client = newClient();
    try {
      return await timedLoad(() => viewLoads[view](client, namespace, caches));
    } finally {
      client.close();
    }
  };

  const coldContainers = [];
  for (let i = 0; i < runs; i++) coldContainers.push(await fresh('containers', newViewCaches()));
  const client = newClient();
  const kept = newViewCaches();
  const warmRuns: number[] = [];
  try {
    await viewLoads.containers(client, namespace, kept);
    for (let i = 0; i < runs; i++) warmRuns.push((await timedLoad(() => viewLoads.containers(client, namespace, kept))).rowsMs);
  } finally {
    client.close();
  }
  const containers = { rows: coldContainers[0]?.rows ?? 0, coldMs: median(coldContainers.map((r) => r.rowsMs)), warmMs: median(warmRuns), warmRuns, ctrMs: await ctrMs(['containers', 'ls']) };
  log(`  containers: ${containers.rows} rows; cold ${containers.coldMs.toFixed(1)} ms, warm ${containers.warmMs.toFixed(1)} ms, ctr ${containers.ctrMs.toFixed(1)} ms`);

  const folder = mkdtempSync(join(tmpdir(), 'vscc-bench-store-'));
  try {
    const firstRows: number[] = [];
    for (let i = 0; i < runs; i++) {
      const client = newClient();
      try {
        const started = performance.now();
        await viewLoads.images(client, namespace, newViewCaches());
        firstRows.push(performance.now() - started);
      } finally {
        client.close();
      }
    }
    // Cold with persistence on (as the extension runs), then warm on the same caches.
    const caches = newViewCaches(folder);
    const warmClient = newClient();
    let cold;
    let warm;
    try {
      cold = await timedLoad(() => viewLoads.images(warmClient, namespace, caches));
      warm = await timedLoad(() => viewLoads.images(warmClient, namespace, caches));
    } finally {
      warmClient.close();
    }
    const newSession = await fresh('images', newViewCaches(folder));
    const storedBytes = readdirSync(folder).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
    const images = {
      rows: cold.rows, firstRowsMs: median(firstRows),
      coldResolvedMs: cold.settledMs, warmResolvedMs: warm.settledMs, newSessionResolvedMs: newSession.settledMs,
      documentMB: caches.blobs.documentBytes / 2 ** 20, storedMB: storedBytes / 2 ** 20,
      ctrMs: await ctrMs(['images', 'ls']),
    };
    log(`  images: ${images.rows} rows in ${images.firstRowsMs.toFixed(1)} ms; resolved cold ${images.coldResolvedMs.toFixed(0)} ms, warm ${images.warmResolvedMs.toFixed(0)} ms, new session ${images.newSessionResolvedMs.toFixed(0)} ms; ctr ${images.ctrMs.toFixed(0)} ms`);
    // The Snapshots view shares the Images view's blob cache (its users come from resolved images).
    const snapshotsRun = await fresh('snapshots', { ...newViewCaches(), blobs: caches.blobs });
    const snapshots = { rows: snapshotsRun.rows, coldMs: snapshotsRun.rowsMs, ctrMs: await ctrMs(['snapshots', 'ls']) };
    log(`  snapshots: ${snapshots.rows} rows in ${snapshots.coldMs.toFixed(1)} ms (users settled at ${snapshotsRun.settledMs.toFixed(0)} ms); ctr ${snapshots.ctrMs.toFixed(0)} ms`);
    return { namespace, containers, images, snapshots };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
