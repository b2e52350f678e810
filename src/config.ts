// The only reader (and writer) of the extension's workspace configuration.
import * as vscode from 'vscode';

const section = 'containerd';

export interface Config {
  /** The user's explicit address, or undefined when only the default applies. */
  readonly address: string | undefined;
  readonly discovery: boolean;
  readonly requestTimeoutMs: number;
  /** Images view: one node per repository holding its tags, or a flat list of names. */
  readonly groupImagesByRepository: boolean;
  readonly containersSortBy: ContainerSort;
}

export type ContainerSort = 'name' | 'created' | 'state';

function containerSort(value: string | undefined): ContainerSort {
  return value === 'created' || value === 'state' ? value : 'name';
}

function explicitValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

export function readConfig(): Config {
  const config = vscode.workspace.getConfiguration(section);
  const timeoutSeconds = config.get<number>('requestTimeoutSeconds', 10);
  return {
    address: explicitValue<string>(config, 'address'),
    discovery: config.get<boolean>('discovery.enabled', true),
    groupImagesByRepository: config.get<boolean>('images.groupByRepository', true),
    containersSortBy: containerSort(config.get<string>('containers.sortBy')),
    requestTimeoutMs: Math.min(Math.max(Number.isFinite(timeoutSeconds) ? timeoutSeconds : 10, 1), 300) * 1000,
  };
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(section);
}

/** Saves the address where the user will see it: the workspace when one is open, else user settings. */
export async function writeAddress(address: string): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(section).update('address', address, target);
}
