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

/**
 * What a settings change touches. Only the keys that decide which daemons are talked to, and
 * how, reconnect; display keys only repaint (feeds and channels stay up).
 */
export interface ConfigChange {
  readonly config: Config;
  /** address, discovery or the request timeout: channels and event streams are replaced. */
  readonly connection: boolean;
  /** images.groupByRepository, containers.sortBy: rows are rebuilt from what is already read. */
  readonly display: boolean;
}

const connectionKeys = ['address', 'discovery.enabled', 'requestTimeoutSeconds'] as const;
const displayKeys = ['images.groupByRepository', 'containers.sortBy'] as const;

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

/** Which kinds of settings an event changed; undefined when none of ours. */
export function classifyChange(event: vscode.ConfigurationChangeEvent): Omit<ConfigChange, 'config'> | undefined {
  if (!event.affectsConfiguration(section)) return undefined;
  const touches = (keys: readonly string[]): boolean => keys.some((key) => event.affectsConfiguration(`${section}.${key}`));
  return { connection: touches(connectionKeys), display: touches(displayKeys) };
}

/**
 * Saves the address where the user will see it: the workspace when one is open and trusted, else
 * user settings. An untrusted workspace's own settings are ignored for the address (Restricted
 * Mode), so writing there would change nothing the user can see take effect.
 */
export async function writeAddress(address: string): Promise<void> {
  const workspace = Boolean(vscode.workspace.workspaceFolders?.length) && vscode.workspace.isTrusted;
  const target = workspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(section).update('address', address, target);
}
