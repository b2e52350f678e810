// The status bar item showing the explorer's endpoint and namespace; clicking it switches them
// (the same scope every view, command and build task uses).
import * as vscode from 'vscode';
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import { scopeChoices, scopeStatusText } from '../model/scopeStatus';
import type { Scope } from '../model/scopeChoice';

type PickItem = vscode.QuickPickItem & { readonly scope?: Scope; readonly command?: string };

async function switchScope(ctx: Ctx): Promise<void> {
  const statuses = await ctx.endpoints.statuses();
  const current = ctx.scope.get();
  const items: PickItem[] = [];
  let group: string | undefined;
  for (const choice of scopeChoices(statuses, current)) {
    const endpoint = choice.kind === 'scope' ? choice.scope.address : choice.address;
    if (endpoint !== group) {
      group = endpoint;
      items.push({ label: statuses.find((s) => s.endpoint.address === endpoint)?.endpoint.label ?? endpoint, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push(choice.kind === 'scope'
      ? { label: `${choice.current ? '$(check) ' : ''}${choice.label}`, description: choice.description, scope: choice.scope }
      : { label: choice.label, description: choice.description, detail: 'Not reachable: pick to run the doctor.', command: 'containerd.doctor.run' });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(plug) Set Address…', command: 'containerd.endpoint.setAddress' },
    { label: '$(pulse) Run Doctor', command: 'containerd.doctor.run' });
  const picked = await vscode.window.showQuickPick(items, { title: 'containerd: endpoint and namespace for the explorer', matchOnDescription: true });
  if (picked?.scope) await ctx.scope.choose(picked.scope);
  else if (picked?.command) await vscode.commands.executeCommand(picked.command);
}

export function registerScopeStatusBar(ctx: Ctx): vscode.StatusBarItem {
  const item = ctx.own(vscode.window.createStatusBarItem('containerd.scope', vscode.StatusBarAlignment.Left, 50));
  item.name = 'containerd scope';
  item.command = 'containerd.scope.switch';
  const paint = (): void => {
    const shown = scopeStatusText(ctx.scope.get(), ctx.endpoints.latest);
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.backgroundColor = shown.problem ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  ctx.own(ctx.scope.onDidChange(paint));
  ctx.own(ctx.endpoints.onDidLoad(paint));
  paint();
  // Activated by a task or a command rather than a view, the item still learns the endpoints.
  void ctx.endpoints.statuses();
  registerCommandTable(ctx, { 'containerd.scope.switch': () => switchScope(ctx) });
  return item;
}
