// Starts a private code-server (a real VS Code 1.99 workbench served over HTTP) on a free port of
// 127.0.0.1, with its own user data, extensions and config in a temp folder, and takes it down
// again with everything it spawned (extension hosts, file watchers, pty hosts).
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadComponents, MissingComponentError } from './components';
import { waitFor } from './waitFor';
import { freePort } from './freePort';

export interface CodeServerOptions {
  /** false: `--disable-workspace-trust`; true: trust is on and the folder opens in Restricted Mode. */
  readonly trust: boolean;
  /** Absolute path of the folder the workbench opens. */
  readonly folder: string;
  /** Extra environment for code-server; it reaches the extension host. */
  readonly env?: Readonly<Record<string, string>>;
  /** A .vsix to install into the private extensions folder before starting (`npm start`). */
  readonly installVsix?: string;
  /** A fixed port (else a free one). */
  readonly port?: number | undefined;
  /** More user settings (e.g. containerd.nerdctl.command, which only user settings may set). */
  readonly userSettings?: Readonly<Record<string, unknown>>;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  /** A `vscode-remote://` URI for an absolute path on this machine, as payload entries need. */
  remoteUri(absPath: string): string;
  /** The workbench URL opening `folder` (default: the one it started with), with `?payload=` built from the given pairs. */
  workbenchUrl(payload: ReadonlyArray<readonly [string, string]>, folder?: string): string;
  /** The workbench URL opening a multi-root workspace (a .code-workspace file), with `?payload=` as above. */
  workspaceUrl(payload: ReadonlyArray<readonly [string, string]>, workspaceFile: string): string;
  /** The last lines of code-server's own log, for failure messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** Why these user settings: with trust on, no modal trust prompt may block the page; the folder
 * must stay untrusted (Restricted Mode); nothing should reach for the (absent) internet. */
function userSettings(trust: boolean): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    ...(trust ? {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.untrustedFiles': 'open',
      'security.workspace.trust.banner': 'always',
    } : {}),
  };
}

/** code-server's entry script; a MissingComponentError naming it when it is not installed. */
export function codeServerEntry(): string {
  const entry = loadComponents().codeServer;
  try {
    accessSync(entry, constants.R_OK);
  } catch {
    throw new MissingComponentError(`code-server is missing: ${entry} cannot be read. Run \`npm run setup\` (scripts/setup.sh) to install it.`);
  }
  return entry;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  const dir = mkdtempSync(join(tmpdir(), 'vscc-code-server-'));
  const userData = join(dir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...userSettings(opts.trust), ...opts.userSettings }, null, 2));
  // The window is remote to code-server's own server, where an extension sees machine-scoped
  // settings (containerd.debug.dlvPath, nerdctl.command) only from the machine's settings file.
  mkdirSync(join(userData, 'Machine'), { recursive: true });
  writeFileSync(join(userData, 'Machine', 'settings.json'), JSON.stringify(opts.userSettings ?? {}, null, 2));
  // Its own config file: code-server would otherwise read (or create) ~/.config/code-server/config.yaml.
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const logFile = join(dir, 'code-server.log');
  const port = opts.port ?? await freePort();
  const dirs = ['--config', configFile, '--user-data-dir', userData, '--extensions-dir', join(dir, 'extensions')];
  const args = [
    entry, ...dirs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(opts.trust ? [] : ['--disable-workspace-trust']),
    opts.folder,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  // The outer environment must not choose the daemon for the extension: only settings do.
  delete env.CONTAINERD_ADDRESS;
  delete env.CONTAINERD_NAMESPACE;
  Object.assign(env, opts.env);
  if (opts.installVsix) {
    try {
      await promisify(execFile)(process.execPath, [entry, ...dirs, '--install-extension', opts.installVsix, '--force'], { env, timeout: 120_000 });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`code-server could not install ${opts.installVsix}: ${(error as Error).message}`);
    }
  }
  const log = openSync(logFile, 'a');
  // detached: its own process group, so stop() takes down the extension hosts it forks too.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => { exited = `code-server exited with ${signal ?? code}`; });
  const url = `http://127.0.0.1:${port}`;
  const logTail = (lines = 30): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup('SIGTERM');
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    }
    // Extension hosts may outlive the server by a moment: the group gets SIGKILL regardless.
    killGroup('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`code-server to answer ${url}/healthz`, async () => {
      if (exited) throw new Error(exited);
      const response = await fetch(`${url}/healthz`);
      return response.ok;
    }, 120_000, 250);
  } catch (error) {
    const message = `code-server did not start: ${(error as Error).message}\n--- code-server log tail ---\n${logTail()}`;
    await stop();
    throw new Error(message);
  }
  const remoteUri = (absPath: string): string => `vscode-remote://127.0.0.1:${port}${absPath}`;
  const withPayload = (opening: Record<string, string>, payload: ReadonlyArray<readonly [string, string]>): string => {
    const query = new URLSearchParams(opening);
    if (payload.length > 0) query.set('payload', JSON.stringify(payload));
    return `${url}/?${query.toString()}`;
  };
  return {
    url,
    port,
    logFile,
    remoteUri,
    workbenchUrl: (payload, folder = opts.folder) => withPayload({ folder }, payload),
    workspaceUrl: (payload, workspaceFile) => withPayload({ workspace: workspaceFile }, payload),
    logTail,
    stop,
  };
}
