// Pruning BuildKit's cache as a preview, then exactly that set. buildctl prune has no list of ids,
// but its --filter takes containerd filter expressions over each record (cache/manager.go's
// adaptUsageInfo: id, parents, description, inuse, mutable, immutable, type, shared, private),
// and several --filter flags match a record when ANY of them matches (filters.ParseAll; buildctl
// turns off urfave/cli's comma splitting, so each flag is one expression). One `id==<id>` per
// previewed record therefore names exactly those records: one created after the preview has
// another id and stays. Without --all, prune also skips, whatever the filter, records in use,
// internal and frontend ones and those shared with containerd images; a parent stays while a
// record outside the filter still sits on it. No filter at all would mean "everything": the
// arguments are never built for an empty set.

import type { CacheRecord } from './builderInfo';

export type KeptReason = 'in use' | 'shared with a containerd image' | 'internal to BuildKit' | 'id not nameable in a filter';

export interface PrunePreview {
  /** What the prune removes, by id, in the order shown. */
  readonly prunable: readonly CacheRecord[];
  /** What it leaves, and why. */
  readonly kept: readonly { readonly record: CacheRecord; readonly reason: KeptReason }[];
}

/** BuildKit's record ids are base-36 words (identity.NewID); anything else is never put in a filter. */
const plainId = /^[a-z0-9]{1,64}$/i;

function keptReason(r: CacheRecord): KeptReason | undefined {
  if (r.inUse) return 'in use';
  if (r.shared) return 'shared with a containerd image';
  if (r.recordType === 'internal' || r.recordType === 'frontend') return 'internal to BuildKit';
  if (!plainId.test(r.id)) return 'id not nameable in a filter';
  return undefined;
}

/** What `buildctl prune` (no --all) would remove now, biggest first, and what it would keep. */
export function prunePreview(records: readonly CacheRecord[]): PrunePreview {
  const prunable: CacheRecord[] = [];
  const kept: { record: CacheRecord; reason: KeptReason }[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    const reason = keptReason(record);
    if (reason) kept.push({ record, reason });
    else prunable.push(record);
  }
  prunable.sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
  return { prunable, kept };
}

/** buildctl's arguments (after --addr) that prune exactly these ids; undefined for none. */
export function pruneArgs(ids: readonly string[]): string[] | undefined {
  const named = [...new Set(ids)];
  if (named.length === 0 || !named.every((id) => plainId.test(id))) return undefined;
  return ['prune', '--format', '{{json .}}', ...named.flatMap((id) => ['--filter', `id==${id}`])];
}

export interface PruneOutcome {
  /** Previewed records buildctl reports removed. */
  readonly removed: readonly CacheRecord[];
  /** Previewed records it did not remove (in use or shared by then, or a parent something newer sits on). */
  readonly kept: readonly CacheRecord[];
  /** Records buildctl reports removed that were not previewed: must never happen; said loudly if it does. */
  readonly unexpected: readonly CacheRecord[];
  readonly freedBytes: number;
}

export function pruneOutcome(previewed: readonly CacheRecord[], removed: readonly CacheRecord[]): PruneOutcome {
  const removedIds = new Set(removed.map((r) => r.id));
  const previewedIds = new Set(previewed.map((r) => r.id));
  const went = previewed.filter((r) => removedIds.has(r.id));
  return {
    removed: went,
    kept: previewed.filter((r) => !removedIds.has(r.id)),
    unexpected: removed.filter((r) => !previewedIds.has(r.id)),
    freedBytes: removed.reduce((sum, r) => sum + r.size, 0),
  };
}

/** How many records of each kept reason, for the confirmation: "2 in use, 3 shared with a containerd image". */
export function keptSummary(kept: PrunePreview['kept']): string {
  const counts = new Map<KeptReason, number>();
  for (const { reason } of kept) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}
