// The explorer's scope: which endpoint and namespace (or all namespaces) the Images, Containers
// and Snapshots views show. Remembered per workspace; see model/scopeChoice for the fallbacks.
import * as vscode from 'vscode';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { resolveScope, sameScope, type Scope } from '../model/scopeChoice';

export type { Scope } from '../model/scopeChoice';

const key = 'containerd.scope';
/** The scope shown last, chosen or not: the next start shows it at once, before the endpoints answer. */
const lastShownKey = 'containerd.lastShownScope';

export class ScopeStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Scope | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly noticed = new vscode.EventEmitter<string>();
  /** The views show something other than what was chosen, and why. */
  readonly onDidNotice = this.noticed.event;
  private effective: Scope | undefined;

  constructor(private readonly memento: vscode.Memento) {
    this.effective = memento.get<Scope>(key) ?? memento.get<Scope>(lastShownKey);
  }

  /** The scope the views show. */
  get(): Scope | undefined {
    return this.effective;
  }

  async choose(scope: Scope): Promise<void> {
    await this.memento.update(key, scope);
    this.set(scope);
  }

  /** Called with each new endpoints answer; fires only when the effective scope changes. */
  update(statuses: readonly EndpointStatus[]): void {
    const resolution = resolveScope(this.memento.get<Scope>(key), statuses, this.effective);
    if (resolution.forgetChoice) void this.memento.update(key, undefined);
    if (resolution.notice) this.noticed.fire(resolution.notice);
    this.set(resolution.scope);
  }

  dispose(): void {
    this.changed.dispose();
    this.noticed.dispose();
  }

  private set(scope: Scope | undefined): void {
    const before = this.effective;
    this.effective = scope;
    if (scope && !sameScope(this.memento.get<Scope>(lastShownKey), scope)) void this.memento.update(lastShownKey, scope);
    if (!sameScope(before, scope)) this.changed.fire(scope);
  }
}
