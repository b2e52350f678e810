// Overlay on overlay, made for real: a private containerd whose root directory is the merged
// folder of an overlayfs mount, as when containerd runs inside a container whose own root file
// system is overlayfs and /var/lib/containerd is no volume. The overlayfs snapshotter then keeps
// its layers on overlayfs, and the kernel refuses a container's rootfs mount with EINVAL (the
// kernel log says "overlay: filesystem on <upper> not supported as upperdir").
//
// The daemon is the harness's own (startContainerd): started once, killed, given the overlay mount
// at its root directory and started again on the same config, so its sockets, ctr, task clean-up
// and unmounting on stop stay the ones every other test uses.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerdVersion } from './components';
import { startContainerd, type ContainerdDaemon } from './containerdDaemon';

const run = promisify(execFile);

export interface OverlayRootContainerd extends ContainerdDaemon {
  /** The daemon's root directory: the overlayfs mount's merged folder. */
  readonly root: string;
  /** The overlayfs mount's own folders (on the host's file system, not overlay). */
  readonly overlay: { readonly lower: string; readonly upper: string; readonly work: string };
}

export async function startOverlayRootContainerd(version: ContainerdVersion): Promise<OverlayRootContainerd> {
  const daemon = await startContainerd(version);
  const root = join(daemon.dir, 'root');
  const base = join(daemon.dir, 'overlay-layers');
  const overlay = { lower: join(base, 'lower'), upper: join(base, 'upper'), work: join(base, 'work') };
  try {
    // Killed rather than stopped: stop() would remove the folder the restart needs.
    await daemon.crash();
    for (const dir of Object.values(overlay)) mkdirSync(dir, { recursive: true });
    // Over the first start's root (hidden, removed with the folder): the restart begins empty.
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${overlay.lower},upperdir=${overlay.upper},workdir=${overlay.work}`, root]);
    await daemon.restart();
  } catch (error) {
    await daemon.stop().catch(() => undefined);
    throw error;
  }
  // The object itself (not a spread copy): its pid getter follows the restarted process.
  return Object.assign(daemon, { root, overlay });
}
