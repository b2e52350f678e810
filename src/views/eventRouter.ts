// The event router as VS Code events: the feeds (containerd/events/feedRouter.ts) follow the
// endpoints read, stop when a connection setting changes, and their change notices and
// connection states reach the views as events.
import * as vscode from 'vscode';
import type { FeedState } from '../containerd/events/eventFeed';
import { FeedRouter, type Area, type AreaChange } from '../containerd/events/feedRouter';
import type { Ctx } from '../ctx';
import type { EndpointStatuses } from './endpointStatuses';

export type { Area, AreaChange } from '../containerd/events/feedRouter';

type Core = Pick<Ctx, 'connections' | 'methods' | 'log' | 'onDidChangeConfig'>;

export class EventRouter implements vscode.Disposable {
  private readonly router: FeedRouter;
  private readonly changed = new vscode.EventEmitter<AreaChange>();
  private readonly connection = new vscode.EventEmitter<{ address: string; state: FeedState }>();
  private readonly subscriptions: vscode.Disposable[];
  /** An area of one endpoint changed; views reload if it touches their scope. */
  readonly onDidChange = this.changed.event;
  readonly onDidChangeConnection = this.connection.event;

  constructor(core: Core, endpoints: EndpointStatuses) {
    this.router = new FeedRouter({
      client: (address) => core.connections().get(address),
      resetChannel: (address) => core.connections().reset(address),
      methods: core.methods,
      lastReached: (address) => endpoints.latest?.find((s) => s.endpoint.address === address)?.reachable,
      // The first read, still on its way, will see the daemon this stream just reached.
      refreshEndpoints: () => {
        if (!endpoints.firstReadPending) void endpoints.refresh();
      },
      knownNamespaces: (address) => {
        const status = endpoints.latest?.find((s) => s.endpoint.address === address);
        return status?.reachable ? new Set(status.namespaces.map((n) => n.name)) : undefined;
      },
      onChange: (change) => this.changed.fire(change),
      onConnection: (address, state) => this.connection.fire({ address, state }),
      log: (level, message) => (level === 'warn' ? core.log.warn(message) : core.log.info(message)),
    });
    this.subscriptions = [
      endpoints.onDidLoad((statuses) => this.router.reconcile(statuses.map((s) => s.endpoint.address))),
      // New channels: the feeds must stream over them. Display settings leave the feeds alone.
      core.onDidChangeConfig((change) => {
        if (change.connection) this.router.disposeAll();
      }),
    ];
  }

  /** The event stream's state for an endpoint; undefined when it has none (yet). */
  state(address: string): FeedState | undefined {
    return this.router.state(address);
  }

  /**
   * Follows one endpoint's events before the endpoints are read: the views of a remembered scope
   * load on its first connect, without waiting for every endpoint's version and namespaces.
   */
  followEarly(address: string): void {
    this.router.follow(address);
  }

  /** Tells every view of an endpoint to re-read (the Refresh button): the feeds stay up. */
  resync(address: string): void {
    this.router.resync(address);
  }

  /** A command of ours changed an area of a namespace: its views re-read it now. */
  changedByUs(address: string, area: Area, namespace: string): void {
    this.router.changedByUs(address, area, namespace);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.router.disposeAll();
    this.changed.dispose();
    this.connection.dispose();
  }
}
