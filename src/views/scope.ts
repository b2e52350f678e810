// The explorer's scope: which endpoint and namespace (or all namespaces) the Images, Containers
// and Snapshots views show. Remembered per workspace.
import * as vscode from 'vscode';
import type { EndpointStatus } from '../containerd/endpointStatus';

export interface Scope {
  readonly address: string;
  /** undefined: all namespaces. */
  readonly namespace: string | undefined;
}

const key = 'containerd.scope';

/** The namespace a fresh workspace starts with: the endpoint's customary one, then `default`. */
export function defaultScope(statuses: readonly EndpointStatus[]): Scope | undefined {
  const first = statuses.find((s) => s.reachable);
  if (!first?.reachable) return undefined;
  const names = first.namespaces.map((n) => n.name);
  const preferred = [first.endpoint.preferredNamespace, 'default'].find((n) => n !== undefined && names.includes(n));
  return { address: first.endpoint.address, namespace: preferred ?? names[0] };
}

export class ScopeStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Scope | undefined>();
  readonly onDidChange = this.changed.event;
  private fallback: Scope | undefined;

  constructor(private readonly memento: vscode.Memento) {}

  /** The chosen scope, else the default derived from the last endpoint statuses. */
  get(): Scope | undefined {
    return this.memento.get<Scope>(key) ?? this.fallback;
  }

  async choose(scope: Scope): Promise<void> {
    await this.memento.update(key, scope);
    this.changed.fire(scope);
  }

  /** Called with each new namespaces answer; fires only when the effective scope changes. */
  updateFallback(statuses: readonly EndpointStatus[]): void {
    const before = this.get();
    // With every daemon down there is nothing better to show: keep the last scope, whose views
    // say "disconnected" and come back with the daemon.
    this.fallback = defaultScope(statuses) ?? this.fallback;
    const after = this.get();
    if (before?.address !== after?.address || before?.namespace !== after?.namespace) this.changed.fire(after);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
