// What buildctl says about a buildkitd, read from its JSON: `debug workers --format '{{json .}}'`
// (an array of WorkerInfo), `du --format '{{json .}}'` (an array of UsageInfo, or `null` when the
// cache is empty) and `prune --format '{{json .}}'` (one UsageInfo per line, per record removed).
// Field names are BuildKit v0.32.2's json tags (client/workers.go, client/diskusage.go). Whatever
// a field holds, reading never throws: a wrong type reads as absent, a non-array as a problem.

export interface WorkerInfo {
  readonly id: string;
  /** os/architecture[/variant], in the builder's order (containerd's platform format). */
  readonly platforms: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** BuildKit's version as the worker reports it ('' when absent). */
  readonly buildkitVersion: string;
}

export interface CacheRecord {
  readonly id: string;
  readonly mutable: boolean;
  readonly inUse: boolean;
  /** Bytes; 0 when unknown (a mutable record in use has no size yet). */
  readonly size: number;
  readonly createdAt: Date | undefined;
  readonly lastUsedAt: Date | undefined;
  readonly usageCount: number;
  readonly parents: readonly string[];
  readonly description: string;
  /** regular, source.local, exec.cachemount, source.git.checkout, internal, frontend ('' unknown). */
  readonly recordType: string;
  /** Its data is also held by a containerd image: removing it frees nothing while the image stays. */
  readonly shared: boolean;
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const flag = (v: unknown): boolean => v === true;
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

function date(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const parsed = new Date(v);
  // Go's zero time (0001-01-01) means "never".
  return Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() <= 1 ? undefined : parsed;
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** containerd's platforms.Format: os/architecture, then /variant when there is one. */
export function formatPlatform(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const os = text(v.os);
  const architecture = text(v.architecture);
  if (!os || !architecture) return undefined;
  const variant = text(v.variant);
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}

function parseJson(stdout: string, what: string): Read<unknown> {
  try {
    return { ok: true, value: JSON.parse(stdout) as unknown };
  } catch (error) {
    return { ok: false, problem: `${what} is not JSON (${error instanceof Error ? error.message : String(error)}): ${stdout.trim().slice(0, 200) || 'empty output'}` };
  }
}

function worker(v: Json): WorkerInfo {
  const version = isObject(v.buildkitVersion) ? text(v.buildkitVersion.version) : '';
  const platforms = Array.isArray(v.platforms) ? v.platforms.flatMap((p) => formatPlatform(p) ?? []) : [];
  return { id: text(v.id), platforms, labels: stringRecord(v.labels), buildkitVersion: version };
}

/** `buildctl debug workers --format '{{json .}}'`. */
export function parseWorkers(stdout: string): Read<WorkerInfo[]> {
  const parsed = parseJson(stdout, 'buildctl debug workers');
  if (!parsed.ok) return parsed;
  if (parsed.value === null) return { ok: true, value: [] };
  if (!Array.isArray(parsed.value)) return { ok: false, problem: `buildctl debug workers printed ${typeof parsed.value}, not a list of workers` };
  return { ok: true, value: parsed.value.filter(isObject).map(worker) };
}

export function cacheRecord(v: Json): CacheRecord {
  return {
    id: text(v.id),
    mutable: flag(v.mutable),
    inUse: flag(v.inUse),
    size: count(v.size),
    createdAt: date(v.createdAt),
    lastUsedAt: date(v.lastUsedAt),
    usageCount: count(v.usageCount),
    parents: Array.isArray(v.parents) ? v.parents.filter((p): p is string => typeof p === 'string') : [],
    description: text(v.description),
    recordType: text(v.recordType),
    shared: flag(v.shared),
  };
}

/** `buildctl du --format '{{json .}}'`: records without an id are left out (nothing could name them). */
export function parseDiskUsage(stdout: string): Read<CacheRecord[]> {
  const parsed = parseJson(stdout, 'buildctl du');
  if (!parsed.ok) return parsed;
  if (parsed.value === null) return { ok: true, value: [] };
  if (!Array.isArray(parsed.value)) return { ok: false, problem: `buildctl du printed ${typeof parsed.value}, not a list of cache records` };
  return { ok: true, value: parsed.value.filter(isObject).map(cacheRecord).filter((r) => r.id !== '') };
}

/** `buildctl prune --format '{{json .}}'`: the ids of the records it removed, one JSON object per line. */
export function parsePruned(stdout: string): { readonly removed: CacheRecord[]; readonly unreadable: string[] } {
  const removed: CacheRecord[] = [];
  const unreadable: string[] = [];
  for (const line of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const parsed = parseJson(line, 'a line of buildctl prune');
    const record = parsed.ok && isObject(parsed.value) ? cacheRecord(parsed.value) : undefined;
    if (record && record.id) removed.push(record);
    else unreadable.push(line);
  }
  return { removed, unreadable };
}

export interface CacheTotals {
  /** Sum of all sizes, as `buildctl du` totals them. */
  readonly total: number;
  /** Records not in use. */
  readonly reclaimable: number;
  /** Records whose data a containerd image also holds. */
  readonly shared: number;
}

export function cacheTotals(records: readonly CacheRecord[]): CacheTotals {
  let total = 0;
  let reclaimable = 0;
  let shared = 0;
  for (const r of records) {
    total += r.size;
    if (!r.inUse) reclaimable += r.size;
    if (r.shared) shared += r.size;
  }
  return { total, reclaimable, shared };
}

/** The labels a person reads a worker by (executor, snapshotter, containerd namespace, network). */
export const workerLabelNames: Readonly<Record<string, string>> = {
  'org.mobyproject.buildkit.worker.executor': 'executor',
  'org.mobyproject.buildkit.worker.snapshotter': 'snapshotter',
  'org.mobyproject.buildkit.worker.containerd.namespace': 'containerd namespace',
  'org.mobyproject.buildkit.worker.network': 'network',
  'org.mobyproject.buildkit.worker.hostname': 'hostname',
};

/** A worker's well-known labels in that order, by their short names; the others after, by full key. */
export function workerFacts(w: WorkerInfo): [name: string, value: string][] {
  const known = Object.entries(workerLabelNames).flatMap(([key, name]): [string, string][] => (key in w.labels ? [[name, w.labels[key] ?? '']] : []));
  const others = Object.entries(w.labels).filter(([key]) => !(key in workerLabelNames)).sort(([a], [b]) => a.localeCompare(b));
  return [...known, ...others];
}
