// Reads kept per endpoint and namespace until an event there says they are stale. Shared by the
// views that keep what events tell them is unchanged (container records, snapshot rows).
export class KeptReads<T> {
  private readonly kept = new Map<string, Map<string, Promise<T>>>();

  /** The kept read, or a new one; a read that fails is not kept, so the next asks again. */
  get(address: string, namespace: string, read: () => Promise<T>): Promise<T> {
    let byNamespace = this.kept.get(address);
    if (!byNamespace) {
      byNamespace = new Map();
      this.kept.set(address, byNamespace);
    }
    const namespaces = byNamespace;
    let pending = namespaces.get(namespace);
    if (!pending) {
      const started = read();
      namespaces.set(namespace, started);
      started.catch(() => namespaces.get(namespace) === started && namespaces.delete(namespace));
      pending = started;
    }
    return pending;
  }

  /** The kept read, if any, without starting one. */
  peek(address: string, namespace: string): Promise<T> | undefined {
    return this.kept.get(address)?.get(namespace);
  }

  /** Drops what an event made stale: some namespaces of an endpoint, or all of them. */
  forget(address: string, namespaces: ReadonlySet<string> | 'all'): void {
    if (namespaces === 'all') {
      this.kept.delete(address);
      return;
    }
    const byNamespace = this.kept.get(address);
    for (const namespace of namespaces) byNamespace?.delete(namespace);
  }
}
