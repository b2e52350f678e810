// What the Images, Containers and Snapshots views share: they show one area of the chosen scope,
// reload when the explorer reports a change there (or a resync), and say "disconnected" while
// the endpoint's event stream is down, keeping the last rows on screen.
import * as vscode from 'vscode';
import type { ContainerdClient } from '../containerd/connection/client';
import type { Ctx } from '../ctx';
import type { Area, AreaChange } from './eventRouter';
import type { Scope } from './scope';
import { ReloadGate } from '../model/reloadGate';

/** The longest the first rows hold background work back (a stream that never connects, no scope). */
const firstRowsHoldMs = 10_000;

export abstract class ScopedTree<N extends object> implements vscode.TreeDataProvider<N>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<N | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<N[]> = Promise.resolve([]);
  private generation = 0;
  private view: vscode.TreeView<N> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  private requestQueued = false;
  /** Held from creation until the first rows: background work waits for them. */
  private readonly releaseFirstRows: () => void;

  /** Event reloads: one running, one queued, none while hidden. */
  private readonly gate = new ReloadGate<N[]>(() => this.loadNow(), () => this.view?.visible ?? true);

  protected constructor(protected readonly ctx: Ctx, private readonly area: Area, private readonly alsoAreas: readonly Area[] = []) {
    this.releaseFirstRows = ctx.foreground.hold(firstRowsHoldMs);
    this.subscriptions.push(
      ctx.events.onDidChange((change) => {
        if (change.area !== this.area && !this.alsoAreas.includes(change.area)) return;
        // Kept reads of any endpoint go stale, shown or not.
        this.changing(change);
        const scope = ctx.scope.get();
        if (!scope || change.address !== scope.address) return;
        if (change.namespaces === 'all' || scope.namespace === undefined || change.namespaces.has(scope.namespace)) this.requestOnceThisTurn();
      }),
      ctx.events.onDidChangeConnection(({ address }) => {
        if (address === ctx.scope.get()?.address) this.describe();
      }),
      ctx.scope.onDidChange(() => this.refreshIfLive()),
    );
  }

  /**
   * Notices come several in one turn (a resync sends one per area, a batch one per area it
   * touched): one reload for them all, asked once every notice has dropped what it made stale.
   */
  private requestOnceThisTurn(): void {
    if (this.requestQueued) return;
    this.requestQueued = true;
    queueMicrotask(() => {
      this.requestQueued = false;
      this.gate.request();
    });
  }

  /**
   * A new scope loads at once when its endpoint's event stream is up; otherwise the stream's
   * first connect (a resync) loads it: at start-up that is one load instead of two.
   */
  private refreshIfLive(): void {
    const scope = this.ctx.scope.get();
    if (!scope || this.ctx.events.state(scope.address)?.kind === 'connected') void this.refresh();
    else this.describe();
  }

  /** What the view says above its rows (disconnected, a failed load); undefined when all is well. */
  get message(): string | undefined {
    return this.view?.message;
  }

  /** Creates the tree view this provider fills. */
  attach(viewId: string): vscode.TreeView<N> {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true, canSelectMany: true });
    const view = this.view;
    this.subscriptions.push(view, view.onDidChangeVisibility(({ visible }) => {
      if (visible && this.gate.takeStale()) void this.refresh();
    }));
    this.refreshIfLive();
    return this.view;
  }

  /** Reloads everything, nothing kept from earlier loads (the Refresh button, new settings). */
  refreshAll(): Promise<N[]> {
    const scope = this.ctx.scope.get();
    if (scope) this.changing({ address: scope.address, area: this.area, namespaces: 'all' });
    return this.refresh();
  }

  /** Reloads the root rows; the newest load wins. */
  refresh(): Promise<N[]> {
    return this.gate.run();
  }

  private loadNow(): Promise<N[]> {
    const generation = ++this.generation;
    const scoped = this.ctx.scope.get() !== undefined;
    const loading = this.ctx.foreground.track(this.loadForScope());
    this.roots = loading;
    void loading.then(() => {
      // The empty rows of no scope yet (at start-up, before the endpoints answer) are not the first rows.
      if (scoped) this.releaseFirstRows();
      if (generation === this.generation) {
        this.changed.fire(undefined);
        this.describe();
      }
    });
    return loading;
  }

  async getChildren(node?: N): Promise<N[]> {
    // Asked while stale: whoever asks (the view shown again, a test) gets current rows.
    if (!node && this.gate.takeStale()) return this.refresh();
    if (!node) return this.roots;
    return this.childrenOf(node);
  }

  abstract getTreeItem(node: N): vscode.TreeItem;

  /** Parents of the rows reveal() walked through (VS Code asks for them to expand the way down). */
  private readonly parents = new WeakMap<N, N>();

  getParent(node: N): N | undefined {
    return this.parents.get(node);
  }

  /**
   * Selects the first row `matches` (its parents expanded), without taking the focus; reloads
   * once when it is not there yet (an image just built). False when there is no such row.
   */
  async reveal(matches: (node: N) => boolean): Promise<boolean> {
    const view = this.view;
    if (!view) return false;
    const search = async (): Promise<N | undefined> => {
      const queue = [...await this.roots];
      for (let i = 0; i < queue.length; i++) {
        const node = queue[i];
        if (node === undefined || matches(node)) return node;
        for (const child of await this.childrenOf(node)) {
          this.parents.set(child, node);
          queue.push(child);
        }
      }
      return undefined;
    };
    let node = await search();
    if (node === undefined) {
      await this.refresh();
      node = await search();
    }
    if (node === undefined) return false;
    await view.reveal(node, { select: true, focus: false, expand: true });
    return true;
  }

  dispose(): void {
    this.releaseFirstRows();
    for (const d of this.subscriptions) d.dispose();
    this.gate.dispose();
    this.changed.dispose();
  }

  /** Loads the root rows of this area for a scope. */
  protected abstract load(client: ContainerdClient, scope: Scope, namespaces: readonly string[]): Promise<N[]>;
  protected abstract childrenOf(node: N): N[] | Promise<N[]>;

  /** Sees each change of its areas before the reload it causes (to drop what it made stale). */
  protected changing(_change: AreaChange): void {
    // Nothing cached by default.
  }

  /** Repaints every row from the current nodes (something they show was filled in later). */
  protected repaintAll(): void {
    this.changed.fire(undefined);
  }

  /** The root rows rebuilt from what the last load read, without a daemon call; undefined if nothing was read. */
  protected rebuild(): N[] | undefined {
    return undefined;
  }

  /** A display setting changed: the rows are rebuilt from what was read, nothing is re-read. */
  repaint(): void {
    const rows = this.rebuild();
    if (!rows) return;
    this.roots = Promise.resolve(rows);
    const scope = this.ctx.scope.get();
    if (scope) this.last = { scope: `${scope.address}#${scope.namespace ?? '*'}`, rows };
    this.changed.fire(undefined);
  }

  private lastError: string | undefined;
  /** What the last load could not show, in words (Docker's names, say), when nothing failed. */
  protected notice: string | undefined;
  private last: { scope: string; rows: N[] } | undefined;

  /** Never rejects: a failed load keeps the rows of the same scope on screen and says why. */
  private async loadForScope(): Promise<N[]> {
    const scope = this.ctx.scope.get();
    if (!scope) return [];
    const scopeKey = `${scope.address}#${scope.namespace ?? '*'}`;
    try {
      const client = this.ctx.connections().get(scope.address);
      const namespaces = scope.namespace !== undefined ? [scope.namespace] : (await client.listNamespaces()).map((n) => n.name).sort();
      const rows = await this.load(client, scope, namespaces);
      this.lastError = undefined;
      this.last = { scope: scopeKey, rows };
      this.setEmpty(rows.length === 0);
      return rows;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.ctx.log.warn(`${this.area}: ${this.lastError}`);
      const kept = this.last?.scope === scopeKey ? this.last.rows : [];
      this.setEmpty(false);
      return kept;
    }
  }

  /** An empty answer (not a failed one) shows the view's welcome content: what to do to fill it. */
  private setEmpty(empty: boolean): void {
    void vscode.commands.executeCommand('setContext', `containerd.${this.area}.empty`, empty);
  }

  /** The view's message says what is wrong (disconnected, a failed load) and its description what is shown. */
  private describe(): void {
    if (!this.view) return;
    const scope = this.ctx.scope.get();
    const state = scope ? this.ctx.events.state(scope.address) : undefined;
    this.view.description = scope ? (scope.namespace ?? 'all namespaces') : undefined;
    if (state?.kind === 'disconnected') {
      this.view.message = `Disconnected: ${state.error.message}. Reconnecting in ${Math.ceil(state.retryInMs / 1000)} s…`;
    } else if (this.lastError) {
      this.view.message = this.lastError;
    } else {
      this.view.message = this.notice;
    }
  }
}
