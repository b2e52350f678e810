// A burst of events with the views shown, as `nerdctl tag` in a loop or a compose file would send:
// N image records created (all pointing at one seeded image's content), then deleted, each as
// fast as containerd takes them. Counted: the repaints of each view until all is quiet again.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { ContainerdClient } from '../../../src/containerd/connection/client';
import { deleteImage, listImages } from '../../../src/containerd/images/images';
import { MethodTable } from '../../../src/containerd/proto/codec';
import { mapLimit } from '../../../src/model/mapLimit';
import { BenchMethods } from '../benchProto';
import type { BurstFigures, HostFacts, HostView } from './facts';
import { quiet } from './quiet';

export interface Repainting { readonly onDidChangeTreeData: vscode.Event<unknown> }

/** Calls in flight while sending a burst. */
const sendConcurrency = 32;

async function counted(facts: HostFacts, trees: Readonly<Record<HostView, Repainting>>, topic: string, send: () => Promise<unknown>): Promise<BurstFigures> {
  const repaints = { images: 0, containers: 0, snapshots: 0 };
  const subscriptions = facts.views.map((view) => trees[view].onDidChangeTreeData(() => { repaints[view]++; }));
  try {
    const started = performance.now();
    await send();
    const sendMs = performance.now() - started;
    // quiet() returns the start of the first quiet window: the burst's work ended before it.
    const settledMs = (await quiet(facts.daemonPid)) - started;
    return { topic, events: facts.burstEvents, sendMs, settledMs, repaints };
  } finally {
    for (const s of subscriptions) s.dispose();
  }
}

/** Opens the explorer with the measured views expanded: shown views reload on events, hidden ones only mark themselves stale. */
export async function showViews(facts: HostFacts): Promise<void> {
  // The collapsed Snapshots view first: focusing it opens the explorer too.
  for (const view of [...facts.views].reverse()) await vscode.commands.executeCommand(`containerd.views.${view}.focus`);
}

export async function measureBursts(facts: HostFacts, trees: Readonly<Record<HostView, Repainting>>): Promise<BurstFigures[]> {
  await showViews(facts);
  await quiet(facts.daemonPid);
  const client = new ContainerdClient(facts.socket, { methods: new MethodTable(), timeoutMs: 60_000 });
  try {
    const [seeded] = await listImages(client, facts.namespace);
    if (!seeded) throw new Error(`no image in ${facts.namespace} to point the burst's records at`);
    const t = seeded.target;
    const target = { media_type: t.mediaType, digest: t.digest, size: t.size, annotations: { ...t.annotations } };
    const names = Array.from({ length: facts.burstEvents }, (_, i) => `bench.local/burst:${i}`);
    const create = new BenchMethods().createImage();
    return [
      await counted(facts, trees, '/images/create', () => mapLimit(names, sendConcurrency, (name) => client.unary(create, { image: { name, target } }, facts.namespace))),
      await counted(facts, trees, '/images/delete', () => mapLimit(names, sendConcurrency, (name) => deleteImage(client, facts.namespace, name, false))),
    ];
  } finally {
    client.close();
  }
}
