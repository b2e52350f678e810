// Seeds one namespace of a private containerd with the benchmark's load: N distinct images from
// OCI archives (`ctr images import`, which unpacks them; a few archives side by side for large N),
// then N containers: the first few with `ctr containers create` (runnable: the event rounds start
// them), the rest as clones of the first over gRPC (same spec, own id, own active snapshot on its
// image's top layer), which is what ctr does, minus a process per container.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Components } from '../harness/components';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { ContainerdClient } from '../../src/containerd/connection/client';
import type { MethodTable } from '../../src/containerd/proto/codec';
import { mapLimit } from '../../src/model/mapLimit';
import { BenchMethods, type WireContainer } from './benchProto';
import { writeBenchArchive } from './ociArchive';

export interface SeedCounts {
  readonly images: number;
  readonly containers: number;
  /** Snapshots of the namespace in the default snapshotter (overlayfs), counted with ctr. */
  readonly snapshots: number;
}

export interface Seeded {
  readonly namespace: string;
  readonly images: readonly string[];
  /** Container ids, in creation order; each runs `sleep` when its task is started. */
  readonly containers: readonly string[];
  readonly counts: SeedCounts;
  readonly timings: { readonly archiveMs: number; readonly importMs: number; readonly containersMs: number; readonly totalMs: number };
}

export function nonEmptyLines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

/**
 * ctr with its stdout dropped: `images import` reprints every image on each progress tick, which
 * for 1,000 images is tens of megabytes (more than execFile buffers).
 */
function ctrQuiet(ctr: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ctr, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`ctr ${args.join(' ')} exited with ${signal ?? code}: ${stderr.trim()}`))));
  });
}

/** `ctr` runs at once while creating containers: containerd serializes little, the 2 cores do. */
const createConcurrency = 8;
/** Images per archive: `ctr images import` handles one image at a time, two imports use both cores. */
const imagesPerArchive = 2500;
const importConcurrency = 2;
/** gRPC creations in flight while cloning containers. */
const cloneConcurrency = 16;

/** Creates containers[from..] as clones of containers[0] (which ctr made), each with its own active snapshot. */
async function cloneContainers(daemon: ContainerdDaemon, methods: MethodTable, namespace: string, containers: readonly { id: string; image: string; name: string; parent: string }[]): Promise<void> {
  const [template, ...clones] = containers;
  if (!template || clones.length === 0) return;
  const bench = new BenchMethods();
  const client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 60_000 });
  try {
    const { container: source } = await client.unary(bench.getContainer(), { id: template.id }, namespace);
    const specText = source.spec?.value.toString('utf8') ?? '';
    const create = bench.createContainer();
    const prepare = bench.prepareSnapshot();
    await mapLimit(clones, cloneConcurrency, async (c) => {
      // The spec names its container (cgroups path): the clone's names itself.
      const spec = source.spec && { type_url: source.spec.type_url, value: Buffer.from(specText.split(template.id).join(c.id)) };
      const container: WireContainer = { ...source, id: c.id, image: c.image, labels: { 'nerdctl/name': c.name }, spec, snapshot_key: c.id };
      // The record first: from then on it holds the snapshot against garbage collection.
      await client.unary(create, { container }, namespace);
      await client.unary(prepare, { snapshotter: source.snapshotter, key: c.id, parent: c.parent }, namespace);
    });
  } finally {
    client.close();
  }
}

/**
 * `runnable`: how many containers ctr creates (the ones tasks may be started in); the rest are
 * clones of the first.
 */
export async function seedNamespace(daemon: ContainerdDaemon, components: Components, methods: MethodTable, workDir: string,
  opts: { namespace: string; count: number; tagsPerRepo: number; runnable: number }): Promise<Seeded> {
  const ns = ['--namespace', opts.namespace];
  const started = Date.now();
  const archive = await writeBenchArchive({ busybox: components.busybox, workDir, count: opts.count, tagsPerRepo: opts.tagsPerRepo, parts: Math.ceil(opts.count / imagesPerArchive) });
  const archived = Date.now();
  const ctr = join(components.containerd[daemon.version], 'ctr');
  await mapLimit(archive.files, importConcurrency, (file) => ctrQuiet(ctr, ['--address', daemon.socket, ...ns, 'images', 'import', file]));
  const imported = Date.now();
  // Unique ids: runc state and cgroup paths are host-global, and another daemon may run beside us.
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const width = String(opts.count - 1).length;
  const planned = archive.names.map((image, i) => ({ id: `bench-${opts.namespace}-${String(i).padStart(width, '0')}-${suffix}`, image, name: `bench-${i}`, parent: archive.chainIds[i] ?? '' }));
  const runnable = planned.slice(0, Math.max(1, opts.runnable));
  await mapLimit(runnable, createConcurrency, (c) =>
    daemon.ctr([...ns, 'containers', 'create', '--runc-root', daemon.runcRoot, '--label', `nerdctl/name=${c.name}`, c.image, c.id, 'sleep', '3600']));
  await cloneContainers(daemon, methods, opts.namespace, [planned[0], ...planned.slice(runnable.length)].filter((c) => c !== undefined));
  const containers = planned.map((c) => c.id);
  const created = Date.now();
  const counts: SeedCounts = {
    images: nonEmptyLines(await daemon.ctr([...ns, 'images', 'ls', '--quiet'])).length,
    containers: nonEmptyLines(await daemon.ctr([...ns, 'containers', 'ls', '--quiet'])).length,
    snapshots: nonEmptyLines(await daemon.ctr([...ns, 'snapshots', 'ls'])).length - 1,
  };
  if (counts.images < opts.count || counts.containers < opts.count) {
    throw new Error(`seeding fell short: ${JSON.stringify(counts)} (wanted ${opts.count} images and containers)`);
  }
  return {
    namespace: opts.namespace,
    images: archive.names,
    containers,
    counts,
    timings: { archiveMs: archived - started, importMs: imported - archived, containersMs: created - imported, totalMs: created - started },
  };
}
