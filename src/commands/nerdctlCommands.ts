// nerdctl workflows on the explorer's rows, each in a terminal named after its target: run an
// image, logs and a shell of a container, and its lifecycle. The row's own endpoint and namespace
// pick the daemon; destructive ones ask first.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { lifecycleArgs, logsArgs, removeArgs, shellArgs, type Lifecycle } from '../nerdctl/containerArgs';
import { runArgs, type RunSpec } from '../nerdctl/runArgs';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import { openNerdctlTerminal } from './nerdctlTarget';
import { pickContainer, pickImage, type ContainerRow } from './rowPicker';
import { runForm } from './runForm';
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
  const run = async (given: ImageNode | undefined, spec: (image: string) => Promise<RunSpec | undefined>): Promise<void> => {
    const node = given ?? await pickImage(ctx, 'run');
    if (node?.kind !== 'image') return;
    const { address, namespace, record } = node.image;
    const chosen = await spec(record.name);
    if (!chosen) return;
    await inTerminal(`nerdctl run ${chosen.name ?? record.name}`, address, namespace, runArgs(chosen));
  };
  const lifecycle = (verb: Lifecycle, states: readonly (string | undefined)[]) => async (node?: ContainerNode, selection?: ContainerNode[]): Promise<void> => {
    const rows = selected(node ?? await pickContainer(ctx, verb, (c) => states.includes(c.task?.state)), selection).filter((n): n is ContainerRow => n.kind === 'container');
    await perTarget(verb, rows, (group) => lifecycleArgs(verb, group.map((r) => r.container.id)));
  };

  registerCommandTable(ctx, {
    'containerd.images.run': (node?: ImageNode) => run(node, runForm),
    'containerd.images.runInteractive': (node?: ImageNode) => run(node, (image) => Promise.resolve({ image, mode: 'interactive', remove: true })),
    'containerd.containers.logs': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'show the logs of');
      if (node?.kind !== 'container') return;
      const c = node.container;
      await inTerminal(`logs ${c.name}`, node.address, c.namespace, logsArgs(c.id, { follow: true, tail: 500, timestamps: false }));
    },
    'containerd.containers.shell': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'attach a shell to', (c) => c.task?.state === 'running');
      if (node?.kind !== 'container') return;
      const c = node.container;
      await inTerminal(`shell ${c.name}`, node.address, c.namespace, shellArgs(c.id, ctx.config().containerShell));
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
