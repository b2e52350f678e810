// nerdctl compose up / logs / down for a compose file: from the file's context menu, its editor
// title, or the palette (which offers the workspace's compose files). The daemon and namespace are
// the explorer's, chosen as for every command without a row; down asks first, naming the project.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { composeArgs, composeProjectOf, isComposeFile, type ComposeVerb } from '../nerdctl/compose';
import { openNerdctlTerminal } from './nerdctlTarget';
import { registerCommandTable } from './table';
import { pickTarget } from './targetPicker';

const composeGlob = '**/{compose,docker-compose}*.{yaml,yml}';

async function composeFile(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const given = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (given && isComposeFile(posix.basename(given.path))) return given;
  const found = (await vscode.workspace.findFiles(composeGlob, undefined, 200)).filter((u) => isComposeFile(posix.basename(u.path)));
  if (found.length === 0) throw new Error('No compose file (compose.yaml, docker-compose.yml and their variants) is open or in the workspace.');
  const picked = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Compose file' });
  return picked?.uri;
}

export function registerComposeCommands(ctx: Ctx): void {
  const compose = (verb: ComposeVerb) => async (uri?: vscode.Uri): Promise<void> => {
    const file = await composeFile(uri instanceof vscode.Uri ? uri : undefined);
    if (!file) return;
    if (file.scheme !== 'file') throw new Error(`${file.toString()} is not a local file: nerdctl reads compose files from this machine's disk`);
    const project = composeProjectOf(file.fsPath);
    const target = await pickTarget(ctx, `run compose project "${project}" in`);
    if (!target) return;
    if (verb === 'down') {
      const action = 'Compose Down';
      const answer = await vscode.window.showWarningMessage(`Stop and remove compose project "${project}"?`, {
        modal: true,
        detail: `nerdctl compose down stops and removes every container of project "${project}" (${vscode.workspace.asRelativePath(file)}) in namespace "${target.namespace}" of containerd at ${target.address}, and the networks it created. Volumes and images stay.`,
      }, action);
      if (answer !== action) return;
    }
    await openNerdctlTerminal(ctx, `compose ${verb} ${project}`, target, composeArgs(file.fsPath, verb, ctx.config().logs));
  };
  registerCommandTable(ctx, {
    'containerd.compose.up': compose('up'),
    'containerd.compose.logs': compose('logs'),
    'containerd.compose.down': compose('down'),
  });
}
