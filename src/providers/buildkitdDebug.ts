// The `buildkitd` debug type: initial configurations, the resolver that checks a configuration and
// runs the preflight before any dlv starts, the adapter factory and the process picker.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { checkDebugConfig, dlvRequestArguments } from '../debug/debugConfig';
import { findingText } from '../debug/finding';
import { hasErrors } from '../debug/preflight';
import { hostMachine, preflightOnMachine } from '../debug/preflightFacts';
import type { BuildersTree } from '../views/buildersTree';
import { pickBuildkitdProcess } from './buildkitdPicker';
import { DlvAdapterFactory } from './dlvAdapters';

export const debugType = 'buildkitd';
const pickProcess = '${command:containerd.buildkitd.pickProcess}';

export const initialConfigurations: vscode.DebugConfiguration[] = [
  { type: debugType, request: 'attach', name: 'Attach to buildkitd', processId: pickProcess },
];

class BuildkitdConfigurations implements vscode.DebugConfigurationProvider {
  constructor(private readonly ctx: Ctx) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations;
  }

  /** F5 with no launch.json: attach to a buildkitd picked from the list. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    if (!config.type && !config.request && !config.name) return { ...initialConfigurations[0] };
    return config;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('buildkitd debugging is off in Restricted Mode: a launch configuration from an untrusted folder could make the extension run any program as dlv. Trust the workspace to debug.', 'Manage Workspace Trust')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    const checked = checkDebugConfig(config);
    if (!checked.ok) {
      void vscode.window.showErrorMessage(`Launch configuration "${config.name}": ${checked.error}`);
      return undefined;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const machine = hostMachine(this.ctx.config().dlvPath, folder?.uri.scheme === 'file' ? [folder.uri.fsPath, ...folders] : folders);
    const result = await preflightOnMachine(checked.value, machine);
    if (result) this.ctx.log.info(`debug: "${config.name}" with ${'path' in result.dlv ? `dlv ${result.dlv.version ?? '(version unknown)'} at ${result.dlv.path}` : 'no dlv'} (containerd.debug.dlvPath: ${machine.dlvSetting}${checked.value.dlvPath ? `, the configuration's dlvPath: ${checked.value.dlvPath}` : ''})`);
    for (const finding of result?.findings ?? []) this.ctx.log.info(`debug preflight (${finding.check}, ${finding.level}): ${findingText(finding)}`);
    if (result?.substitutePath) this.ctx.log.info(`debug: substitutePath ${JSON.stringify(result.substitutePath)}`);
    if (result && hasErrors(result)) {
      const errors = result.findings.filter((f) => f.level === 'error');
      void vscode.window.showErrorMessage(`Cannot debug "${config.name}": ${errors.map(findingText).join(' ')}`);
      return undefined;
    }
    for (const warning of (result?.findings ?? []).filter((f) => f.level === 'warning')) void vscode.window.showWarningMessage(findingText(warning));
    return {
      ...config,
      ...dlvRequestArguments(checked.value, result?.substitutePath ?? checked.value.substitutePath),
      ...(result && 'path' in result.dlv ? { dlvPath: result.dlv.path, dlvVersion: result.dlv.version } : {}),
      dlvFlags: checked.value.dlvFlags,
      asRoot: checked.value.asRoot,
    };
  }
}

export function registerBuildkitdDebugging(ctx: Ctx, builders: BuildersTree): void {
  ctx.own(vscode.debug.registerDebugConfigurationProvider(debugType, new BuildkitdConfigurations(ctx)));
  ctx.own(vscode.debug.registerDebugAdapterDescriptorFactory(debugType, ctx.own(new DlvAdapterFactory(ctx))));
  ctx.own(vscode.commands.registerCommand('containerd.buildkitd.pickProcess', () => pickBuildkitdProcess(builders)));
}
