// Snapshotters and their snapshots over containerd's Introspection and Snapshots services.
// The pure tree and usage bookkeeping lives in snapshotTree.ts, removal in removeSnapshot.ts.
import { longToNumber, protoDate, type ContainerdApi, type ProtoTimestamp } from '../connection/api';

const snapshotsService = 'containerd.services.snapshots.v1.Snapshots';
export const snapshotterPluginType = 'io.containerd.snapshotter.v1';

export interface Snapshotter {
  /** The plugin id, which is the name snapshot calls take: overlayfs, native, btrfs, ... */
  readonly name: string;
  /** False when the plugin failed to initialize (btrfs on ext4, devmapper unconfigured, ...). */
  readonly ok: boolean;
  /** Why it failed, in containerd's words. */
  readonly error?: string;
  readonly capabilities: readonly string[];
  /** Where the plugin keeps its data, as the daemon sees it (its `root` export), when it says. */
  readonly root?: string;
}

interface PluginMessage {
  readonly type: string;
  readonly id: string;
  readonly capabilities: string[];
  readonly exports: Record<string, string>;
  readonly init_err: { readonly code: number; readonly message: string } | null;
}

/** Every snapshotter plugin the daemon has, failed ones included (ok: false), sorted by name. */
export async function listSnapshotters(api: ContainerdApi): Promise<Snapshotter[]> {
  const method = api.methods.method<{ filters: string[] }, { plugins: PluginMessage[] }>('containerd.services.introspection.v1.Introspection', 'Plugins');
  // containerd applies the filter: only snapshotter plugins come back.
  const res = await api.unary(method, { filters: [`type==${snapshotterPluginType}`] });
  return res.plugins
    .map((p) => {
      const root = p.exports.root ? { root: p.exports.root } : {};
      return p.init_err
        ? { name: p.id, ok: false, error: p.init_err.message || `failed to initialize (code ${p.init_err.code})`, capabilities: p.capabilities, ...root }
        : { name: p.id, ok: true, capabilities: p.capabilities, ...root };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export type SnapshotKind = 'active' | 'committed' | 'view' | 'unknown';

export interface SnapshotInfo {
  readonly snapshotter: string;
  /** The key (active, view) or name (committed, usually the layer chain id). */
  readonly key: string;
  readonly parent?: string;
  readonly kind: SnapshotKind;
  readonly createdAt: Date;
  readonly updatedAt?: Date;
  readonly labels: Readonly<Record<string, string>>;
}

interface InfoMessage {
  readonly name: string;
  readonly parent: string;
  readonly kind: string;
  readonly created_at: ProtoTimestamp | null;
  readonly updated_at: ProtoTimestamp | null;
  readonly labels: Record<string, string>;
}

const kinds: Readonly<Record<string, SnapshotKind>> = { ACTIVE: 'active', COMMITTED: 'committed', VIEW: 'view' };

function toInfo(snapshotter: string, info: InfoMessage): SnapshotInfo {
  const updatedAt = protoDate(info.updated_at);
  return {
    snapshotter,
    key: info.name,
    ...(info.parent ? { parent: info.parent } : {}),
    kind: kinds[info.kind] ?? 'unknown',
    createdAt: protoDate(info.created_at) ?? new Date(0),
    ...(updatedAt ? { updatedAt } : {}),
    labels: info.labels,
  };
}

/** Every snapshot of one snapshotter in a namespace (snapshots are namespaced like containers). */
export async function listSnapshots(api: ContainerdApi, namespace: string, snapshotter: string, filters: readonly string[] = []): Promise<SnapshotInfo[]> {
  const method = api.methods.method<{ snapshotter: string; filters: string[] }, { info: InfoMessage[] }>(snapshotsService, 'List');
  const batches = await api.streamAll(method, { snapshotter, filters: [...filters] }, namespace);
  return batches.flatMap((batch) => batch.info.map((info) => toInfo(snapshotter, info)));
}

/** Keys of the snapshots whose parent is `key`. */
export async function childSnapshots(api: ContainerdApi, namespace: string, snapshotter: string, key: string): Promise<string[]> {
  // Quoted: keys may hold spaces and commas (unpack's "extract-<n> sha256:...").
  return (await listSnapshots(api, namespace, snapshotter, [`parent==${JSON.stringify(key)}`])).map((s) => s.key);
}

export async function statSnapshot(api: ContainerdApi, namespace: string, snapshotter: string, key: string): Promise<SnapshotInfo> {
  const method = api.methods.method<{ snapshotter: string; key: string }, { info: InfoMessage | null }>(snapshotsService, 'Stat');
  const res = await api.unary(method, { snapshotter, key }, namespace);
  if (!res.info) throw new Error(`containerd answered Snapshots.Stat for ${key} without info`);
  return toInfo(snapshotter, res.info);
}

export interface SnapshotUsage {
  /** Bytes on disk of this snapshot alone (an active one: what the container wrote). */
  readonly size: number;
  readonly inodes: number;
}

/** Disk usage of one snapshot; the snapshotter walks its files, so ask on demand. */
export async function snapshotUsage(api: ContainerdApi, namespace: string, snapshotter: string, key: string): Promise<SnapshotUsage> {
  const method = api.methods.method<{ snapshotter: string; key: string }, { size: number; inodes: number }>(snapshotsService, 'Usage');
  const res = await api.unary(method, { snapshotter, key }, namespace);
  return { size: longToNumber(res.size), inodes: longToNumber(res.inodes) };
}
