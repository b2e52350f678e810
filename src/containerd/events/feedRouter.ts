// One event feed per endpoint (reachable or not: an absent daemon is picked up when it appears),
// each batch turned into per-area change notices; a (re)connect is a resync of every area. Pure:
// the VS Code layer (views/eventRouter.ts) only turns the callbacks into events.
import { systemTimers, type Timers } from '../connection/backoff';
import { EventFeed, type EventFeedOptions, type EventStreamClient, type FeedState } from './eventFeed';
import { summarize } from './events';
import { ExitRechecks } from './exitRecheck';
import type { MethodTable } from '../proto/codec';

/** `tasks` changes leave the container records as they were (the Containers view re-reads only tasks). */
export type Area = 'images' | 'containers' | 'tasks' | 'snapshots';
export const areas: readonly Area[] = ['images', 'containers', 'tasks', 'snapshots'];

export interface AreaChange {
  readonly address: string;
  readonly area: Area;
  /** The namespaces that changed, or 'all' after a resync. */
  readonly namespaces: ReadonlySet<string> | 'all';
  /** Only on 'images' changes: the digests a /content/delete removed, per namespace. */
  readonly contentDeleted?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface FeedRouterDeps {
  readonly client: (address: string) => EventStreamClient;
  readonly resetChannel: (address: string) => void;
  readonly methods: MethodTable;
  /** Whether the last endpoints read reached this daemon (undefined: not in it). */
  readonly lastReached: (address: string) => boolean | undefined;
  /** Reads the endpoints (versions, namespaces) again. */
  readonly refreshEndpoints: () => void;
  /** The namespaces the last endpoints read listed for this daemon (undefined: none read yet). */
  readonly knownNamespaces?: (address: string) => ReadonlySet<string> | undefined;
  readonly onChange: (change: AreaChange) => void;
  readonly onConnection: (address: string, state: FeedState) => void;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  readonly timers?: Timers;
  /** Feed tuning (tests drive time and clients by hand). */
  readonly feed?: Partial<Pick<EventFeedOptions, 'coalesceMs' | 'backoff' | 'probeIntervalMs' | 'healthyAfterMs' | 'timers'>>;
}

export class FeedRouter {
  private readonly feeds = new Map<string, EventFeed>();
  private readonly rechecks: ExitRechecks;

  constructor(private readonly deps: FeedRouterDeps) {
    // A feed that stops forgets its endpoint's rechecks (reconcile, disposeAll).
    this.rechecks = new ExitRechecks(deps.timers ?? systemTimers, (address, namespace) => deps.onChange({ address, area: 'tasks', namespaces: new Set([namespace]) }));
  }

  state(address: string): FeedState | undefined {
    return this.feeds.get(address)?.state;
  }

  /** Keeps exactly one feed per address given: new ones start, gone ones stop. */
  reconcile(addresses: Iterable<string>): void {
    const wanted = new Set(addresses);
    for (const [address, feed] of this.feeds) {
      if (wanted.has(address)) continue;
      feed.dispose();
      this.feeds.delete(address);
      this.rechecks.forget(address);
    }
    for (const address of wanted) if (!this.feeds.has(address)) this.start(address);
  }

  /** Starts the feed of one endpoint now (the remembered scope's, before the endpoints are read). */
  follow(address: string): void {
    if (!this.feeds.has(address)) this.start(address);
  }

  /** Every area of an endpoint changed (a connect, the Refresh button). */
  resync(address: string): void {
    for (const area of areas) this.deps.onChange({ address, area, namespaces: 'all' });
  }

  /**
   * The extension itself changed an area (a command's delete succeeded): the views re-read it
   * without waiting for the event, which containerd 2.1 sometimes never sends (/tasks/delete).
   */
  changedByUs(address: string, area: Area, namespace: string): void {
    this.deps.onChange({ address, area, namespaces: new Set([namespace]) });
  }

  disposeAll(): void {
    for (const feed of this.feeds.values()) feed.dispose();
    this.feeds.clear();
    this.rechecks.forget();
  }

  private start(address: string): void {
    const { deps } = this;
    let connects = 0;
    const feed = new EventFeed({
      ...deps.feed,
      client: () => deps.client(address),
      resetChannel: () => deps.resetChannel(address),
      methods: deps.methods,
      onBatch: (batch) => {
        const summary = summarize(batch);
        // containerd creates a namespace on first use (nerdctl --namespace x run, an import)
        // without a /namespaces/create event: an event from an unlisted one says it exists.
        const known = deps.knownNamespaces?.(address);
        if (summary.namespaceList || (known !== undefined && [...summary.namespaces].some((n) => !known.has(n)))) deps.refreshEndpoints();
        for (const area of areas) {
          if (summary[area].size === 0) continue;
          const deleted = area === 'images' && summary.contentDeleted.size > 0 ? { contentDeleted: summary.contentDeleted } : {};
          deps.onChange({ address, area, namespaces: summary[area], ...deleted });
        }
        for (const namespace of summary.exits) this.rechecks.noteExit(address, namespace);
      },
      onState: (state) => {
        if (state.kind === 'disconnected') deps.log('warn', `event stream of ${address}: ${state.error.message}; retrying in ${state.retryInMs} ms`);
        deps.onConnection(address, state);
      },
      onResync: () => {
        connects++;
        deps.log('info', `event stream of ${address} connected: resyncing`);
        this.resync(address);
        // A daemon that was down when the endpoints were read is back: read them again. At the
        // first connect after a read that reached it, they were just read (one load per start).
        if (connects > 1 || deps.lastReached(address) !== true) deps.refreshEndpoints();
      },
    });
    this.feeds.set(address, feed);
    feed.start();
  }
}
