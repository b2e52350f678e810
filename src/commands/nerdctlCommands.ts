// nerdctl workflows on the explorer's rows, each in a terminal named after its target: run an
// image, logs and a shell of a container, and its lifecycle. The row's own endpoint and namespace
// pick the daemon; destructive ones ask first.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { crictlLogsArgs } from '../nerdctl/crictl';
import { lifecycleArgs, logsArgs, removeArgs, shellArgs, statsArgs, type Lifecycle } from '../nerdctl/containerArgs';
import { runArgs } from '../nerdctl/runArgs';
import { runTask, freeLabel } from '../nerdctl/runTask';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import { nerdctlProcess, openCrictlTerminal, openNerdctlTerminal } from './nerdctlTarget';
import { pickContainer, pickImage, type ContainerRow } from './rowPicker';
import { runForm, type RunChoice } from './runForm';
import type { Target } from './targetPicker';
import { registerCommandTable } from './table';

/** The rows a command acts on: the selection when the clicked row is part of it, else the row. */
function selected<N>(node: N | undefined, selection: readonly N[] | undefined): N[] {
  if (!node) return [];
  return selection && selection.includes(node) ? [...selection] : [node];
}

export function registerNerdctlCommands(ctx: Ctx): void {
  const inTerminal = (name: string, address: string, namespace: string, args: readonly string[]): Promise<void> =>
    openNerdctlTerminal(ctx, name, { address, namespace }, args);
  /** One terminal per daemon and namespace: a multi-selection may span both. */
  const perTarget = async (verb: string, rows: readonly ContainerRow[], args: (group: readonly ContainerRow[]) => string[]): Promise<void> => {
    for (const group of groupByTarget(rows).values()) {
      const [first] = group;
      if (!first) continue;
      await inTerminal(`nerdctl ${verb} ${group.length === 1 ? first.container.name : `${group.length} containers`}`, first.address, first.container.namespace, args(group));
    }
  };
  const run = async (given: ImageNode | undefined, choose: (image: string) => Promise<RunChoice | undefined>): Promise<void> => {
    const node = given ?? await pickImage(ctx, 'run');
    if (node?.kind !== 'image') return;
    const { address, namespace, record } = node.image;
    const chosen = await choose(record.name);
    if (!chosen) return;
    const name = `nerdctl run ${chosen.spec.name ?? record.name}`;
    if (chosen.action === 'saveTask') await saveRunTask(ctx, name, { address, namespace }, runArgs(chosen.spec));
    else await inTerminal(name, address, namespace, runArgs(chosen.spec));
  };
  const lifecycle = (verb: Lifecycle, states: readonly (string | undefined)[]) => async (node?: ContainerNode, selection?: ContainerNode[]): Promise<void> => {
    const rows = selected(node ?? await pickContainer(ctx, verb, (c) => states.includes(c.task?.state)), selection).filter((n): n is ContainerRow => n.kind === 'container');
    await perTarget(verb, rows, (group) => lifecycleArgs(verb, group.map((r) => r.container.id)));
  };

  registerCommandTable(ctx, {
    'containerd.images.run': (node?: ImageNode) => run(node, runForm),
    'containerd.images.runInteractive': (node?: ImageNode) => run(node, (image) => Promise.resolve({ spec: { image, mode: 'interactive', remove: true }, action: 'run' })),
    'containerd.containers.logs': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'show the logs of');
      if (node?.kind !== 'container') return;
      const c = node.container;
      const options = ctx.config().logs;
      // Kubernetes' containers keep their logs where the kubelet asked the CRI plugin to: crictl reads them.
      if (c.pod) await openCrictlTerminal(ctx, `logs ${c.name}`, { address: node.address, namespace: c.namespace }, crictlLogsArgs(c.id, options));
      else await inTerminal(`logs ${c.name}`, node.address, c.namespace, logsArgs(c.id, options));
    },
    'containerd.containers.shell': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'attach a shell to', (c) => c.task?.state === 'running');
      if (node?.kind !== 'container') return;
      const c = node.container;
      await inTerminal(`shell ${c.name}`, node.address, c.namespace, shellArgs(c.id, ctx.config().containerShell));
    },
    'containerd.containers.watchStats': async (node?: ContainerNode, selection?: ContainerNode[]) => {
      const rows = selected(node ?? await pickContainer(ctx, 'watch', (c) => c.task?.state === 'running'), selection)
        .filter((n): n is ContainerRow => n.kind === 'container' && n.container.task?.state === 'running');
      await perTarget('stats', rows, (group) => statsArgs(group.map((r) => r.container.id), true));
    },
    // From the palette, the states each verb's menu entry is offered for (undefined: no task yet).
    'containerd.containers.start': lifecycle('start', [undefined, 'created', 'stopped']),
    'containerd.containers.stop': lifecycle('stop', ['running', 'paused']),
    'containerd.containers.restart': lifecycle('restart', [undefined, 'created', 'stopped', 'running', 'paused']),
    'containerd.containers.pause': lifecycle('pause', ['running']),
    'containerd.containers.unpause': lifecycle('unpause', ['paused']),
    'containerd.containers.remove': async (node?: ContainerNode, selection?: ContainerNode[]) => {
      const rows = selected(node ?? await pickContainer(ctx, 'remove'), selection).filter((n): n is ContainerRow => n.kind === 'container');
      if (rows.length === 0) return;
      const running = rows.filter((r) => r.container.task?.state === 'running' || r.container.task?.state === 'paused');
      const names = rows.map((r) => `${r.container.name} (${r.container.id.slice(0, 12)}, namespace "${r.container.namespace}" of containerd at ${r.address})`);
      const detail = [
        `These containers are removed with their writable snapshots: ${names.join('; ')}.`,
        running.length > 0 ? `Running ones are stopped first (nerdctl rm --force): ${running.map((r) => r.container.name).join(', ')}.` : '',
        'Images stay.',
      ].filter(Boolean).join('\n\n');
      const action = rows.length === 1 ? 'Remove Container' : `Remove ${rows.length} Containers`;
      const answer = await vscode.window.showWarningMessage(rows.length === 1 ? `Remove container ${rows[0]?.container.name ?? ''}?` : `Remove ${rows.length} containers?`, { modal: true, detail }, action);
      if (answer !== action) return;
      await perTarget('rm', rows, (group) => removeArgs(group.map((r) => r.container.id), group.some((r) => running.includes(r))));
    },
  });
}

function groupByTarget(rows: readonly ContainerRow[]): Map<string, ContainerRow[]> {
  const groups = new Map<string, ContainerRow[]>();
  for (const row of rows) {
    const key = `${row.address}\u0000${row.container.namespace}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

/** Saves the run as a process task of the first workspace folder (tasks.json), then offers to open it. */
async function saveRunTask(ctx: Ctx, label: string, target: Target, args: readonly string[]): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('Open a folder first: tasks are saved in its .vscode/tasks.json.');
  const process = await nerdctlProcess(ctx, target.address, target.namespace, args, 'terminal');
  const config = vscode.workspace.getConfiguration('tasks', folder.uri);
  // Only the folder's own tasks are rewritten (user-level tasks must not be copied into it); the
  // label avoids every task the folder sees.
  const own = config.inspect<unknown[]>('tasks')?.workspaceFolderValue ?? [];
  const task = runTask(freeLabel(label, config.get<unknown[]>('tasks') ?? []), process, `namespace "${target.namespace}" of containerd at ${target.address}`);
  if (config.inspect<string>('version')?.workspaceFolderValue === undefined) await config.update('version', '2.0.0', vscode.ConfigurationTarget.WorkspaceFolder);
  await config.update('tasks', [...own, task], vscode.ConfigurationTarget.WorkspaceFolder);
  const open = 'Open tasks.json';
  void vscode.window.showInformationMessage(`Saved task "${task.label}": run it with Tasks: Run Task.`, open).then((answer) =>
    answer === open ? vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, '.vscode', 'tasks.json')) : undefined);
}
