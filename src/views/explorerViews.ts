// Registers the Images, Containers and Snapshots views, all driven by the scope and the explorer.
import type { Ctx } from '../ctx';
import { BlobCaches } from './blobCaches';
import { ContainersTree } from './containersTree';
import type { Explorer } from './explorer';
import { ImagesTree } from './imagesTree';
import type { ScopeStore } from './scope';
import { SnapshotsTree } from './snapshotsTree';

export interface ExplorerTrees {
  readonly images: ImagesTree;
  readonly containers: ContainersTree;
  readonly snapshots: SnapshotsTree;
}

export const explorerViewIds = {
  images: 'containerd.views.images',
  containers: 'containerd.views.containers',
  snapshots: 'containerd.views.snapshots',
} as const;

export function registerExplorerViews(ctx: Ctx, explorer: Explorer, scope: ScopeStore): ExplorerTrees {
  const deps = { ctx, explorer, scope };
  const caches = new BlobCaches();
  const images = ctx.own(new ImagesTree(deps, caches, () => ctx.config().groupImagesByRepository));
  const containers = ctx.own(new ContainersTree(deps));
  const snapshots = ctx.own(new SnapshotsTree(deps, caches));
  images.attach(explorerViewIds.images);
  containers.attach(explorerViewIds.containers);
  snapshots.attach(explorerViewIds.snapshots);
  ctx.own(ctx.onDidChangeConfig(() => {
    void images.refreshAll();
    void containers.refreshAll();
    void snapshots.refreshAll();
  }));
  return { images, containers, snapshots };
}
