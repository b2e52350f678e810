// Registers the Images, Containers and Snapshots views (all driven by the scope and the event
// router) and their Refresh commands.
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import { ContainersTree } from './containersTree';
import { ImagesTree } from './imagesTree';
import { SnapshotsTree } from './snapshotsTree';

export interface AreaTrees {
  readonly images: ImagesTree;
  readonly containers: ContainersTree;
  readonly snapshots: SnapshotsTree;
}

export const areaViewIds = {
  images: 'containerd.views.images',
  containers: 'containerd.views.containers',
  snapshots: 'containerd.views.snapshots',
} as const;

export function registerAreaViews(ctx: Ctx): AreaTrees {
  const images = ctx.own(new ImagesTree(ctx));
  const containers = ctx.own(new ContainersTree(ctx));
  const snapshots = ctx.own(new SnapshotsTree(ctx));
  images.attach(areaViewIds.images);
  containers.attach(areaViewIds.containers);
  snapshots.attach(areaViewIds.snapshots);
  ctx.own(ctx.onDidChangeConfig((change) => {
    // New channels come with new event streams, whose first connect reloads every view.
    if (change.connection) return;
    if (change.display) {
      images.repaint();
      containers.repaint();
    }
    if (change.dockerNames) void containers.refreshAll();
  }));
  registerCommandTable(ctx, {
    'containerd.images.refresh': () => images.refreshAll(),
    'containerd.containers.refresh': () => containers.refreshAll(),
    'containerd.snapshots.refresh': () => snapshots.refreshAll(),
  });
  return { images, containers, snapshots };
}
