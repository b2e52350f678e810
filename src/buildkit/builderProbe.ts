// Asks a buildkitd, through buildctl, what the Builders view shows: its workers (`debug workers`),
// its build cache (`du`), and prunes exactly a previewed set of records. The process runner is
// passed in, so the integration test drives the same code against a real buildkitd.
import type { Process } from '../nerdctl/invocation';
import type { RunOptions, RunResult } from '../process/runner';
import { parseDiskUsage, parsePruned, parseWorkers, type CacheRecord, type Read, type WorkerInfo } from './builderInfo';
import { pruneArgs, pruneOutcome, type PruneOutcome } from './cachePrune';

export type Runner = (process: Process, options?: RunOptions) => Promise<RunResult>;

export interface Buildctl {
  /** The argv prefix that runs buildctl (the `containerd.buildctl.command` setting). */
  readonly command: readonly string[];
  readonly run: Runner;
  readonly signal?: AbortSignal;
}

export type BuilderState =
  | { readonly address: string; readonly reachable: true; readonly workers: readonly WorkerInfo[]; readonly cache: Read<CacheRecord[]> }
  | { readonly address: string; readonly reachable: false; readonly error: string };

const readTimeoutMs = 30_000;
/** A prune of many records takes a while; it is never cut short by a deadline half-way. */
const pruneTimeoutMs = 10 * 60_000;

function call(buildctl: Buildctl, address: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  const [file = 'buildctl', ...prefix] = buildctl.command;
  return buildctl.run({ file, args: [...prefix, '--addr', address, ...args] }, { timeoutMs, ...(buildctl.signal ? { signal: buildctl.signal } : {}) });
}

/**
 * Why buildctl failed, in a line: "no socket at /run/buildkit/buildkitd.sock" rather than gRPC's
 * "failed to list workers: Unavailable: connection error: desc = ... dial unix ...: connect: ...".
 */
export function buildctlFailure(result: RunResult): string {
  if (result.failedToStart !== undefined) return `buildctl could not start (${result.failedToStart}): set containerd.buildctl.command to where buildctl is`;
  if (result.timedOut) return 'buildctl got no answer in time';
  if (result.cancelled) return 'cancelled';
  const last = result.stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
  const message = last.replace(/^time="[^"]*" level=\w+ msg=/, '').replace(/^error: /, '');
  const dial = /dial (?:unix|tcp) ([^:"]+(?::\d+)?): connect: ([^"]+)"?\s*$/.exec(message);
  if (dial) {
    const [, where = '', why = ''] = dial;
    if (why.includes('no such file or directory')) return `no socket at ${where}`;
    if (why.includes('connection refused')) return `nothing accepts connections at ${where} (buildkitd stopped and left its socket, or listens elsewhere)`;
    if (why.includes('permission denied')) return `permission denied on ${where}: run buildkitd rootless for your user, or give your user access to the socket`;
    return `${where}: ${why}`;
  }
  return message || `buildctl ended with ${result.exitCode ?? 'a signal'} and said nothing`;
}

/** Workers first (that is the reachability check), then the cache; a cache that fails to read says why. */
export async function readBuilder(buildctl: Buildctl, address: string): Promise<BuilderState> {
  const workers = await readWorkers(buildctl, address);
  if (!workers.ok) return { address, reachable: false, error: workers.problem };
  return { address, reachable: true, workers: workers.value, cache: await readCache(buildctl, address) };
}

/** The buildkitd's workers: whether it answers at all, and what it builds for. */
export async function readWorkers(buildctl: Buildctl, address: string): Promise<Read<WorkerInfo[]>> {
  const answer = await call(buildctl, address, ['debug', 'workers', '--format', '{{json .}}'], readTimeoutMs);
  return answer.exitCode === 0 ? parseWorkers(answer.stdout) : { ok: false, problem: buildctlFailure(answer) };
}

export async function readCache(buildctl: Buildctl, address: string): Promise<Read<CacheRecord[]>> {
  const answer = await call(buildctl, address, ['du', '--format', '{{json .}}'], readTimeoutMs);
  return answer.exitCode === 0 ? parseDiskUsage(answer.stdout) : { ok: false, problem: buildctlFailure(answer) };
}

export class PruneFailedError extends Error {}

/**
 * Prunes exactly `previewed` (by id) and reports what went. buildctl may have removed some before
 * it failed: the error then says so, and the caller re-reads the cache.
 */
export async function pruneExactly(buildctl: Buildctl, address: string, previewed: readonly CacheRecord[]): Promise<PruneOutcome> {
  const args = pruneArgs(previewed.map((r) => r.id));
  if (!args) throw new PruneFailedError('Nothing to prune: the preview named no record by a plain id.');
  const answer = await call(buildctl, address, args, pruneTimeoutMs);
  const { removed } = parsePruned(answer.stdout);
  const outcome = pruneOutcome(previewed, removed);
  if (answer.exitCode !== 0) {
    throw new PruneFailedError(`buildctl prune failed after removing ${outcome.removed.length} of ${previewed.length} records: ${buildctlFailure(answer)}`);
  }
  return outcome;
}
