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
import { runForm } from './runForm';
import { registerCommandTable } from './table';

type ContainerRow = ContainerNode & { kind: 'container' };

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
  const run = async (node: ImageNode | undefined, spec: (image: string) => Promise<RunSpec | undefined>): Promise<void> => {
    if (node?.kind !== 'image') return;
    const { address, namespace, record } = node.image;
    const chosen = await spec(record.name);
    if (!chosen) return;
    await inTerminal(`nerdctl run ${chosen.name ?? record.name}`, address, namespace, runArgs(chosen));
  };
  const lifecycle = (verb: Lifecycle) => async (node?: ContainerNode, selection?: ContainerNode[]): Promise<void> => {
    const rows = selected(node, selection).filter((n): n is ContainerRow => n.kind === 'container');
    await perTarget(verb, rows, (group) => lifecycleArgs(verb, group.map((r) => r.container.id)));
  };

  registerCommandTable(ctx, {
    'containerd.images.run': (node?: ImageNode) => run(node, runForm),
    'containerd.images.runInteractive': (node?: ImageNode) => run(node, (image) => Promise.resolve({ image, mode: 'interactive', remove: true })),
    'containerd.containers.logs': async (node?: ContainerNode) => {
      if (node?.kind !== 'container') return;
      const c = node.container;
      await inTerminal(`logs ${c.name}`, node.address, c.namespace, logsArgs(c.id, { follow: true, tail: 500, timestamps: false }));
    },
    'containerd.containers.shell': async (node?: ContainerNode) => {
      if (node?.kind !== 'container') return;
      const c = node.container;
      await inTerminal(`shell ${c.name}`, node.address, c.namespace, shellArgs(c.id, ctx.config().containerShell));
    },
    'containerd.containers.start': lifecycle('start'),
    'containerd.containers.stop': lifecycle('stop'),
    'containerd.containers.restart': lifecycle('restart'),
    'containerd.containers.pause': lifecycle('pause'),
    'containerd.containers.unpause': lifecycle('unpause'),
    'containerd.containers.remove': async (node?: ContainerNode, selection?: ContainerNode[]) => {
      const rows = selected(node, selection).filter((n): n is ContainerRow => n.kind === 'container');
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
