// Seeds one namespace of a private containerd with the benchmark's load: N distinct images from
// one OCI archive (one `ctr images import`, which unpacks them), then N containers created from
// them with `ctr containers create` in parallel batches (each prepares an active snapshot).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Components } from '../harness/components';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { mapLimit } from '../../src/model/mapLimit';
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

export async function seedNamespace(daemon: ContainerdDaemon, components: Components, workDir: string, opts: { namespace: string; count: number; tagsPerRepo: number }): Promise<Seeded> {
  const ns = ['--namespace', opts.namespace];
  const started = Date.now();
  const archive = await writeBenchArchive({ busybox: components.busybox, workDir, count: opts.count, tagsPerRepo: opts.tagsPerRepo });
  const archived = Date.now();
  await ctrQuiet(join(components.containerd[daemon.version], 'ctr'), ['--address', daemon.socket, ...ns, 'images', 'import', archive.file]);
  const imported = Date.now();
  // Unique ids: runc state and cgroup paths are host-global, and another daemon may run beside us.
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const containers = archive.names.map((_, i) => `bench-${String(i).padStart(4, '0')}-${suffix}`);
  await mapLimit(containers.map((id, i) => ({ id, image: archive.names[i] ?? '', name: `bench-${i}` })), createConcurrency, (c) =>
    daemon.ctr([...ns, 'containers', 'create', '--runc-root', daemon.runcRoot, '--label', `nerdctl/name=${c.name}`, c.image, c.id, 'sleep', '3600']));
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
