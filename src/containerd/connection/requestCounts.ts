// How many calls of each method the extension made to each endpoint since it started: what the
// log prints on request, and what the tests read to check that a Refresh re-reads without
// re-subscribing, or that a display setting repaints without any call at all.

export class RequestCounts {
  /** Calls per method path, per endpoint address. */
  private readonly counts = new Map<string, Map<string, number>>();

  /** Counts one call of `path` (/service/Method) to `address`. */
  note(address: string, path: string): void {
    const perPath = this.counts.get(address) ?? new Map<string, number>();
    perPath.set(path, (perPath.get(path) ?? 0) + 1);
    this.counts.set(address, perPath);
  }

  /** Calls so far per method path, for one endpoint or all of them. */
  snapshot(address?: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [callee, perPath] of this.counts) {
      if (address !== undefined && callee !== address) continue;
      for (const [path, count] of perPath) out[path] = (out[path] ?? 0) + count;
    }
    return out;
  }
}
