// What the bench runner and its extension-host suite exchange: the facts in (a JSON file named
// by VSCODE_CONTAINERD_BENCH), the figures out (the `BENCH_HOST` line). Types only.

export type HostView = 'images' | 'containers' | 'snapshots';

export interface HostFacts {
  readonly namespace: string;
  readonly views: readonly HostView[];
  /** Items each tree must hold once loaded: images, containers, snapshots (overlayfs). */
  readonly expected: Readonly<Record<HostView, number>>;
  readonly runs: number;
  /** containerd's pid: the suite reads its CPU time from /proc (same host). */
  readonly daemonPid: number;
  readonly socket: string;
  /** Which start of the same workspace and user data this is: the second finds what the first persisted. */
  readonly start: number;
  /** Image records created, then deleted, as fast as containerd takes them once the views show (0: none). */
  readonly burstEvents: number;
  /** Where to write a CPU profile of activate() -> all rows (none when unset). */
  readonly profileFile?: string;
}

/** One burst of events: how many repaints (onDidChangeTreeData) each view made until all was quiet. */
export interface BurstFigures {
  readonly topic: string;
  readonly events: number;
  /** The first call sent -> the last one answered. */
  readonly sendMs: number;
  /** The first call sent -> the host and containerd quiet again. */
  readonly settledMs: number;
  readonly repaints: Readonly<Record<HostView, number>>;
}

/** One call of the start, in ms since activate() (answered: undefined while it ran at all rows, or a stream). */
export interface TimedCall { readonly path: string; readonly namespace: string; readonly sentMs: number; readonly answeredMs?: number }

export interface Heap { readonly heapUsedMB: number; readonly heapTotalMB: number; readonly rssMB: number }

export interface HostFigures {
  /** The extension was already active before the suite called activate() (then activationMs means nothing). */
  readonly wasActive: boolean;
  readonly activationMs: number;
  /** activate() -> the views shown, the scope known, the event stream connected (whose first connect loads the views). */
  readonly milestones: { readonly viewsShownMs: number; readonly scopeMs: number; readonly connectedMs: number };
  /** activate() -> the tree's roots hold every seeded item (cold: includes scope discovery and the event stream's resync). */
  readonly firstRowsMs: Readonly<Record<HostView, number>>;
  /** activate() -> every image row shows its platforms and sizes. */
  readonly imagesResolvedMs: number;
  /** Calls per method path the extension made from activation until all rows, and until quiet. */
  readonly calls: { readonly untilRows: Readonly<Record<string, number>>; readonly untilQuiet: Readonly<Record<string, number>>; readonly timeline: readonly TimedCall[] };
  /** activate() -> every load it started has finished (host and containerd quiet). */
  readonly quietMs: number;
  /** CPU from activate() until quiet: the extension host's and containerd's. */
  readonly firstLoadCpu: { readonly hostMs: number; readonly daemonMs: number };
  /** Warm: medians of `runs` refresh() calls, and of refresh() + getTreeItem over the expanded nodes. */
  readonly refresh: Readonly<Record<HostView, {
    readonly refreshMs: number; readonly itemsMs: number; readonly refreshRuns: readonly number[]; readonly itemsRuns: readonly number[];
    readonly rows: number; readonly items: number;
  }>>;
  /** Extension host heap after a full GC. */
  readonly heap: { readonly before: Heap; readonly afterFirstLoad: Heap; readonly afterRefreshes: Heap };
  /** Bursts of image events with the views shown (creations, then deletions). */
  readonly bursts: readonly BurstFigures[];
  /** The extension host's pid: the runner ends it before a next start (it would keep reloading). */
  readonly pid: number;
}
