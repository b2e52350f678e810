// Check Dockerfile: the build checks of a Dockerfile without building it, from the buildkitd a
// build would use (the Dockerfile frontend's lint request through buildctl: no Docker daemon
// needed), on demand and, with containerd.buildkit.checkOnSave, on every save. The findings go
// to the same Problems entries a build task fills.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { buildctlSubrequestArgs } from '../buildkit/backendArgs';
import { checkDiagnostics } from '../buildkit/lintResult';
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import { lastStderrLine, runProcess, type RunResult } from '../process/runner';
import { findHost, toDiagnostic } from './buildTasks';

async function check(ctx: Ctx, problems: vscode.DiagnosticCollection, uri: vscode.Uri, quiet: boolean): Promise<void> {
  if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a local file: buildctl reads the Dockerfile from this machine's disk`);
  if (!vscode.workspace.isTrusted) throw new Error('Check Dockerfile does not run in Restricted Mode: it runs buildctl. Trust the folder to check.');
  const scope = ctx.scope.get();
  const { host, tried } = await findHost(ctx, undefined, scope?.namespace ?? 'default');
  if (!host) throw new Error(`No buildkitd was found to check with${tried.length > 0 ? ` (looked for ${tried.join(', ')})` : ''}: start one, or set containerd.buildkit.host.`);
  const [file = 'buildctl', ...prefix] = ctx.config().buildctlCommand;
  const ask = (request: 'frontend.lint' | 'frontend.outline'): Promise<RunResult> =>
    runProcess({ file, args: [...prefix, ...buildctlSubrequestArgs(host, undefined, uri.fsPath, request)] }, { timeoutMs: 120_000 });
  const [lint, outline] = await Promise.all([ask('frontend.lint'), ask('frontend.outline')]);
  if (lint.exitCode !== 0) {
    throw new Error(`Check Dockerfile failed (${file}): ${lint.failedToStart ?? lastStderrLine(lint)}`);
  }
  const found = checkDiagnostics({ lintStdout: lint.stdout, outline }, { path: uri.fsPath, text: await readFile(uri.fsPath, 'utf8') });
  problems.set(uri, found.map(toDiagnostic));
  if (!quiet) {
    const name = vscode.workspace.asRelativePath(uri);
    void vscode.window.showInformationMessage(found.length === 0 ? `${name}: no build-check findings.` : `${name}: ${found.length} finding${found.length === 1 ? '' : 's'}, in Problems.`);
  }
}

export function registerDockerfileCheck(ctx: Ctx, problems: vscode.DiagnosticCollection): void {
  registerCommandTable(ctx, {
    'containerd.buildkit.checkDockerfile': async (given?: vscode.Uri) => {
      const uri = given ?? vscode.window.activeTextEditor?.document.uri;
      if (!uri) throw new Error('Open a Dockerfile to check it.');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking Dockerfile' }, () => check(ctx, problems, uri, false));
    },
  });
  ctx.own(vscode.workspace.onDidSaveTextDocument((document) => {
    if (document.languageId !== 'dockerfile' || !vscode.workspace.getConfiguration('containerd').get<boolean>('buildkit.checkOnSave', false)) return;
    check(ctx, problems, document.uri, true).catch((error: unknown) => ctx.log.warn(`check on save: ${error instanceof Error ? error.message : String(error)}`));
  }));
}
