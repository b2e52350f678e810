// What every extension-host test file needs: the runner's facts, ctr against the daemon under
// test, the activated extension, and the trees read as plain rows.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { Ctr } from '../ctrOracle';
import type { E2EFacts } from '../fixture';

const run = promisify(execFile);
const extensionId = 'vscode-containerd.vscode-containerd';

export function readFacts(): E2EFacts {
  const file = process.env.VSCODE_CONTAINERD_E2E;
  if (!file) throw new Error('VSCODE_CONTAINERD_E2E is not set: the e2e runner passes the daemon facts through it');
  return JSON.parse(readFileSync(file, 'utf8')) as E2EFacts;
}

export function ctrOf(facts: E2EFacts): Ctr {
  return async (args) => (await run(facts.ctr, ['--address', facts.socket, ...args])).stdout;
}

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  assert.ok(extension, `extension ${extensionId} is not loaded in this extension host`);
  const api = await extension.activate();
  assert.ok(api?.namespaces, 'activate() did not return the ExtensionApi');
  return api;
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export interface Tree<N> {
  getChildren(node?: N): Promise<N[]>;
  getTreeItem(node: N): vscode.TreeItem;
}

export interface Row<N> { readonly node: N; readonly label: string; readonly description: string; readonly parent: string | undefined }

/** Every node of a tree, depth first, as the view would ask for them (no refresh). */
export async function walk<N>(tree: Tree<N>, node?: N, parent?: string): Promise<Row<N>[]> {
  const rows: Row<N>[] = [];
  for (const child of await tree.getChildren(node)) {
    const item = tree.getTreeItem(child);
    const label = labelOf(item);
    rows.push({ node: child, label, description: typeof item.description === 'string' ? item.description : '', parent });
    rows.push(...await walk(tree, child, label));
  }
  return rows;
}
