// How many calls of each method the extension made to each endpoint since it started: what the
// log prints on request, and what the tests read to check that a Refresh re-reads without
// re-subscribing, or that a display setting repaints without any call at all. The first calls
// are also kept with their times: the bench reads where a start's time goes.

/** One call: when it was sent and answered, as this process's performance.now(). */
export interface CallSpan {
  readonly address: string;
  readonly path: string;
  readonly namespace: string;
  readonly sentMs: number;
  /** Undefined while it runs (and for streams that stay open). */
  answeredMs?: number;
}

/** Enough for a start (a few dozen calls); later calls are only counted. */
const keptSpans = 200;

export class RequestCounts {
  /** Calls per method path, per endpoint address. */
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly spans: CallSpan[] = [];

  /** Counts one call of `path` (/service/Method) to `address`; call the result when it is answered. */
  note(address: string, path: string, namespace = ''): () => void {
    const perPath = this.counts.get(address) ?? new Map<string, number>();
    perPath.set(path, (perPath.get(path) ?? 0) + 1);
    this.counts.set(address, perPath);
    if (this.spans.length >= keptSpans) return () => undefined;
    const span: CallSpan = { address, path, namespace, sentMs: performance.now() };
    this.spans.push(span);
    return () => { span.answeredMs ??= performance.now(); };
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

  /** The first calls in the order they were sent, with their times (copies). */
  timeline(): CallSpan[] {
    return this.spans.map((s) => ({ ...s }));
  }
}
