// Check Dockerfile: the build checks of a Dockerfile without building it, from the buildkitd a
// build would use (the Dockerfile frontend's lint request through buildctl: no Docker daemon
// needed; without a buildkitd, Docker's `buildx build --call=check`), on demand and, with
// containerd.buildkit.checkOnSave, on every save. The findings go to the same Problems entries a
// build task fills.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { buildctlSubrequestArgs, buildxCheckArgs } from '../buildkit/backendArgs';
import { checkJsonDiagnostics } from '../buildkit/checkJson';
import type { BuildDiagnostic, DockerfileSource } from '../buildkit/diagnostics';
import { checkDiagnostics } from '../buildkit/lintResult';
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import { lastStderrLine, runProcess, type RunResult } from '../process/runner';
import { installed, toDiagnostic } from './buildTasks';
import { CheckFixActions, recheckCommand } from './checkFixActions';
import { findHost } from './buildkitHostSearch';

/** The findings of buildctl's lint request to a buildkitd, or of Docker's check request when no buildkitd is there. */
async function findings(ctx: Ctx, dockerfile: DockerfileSource): Promise<BuildDiagnostic[]> {
  const scope = ctx.scope.get();
  const config = ctx.config();
  const [{ host, tried }, buildctl, docker] = await Promise.all([
    findHost(ctx, undefined, scope?.namespace ?? 'default'), installed(config.buildctlCommand), installed(config.dockerCommand),
  ]);
  if (host && buildctl) {
    const [file = 'buildctl', ...prefix] = config.buildctlCommand;
    // lint prints nothing for a file it cannot parse; the outline request fails on it, with the line.
    const ask = (request: 'frontend.lint' | 'frontend.outline'): Promise<RunResult> =>
      runProcess({ file, args: [...prefix, ...buildctlSubrequestArgs(host, undefined, dockerfile.path, request)] }, { timeoutMs: 120_000 });
    const [lint, outline] = await Promise.all([ask('frontend.lint'), ask('frontend.outline')]);
    if (lint.exitCode !== 0) throw new Error(`Check Dockerfile failed (${file}): ${lint.failedToStart ?? lastStderrLine(lint)}`);
    return checkDiagnostics({ lintStdout: lint.stdout, outline }, dockerfile);
  }
  if (docker) {
    const [file = 'docker', ...prefix] = config.dockerCommand;
    const result = await runProcess({ file, args: [...prefix, ...buildxCheckArgs(dockerfile.path)] }, { timeoutMs: 120_000 });
    // buildx exits 1 when it found something: what it printed says whether it checked at all.
    const found = result.exitCode === 0 || result.exitCode === 1 ? checkJsonDiagnostics(result.stdout, dockerfile) : undefined;
    if (!found) throw new Error(`Check Dockerfile failed (${file} buildx): ${result.failedToStart ?? lastStderrLine(result)}`);
    return found;
  }
  throw new Error(host
    ? 'Check Dockerfile needs buildctl (or docker with buildx): install BuildKit, or set containerd.buildctl.command.'
    : `No buildkitd was found to check with${tried.length > 0 ? ` (looked for ${tried.join(', ')})` : ''}, and no docker: start one, set containerd.buildkit.host, or install Docker with buildx.`);
}

/**
 * The checks of the text in the editor, saved or not: a copy in a private folder (with the
 * Dockerfile's .dockerignore files) is what the frontend reads; the lines are the same.
 */
async function recheck(ctx: Ctx, problems: vscode.DiagnosticCollection, document: vscode.TextDocument): Promise<void> {
  if (document.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return;
  const dir = await mkdtemp(join(tmpdir(), 'vscc-check-'));
  try {
    const name = basename(document.uri.fsPath);
    const copy = join(dir, name);
    await writeFile(copy, document.getText());
    for (const ignore of ['.dockerignore', `${name}.dockerignore`]) await copyFile(join(dirname(document.uri.fsPath), ignore), join(dir, ignore)).catch(() => undefined);
    const found = await findings(ctx, { path: copy, text: document.getText() });
    problems.set(document.uri, found.map(toDiagnostic));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function check(ctx: Ctx, problems: vscode.DiagnosticCollection, uri: vscode.Uri, quiet: boolean): Promise<void> {
  if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a local file: the build tools read the Dockerfile from this machine's disk`);
  if (!vscode.workspace.isTrusted) throw new Error('Check Dockerfile does not run in Restricted Mode: it runs buildctl or docker. Trust the folder to check.');
  const found = await findings(ctx, { path: uri.fsPath, text: await readFile(uri.fsPath, 'utf8') });
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
  ctx.own(vscode.languages.registerCodeActionsProvider({ language: 'dockerfile' }, new CheckFixActions(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
  registerCommandTable(ctx, {
    [recheckCommand]: async (uri?: unknown) => {
      const document = vscode.workspace.textDocuments.find((d) => uri instanceof vscode.Uri && d.uri.toString() === uri.toString());
      if (document) await recheck(ctx, problems, document);
    },
  });
  ctx.own(vscode.workspace.onDidSaveTextDocument((document) => {
    if (document.languageId !== 'dockerfile' || !vscode.workspace.getConfiguration('containerd').get<boolean>('buildkit.checkOnSave', false)) return;
    check(ctx, problems, document.uri, true).catch((error: unknown) => ctx.log.warn(`check on save: ${error instanceof Error ? error.message : String(error)}`));
  }));
}
