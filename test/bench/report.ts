// The bench's figures as one JSON document and as the table printed at the end, each figure next
// to its target (issue #3, "Performance") and whether it meets it. A bench reports; it does not fail.
import type { BuildParseFigures } from './buildParse';
import type { DebugPreflightFigures } from './debugPreflight';
import type { DoctorFigures } from './doctorRun';
import type { LayerFigures } from './layerListing';
import type { BundleSizes } from './bundle';
import type { SelfTime } from './cpuProfileSummary';
import type { EventSample, SampleKind } from './eventLatency';
import type { HostStarts } from './hostBench';
import type { HostFigures } from './hostSuite/facts';
import type { ViewFigures } from './measure';
import type { ScaleFigures } from './scale';
import type { LoadProfile } from './profile';
import type { StartupFigures } from './startupReplay';
import type { WhatIfFigures } from './whatIf';
import type { SeedCounts } from './seed';
import { ms, percentile, table } from './stats';
import type { ViewName } from './viewLoads';

export interface Distribution { readonly p50: number; readonly p95: number; readonly n: number }

export interface EventFigures {
  /** start + exit samples: a container flipping Running <-> Stopped, envelope timestamp -> rows. */
  readonly flips: Distribution;
  readonly byKind: Readonly<Record<SampleKind, Distribution>>;
  /** Same samples, from the moment ctr returned. */
  readonly flipsFromCtr: Distribution;
  /** Medians of where a flip's time goes. */
  readonly breakdown: { readonly deliveryMs: number; readonly coalesceMs: number; readonly reloadMs: number };
  /** /tasks/delete events containerd never sent (the task was gone all the same). */
  readonly lostDeleteEvents: number;
  readonly samples: readonly EventSample[];
}

export interface BenchFigures {
  readonly startedAt: string;
  readonly environment: Record<string, string | number>;
  seed?: { readonly counts: SeedCounts; readonly timings: Readonly<Record<string, number>> };
  seedScale?: { readonly counts: SeedCounts; readonly timings: Readonly<Record<string, number>> };
  views?: Readonly<Record<ViewName, ViewFigures>>;
  scale?: ScaleFigures;
  startup?: StartupFigures;
  events?: EventFigures;
  whatIf?: WhatIfFigures & { readonly events: EventFigures };
  host?: HostStarts;
  /** Where the second start's first load spent the extension host's CPU. */
  hostProfile?: { readonly totalMs: number; readonly functions: readonly SelfTime[] };
  bundle?: BundleSizes;
  buildParse?: BuildParseFigures;
  debugPreflight?: DebugPreflightFigures;
  doctor?: DoctorFigures;
  layers?: LayerFigures;
  /** Sections that could not be measured, and why. */
  readonly failures: { section: string; error: string }[];
  totalSeconds?: number;
}

export function distribution(values: readonly number[]): Distribution {
  return { p50: percentile(values, 50), p95: percentile(values, 95), n: values.length };
}

export function eventFigures({ samples, lostDeletes }: { samples: readonly EventSample[]; lostDeletes: number }): EventFigures {
  const flips = samples.filter((s) => s.kind !== 'delete');
  const of = (kind: SampleKind): Distribution => distribution(samples.filter((s) => s.kind === kind).map((s) => s.fromEventMs));
  return {
    flips: distribution(flips.map((s) => s.fromEventMs)),
    byKind: { start: of('start'), exit: of('exit'), delete: of('delete') },
    flipsFromCtr: distribution(flips.map((s) => s.fromCtrMs)),
    breakdown: {
      deliveryMs: percentile(flips.map((s) => s.deliveryMs), 50),
      coalesceMs: percentile(flips.map((s) => s.coalesceMs), 50),
      reloadMs: percentile(flips.map((s) => s.reloadMs), 50),
    },
    lostDeleteEvents: lostDeletes,
    samples,
  };
}

type Row = [figure: string, value: string, target: string, verdict: string];

const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISS');
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MB`;
const ratio = (value: number): string => `${value.toFixed(value >= 10 ? 0 : 1)}x`;

/** What each view goes on with after its rows show. */
const settledWork: Readonly<Record<ViewName, string | undefined>> = { images: 'platforms and sizes', containers: undefined, snapshots: 'users (containers, resolved images)' };

function viewRows(views: Readonly<Record<ViewName, ViewFigures>>): Row[] {
  return Object.entries(views).flatMap(([view, f]): Row[] => {
    const work = settledWork[view as ViewName];
    return [
      [`${view}: ctr ${view} ls (${f.rows} rows in the view)`, ms(f.ctrMs), '', ''],
      [`${view}: cold load (rows shown)`, `${ms(f.coldMs)} (${ratio(f.ctrMs / f.coldMs)} ctr's speed)`, '<= ctr', verdict(f.coldMs <= f.ctrMs)],
      [`${view}: warm load (rows shown)`, `${ms(f.warmMs)} (${ratio(f.ctrMs / f.warmMs)} faster than ctr)`, '>= 10x faster than ctr', verdict(f.ctrMs / f.warmMs >= 10)],
      ...(work ? [[`  ${view}: ${work} settled, cold / warm`, `${ms(f.coldSettledMs)} / ${ms(f.warmSettledMs)}`, '', ''] as Row] : []),
      ...(f.newSessionSettledMs !== undefined ? [[`  ${view}: ${work ?? ''} settled, new session over persisted documents`, ms(f.newSessionSettledMs), '', ''] as Row] : []),
    ];
  });
}

function scaleRows(s: ScaleFigures): Row[] {
  const { containers: c, images: i, snapshots: n } = s;
  return [
    [`scale (${s.namespace}): containers, ctr containers ls (${c.rows} rows)`, ms(c.ctrMs), '', ''],
    ['scale: containers cold load', ms(c.coldMs), '', ''],
    ['scale: containers warm load (records kept; Tasks.List + join)', ms(c.warmMs), '< 50 ms', verdict(c.warmMs < 50)],
    [`scale: images rows from Images.List (${i.rows} rows) / ctr images ls`, `${ms(i.firstRowsMs)} / ${ms(i.ctrMs)}`, '', ''],
    ['scale: images resolved, cold / warm / new session (persisted)', `${ms(i.coldResolvedMs)} / ${ms(i.warmResolvedMs)} / ${ms(i.newSessionResolvedMs)}`, '', ''],
    ['scale: image documents held in memory / on disk', `${i.documentMB.toFixed(1)} MB / ${i.storedMB.toFixed(1)} MB`, '<= 32 MB / 64 MB', verdict(i.documentMB <= 32 && i.storedMB <= 64)],
    [`scale: snapshots cold rows (${n.rows} rows) / ctr snapshots ls`, `${ms(n.coldMs)} / ${ms(n.ctrMs)}`, '', ''],
  ];
}

/** "42 calls (Content/Info 20, ...)": the busiest methods first. */
function callsText(calls: Readonly<Record<string, number>>): string {
  const entries = Object.entries(calls).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const top = entries.slice(0, 4).map(([path, n]) => `${path.replace(/^\/containerd\.services\.[a-z]+\.v1\./, '')} ${n}`).join(', ');
  return `${total} calls (${top})`;
}

/** activate() -> the last view holding all its rows. */
const allRowsMs = (h: HostFigures): number => Math.max(...Object.values(h.firstRowsMs));

function startRows(label: string, h: HostFigures, target: string, met: boolean | undefined): Row[] {
  const views = Object.entries(h.firstRowsMs).map(([view, v]) => `${view} ${ms(v)}`).join(', ');
  return [
    [`${label}: activation${h.wasActive ? ' (WAS ALREADY ACTIVE: not measured)' : ''}`, ms(h.activationMs), '< 50 ms', verdict(!h.wasActive && h.activationMs < 50)],
    [`${label}: activate -> views shown / scope known / event stream connected`, `${ms(h.milestones.viewsShownMs)} / ${ms(h.milestones.scopeMs)} / ${ms(h.milestones.connectedMs)}`, '', ''],
    [`${label}: activate -> all rows of all views`, `${ms(allRowsMs(h))} (${views})`, target, met === undefined ? '' : verdict(met)],
    [`${label}: activate -> every image resolved / every startup load done (quiet)`, `${ms(h.imagesResolvedMs)} / ${ms(h.quietMs)}`, '', ''],
    [`${label}: startup CPU until quiet, extension host / containerd`, `${ms(h.firstLoadCpu.hostMs)} / ${ms(h.firstLoadCpu.daemonMs)}`, '', ''],
    [`${label}: calls until all rows / until quiet`, `${callsText(h.calls.untilRows)} / ${callsText(h.calls.untilQuiet)}`, '', ''],
  ];
}

function hostRows({ first, second, restarts, persistedDocuments, profiled }: HostStarts): Row[] {
  const times = restarts.map(allRowsMs);
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
  const rows: Row[] = [
    ...startRows('host start 1 (nothing persisted)', first, '', undefined),
    [`host: image documents persisted by start 1`, String(persistedDocuments), '', persistedDocuments > 0 ? '' : 'NOT PERSISTED'],
    [`host restarts (documents and workspace state kept): activate -> all rows, median of ${times.length}`, `${ms(median)} (each: ${times.map(ms).join(', ')})`, '< 500 ms', verdict(median < 500)],
    ...startRows('host restart, the last', second, '', undefined),
    ...(profiled ? [[`host start 3 (the same restart under the CPU profiler): activate -> all rows`, ms(allRowsMs(profiled)), '', ''] as Row] : []),
  ];
  for (const [view, r] of Object.entries(second.refresh)) {
    rows.push([`host ${view}: warm refresh() / + getTreeItem (${r.items} rows shown)`, `${ms(r.refreshMs)} / ${ms(r.itemsMs)}`, '', '']);
  }
  for (const b of second.bursts) {
    const repaints = Object.entries(b.repaints).map(([view, n]) => `${view} ${n}`).join(', ');
    const most = Math.max(...Object.values(b.repaints));
    rows.push([`host burst: ${b.events} ${b.topic} sent in ${ms(b.sendMs)}, quiet after ${ms(b.settledMs)}: repaints`, repaints, '<= 5 per view', verdict(most <= 5)]);
    if (b.repaints.images === 0) rows.push(['  (the Images view did not repaint at all: was it shown?)', '', '', 'CHECK']);
  }
  const { before, afterFirstLoad, afterRefreshes } = second.heap;
  rows.push(['host heap used: before activation / loaded / after refreshes', `${before.heapUsedMB.toFixed(1)} / ${afterFirstLoad.heapUsedMB.toFixed(1)} / ${afterRefreshes.heapUsedMB.toFixed(1)} MB`, '', '']);
  rows.push(['host heap growth from the extension (loaded)', `${(afterRefreshes.heapUsedMB - before.heapUsedMB).toFixed(1)} MB`, '', '']);
  return rows;
}

export function renderTable(f: BenchFigures): string {
  const rows: Row[] = [];
  for (const seed of [f.seed, f.seedScale]) {
    if (!seed) continue;
    const { counts, timings } = seed;
    rows.push([`seeded: ${counts.images} images, ${counts.containers} containers, ${counts.snapshots} snapshots`, ms(timings.totalMs),
      `archive ${ms(timings.archiveMs)}, import ${ms(timings.importMs)}, create ${ms(timings.containersMs)}`, '']);
  }
  if (f.views) rows.push(...viewRows(f.views));
  if (f.scale) rows.push(...scaleRows(f.scale));
  if (f.startup) {
    const { onePass, replay } = f.startup;
    const text = (p: LoadProfile): string => `${ms(p.wallMs)}, ${p.calls} calls`;
    rows.push(['startup: 3 views loaded once, concurrently (cold)', text(onePass), '', '']);
    rows.push(['startup: the loads an activation starts (replayed)', text(replay), '', replay.calls > onePass.calls * 1.5 ? 'waste' : '']);
  }
  if (f.events) {
    const e = f.events;
    rows.push([`event -> refreshed containers, lone events, p50 / p95 (${e.flips.n} start/kill flips)`, `${ms(e.flips.p50)} / ${ms(e.flips.p95)}`, 'p95 < 20 ms', verdict(e.flips.p95 < 20)]);
    rows.push(['  median split: delivery / coalescing / reload', `${ms(e.breakdown.deliveryMs)} / ${ms(e.breakdown.coalesceMs)} / ${ms(e.breakdown.reloadMs)}`, '', '']);
    rows.push(['  ctr returned -> refreshed, p50 / p95', `${ms(e.flipsFromCtr.p50)} / ${ms(e.flipsFromCtr.p95)}`, '', '']);
    rows.push([`  /tasks/delete -> refreshed, p50 / p95 (${e.byKind.delete.n} samples; ${e.lostDeleteEvents} events never sent)`,
      `${ms(e.byKind.delete.p50)} / ${ms(e.byKind.delete.p95)}`, '', e.lostDeleteEvents > 0 ? 'stale rows' : '']);
  }
  if (f.host) rows.push(...hostRows(f.host));
  if (f.buildParse) {
    const b = f.buildParse;
    rows.push([`build output -> diagnostics, ${b.lines} lines: plain / rawjson`, `${ms(b.plainMs)} / ${ms(b.rawjsonMs)}`, '< 300 ms', verdict(b.plainMs < 300 && b.rawjsonMs < 300)]);
    rows.push([`  rawjson drawn for the task's terminal (stream + renderer), ${b.lines} lines`, ms(b.renderMs), '', '']);
  }
  if (f.debugPreflight) {
    const d = f.debugPreflight;
    rows.push(['debug preflight of a -trimpath buildkitd (dlv version, build info, DWARF, module mapping)', ms(d.preflightMs), '< 300 ms', verdict(d.preflightMs < 300)]);
    rows.push(['  binary facts of the -N -l buildkitd (80 MB, positioned reads)', ms(d.factsMs), '', '']);
    rows.push([`  process picker's /proc scan (${d.processes} buildkitd found)`, ms(d.processScanMs), '', '']);
  }
  if (f.doctor) {
    rows.push([`the doctor, command to report (${f.doctor.findings} findings; 4 tools' versions, buildctl, a containerd)`, ms(f.doctor.totalMs), '< 2 s', verdict(f.doctor.totalMs < 2000)]);
  }
  if (f.layers) {
    const { bigLayer, manyFiles, twentyLayers } = f.layers;
    rows.push([`image files: list a ${mb(bigLayer.compressedBytes)} gzip layer (${mb(bigLayer.tarBytes)} tar, ${bigLayer.entries} entries), cold`, ms(bigLayer.ms), '< 1 s', verdict(bigLayer.ms < 1000)]);
    rows.push(['  decompression alone, the same bytes from memory (the floor on this machine)', ms(bigLayer.inflateMs), '', '']);
    rows.push([`image files: list a layer of ${manyFiles.entries} entries, cold`, ms(manyFiles.ms), '< 1 s', verdict(manyFiles.ms < 1000)]);
    rows.push([`image files: merged tree of 20 layers (${twentyLayers.entries} entries), cold / from cached listings`, `${ms(twentyLayers.coldMs)} / ${ms(twentyLayers.warmMs)}`, '< 2 s', verdict(twentyLayers.coldMs < 2000)]);
  }
  if (f.bundle) {
    rows.push(['bundle dist/extension.js (as built, not minified)', mb(f.bundle.devBytes), '< 1.5 MB', verdict(f.bundle.devBytes < 1.5 * 2 ** 20)]);
    rows.push(['bundle minified (what the .vsix ships)', mb(f.bundle.productionBytes), '< 1.5 MB', verdict(f.bundle.productionBytes < 1.5 * 2 ** 20)]);
    const r = f.bundle.requireMs;
    rows.push(['proto parse (once per extension lifetime, on the first call)', ms(Number(f.environment.protoParseMs)), '', '']);
    rows.push(['require() in plain node: bundle / minified / grpc-js / protobufjs', `${ms(r.dev)} / ${ms(r.production)} / ${ms(r['grpc-js'])} / ${ms(r.protobufjs)}`, '', '']);
  }
  for (const failure of f.failures) rows.push([`${failure.section}: NOT MEASURED`, failure.error.split('\n')[0] ?? '', '', 'FAIL']);
  return table(['figure', 'value', 'target', ''], rows);
}

/** The emulated changes, each next to the figure it would move and its target. */
export function renderWhatIfs(f: BenchFigures): string {
  const w = f.whatIf;
  if (!w) return '';
  const ctr = (view: ViewName): number => f.views?.[view].ctrMs ?? Number.NaN;
  const rows: Row[] = [
    ['containers warm, records cached (Tasks.List + join)', `${ms(w.containersRecordsCachedMs)} (${ratio(ctr('containers') / w.containersRecordsCachedMs)} faster than ctr)`,
      '>= 10x faster than ctr', verdict(ctr('containers') / w.containersRecordsCachedMs >= 10)],
    [`event -> refreshed, no coalescing delay + tasks-only reload, p50 / p95 (${w.events.flips.n} flips)`, `${ms(w.events.flips.p50)} / ${ms(w.events.flips.p95)}`,
      'p95 < 20 ms', verdict(w.events.flips.p95 < 20)],
    ['snapshots cold, image users from gc labels (one Content.List)', `${ms(w.snapshotsFromLabelsColdMs)} (ctr ${ms(ctr('snapshots'))})`, '<= ctr', verdict(w.snapshotsFromLabelsColdMs <= ctr('snapshots'))],
    ['startup: 3 views once, concurrent identical reads shared', `${ms(w.startupSharedReads.wallMs)}, ${w.startupSharedReads.calls} calls`,
      f.startup ? `replay: ${ms(f.startup.replay.wallMs)}, ${f.startup.replay.calls} calls` : '', ''],
  ];
  return table(['what if', 'value', 'target / compare', ''], rows);
}

/** Where the time of each view's load goes: calls by method, our CPU and the daemon's. */
export function renderProfiles(views: Readonly<Record<ViewName, ViewFigures>>, startup: StartupFigures | undefined): string {
  const profiles: [string, LoadProfile][] = Object.entries(views).flatMap(([view, f]) => (['cold', 'warm'] as const).map((phase): [string, LoadProfile] => [`${view} ${phase}`, f.profile[phase]]));
  if (startup) profiles.push(['startup one pass', startup.onePass], ['startup replay', startup.replay]);
  const rows = profiles.map(([name, p]) => {
    const calls = Object.entries(p.byMethod).sort((a, b) => b[1].count - a[1].count).map(([method, s]) => `${method} ${s.count}`).join(', ');
    return [name, ms(p.wallMs), ms(p.clientCpuMs), ms(p.daemonCpuMs), String(p.calls), calls];
  });
  return table(['load', 'wall', 'our CPU', 'containerd CPU', 'calls', 'by method'], rows);
}

/** The functions the second start's first load spent the extension host's CPU in, by self time. */
export function renderHostProfile(profile: NonNullable<BenchFigures['hostProfile']>): string {
  const rows = profile.functions.map((f) => [ms(f.ms), `${(100 * f.ms / profile.totalMs).toFixed(1)} %`, f.name, f.where]);
  return `${ms(profile.totalMs)} sampled\n${table(['self', 'share', 'function', 'where'], rows)}`;
}

/** The calls of a start until all rows, one per line: when sent and answered, after activate(). */
export function renderTimeline(h: HostFigures): string {
  return h.calls.timeline.map((c) => {
    const answered = c.answeredMs === undefined ? 'open' : `${ms(c.answeredMs)} (${ms(c.answeredMs - c.sentMs)})`;
    return `  ${ms(c.sentMs).padStart(8)} -> ${answered.padEnd(18)} ${c.path.replace(/^\/containerd\.services\.[a-z]+\.v1\./, '')}${c.namespace ? ` [${c.namespace}]` : ''}`;
  }).join('\n');
}
