// Keeps the Namespaces view's counts (images, containers, snapshots per namespace) current:
// counted after each endpoints load, then only the areas and namespaces an event batch touched.
import { countedAreas, namespaceCounts, type CountedArea, type NamespaceCounts } from '../containerd/namespaces/namespaceCounts';
import { listSnapshotters } from '../containerd/snapshots/snapshots';
import type { Ctx } from '../ctx';
import { ReloadGate } from '../model/reloadGate';

export class NamespaceCountsStore {
  private readonly counts = new Map<string, NamespaceCounts>();

  get(address: string, namespace: string): NamespaceCounts | undefined {
    return this.counts.get(`${address}\u0000${namespace}`);
  }

  set(address: string, namespace: string, counts: NamespaceCounts): void {
    this.counts.set(`${address}\u0000${namespace}`, counts);
  }
}

export function watchNamespaceCounts(ctx: Ctx, store: NamespaceCountsStore, repaint: () => void): void {
  const recount = async (address: string, take: () => ReadonlyMap<string, ReadonlySet<CountedArea>>): Promise<void> => {
    // After the views' rows: both want the daemon and this thread, and the rows are what users wait for.
    await ctx.foreground.idle();
    const names = take();
    if (names.size === 0) return;
    const api = ctx.connections().get(address);
    try {
      const snapshotters = (await listSnapshotters(api)).filter((s) => s.ok).map((s) => s.name);
      await Promise.all([...names].map(async ([name, areas]) => store.set(address, name, await namespaceCounts(api, name, snapshotters, areas, store.get(address, name)))));
      repaint();
    } catch (error) {
      ctx.log.warn(`counting ${address}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const all = new Set(countedAreas);
  ctx.own(ctx.endpoints.onDidLoad((statuses) => {
    for (const s of statuses) {
      if (s.reachable) void recount(s.endpoint.address, () => new Map(s.namespaces.map((n) => [n.name, all])));
    }
  }));
  // Each event batch fires a change per area: gather them per endpoint, count each namespace once
  // and only the areas that changed, through a gate (one count running, storms damped). Task
  // changes never change a count.
  const pending = new Map<string, Map<string, Set<CountedArea>>>();
  const gates = new Map<string, ReloadGate<void>>();
  const gateOf = (address: string): ReloadGate<void> => {
    let gate = gates.get(address);
    if (!gate) {
      // What is pending is taken when the count starts reading (recount waits for the views
      // first): requests the gate counts as covered by a running count are in it.
      gate = new ReloadGate(() => recount(address, () => {
        const names = pending.get(address) ?? new Map<string, Set<CountedArea>>();
        pending.delete(address);
        return names;
      }), () => true);
      gates.set(address, gate);
    }
    return gate;
  };
  ctx.own({ dispose: () => { for (const gate of gates.values()) gate.dispose(); } });
  ctx.own(ctx.events.onDidChange((change) => {
    if (change.namespaces === 'all' || change.area === 'tasks') return;
    const names = pending.get(change.address) ?? new Map<string, Set<CountedArea>>();
    for (const name of change.namespaces) names.set(name, (names.get(name) ?? new Set<CountedArea>()).add(change.area));
    pending.set(change.address, names);
    gateOf(change.address).request();
  }));
}
