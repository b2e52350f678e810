// The lightbulb on a build-check finding: fix it where the fix is mechanical, or skip its rule in
// this Dockerfile (# check=skip=...). Either way the Dockerfile is checked again at once, from its
// text in the editor, saved or not: no build runs.
import * as vscode from 'vscode';
import { mechanicalFix, skipRuleEdit, type LineEdit } from '../buildkit/checkFixes';

export const recheckCommand = 'containerd.buildkit.recheckDockerfile';

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== 'buildkit') return undefined;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return typeof code === 'string' && code ? code : undefined;
}

function workspaceEdit(document: vscode.TextDocument, edits: readonly LineEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    if ('insertBefore' in e) edit.insert(document.uri, new vscode.Position(e.insertBefore, 0), `${e.text}\n`);
    else if (e.line < document.lineCount) edit.replace(document.uri, document.lineAt(e.line).range, e.replaceWith);
  }
  return edit;
}

function action(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, title: string, edits: readonly LineEdit[], preferred: boolean): vscode.CodeAction {
  const fix = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  fix.diagnostics = [diagnostic];
  fix.isPreferred = preferred;
  fix.edit = workspaceEdit(document, edits);
  fix.command = { command: recheckCommand, title: 'Check the Dockerfile again', arguments: [document.uri] };
  return fix;
}

export class CheckFixActions implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const text = document.getText();
    return context.diagnostics.flatMap((diagnostic) => {
      const rule = ruleOf(diagnostic);
      if (!rule) return [];
      const fix = mechanicalFix(text, rule, diagnostic.range.start.line, diagnostic.message);
      const skip = skipRuleEdit(text, rule);
      return [
        ...(fix ? [action(document, diagnostic, `${fix.title} (${rule})`, fix.edits, true)] : []),
        ...(skip ? [action(document, diagnostic, `Skip ${rule} in this Dockerfile (# check=skip)`, [skip], false)] : []),
      ];
    });
  }
}
