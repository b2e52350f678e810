// Read-only JSON documents of containerd objects, under a URI scheme of ours: the editor shows
// them like files (search, fold, copy) but they cannot be saved, and reopening reads afresh.
import * as vscode from 'vscode';
import { containerStats, inspectContainer, inspectImage, inspectNamespace, inspectSnapshot } from '../containerd/inspect';
import type { ContainerdClient } from '../containerd/connection/client';
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import { isKnownEndpoint } from '../model/scopeChoice';
import { inspectCommands } from './inspectCommands';

export const inspectScheme = 'containerd-inspect';

export type InspectTarget =
  | { readonly kind: 'container' | 'stats'; readonly address: string; readonly namespace: string; readonly id: string }
  | { readonly kind: 'image'; readonly address: string; readonly namespace: string; readonly name: string }
  | { readonly kind: 'snapshot'; readonly address: string; readonly namespace: string; readonly snapshotter: string; readonly key: string }
  | { readonly kind: 'namespace'; readonly address: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };

function titleOf(target: InspectTarget): string {
  switch (target.kind) {
    case 'container': return `container ${target.id}`;
    case 'stats': return `stats ${target.id}`;
    case 'image': return `image ${target.name}`;
    case 'snapshot': return `snapshot ${target.key}`;
    case 'namespace': return `namespace ${target.namespace}`;
  }
}

/** The target travels in the query; the path is only the editor tab's title. */
export function inspectUri(target: InspectTarget): vscode.Uri {
  const title = titleOf(target).replace(/[/\\:?#]/g, '_');
  return vscode.Uri.from({ scheme: inspectScheme, path: `/${title}.json`, query: JSON.stringify(target) });
}

const kinds: readonly InspectTarget['kind'][] = ['container', 'stats', 'image', 'snapshot', 'namespace'];

/**
 * The target a URI names. Any extension or link can open a URI of our scheme, so only the
 * endpoints the extension itself knows are read.
 */
export function targetOf(uri: vscode.Uri, known: (address: unknown) => boolean): InspectTarget {
  let target: unknown;
  try {
    target = JSON.parse(uri.query);
  } catch {
    throw new Error(`${uri.toString()} does not name a containerd object`);
  }
  const t = target as Partial<InspectTarget> | null;
  if (typeof t !== 'object' || t === null || !kinds.includes(t.kind as InspectTarget['kind']) || typeof t.namespace !== 'string') {
    throw new Error(`${uri.toString()} does not name a containerd object`);
  }
  if (!known(t.address)) throw new Error(`${String(t.address)} is not a containerd endpoint this extension knows: only the endpoints of the Namespaces view are read`);
  return t as InspectTarget;
}

function read(api: ContainerdClient, target: InspectTarget, blobs: Ctx['blobs']): Promise<unknown> {
  switch (target.kind) {
    case 'container': return inspectContainer(api, target.namespace, target.id);
    case 'stats': return containerStats(api, target.namespace, target.id);
    case 'image': return inspectImage(api, target.namespace, target.name, blobs.for(target.address));
    case 'snapshot': return inspectSnapshot(api, target.namespace, target.snapshotter, target.key);
    case 'namespace': return inspectNamespace(api, target.namespace, target.labels);
  }
}

class InspectDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let target: InspectTarget | undefined;
    try {
      target = targetOf(uri, (address) => isKnownEndpoint(this.ctx.endpoints.latest, address));
      const value = await read(this.ctx.connections().get(target.address), target, this.ctx.blobs);
      return `${JSON.stringify(value, null, 2)}\n`;
    } catch (error) {
      // The document says what went wrong instead of failing to open.
      return `${JSON.stringify({ error: error instanceof Error ? error.message : String(error), target }, null, 2)}\n`;
    }
  }

  reload(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }
}

export interface InspectDocumentsApi {
  /** Opens (or re-reads) the document of a target in an editor; resolves with it. */
  open(target: InspectTarget): Promise<vscode.TextDocument>;
}

/** The inspect documents and the Inspect / Show Stats commands of every view's rows. */
export function registerInspectDocuments(ctx: Ctx): InspectDocumentsApi {
  const provider = new InspectDocuments(ctx);
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(inspectScheme, provider));
  const api: InspectDocumentsApi = {
    open: async (target) => {
      const uri = inspectUri(target);
      provider.reload(uri);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true });
      return document;
    },
  };
  registerCommandTable(ctx, inspectCommands(api));
  return api;
}
