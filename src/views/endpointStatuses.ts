// Every endpoint's last answer: discovery (settings, environment, nerdctl.toml, well-known
// sockets) then version and namespaces of each. Read at start, on Refresh, when an event stream
// comes back, when namespaces change, and when a connection setting changes.
import * as vscode from 'vscode';
import { readAllEndpointStatus, type EndpointStatus } from '../containerd/connection/endpointStatus';
import { discoverEndpoints, hostFiles } from '../containerd/connection/endpoints';
import { nerdctlTomlPath, parseNerdctlToml, type NerdctlConfig } from '../nerdctl/toml';
import type { Ctx } from '../ctx';

type Core = Pick<Ctx, 'config' | 'connections' | 'onDidChangeConfig' | 'log'>;

export class EndpointStatuses implements vscode.Disposable {
  private readonly loaded = new vscode.EventEmitter<readonly EndpointStatus[]>();
  /** Fires with each newest answer. */
  readonly onDidLoad = this.loaded.event;
  private readonly started = new vscode.EventEmitter<void>();
  /** Fires when a new read starts (a tree shows its rows once the answer is in). */
  readonly onDidStart = this.started.event;
  private current: Promise<readonly EndpointStatus[]> | undefined;
  private generation = 0;
  private lastNerdctl: NerdctlConfig | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly core: Core) {
    this.subscription = core.onDidChangeConfig((change) => {
      if (change.connection) void this.refresh();
    });
  }

  /** The statuses being read or last read; the first call starts the first read. */
  statuses(): Promise<readonly EndpointStatus[]> {
    return this.current ?? this.refresh();
  }

  /** The last answer's statuses without waiting; undefined before the first answer. */
  latest: readonly EndpointStatus[] | undefined;

  /** The first read has started and not answered yet. */
  get firstReadPending(): boolean {
    return this.latest === undefined && this.current !== undefined;
  }

  /** What the user's nerdctl.toml said at the last read (its snapshotter, say). */
  get nerdctl(): NerdctlConfig | undefined {
    return this.lastNerdctl;
  }

  refresh(): Promise<readonly EndpointStatus[]> {
    const generation = ++this.generation;
    const reading = this.read().then((statuses) => {
      // A newer refresh supersedes this one; only the newest answer reaches the views.
      if (generation === this.generation) {
        this.latest = statuses;
        this.loaded.fire(statuses);
      }
      return statuses;
    });
    this.current = reading;
    this.started.fire();
    return reading;
  }

  dispose(): void {
    this.subscription.dispose();
    this.loaded.dispose();
    this.started.dispose();
  }

  private async read(): Promise<readonly EndpointStatus[]> {
    const config = this.core.config();
    const nerdctlText = await hostFiles.readFile(nerdctlTomlPath(process.env, process.getuid?.() === 0));
    const nerdctl = nerdctlText === undefined ? undefined : parseNerdctlToml(nerdctlText);
    this.lastNerdctl = nerdctl;
    const endpoints = await discoverEndpoints({ configuredAddress: config.address, additionalAddresses: config.additionalAddresses, discovery: config.discovery, env: process.env, nerdctl, ...hostFiles });
    return readAllEndpointStatus(endpoints, this.core.connections());
  }
}
