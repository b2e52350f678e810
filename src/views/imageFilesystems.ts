// The image filesystems the Files view and the editor share: each target (an endpoint, a
// namespace and one platform's manifest, so immutable) is read once, with a cancellable progress
// notification, and kept while it is open or recently used; layer listings are kept by digest
// across targets and endpoints (the same digest is the same bytes everywhere).
import * as vscode from 'vscode';
import { contentBlobSource } from '../containerd/images/blobCache';
import { parseManifest } from '../containerd/images/imageManifests';
import type { DiffSubject } from '../containerd/layers/containerDiffErrors';
import { readContainerChanges, readContainerFile, type DiffReadOptions } from '../containerd/layers/containerChanges';
import { readImageFilesystem, type ImageFilesystem } from '../containerd/layers/imageFilesystem';
import type { LayerDiff } from '../containerd/layers/mergedTree';
import { LayerListings } from '../containerd/layers/layerListings';
import { formatBytes } from '../model/format';
import type { Ctx } from '../ctx';

export interface FilesystemTarget {
  readonly address: string;
  readonly namespace: string;
  /** The platform's manifest digest: it fixes the layers. */
  readonly manifest: string;
  /** For titles: the image's name and platform. */
  readonly image: string;
  readonly platform: string;
  /** Opened from a container: its changes against the image are shown too. */
  readonly container?: DiffSubject;
}

/** Filesystems kept beyond the open ones (a compare, a reopened editor tab). */
const keptFilesystems = 6;

export function targetKey(target: FilesystemTarget): string {
  // Namespaces and digests hold no `|`: the key stays unique and readable (tree ids carry it).
  return `${target.address}|${target.namespace}|${target.manifest}|${target.container?.id ?? ''}`;
}

export class ImageFilesystems {
  readonly listings = new LayerListings();
  private readonly reads = new Map<string, Promise<ImageFilesystem>>();

  constructor(private readonly ctx: Ctx) {}

  /** The target's filesystem, read with a progress notification the user can cancel. */
  get(target: FilesystemTarget): Promise<ImageFilesystem> {
    const key = targetKey(target);
    let read = this.reads.get(key);
    if (read) {
      // The most recently used goes last: the oldest is dropped first.
      this.reads.delete(key);
      this.reads.set(key, read);
      return read;
    }
    read = this.read(target);
    this.reads.set(key, read);
    read.catch(() => this.reads.get(key) === read && this.reads.delete(key));
    for (const oldest of this.reads.keys()) {
      if (this.reads.size <= keptFilesystems) break;
      this.reads.delete(oldest);
    }
    return read;
  }

  private read(target: FilesystemTarget): Promise<ImageFilesystem> {
    const title = `Reading the layers of ${target.image} (${target.platform})`;
    return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const aborter = new AbortController();
      const cancelled = token.onCancellationRequested(() => aborter.abort(new vscode.CancellationError()));
      try {
        const api = this.ctx.connections().get(target.address);
        const documents = contentBlobSource(api, target.namespace, this.ctx.blobs.for(target.address));
        const manifest = await documents.json(target.manifest, 0);
        if (manifest === undefined) throw new Error(`the manifest ${target.manifest} of ${target.image} is not in namespace ${target.namespace} any more`);
        let shown = 0;
        return await readImageFilesystem(api, target.namespace, parseManifest(manifest), this.listings, documents, {
          signal: aborter.signal,
          onProgress: ({ bytesRead, totalBytes }) => {
            const percent = totalBytes > 0 ? Math.floor((bytesRead / totalBytes) * 100) : 100;
            if (percent <= shown) return;
            progress.report({ increment: percent - shown, message: `${formatBytes(bytesRead)} of ${formatBytes(totalBytes)}` });
            shown = percent;
          },
        });
      } finally {
        cancelled.dispose();
      }
    }));
  }

  /** What the target's container changed, read now (the daemon's differ; a few seconds for a big container). */
  async containerChanges(target: FilesystemTarget): Promise<LayerDiff> {
    const container = containerOf(target);
    const image = await this.get(target);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Comparing container ${container.id} with its image` }, () =>
      readContainerChanges(this.ctx.connections().get(target.address), target.namespace, container, image, this.diffOptions()));
  }

  /** A file the target's container changed, as it holds it now; undefined when its changes hold no such file. */
  containerFile(target: FilesystemTarget, path: string, maxBytes: number): Promise<Buffer | undefined> {
    const container = containerOf(target);
    return readContainerFile(this.ctx.connections().get(target.address), target.namespace, container, path, maxBytes, this.diffOptions());
  }

  /** What a diff's release left behind expires by itself: logged, not shown. */
  private diffOptions(): DiffReadOptions {
    return { onLeftBehind: (error) => this.ctx.log.warn(`container diff: ${(error as Error).message}`) };
  }
}

function containerOf(target: FilesystemTarget): DiffSubject {
  if (!target.container) throw new Error(`${target.image} was not opened from a container`);
  return target.container;
}
