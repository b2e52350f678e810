// Runs inside the real extension host (code-server) as `extensionTestsPath`: activates the
// extension, times the first rows and warm refreshes of the Images, Containers and Snapshots
// trees through the ExtensionApi, reads the host's heap, then counts the repaints of bursts of
// events, and prints one `BENCH_HOST {json}` line the runner parses. The views are shown right
// after activation, as when a user opens the explorer (a hidden view only marks itself stale on
// the event stream's first connect, and loads when shown); "items" walks getChildren/getTreeItem
// through every expanded node as a shown view does.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { ContainerNode } from '../../../src/views/containersTree';
import type { ImageNode } from '../../../src/views/imagesTree';
import type { SnapshotsNode } from '../../../src/views/snapshotsTree';
import type { SnapshotNode } from '../../../src/containerd/snapshots/snapshotTree';
import { waitFor } from '../../harness/waitFor';
import { processCpuMs } from '../profile';
import { measureBursts, showViews } from './burst';
import { startCpuProfile } from './cpuProfile';
import type { HostFacts, HostFigures, HostView, Heap, TimedCall } from './facts';
import { quiet } from './quiet';

const extensionId = 'vscode-containerd.vscode-containerd';

interface Tree<N> {
  readonly onDidChangeTreeData: vscode.Event<unknown>;
  refresh(): Promise<N[]>;
  getChildren(node?: N): Promise<N[]>;
  getTreeItem(node: N): vscode.TreeItem;
}

function snapshotCount(nodes: readonly SnapshotNode[]): number {
  return nodes.reduce((sum, node) => sum + 1 + snapshotCount(node.children), 0);
}

/** The images, containers or snapshots the roots hold (what the seeded counts are compared with). */
const counters = {
  images: (roots: readonly ImageNode[]): number => roots.reduce((sum, n) => sum + (n.kind === 'repository' ? n.images.length : n.kind === 'image' ? 1 : counters.images(n.children)), 0),
  containers: (roots: readonly ContainerNode[]): number => roots.reduce((sum, n) => sum + (n.kind === 'container' ? 1 : n.kind === 'pod' ? n.group.sandboxes.length + n.group.containers.length : counters.containers(n.children)), 0),
  snapshots: (roots: readonly SnapshotsNode[]): number => roots.reduce((sum, n) => sum + (n.kind === 'snapshotter' ? snapshotCount(n.roots) : n.kind === 'snapshot' ? 1 : counters.snapshots(n.children)), 0),
};

/** Image rows whose platforms and sizes are shown (resolved). */
function resolvedImages(roots: readonly ImageNode[]): number {
  return roots.reduce((sum, n) => sum + (n.kind === 'repository' ? n.images.filter((i) => i.resolved).length : n.kind === 'image' ? (n.image.resolved ? 1 : 0) : resolvedImages(n.children)), 0);
}

/** getTreeItem for every node a shown view renders: the roots and the children of expanded nodes. */
async function walkItems<N>(tree: Tree<N>, nodes: readonly N[]): Promise<number> {
  let items = 0;
  for (const node of nodes) {
    items++;
    if (tree.getTreeItem(node).collapsibleState === vscode.TreeItemCollapsibleState.Expanded) items += await walkItems(tree, await tree.getChildren(node));
  }
  return items;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A full GC first (the flag is set at runtime), so heap figures are live objects, not garbage. */
function heap(): Heap {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const { heapUsed, heapTotal, rss } = process.memoryUsage();
  return { heapUsedMB: heapUsed / 2 ** 20, heapTotalMB: heapTotal / 2 ** 20, rssMB: rss / 2 ** 20 };
}

/** The workbench is still starting its built-in extensions when the suite runs: let it settle. */
const settleMs = 3_000;

async function measure(facts: HostFacts): Promise<HostFigures> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const heapBefore = heap();
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not loaded in this extension host`);
  const wasActive = extension.isActive;
  const hostCpu = process.cpuUsage();
  const daemonCpu = processCpuMs(facts.daemonPid);
  const stopProfile = facts.profileFile ? await startCpuProfile(facts.profileFile) : undefined;
  const started = performance.now();
  const api = await extension.activate();
  const activationMs = performance.now() - started;
  const since = (): number => performance.now() - started;
  const milestones = { viewsShownMs: Number.NaN, scopeMs: Number.NaN, connectedMs: Number.NaN };
  const shown = showViews(facts).then(() => { milestones.viewsShownMs = since(); });

  const scope = await waitFor('the explorer to pick a scope', () => api.scope.get(), 30_000, 5);
  milestones.scopeMs = since();
  if (scope.namespace !== facts.namespace) await api.scope.choose({ address: scope.address, namespace: facts.namespace });
  const connected = waitFor('the event stream to connect', () => api.events.state(scope.address)?.kind === 'connected', 60_000, 5)
    .then(() => { milestones.connectedMs = since(); });
  const trees: { readonly [V in HostView]: Tree<unknown> } = { images: api.images, containers: api.containers, snapshots: api.snapshots };
  const count = (view: HostView, roots: readonly unknown[]): number => (counters[view] as (r: readonly unknown[]) => number)(roots);

  // First rows: from activate() until the tree's current roots hold every seeded item.
  const firstRowsMs = {} as Record<HostView, number>;
  let imagesResolvedMs = Number.NaN;
  let callsUntilRows: Record<string, number> = {};
  let timeline: TimedCall[] = [];
  const rowsShown = new Set<HostView>();
  await Promise.all([
    ...facts.views.map(async (view) => {
      await waitFor(`the ${view} tree to hold ${facts.expected[view]} items`, async () => count(view, await trees[view].getChildren()) >= facts.expected[view], 120_000, 5);
      firstRowsMs[view] = performance.now() - started;
      rowsShown.add(view);
      if (rowsShown.size === facts.views.length) {
        callsUntilRows = api.requests.snapshot();
        timeline = api.requests.timeline().filter((c) => c.sentMs >= started).map((c) => ({
          path: c.path, namespace: c.namespace, sentMs: c.sentMs - started, ...(c.answeredMs === undefined ? {} : { answeredMs: c.answeredMs - started }),
        }));
      }
    }),
    waitFor('every image row to show its platforms', async () => resolvedImages(await api.images.getChildren()) >= facts.expected.images, 120_000, 5)
      .then(() => { imagesResolvedMs = performance.now() - started; }),
    shown,
    connected,
  ]);
  await stopProfile?.();
  // The roots are complete, but the loads the activation started (its event stream's resync
  // reloads them all) may still run: the warm figures must not share the CPU with them.
  const quietMs = (await quiet(facts.daemonPid)) - started;
  const callsUntilQuiet = api.requests.snapshot();
  const used = process.cpuUsage(hostCpu);
  const firstLoadCpu = { hostMs: (used.user + used.system) / 1000, daemonMs: processCpuMs(facts.daemonPid) - daemonCpu };
  const heapAfterFirst = heap();

  const refresh: Partial<Record<HostView, HostFigures['refresh'][HostView]>> = {};
  for (const view of facts.views) {
    const tree = trees[view];
    const refreshRuns: number[] = [];
    const itemsRuns: number[] = [];
    let items = 0;
    let rows = 0;
    for (let i = 0; i < facts.runs; i++) {
      const t0 = performance.now();
      const roots = await tree.refresh();
      const t1 = performance.now();
      items = await walkItems(tree, roots);
      itemsRuns.push(performance.now() - t0);
      refreshRuns.push(t1 - t0);
      rows = count(view, roots);
    }
    refresh[view] = { refreshMs: median(refreshRuns), itemsMs: median(itemsRuns), refreshRuns, itemsRuns, rows, items };
  }
  const afterRefreshes = heap();
  const bursts = facts.burstEvents > 0 ? await measureBursts(facts, trees) : [];
  return {
    wasActive, activationMs, milestones, firstRowsMs, imagesResolvedMs, quietMs, calls: { untilRows: callsUntilRows, untilQuiet: callsUntilQuiet, timeline }, firstLoadCpu, refresh: refresh as HostFigures['refresh'],
    heap: { before: heapBefore, afterFirstLoad: heapAfterFirst, afterRefreshes }, bursts, pid: process.pid,
  };
}

export async function run(): Promise<void> {
  try {
    const file = process.env.VSCODE_CONTAINERD_BENCH;
    if (!file) throw new Error('VSCODE_CONTAINERD_BENCH is not set: the bench runner passes the daemon facts through it');
    const figures = await measure(JSON.parse(readFileSync(file, 'utf8')) as HostFacts);
    console.log(`BENCH_HOST ${JSON.stringify(figures)}`);
  } catch (error) {
    console.log(`BENCH_HOST_ERROR ${JSON.stringify(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    throw error;
  }
}
