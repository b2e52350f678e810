// Read-only JSON documents of containerd objects, under a URI scheme of ours: the editor shows
// them like files (search, fold, copy) but they cannot be saved, and reopening reads afresh.
import * as vscode from 'vscode';
import { containerStats, inspectContainer, inspectImage, inspectNamespace, inspectSnapshot } from '../containerd/inspect';
import type { ContainerdClient } from '../containerd/client';
import type { Ctx } from '../ctx';

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

function targetOf(uri: vscode.Uri): InspectTarget {
  return JSON.parse(uri.query) as InspectTarget;
}

function read(api: ContainerdClient, target: InspectTarget): Promise<unknown> {
  switch (target.kind) {
    case 'container': return inspectContainer(api, target.namespace, target.id);
    case 'stats': return containerStats(api, target.namespace, target.id);
    case 'image': return inspectImage(api, target.namespace, target.name);
    case 'snapshot': return inspectSnapshot(api, target.namespace, target.snapshotter, target.key);
    case 'namespace': return inspectNamespace(api, target.namespace, target.labels);
  }
}

class InspectDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = targetOf(uri);
    const api = this.ctx.connections().get(target.address);
    try {
      const value = await read(api, target);
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

export function registerInspectDocuments(ctx: Ctx): InspectDocumentsApi {
  const provider = new InspectDocuments(ctx);
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(inspectScheme, provider));
  return {
    open: async (target) => {
      const uri = inspectUri(target);
      provider.reload(uri);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true });
      return document;
    },
  };
}
