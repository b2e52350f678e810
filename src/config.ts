// The only reader (and writer) of the extension's workspace configuration.
import * as vscode from 'vscode';
import { logOptionsFrom, type LogOptions } from './nerdctl/containerArgs';

const section = 'containerd';

export interface Config {
  /** The user's explicit address, or undefined when only the default applies. */
  readonly address: string | undefined;
  readonly discovery: boolean;
  /** More daemons to show beside `address` (a k3s socket at its own path, a bind-mounted one). */
  readonly additionalAddresses: readonly string[];
  readonly requestTimeoutMs: number;
  /** Images view: one node per repository holding its tags, or a flat list of names. */
  readonly groupImagesByRepository: boolean;
  readonly containersSortBy: ContainerSort;
  /** The argv that runs nerdctl (`['nerdctl']`, `['sudo', 'nerdctl']`, a full path): user settings only. */
  readonly nerdctlCommand: readonly string[];
  /** How to run crictl (Kubernetes containers' logs), as an argv prefix; user settings only. */
  readonly crictlCommand: readonly string[];
  /** How to run buildctl and docker (build tasks), as argv prefixes; user settings only. */
  readonly buildctlCommand: readonly string[];
  readonly dockerCommand: readonly string[];
  /** The dlv the buildkitd debug type runs (a configuration's dlvPath wins); user settings only. */
  readonly dlvPath: string;
  /** The buildkitd build tasks use unless a task names one; undefined: found as nerdctl finds it. */
  readonly buildkitHost: string | undefined;
  /** Docker Engine's socket for Docker's container names (namespace moby); undefined: DOCKER_HOST, then Docker's default. */
  readonly dockerHost: string | undefined;
  /** A command run again on the same target: replace its terminal, or open another. */
  readonly terminalReuse: 'replace' | 'new';
  /** The shell Attach Shell starts in a container: auto (bash, else sh) or a path. */
  readonly containerShell: string;
  /** Show Logs and Compose Logs: follow, lines from the end (undefined: all), timestamps. */
  readonly logs: LogOptions;
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
  /** docker.host: the Containers view reads again (Docker's names come with its load). */
  readonly dockerNames: boolean;
}

const connectionKeys = ['address', 'additionalAddresses', 'discovery.enabled', 'requestTimeoutSeconds'] as const;
const displayKeys = ['images.groupByRepository', 'containers.sortBy'] as const;
const dockerNameKeys = ['docker.host'] as const;

function containerSort(value: string | undefined): ContainerSort {
  return value === 'created' || value === 'state' ? value : 'name';
}

function explicitValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/**
 * A program to run, from the user's own settings only: a workspace (a cloned repository) must not
 * choose what the extension executes.
 */
function userArgv(config: vscode.WorkspaceConfiguration, key: string, fallback: readonly string[]): readonly string[] {
  const value = config.inspect<unknown>(key)?.globalValue;
  if (typeof value === 'string' && value.trim()) return [value.trim()];
  if (Array.isArray(value) && value.length > 0 && value.every((v): v is string => typeof v === 'string' && v.length > 0)) return value;
  return fallback;
}

/** The non-empty strings of a list setting, trimmed; anything else in it (hand-edited JSON) is left out. */
function stringList(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : [])) : [];
}

export function readConfig(): Config {
  const config = vscode.workspace.getConfiguration(section);
  const timeoutSeconds = config.get<number>('requestTimeoutSeconds', 10);
  return {
    address: explicitValue<string>(config, 'address'),
    discovery: config.get<boolean>('discovery.enabled', true),
    additionalAddresses: stringList(config.get<unknown>('additionalAddresses')),
    groupImagesByRepository: config.get<boolean>('images.groupByRepository', true),
    containersSortBy: containerSort(config.get<string>('containers.sortBy')),
    nerdctlCommand: userArgv(config, 'nerdctl.command', ['nerdctl']),
    crictlCommand: userArgv(config, 'crictl.command', ['crictl']),
    buildctlCommand: userArgv(config, 'buildctl.command', ['buildctl']),
    dockerCommand: userArgv(config, 'docker.command', ['docker']),
    dlvPath: userArgv(config, 'debug.dlvPath', ['dlv'])[0] ?? 'dlv',
    buildkitHost: config.get<string>('buildkit.host')?.trim() || undefined,
    dockerHost: config.get<string>('docker.host')?.trim() || undefined,
    terminalReuse: config.get<string>('terminals.reuse') === 'new' ? 'new' : 'replace',
    containerShell: config.get<string>('containers.shell', 'auto').trim() || 'auto',
    logs: logOptionsFrom({ follow: config.get('logs.follow'), tail: config.get('logs.tail'), timestamps: config.get('logs.timestamps') }),
    requestTimeoutMs: Math.min(Math.max(Number.isFinite(timeoutSeconds) ? timeoutSeconds : 10, 1), 300) * 1000,
  };
}

/** Which kinds of settings an event changed; undefined when none of ours. */
export function classifyChange(event: vscode.ConfigurationChangeEvent): Omit<ConfigChange, 'config'> | undefined {
  if (!event.affectsConfiguration(section)) return undefined;
  const touches = (keys: readonly string[]): boolean => keys.some((key) => event.affectsConfiguration(`${section}.${key}`));
  return { connection: touches(connectionKeys), display: touches(displayKeys), dockerNames: touches(dockerNameKeys) };
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
