// The group row each area view shows per namespace when the scope is all namespaces.
import * as vscode from 'vscode';

export function namespaceGroupItem(view: 'images' | 'containers' | 'snapshots', node: { readonly address: string; readonly namespace: string }, description?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${view}-ns:${node.address}#${node.namespace}`;
  item.iconPath = new vscode.ThemeIcon('symbol-namespace');
  item.contextValue = 'namespaceGroup';
  if (description !== undefined) item.description = description;
  return item;
}
