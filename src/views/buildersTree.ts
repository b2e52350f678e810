// The Builders view: every buildkitd this window can find (where build tasks look: the setting,
// BUILDKIT_HOST, nerdctl's sockets for the explorer's namespace), each reachable with its workers
// and its build cache, or with the reason it is not. When none answers, the view is empty and its
// welcome content (package.json, keyed by `containerd.builders.*` context keys) says where it looked.
import * as vscode from 'vscode';
import { cacheTotals, workerFacts, type CacheRecord, type Read, type WorkerInfo } from '../buildkit/builderInfo';
import { readBuilder, type BuilderState } from '../buildkit/builderProbe';
import type { LocatedHost } from '../buildkit/buildkitHosts';
import type { Ctx } from '../ctx';
import { formatAge, formatBytes } from '../model/format';
import { codeSpan, escapeMarkdown } from '../model/markdown';
import { runProcess } from '../process/runner';
import { locateBuildkitHosts } from '../providers/buildkitHostSearch';

export type BuilderNode =
  | { readonly kind: 'builder'; readonly state: BuilderState; readonly source: LocatedHost['source'] }
  | { readonly kind: 'worker'; readonly address: string; readonly worker: WorkerInfo }
  | { readonly kind: 'fact'; readonly name: string; readonly value: string }
  | { readonly kind: 'cache'; readonly address: string; readonly cache: Read<CacheRecord[]> }
  | { readonly kind: 'record'; readonly address: string; readonly record: CacheRecord };

const sourceText: Readonly<Record<LocatedHost['source'], string>> = {
  task: 'named by a task',
  setting: 'from the containerd.buildkit.host setting',
  BUILDKIT_HOST: 'from BUILDKIT_HOST in the environment',
  namespace: 'where nerdctl looks for the namespace\'s own buildkitd',
  default: 'where nerdctl looks (buildkit-default)',
  shared: 'where nerdctl looks (buildkit)',
};

/** Which welcome text applies when no buildkitd answers: where the search looked. */
function searchKind(located: readonly LocatedHost[]): string {
  const first = located[0];
  if (first?.source === 'setting' || first?.source === 'BUILDKIT_HOST') return first.source;
  return (process.getuid?.() ?? 0) === 0 ? 'rootful' : 'rootless';
}

/** One address the search looked at, with why nothing answered there. */
function lookedText(address: string, state: BuilderState | undefined): string {
  if (!state) return `${address} (no socket)`;
  return state.reachable ? address : `${address} (${state.error})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function cacheDescription(cache: Read<CacheRecord[]>): string {
  if (!cache.ok) return `cannot read: ${cache.problem}`;
  const totals = cacheTotals(cache.value);
  return `${plural(cache.value.length, 'record')} · ${formatBytes(totals.total)} total · ${formatBytes(totals.reclaimable)} reclaimable`;
}

function recordDescription(r: CacheRecord, now: Date): string {
  const used = r.lastUsedAt ? `used ${formatAge(r.lastUsedAt, now)}` : 'never used';
  return [formatBytes(r.size), r.recordType || 'unknown type', used, ...(r.inUse ? ['in use'] : []), ...(r.shared ? ['shared'] : [])].join(' · ');
}

function recordTooltip(r: CacheRecord): vscode.MarkdownString {
  const lines = [
    `**${escapeMarkdown(r.description || r.id)}**`, '',
    `ID: ${codeSpan(r.id)}`, `Type: ${escapeMarkdown(r.recordType || 'unknown')}`, `Size: ${formatBytes(r.size)}`,
    `Created: ${r.createdAt?.toISOString() ?? 'unknown'}`, `Last used: ${r.lastUsedAt?.toISOString() ?? 'never'} (${r.usageCount} uses)`,
    `${r.mutable ? 'Mutable' : 'Immutable'} · ${r.inUse ? 'in use' : 'not in use'} · ${r.shared ? 'shared with a containerd image' : 'private to BuildKit'}`,
    ...(r.parents.length > 0 ? [`Parents: ${r.parents.map(codeSpan).join(', ')}`] : []),
  ];
  return new vscode.MarkdownString(lines.join('  \n'));
}

function builderItem(node: Extract<BuilderNode, { kind: 'builder' }>): vscode.TreeItem {
  const { state } = node;
  const item = new vscode.TreeItem(state.address, state.reachable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `builder:${state.address}`;
  item.contextValue = state.reachable ? 'builder.reachable' : 'builder.unreachable';
  item.iconPath = new vscode.ThemeIcon(state.reachable ? 'server' : 'error');
  if (state.reachable) {
    const version = state.workers.find((w) => w.buildkitVersion)?.buildkitVersion;
    item.description = [...(version ? [`BuildKit ${version}`] : []), plural(state.workers.length, 'worker'), ...(state.cache.ok ? [`cache ${formatBytes(cacheTotals(state.cache.value).total)}`] : [])].join(' · ');
  } else {
    item.description = `unreachable: ${state.error}`;
  }
  item.tooltip = `${state.address} (${sourceText[node.source]})\n${state.reachable ? 'reachable' : `unreachable: ${state.error}`}`;
  return item;
}

export function builderTreeItem(node: BuilderNode, now: Date): vscode.TreeItem {
  switch (node.kind) {
    case 'builder':
      return builderItem(node);
    case 'worker': {
      const item = new vscode.TreeItem(node.worker.id || '(worker without id)', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `worker:${node.address}:${node.worker.id}`;
      item.description = node.worker.platforms.join(', ');
      item.iconPath = new vscode.ThemeIcon('vm');
      item.contextValue = 'builder.worker';
      return item;
    }
    case 'fact': {
      const item = new vscode.TreeItem(node.name);
      item.description = node.value;
      item.tooltip = `${node.name}: ${node.value}`;
      return item;
    }
    case 'cache': {
      const item = new vscode.TreeItem('Build cache', node.cache.ok && node.cache.value.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `cache:${node.address}`;
      item.description = cacheDescription(node.cache);
      item.iconPath = new vscode.ThemeIcon(node.cache.ok ? 'database' : 'warning');
      item.contextValue = 'builder.cache';
      return item;
    }
    case 'record': {
      const item = new vscode.TreeItem(node.record.description || node.record.id);
      item.id = `record:${node.address}:${node.record.id}`;
      item.description = recordDescription(node.record, now);
      item.tooltip = recordTooltip(node.record);
      item.iconPath = new vscode.ThemeIcon(node.record.inUse ? 'sync' : 'layers');
      item.contextValue = 'builder.cacheRecord';
      return item;
    }
  }
}

function childrenOf(node: BuilderNode): BuilderNode[] {
  switch (node.kind) {
    case 'builder':
      if (!node.state.reachable) return [];
      return [
        ...node.state.workers.map((worker): BuilderNode => ({ kind: 'worker', address: node.state.address, worker })),
        { kind: 'cache', address: node.state.address, cache: node.state.cache },
      ];
    case 'worker':
      return [
        { kind: 'fact', name: 'platforms', value: node.worker.platforms.join(', ') },
        ...workerFacts(node.worker).map(([name, value]): BuilderNode => ({ kind: 'fact', name, value })),
        ...(node.worker.buildkitVersion ? [{ kind: 'fact', name: 'BuildKit', value: node.worker.buildkitVersion } as const] : []),
      ];
    case 'cache':
      return node.cache.ok ? [...node.cache.value].sort((a, b) => b.size - a.size || a.id.localeCompare(b.id)).map((record): BuilderNode => ({ kind: 'record', address: node.address, record })) : [];
    default:
      return [];
  }
}

export class BuildersTree implements vscode.TreeDataProvider<BuilderNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BuilderNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loading: Promise<BuilderNode[]> | undefined;
  private generation = 0;
  private view: vscode.TreeView<BuilderNode> | undefined;

  constructor(private readonly ctx: Ctx) {}

  /** Creates the tree view this provider fills. */
  attach(viewId: string): vscode.TreeView<BuilderNode> {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
    return this.view;
  }

  /** The builders of the last load (reachable or not). */
  async builders(): Promise<Extract<BuilderNode, { kind: 'builder' }>[]> {
    return (await (this.loading ?? this.reload())).filter((n) => n.kind === 'builder');
  }

  /** Looks again everywhere and asks every buildkitd found; the newest load wins. */
  refresh(): Promise<BuilderNode[]> {
    const rows = this.reload();
    void rows.then(() => this.changed.fire(undefined));
    return rows;
  }

  /** Forgets the last load; the view asks again when it shows (a collapsed view runs no buildctl). */
  invalidate(): void {
    this.generation++;
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  private reload(): Promise<BuilderNode[]> {
    const generation = ++this.generation;
    const rows = this.load(generation);
    this.loading = rows;
    return rows;
  }

  private async load(generation: number): Promise<BuilderNode[]> {
    const namespace = this.ctx.scope.get()?.namespace ?? 'default';
    const located = await locateBuildkitHosts(this.ctx, namespace);
    const buildctl = { command: this.ctx.config().buildctlCommand, run: runProcess };
    const present = located.filter((c) => c.present);
    const states = await Promise.all(present.map(async (c) => ({ source: c.source, state: await readBuilder(buildctl, c.address) })));
    for (const c of located) {
      const state = states.find((s) => s.state.address === c.address)?.state;
      this.ctx.log.info(`buildkitd at ${c.address} (${sourceText[c.source]}): ${!state ? 'no socket there' : state.reachable ? 'reachable' : `unreachable: ${state.error}`}`);
    }
    const reachable = states.some((s) => s.state.reachable);
    if (generation === this.generation) {
      void vscode.commands.executeCommand('setContext', 'containerd.builders.search', searchKind(located));
      void vscode.commands.executeCommand('setContext', 'containerd.builders.state', reachable ? 'found' : 'none');
      // Beside the welcome text (which cannot hold them): the exact addresses it looked at.
      if (this.view) this.view.description = reachable ? undefined : `looked at ${located.map((c) => lookedText(c.address, states.find((st) => st.state.address === c.address)?.state)).join('; ')}`;
    }
    // None answers: no rows, so the welcome content says where the search looked.
    return reachable ? states.map(({ source, state }): BuilderNode => ({ kind: 'builder', state, source })) : [];
  }

  getTreeItem(node: BuilderNode): vscode.TreeItem {
    return builderTreeItem(node, new Date());
  }

  async getChildren(node?: BuilderNode): Promise<BuilderNode[]> {
    if (node) return childrenOf(node);
    return this.loading ?? this.reload();
  }

  dispose(): void {
    this.changed.dispose();
    this.view?.dispose();
  }
}
