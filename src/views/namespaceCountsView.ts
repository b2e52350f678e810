// Keeps the Namespaces view's counts (images, containers, snapshots per namespace) current:
// counted after each namespaces load, and again for the namespaces an event batch touched.
import type { NamespaceCounts } from '../containerd/namespaceCounts';
import { namespaceCounts } from '../containerd/namespaceCounts';
import { listSnapshotters } from '../containerd/snapshots';
import type { Ctx } from '../ctx';
import type { Explorer } from './explorer';
import type { NamespacesTreeProvider } from './namespacesTree';

export class NamespaceCountsStore {
  private readonly counts = new Map<string, NamespaceCounts>();

  get(address: string, namespace: string): NamespaceCounts | undefined {
    return this.counts.get(`${address}#${namespace}`);
  }

  set(address: string, namespace: string, counts: NamespaceCounts): void {
    this.counts.set(`${address}#${namespace}`, counts);
  }
}

export function watchNamespaceCounts(ctx: Ctx, store: NamespaceCountsStore, namespaces: NamespacesTreeProvider, explorer: Explorer): void {
  const recount = async (address: string, names: Iterable<string>): Promise<void> => {
    const api = ctx.connections().get(address);
    try {
      const snapshotters = (await listSnapshotters(api)).filter((s) => s.ok).map((s) => s.name);
      await Promise.all([...names].map(async (name) => store.set(address, name, await namespaceCounts(api, name, snapshotters))));
      namespaces.repaint();
    } catch (error) {
      ctx.log.warn(`counting ${address}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  ctx.own(namespaces.onDidLoad((statuses) => {
    for (const s of statuses) if (s.reachable) void recount(s.endpoint.address, s.namespaces.map((n) => n.name));
  }));
  // One event batch fires a change per area: gather them and count each namespace once. Task
  // changes never change a count.
  const pending = new Map<string, Set<string>>();
  ctx.own(explorer.onDidChange((change) => {
    if (change.namespaces === 'all' || change.area === 'tasks') return;
    if (pending.size === 0) {
      queueMicrotask(() => {
        const batch = [...pending];
        pending.clear();
        for (const [address, names] of batch) void recount(address, names);
      });
    }
    const names = pending.get(change.address) ?? new Set<string>();
    for (const name of change.namespaces) names.add(name);
    pending.set(change.address, names);
  }));
}
