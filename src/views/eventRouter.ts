// The event router: one event feed per endpoint (reachable or not: an absent daemon is picked up
// when it appears), turned into per-area change notices the views filter by scope. A resync
// (every (re)connect) and a dropped connection reach every view.
import * as vscode from 'vscode';
import type { Cancel } from '../containerd/connection/backoff';
import { systemTimers, type Timers } from '../containerd/connection/backoff';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { EventFeed, type FeedState } from '../containerd/events/eventFeed';
import { summarize } from '../containerd/events/events';
import type { Ctx } from '../ctx';
import type { EndpointStatuses } from './endpointStatuses';

/** `tasks` changes leave the container records as they were (the Containers view re-reads only tasks). */
export type Area = 'images' | 'containers' | 'tasks' | 'snapshots';

export interface AreaChange {
  readonly address: string;
  readonly area: Area;
  /** The namespaces that changed, or 'all' after a resync. */
  readonly namespaces: ReadonlySet<string> | 'all';
  /** Only on 'images' changes: the digests a /content/delete removed, per namespace. */
  readonly contentDeleted?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * containerd 2.1 sometimes never publishes /tasks/delete after /tasks/exit (about 1 in 20 here):
 * the tasks of a namespace with an exit are read once more this long after it.
 */
export const exitRecheckMs = 1500;

type Core = Pick<Ctx, 'connections' | 'methods' | 'log' | 'onDidChangeConfig'>;

export class EventRouter implements vscode.Disposable {
  private readonly feeds = new Map<string, EventFeed>();
  private readonly rechecks = new Map<string, Cancel>();
  private readonly changed = new vscode.EventEmitter<AreaChange>();
  private readonly connection = new vscode.EventEmitter<{ address: string; state: FeedState }>();
  private readonly subscriptions: vscode.Disposable[];
  /** An area of one endpoint changed; views reload if it touches their scope. */
  readonly onDidChange = this.changed.event;
  readonly onDidChangeConnection = this.connection.event;

  constructor(private readonly core: Core, private readonly endpoints: EndpointStatuses, private readonly timers: Timers = systemTimers) {
    this.subscriptions = [
      endpoints.onDidLoad((statuses) => this.reconcile(statuses)),
      // New channels: the feeds must stream over them. Display settings leave the feeds alone.
      core.onDidChangeConfig((change) => {
        if (change.connection) this.disposeFeeds();
      }),
    ];
  }

  /** The event stream's state for an endpoint; undefined when it has none (yet). */
  state(address: string): FeedState | undefined {
    return this.feeds.get(address)?.state;
  }

  /** Tells every view of an endpoint to re-read (the Refresh button): the feeds stay up. */
  resync(address: string): void {
    for (const area of areas) this.changed.fire({ address, area, namespaces: 'all' });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.disposeFeeds();
    this.changed.dispose();
    this.connection.dispose();
  }

  private reconcile(statuses: readonly EndpointStatus[]): void {
    const wanted = new Set(statuses.map((s) => s.endpoint.address));
    for (const [address, feed] of this.feeds) {
      if (!wanted.has(address)) {
        feed.dispose();
        this.feeds.delete(address);
      }
    }
    for (const address of wanted) if (!this.feeds.has(address)) this.startFeed(address);
  }

  private startFeed(address: string): void {
    let connects = 0;
    const feed = new EventFeed({
      client: () => this.core.connections().get(address),
      resetChannel: () => this.core.connections().reset(address),
      methods: this.core.methods,
      onBatch: (batch) => {
        const summary = summarize(batch);
        if (summary.namespaceList) void this.endpoints.refresh();
        for (const area of areas) {
          if (summary[area].size === 0) continue;
          const deleted = area === 'images' && summary.contentDeleted.size > 0 ? { contentDeleted: summary.contentDeleted } : {};
          this.changed.fire({ address, area, namespaces: summary[area], ...deleted });
        }
        for (const namespace of summary.exits) this.recheckTasks(address, namespace);
      },
      onState: (state) => {
        if (state.kind === 'disconnected') this.core.log.warn(`event stream of ${address}: ${state.error.message}; retrying in ${state.retryInMs} ms`);
        this.connection.fire({ address, state });
      },
      onResync: () => {
        connects++;
        this.core.log.info(`event stream of ${address} connected: resyncing`);
        this.resync(address);
        // A daemon that was down when the namespaces were read is back: read them again. At the
        // first connect after a load that reached it, they were just read.
        const known = this.endpoints.latest?.find((s) => s.endpoint.address === address);
        if (connects > 1 || !known?.reachable) void this.endpoints.refresh();
      },
    });
    this.feeds.set(address, feed);
    feed.start();
  }

  private recheckTasks(address: string, namespace: string): void {
    const key = `${address}\u0000${namespace}`;
    this.rechecks.get(key)?.();
    this.rechecks.set(key, this.timers.schedule(() => {
      this.rechecks.delete(key);
      if (this.feeds.has(address)) this.changed.fire({ address, area: 'tasks', namespaces: new Set([namespace]) });
    }, exitRecheckMs));
  }

  private disposeFeeds(): void {
    for (const feed of this.feeds.values()) feed.dispose();
    this.feeds.clear();
    for (const cancel of this.rechecks.values()) cancel();
    this.rechecks.clear();
  }
}

const areas: readonly Area[] = ['images', 'containers', 'tasks', 'snapshots'];
