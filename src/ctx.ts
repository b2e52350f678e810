// The one context object every feature's register() receives.
import * as vscode from 'vscode';
import { affectsConfig, readConfig, type Config } from './config';
import { Connections } from './containerd/connections';
import { MethodTable } from './containerd/proto/codec';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Current settings; replaced when the configuration changes. */
  config(): Config;
  /** The protobuf method table every client shares (parsed once, on first use). */
  readonly methods: MethodTable;
  /** gRPC connections of the current settings; replaced (old ones closed) when they change. */
  connections(): Connections;
  /** Fires after config() and connections() have been replaced by new settings. */
  readonly onDidChangeConfig: vscode.Event<Config>;
  /** Adds a disposable to the extension's lifetime. */
  own<T extends vscode.Disposable>(disposable: T): T;
}

export function createCtx(extension: vscode.ExtensionContext): Ctx {
  const log = vscode.window.createOutputChannel('containerd', { log: true });
  extension.subscriptions.push(log);
  const methods = new MethodTable();
  let config = readConfig();
  let connections = new Connections({ methods, timeoutMs: config.requestTimeoutMs });
  extension.subscriptions.push({ dispose: () => connections.closeAll() });
  const changed = new vscode.EventEmitter<Config>();
  extension.subscriptions.push(changed, vscode.workspace.onDidChangeConfiguration((event) => {
    if (!affectsConfig(event)) return;
    config = readConfig();
    connections.closeAll();
    connections = new Connections({ methods, timeoutMs: config.requestTimeoutMs });
    changed.fire(config);
  }));
  return {
    extension,
    log,
    methods,
    config: () => config,
    connections: () => connections,
    onDidChangeConfig: changed.event,
    own: (disposable) => {
      extension.subscriptions.push(disposable);
      return disposable;
    },
  };
}
