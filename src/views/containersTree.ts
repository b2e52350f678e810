// The Containers view: containers of the scope with their task state, CRI containers grouped by
// pod, one group per namespace when the scope is all namespaces.
import * as vscode from 'vscode';
import type { ContainerdClient } from '../containerd/connection/client';
import { groupByPod, type PodGroup } from '../nerdctl/containerNames';
import { listContainerEntries, withTasks, type ContainerEntry, type ContainerSummary } from '../containerd/containers/containers';
import { listTasks } from '../containerd/tasks/tasks';
import { listDockerContainers, type DockerContainers } from '../docker/dockerEngine';
import { dockerSocket } from '../docker/dockerHost';
import { dockerNamespace, withDockerNames } from '../docker/dockerNames';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseAddress } from '../containerd/connection/address';
import { formatPort, type PortsFiles } from '../nerdctl/ports';
import { SerialFileReads } from '../nerdctl/serialFileReads';
import { nerdctlDataRoots, rootlessOwnerDataRoots } from '../nerdctl/stateDir';
import { compareContainers, stateText } from '../model/containerRows';
import { formatAge, shortDigest } from '../model/format';
import { KeptReads } from '../model/keptReads';
import type { Scope } from './scope';
import type { AreaChange } from './eventRouter';
import { ScopedTree } from './scopedTree';
import type { Ctx } from '../ctx';
import { codeSpan, escapeMarkdown } from '../model/markdown';
import { namespaceGroupItem } from './namespaceGroupItem';

export type ContainerNode =
  | { readonly kind: 'namespace'; readonly address: string; readonly namespace: string; readonly children: readonly ContainerNode[] }
  | { readonly kind: 'pod'; readonly address: string; readonly namespace: string; readonly group: PodGroup<ContainerSummary> }
  | { readonly kind: 'container'; readonly address: string; readonly container: ContainerSummary };

function stateIcon(container: ContainerSummary): vscode.ThemeIcon {
  switch (container.task?.state) {
    case 'running': return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('charts.green'));
    case 'paused':
    case 'pausing': return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
    case 'stopped': return new vscode.ThemeIcon('vm-outline', container.task.exitStatus ? new vscode.ThemeColor('charts.red') : undefined);
    default: return new vscode.ThemeIcon('vm-outline');
  }
}

/**
 * The row without its tooltip: VS Code then asks resolveTreeItem for it on hover. A thousand
 * Markdown tooltips sent with the rows cost the host a Markdown parse each and the renderer
 * their bytes, before the first paint.
 */
function containerItem(node: ContainerNode & { kind: 'container' }): vscode.TreeItem {
  const c = node.container;
  const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
  item.id = `container:${node.address}#${c.namespace}#${c.id}`;
  item.iconPath = stateIcon(c);
  item.description = [stateText(c), c.image, ...c.ports.map(formatPort)].filter(Boolean).join(' · ');
  item.contextValue = `container.${c.task?.state ?? 'created'}`;
  return item;
}

function containerTooltip(c: ContainerSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMarkdown(c.name)}** — ${stateText(c)}\n\n`);
  const rows: [string, string | undefined][] = [
    ['id', c.id], ['namespace', c.namespace], ['image', c.image || undefined],
    ['pid', c.task && c.task.state !== 'stopped' ? String(c.task.pid) : undefined],
    ['exit code', c.task?.state === 'stopped' ? String(c.task.exitStatus ?? 0) : undefined],
    ['ports', c.ports.map(formatPort).join(', ') || undefined], ['runtime', c.runtime || undefined],
    ['snapshotter', c.snapshotter ? `${c.snapshotter} (${shortDigest(c.snapshotKey) || '-'})` : undefined],
    ['pod', c.pod ? `${c.pod.namespace}/${c.pod.name}` : undefined],
    ['docker', c.docker ? `${c.docker.state} (${c.docker.status})` : undefined],
    ['created', c.createdAt.getTime() > 0 ? `${c.createdAt.toISOString()} (${formatAge(c.createdAt, new Date())})` : undefined],
  ];
  for (const [key, value] of rows) if (value) md.appendMarkdown(`${key}: ${codeSpan(value)}  \n`);
  return md;
}

export class ContainersTree extends ScopedTree<ContainerNode> {
  /**
   * Container records per endpoint and namespace, kept until a /containers/* event (or a resync)
   * says otherwise: a task event then costs one Tasks.List instead of a full ListStream.
   */
  private readonly entries = new KeptReads<ContainerEntry[]>();

  /** One queue for every listing's port files, so a state file that never answers holds one pool thread at most. */
  private readonly portsFileReads = new SerialFileReads();

  /** What the last load read, so a new sort order repaints without asking the daemon. */
  private lastRead: { scope: Scope; perNamespace: { namespace: string; containers: ContainerSummary[] }[] } | undefined;

  constructor(ctx: Ctx) {
    super(ctx, 'containers', ['tasks']);
  }

  protected override changing(change: AreaChange): void {
    if (change.area === 'containers') this.entries.forget(change.address, change.namespaces);
  }

  private containersOf(client: ContainerdClient, namespace: string): Promise<ContainerSummary[]> {
    const entries = this.entries.get(client.address, namespace, () => listContainerEntries(client, namespace, { portsFiles: () => this.portsFiles(client.address) }));
    const docker = namespace === dockerNamespace ? this.dockerContainers() : undefined;
    return Promise.all([entries, listTasks(client, namespace), docker]).then(([list, tasks, known]) => withTasks(known ? withDockerNames(list, known) : list, tasks));
  }

  /** Docker's names and states, asked on each load of its namespace; why not, in the view's message. */
  private async dockerContainers(): Promise<DockerContainers> {
    const where = dockerSocket(this.ctx.config().dockerHost, process.env);
    const answer: DockerContainers = 'problem' in where ? { ok: false, problem: where.problem } : await listDockerContainers(where.socket);
    this.notice = answer.ok ? undefined : `Docker's container names are not shown: ${answer.problem}. Set containerd.docker.host to Docker's socket.`;
    return answer;
  }

  /**
   * Where nerdctl's state files are: ours, nerdctl.toml's data root (known once the endpoints are
   * read), and for another user's rootless daemon that user's.
   */
  private async portsFiles(address: string): Promise<PortsFiles> {
    await this.ctx.endpoints.statuses();
    const parsed = parseAddress(address);
    const owners = parsed.ok ? await rootlessOwnerDataRoots(parsed.socketPath, (path) => readFile(path, 'utf8').catch(() => undefined)) : [];
    return { dataRoots: [...nerdctlDataRoots(process.env, homedir(), this.ctx.endpoints.nerdctl?.dataRoot), ...owners], reads: this.portsFileReads };
  }

  protected async load(client: ContainerdClient, scope: Scope, namespaces: readonly string[]): Promise<ContainerNode[]> {
    this.notice = undefined;
    const perNamespace = await Promise.all(namespaces.map(async (namespace) => ({ namespace, containers: await this.containersOf(client, namespace) })));
    this.lastRead = { scope, perNamespace };
    return this.rootRows(scope, perNamespace);
  }

  protected override rebuild(): ContainerNode[] | undefined {
    return this.lastRead && this.rootRows(this.lastRead.scope, this.lastRead.perNamespace);
  }

  private rootRows(scope: Scope, perNamespace: readonly { namespace: string; containers: readonly ContainerSummary[] }[]): ContainerNode[] {
    const rows = perNamespace.map(({ namespace, containers }) => ({ namespace, children: this.rows(scope.address, namespace, containers) }));
    if (scope.namespace !== undefined) return rows[0]?.children ? [...rows[0].children] : [];
    return rows.filter((r) => r.children.length > 0).map((r) => ({ kind: 'namespace', address: scope.address, namespace: r.namespace, children: r.children }));
  }

  protected childrenOf(node: ContainerNode): ContainerNode[] {
    if (node.kind === 'namespace') return [...node.children];
    if (node.kind === 'pod') {
      return [...node.group.sandboxes, ...node.group.containers].map((container) => ({ kind: 'container', address: node.address, container }));
    }
    return [];
  }

  getTreeItem(node: ContainerNode): vscode.TreeItem {
    if (node.kind === 'container') return containerItem(node);
    if (node.kind === 'namespace') return namespaceGroupItem('containers', node, `${node.children.length}`);
    const { pod } = node.group;
    const item = new vscode.TreeItem(pod.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `pod:${node.address}#${node.namespace}#${node.group.key}`;
    item.iconPath = new vscode.ThemeIcon('symbol-module');
    item.description = `pod · ${pod.namespace} · ${node.group.containers.length} container${node.group.containers.length === 1 ? '' : 's'}`;
    item.tooltip = `Pod ${pod.namespace}/${pod.name}${pod.uid ? ` (uid ${pod.uid})` : ''}`;
    item.contextValue = 'pod';
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: ContainerNode): vscode.TreeItem {
    if (node.kind === 'container') item.tooltip = containerTooltip(node.container);
    return item;
  }

  /** In the configured order; pods first, each holding its sandbox and workloads. */
  private rows(address: string, namespace: string, containers: readonly ContainerSummary[]): ContainerNode[] {
    const sorted = [...containers].sort(compareContainers(this.ctx.config().containersSortBy));
    const { pods, standalone } = groupByPod(sorted);
    return [
      ...pods.map((group): ContainerNode => ({ kind: 'pod', address, namespace, group })),
      ...standalone.map((container): ContainerNode => ({ kind: 'container', address, container })),
    ];
  }
}
