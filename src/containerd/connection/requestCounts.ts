// How many calls of each method the extension made to each endpoint since it started: what the
// log prints on request, and what the tests read to check that a Refresh re-reads without
// re-subscribing, or that a display setting repaints without any call at all.

export class RequestCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one call of `path` (/service/Method) to `address`. */
  note(address: string, path: string): void {
    const key = `${address}\u0000${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Calls so far per method path, for one endpoint or all of them. */
  snapshot(address?: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, count] of this.counts) {
      const [callee = '', path = ''] = key.split('\u0000');
      if (address === undefined || callee === address) out[path] = (out[path] ?? 0) + count;
    }
    return out;
  }
}
