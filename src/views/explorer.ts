// Keeps the explorer live: one event feed per endpoint (reachable or not: an absent daemon is
// picked up when it appears), turned into per-area change notices the views filter by scope.
// A resync (every (re)connect) and a dropped connection reach every view.
import * as vscode from 'vscode';
import { EventFeed, type FeedState } from '../containerd/eventFeed';
import { summarize } from '../containerd/events';
import type { EndpointStatus } from '../containerd/endpointStatus';
import type { Ctx } from '../ctx';
import type { NamespacesTreeProvider } from './namespacesTree';

/** `tasks` changes leave the container records as they were (the Containers view re-reads only tasks). */
export type Area = 'images' | 'containers' | 'tasks' | 'snapshots';

export interface AreaChange {
  readonly address: string;
  readonly area: Area;
  /** The namespaces that changed, or 'all' after a resync. */
  readonly namespaces: ReadonlySet<string> | 'all';
}

export class Explorer implements vscode.Disposable {
  private readonly feeds = new Map<string, EventFeed>();
  private readonly changed = new vscode.EventEmitter<AreaChange>();
  private readonly connection = new vscode.EventEmitter<{ address: string; state: FeedState }>();
  /** An area of one endpoint changed; views reload if it touches their scope. */
  readonly onDidChange = this.changed.event;
  readonly onDidChangeConnection = this.connection.event;

  constructor(private readonly ctx: Ctx, private readonly namespaces: NamespacesTreeProvider) {
    ctx.own(namespaces.onDidLoad((statuses) => this.reconcile(statuses)));
    ctx.own(ctx.onDidChangeConfig(() => this.disposeFeeds()));
  }

  /** The event stream's state for an endpoint; undefined when it has none (yet). */
  state(address: string): FeedState | undefined {
    return this.feeds.get(address)?.state;
  }

  dispose(): void {
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
    const areas: Area[] = ['images', 'containers', 'tasks', 'snapshots'];
    const feed = new EventFeed({
      client: () => this.ctx.connections().get(address),
      resetChannel: () => this.ctx.connections().reset(address),
      methods: this.ctx.methods,
      onBatch: (batch) => {
        const summary = summarize(batch);
        if (summary.namespaceList) void this.namespaces.refresh();
        if (summary.images.size > 0) this.changed.fire({ address, area: 'images', namespaces: summary.images });
        if (summary.containers.size > 0) this.changed.fire({ address, area: 'containers', namespaces: summary.containers });
        if (summary.tasks.size > 0) this.changed.fire({ address, area: 'tasks', namespaces: summary.tasks });
        if (summary.snapshots.size > 0) this.changed.fire({ address, area: 'snapshots', namespaces: summary.snapshots });
      },
      onState: (state) => {
        if (state.kind === 'disconnected') this.ctx.log.warn(`event stream of ${address}: ${state.error.message}; retrying in ${state.retryInMs} ms`);
        this.connection.fire({ address, state });
      },
      onResync: () => {
        this.ctx.log.info(`event stream of ${address} connected: resyncing`);
        for (const area of areas) this.changed.fire({ address, area, namespaces: 'all' });
        // A daemon that was down when the namespaces were read is back: read them again.
        void this.namespaces.refresh();
      },
    });
    this.feeds.set(address, feed);
    feed.start();
  }

  private disposeFeeds(): void {
    for (const feed of this.feeds.values()) feed.dispose();
    this.feeds.clear();
  }
}
