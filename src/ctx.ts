// The one context object every feature's register() receives: settings, connections, and the
// explorer's shared state (scope, endpoint statuses, event router, blob caches). Features reach
// each other only through it, so extension.ts may call their register() in any order.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { classifyChange, readConfig, type Config, type ConfigChange } from './config';
import { Connections } from './containerd/connection/connections';
import { RequestCounts } from './containerd/connection/requestCounts';
import { MethodTable } from './containerd/proto/codec';
import { ForegroundWork } from './model/foregroundWork';
import { readNerdctlVersion, VersionCache } from './nerdctl/toolVersion';
import { TerminalManager } from './providers/terminals';
import { BlobCaches } from './views/blobCaches';
import { EndpointStatuses } from './views/endpointStatuses';
import { EventRouter } from './views/eventRouter';
import { ScopeStore } from './views/scope';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Current settings; replaced when the configuration changes. */
  config(): Config;
  /** The protobuf method table every client shares (parsed once, on first use). */
  readonly methods: MethodTable;
  /** gRPC connections; replaced (old ones closed) only when a connection setting changes. */
  connections(): Connections;
  /** Fires after config() (and, for connection settings, connections()) have been replaced. */
  readonly onDidChangeConfig: vscode.Event<ConfigChange>;
  /** Which endpoint and namespace the Images, Containers and Snapshots views show. */
  readonly scope: ScopeStore;
  /** Every endpoint's last answer (version and namespaces, or why unreachable). */
  readonly endpoints: EndpointStatuses;
  /** Event streams per endpoint, turned into per-area change notices. */
  readonly events: EventRouter;
  /** Image documents read from content stores, per endpoint (blobs are immutable). */
  readonly blobs: BlobCaches;
  /** Every call made to every endpoint, counted per method. */
  readonly requests: RequestCounts;
  /** The views' loads go first; background work (namespace counts) waits for them. */
  readonly foreground: ForegroundWork;
  /** Every terminal the extension opens (named after its target, reused by setting). */
  readonly terminals: TerminalManager;
  /** nerdctl's version per command line, read once (refuses a nerdctl too old for our argv). */
  readonly nerdctlVersions: VersionCache;
  /** A folder on disk for big temporary files (an image archive during a copy); may not exist yet. */
  readonly scratchFolder: string;
  /** Adds a disposable to the extension's lifetime. */
  own<T extends vscode.Disposable>(disposable: T): T;
}

export function createCtx(extension: vscode.ExtensionContext): Ctx {
  const log = vscode.window.createOutputChannel('containerd', { log: true });
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    extension.subscriptions.push(disposable);
    return disposable;
  };
  own(log);
  const methods = new MethodTable();
  let config = readConfig();
  const requests = new RequestCounts();
  let connections = new Connections({ methods, timeoutMs: config.requestTimeoutMs, counts: requests });
  own({ dispose: () => connections.closeAll() });
  const changed = own(new vscode.EventEmitter<ConfigChange>());
  own(vscode.workspace.onDidChangeConfiguration((event) => {
    const kinds = classifyChange(event);
    if (!kinds) return;
    config = readConfig();
    if (kinds.connection) {
      connections.closeAll();
      connections = new Connections({ methods, timeoutMs: config.requestTimeoutMs, counts: requests });
    }
    changed.fire({ config, ...kinds });
  }));
  const core = {
    extension,
    log,
    methods,
    config: () => config,
    connections: () => connections,
    onDidChangeConfig: changed.event,
    requests,
    foreground: new ForegroundWork(),
    terminals: own(new TerminalManager(() => config.terminalReuse)),
    nerdctlVersions: new VersionCache(readNerdctlVersion),
    own,
  };
  const scope = own(new ScopeStore(extension.workspaceState));
  const endpoints = own(new EndpointStatuses(core));
  const events = own(new EventRouter(core, endpoints));
  // Image documents outlive the window in the extension's global storage, when it is a local folder.
  const storage = extension.globalStorageUri;
  const blobs = new BlobCaches(storage.scheme === 'file' ? join(storage.fsPath, 'image-documents') : undefined);
  own(endpoints.onDidLoad((statuses) => scope.update(statuses)));
  // A scope remembered from the last window: its event stream starts right after activation
  // (which must stay short: grpc-js loads with the first call), beside the first endpoints
  // read, and its views load on the stream's first connect.
  const remembered = scope.get();
  if (remembered) {
    const early = setTimeout(() => events.followEarly(remembered.address), 0);
    own({ dispose: () => clearTimeout(early) });
  }
  own(scope.onDidNotice((notice) => {
    log.warn(notice);
    void vscode.window.showInformationMessage(notice);
  }));
  // On disk in the global storage: /tmp is often RAM, and an image archive is as big as the image.
  const scratchFolder = storage.scheme === 'file' ? join(storage.fsPath, 'scratch') : tmpdir();
  return { ...core, scope, endpoints, events, blobs, scratchFolder };
}
