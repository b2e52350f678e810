// ${command:containerd.buildkitd.pickProcess}: the running buildkitds, the Builders view's first
// (the one the user builds with), each with pid, user, version, address and command line.
import * as vscode from 'vscode';
import { buildkitdVersion, hostProcesses, listBuildkitdProcesses, processSummary } from '../debug/buildkitdProcesses';
import type { BuildersTree } from '../views/buildersTree';

/** How long the picker waits for the Builders view to say which buildkitd it shows. */
const builderWaitMs = 1_500;

async function builderAddress(builders: BuildersTree): Promise<string | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), builderWaitMs));
  const first = builders.builders().then((nodes) => nodes.find((n) => n.state.reachable)?.state.address).catch(() => undefined);
  return Promise.race([first, timeout]);
}

export async function pickBuildkitdProcess(builders: BuildersTree): Promise<string | undefined> {
  const processes = await listBuildkitdProcesses(hostProcesses, await builderAddress(builders));
  if (processes.length === 0) {
    void vscode.window.showWarningMessage('No buildkitd process is running on this machine (as seen from its /proc). Start buildkitd, or attach to a dlv --headless with "host" and "port".');
    return undefined;
  }
  const items = await Promise.all(processes.map(async (process) => ({
    label: `$(server-process) buildkitd ${process.addresses.join(', ')}${process.defaultAddress ? ' (default)' : ''}`,
    description: processSummary(process, await buildkitdVersion(process)),
    detail: process.commandLine.join(' '),
    pid: process.pid,
  })));
  const picked = await vscode.window.showQuickPick(items, { title: 'Attach the debugger to buildkitd', placeHolder: 'Pick a buildkitd process', matchOnDescription: true, matchOnDetail: true });
  return picked ? String(picked.pid) : undefined;
}
