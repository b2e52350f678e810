// Registers the Builders view, its Refresh and Prune Build Cache… commands, and what re-reads it:
// a new scope (nerdctl's buildkitd sockets are per namespace) and changed settings.
import { pruneBuildCache } from '../commands/pruneBuildCache';
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import { BuildersTree, type BuilderNode } from './buildersTree';

export const buildersViewId = 'containerd.views.builders';

export function registerBuildersView(ctx: Ctx): BuildersTree {
  const tree = ctx.own(new BuildersTree(ctx));
  tree.attach(buildersViewId);
  let namespace = ctx.scope.get()?.namespace;
  ctx.own(ctx.scope.onDidChange(() => {
    if (ctx.scope.get()?.namespace === namespace) return;
    namespace = ctx.scope.get()?.namespace;
    tree.invalidate();
  }));
  ctx.own(ctx.onDidChangeConfig(() => tree.invalidate()));
  registerCommandTable(ctx, {
    'containerd.builders.refresh': () => tree.refresh(),
    'containerd.builders.prune': (node?: BuilderNode) => pruneBuildCache(ctx, tree, node),
  });
  return tree;
}
