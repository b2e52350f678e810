// Maps with at most `limit` calls in flight, keeping the input order: enough parallelism to hide
// round trips, without opening a thousand streams at once. Work served from caches settles in
// microtasks, which never let the event loop turn: a thousand cached images resolve in one block
// of 100 ms, while gRPC replies (and every other extension in the host) wait. So once a slice of
// `sliceMs` has passed, every worker waits for the same turn of the loop before going on.
import { performance } from 'node:perf_hooks';

/** How long the workers may keep the thread before the event loop gets a turn. */
const sliceMs = 8;

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let sliceStart = performance.now();
  let turn: Promise<void> | undefined;
  const letLoopTurn = (): Promise<void> | undefined => {
    if (!turn && performance.now() - sliceStart < sliceMs) return undefined;
    turn ??= new Promise<void>((resolve) => setImmediate(() => {
      turn = undefined;
      sliceStart = performance.now();
      resolve();
    }));
    return turn;
  };
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
      await letLoopTurn();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
