// `npm run bench`: seeds a private containerd 2.x with 1,000 images, 1,000 containers and 2,000+
// snapshots in namespace `default`, and 10,000 images and 10,000 containers in namespace `scale`,
// then measures in one run: each view's load path cold and warm against ctr, the views at scale,
// event-to-refreshed latency, the real extension in code-server started twice on the same user
// data (activation, first rows, warm refreshes, heap; the second start over the first's persisted
// image documents, then bursts of events with the views shown), and the bundle size. Prints a
// table, writes test-results/bench.json. Exits 0 whatever the timings (a bench reports);
// non-zero only when a figure could not be measured.
// Options: --count N (images and containers in `default`, default 1000), --scale N (in `scale`,
// default 10000; 0: none), --runs N (default 5), --iterations N (start/kill/delete rounds,
// default 20), --burst N (image events per burst, default 1000; 0: none), --no-host (skip code-server),
// --only a,b (only these sections: build, debug, doctor, layers, views, scale, startup, events, whatif, host; the daemon is seeded for all but build, debug, doctor and layers).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MethodTable } from '../../src/containerd/proto/codec';
import { loadComponents } from '../harness/components';
import { codeServerEntry } from '../harness/codeServer';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { bundleSizes } from './bundle';
import { measureBuildParsing } from './buildParse';
import { measureDebugPreflight } from './debugPreflight';
import { measureDoctor } from './doctorRun';
import { measureLayerListing } from './layerListing';
import { selfTimes } from './cpuProfileSummary';
import { asBuilt, measureEventLatency } from './eventLatency';
import { measureHost, type Defer } from './hostBench';
import { measureViews } from './measure';
import { measureScale } from './scale';
import { eventFigures, renderHostProfile, renderProfiles, renderTable, renderTimeline, renderWhatIfs, type BenchFigures } from './report';
import { nonEmptyLines, seedNamespace, type Seeded } from './seed';
import { replayStartup } from './startupReplay';
import { measureWhatIfs } from './whatIf';

const repo = resolve(__dirname, '..', '..', '..');
const namespace = 'default';
const scaleNamespace = 'scale';

function option(name: string, fallback: number, min = 1): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} needs an integer of at least ${min}`);
  return value;
}

const sectionNames = ['build', 'debug', 'doctor', 'layers', 'views', 'scale', 'startup', 'events', 'whatif', 'host'] as const;
type SectionName = (typeof sectionNames)[number];

/** The measuring sections asked for (all by default). */
function selectedSections(): ReadonlySet<SectionName> {
  const index = process.argv.indexOf('--only');
  if (index < 0) return new Set(sectionNames);
  const asked = (process.argv[index + 1] ?? '').split(',').filter(Boolean);
  const unknown = asked.filter((name) => !sectionNames.includes(name as SectionName));
  if (asked.length === 0 || unknown.length > 0) throw new Error(`--only takes a comma-separated list of ${sectionNames.join(', ')}`);
  return new Set(asked as SectionName[]);
}

const log = (line: string): void => console.log(line);
const errorText = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** Cleanups run in reverse order, once each: at the end, on failure, or on SIGINT/SIGTERM. */
class Cleanups {
  private readonly stack: { run: () => Promise<unknown>; done: boolean }[] = [];

  readonly defer: Defer = (cleanup) => {
    const entry = { run: cleanup, done: false };
    this.stack.push(entry);
    return async () => {
      if (entry.done) return;
      entry.done = true;
      await cleanup().catch((error: unknown) => log(`cleanup failed: ${errorText(error)}`));
    };
  };

  async runAll(): Promise<void> {
    for (const entry of [...this.stack].reverse()) {
      if (entry.done) continue;
      entry.done = true;
      await entry.run().catch((error: unknown) => log(`cleanup failed: ${errorText(error)}`));
    }
  }
}

async function section<T>(figures: BenchFigures, name: string, body: () => Promise<T>): Promise<T | undefined> {
  const started = Date.now();
  log(`\n== ${name}`);
  try {
    const result = await body();
    log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    log(`   FAILED: ${errorText(error)}`);
    figures.failures.push({ section: name, error: errorText(error) });
    return undefined;
  }
}

async function bench(figures: BenchFigures, cleanups: Cleanups): Promise<void> {
  const count = option('count', 1000);
  const runs = option('runs', 5);
  const iterations = option('iterations', 20);
  const scale = option('scale', 10_000, 0);
  const burstEvents = option('burst', 1000, 0);
  const sections = selectedSections();
  const withHost = sections.has('host') && !process.argv.includes('--no-host');
  const components = loadComponents();
  if (withHost) codeServerEntry();
  figures.bundle = await section(figures, 'bundle size', () => bundleSizes(repo));
  if (sections.has('build')) figures.buildParse = await section(figures, 'build output: 100,000 lines read into diagnostics', () => Promise.resolve(measureBuildParsing(repo, runs)));
  if (sections.has('debug')) figures.debugPreflight = await section(figures, 'debugger preflight on the buildkitd builds', () => measureDebugPreflight(components.tools, runs));
  if (sections.has('doctor')) figures.doctor = await section(figures, 'the doctor against a containerd and a buildkitd', () => measureDoctor(components, runs));
  if (sections.has('layers')) figures.layers = await section(figures, 'image files read from the content store', () => measureLayerListing(runs));
  // Every other section measures against a seeded daemon.
  if (![...sections].some((s) => !['build', 'debug', 'doctor', 'layers'].includes(s))) return;

  const scratch = mkdtempSync(join(tmpdir(), 'vscc-bench-'));
  cleanups.defer(() => Promise.resolve(rmSync(scratch, { recursive: true, force: true })));
  const daemon: ContainerdDaemon = await startContainerd('2.x');
  cleanups.defer(() => daemon.stop());
  figures.environment.containerd = nonEmptyLines(await daemon.ctr(['version'])).find((l) => l.trim().startsWith('Version'))?.split(/\s+/).at(-1) ?? '?';

  // The method table is parsed once per extension lifetime; time it apart from the loads.
  const methods = new MethodTable();
  const parseStarted = performance.now();
  methods.method('containerd.services.version.v1.Version', 'Version');
  figures.environment.protoParseMs = Math.round((performance.now() - parseStarted) * 10) / 10;

  const seed = (ns: string, n: number, runnable: number): Promise<Seeded | undefined> => section(figures, `seeding ${n} images and ${n} containers in ${ns}`, async () => {
    const result = await seedNamespace(daemon, components, methods, join(scratch, `seed-${ns}`), { namespace: ns, count: n, tagsPerRepo: 10, runnable });
    log(`   ${JSON.stringify(result.counts)} in ${result.timings.totalMs} ms ${JSON.stringify(result.timings)}`);
    // The archives are imported: their tens of thousands of files are not needed any more.
    rmSync(join(scratch, `seed-${ns}`), { recursive: true, force: true });
    return result;
  });
  const seeded = await seed(namespace, count, iterations);
  if (!seeded) return;
  figures.seed = { counts: seeded.counts, timings: seeded.timings };
  const seededScale = scale > 0 ? await seed(scaleNamespace, scale, 1) : undefined;
  if (seededScale) figures.seedScale = { counts: seededScale.counts, timings: seededScale.timings };

  if (sections.has('views')) figures.views = await section(figures, `view loads vs ctr (median of ${runs})`, () => measureViews({ daemon, methods, namespace, runs }, log));
  if (seededScale && sections.has('scale')) figures.scale = await section(figures, `views at scale: ${scale} images and containers in ${scaleNamespace}`, () => measureScale({ daemon, methods, namespace: scaleNamespace, runs }, log));
  if (sections.has('startup')) figures.startup = await section(figures, 'startup replay: the loads an activation starts vs one pass', () => replayStartup({ daemon, methods, namespace }));
  if (sections.has('events')) figures.events = await section(figures, `event -> refreshed containers (${iterations} start/kill/delete rounds)`, async () =>
    eventFigures(await measureEventLatency({ daemon, methods, namespace, containers: seeded.containers.slice(0, iterations), iterations, variant: asBuilt })));
  if (sections.has('whatif')) figures.whatIf = await section(figures, 'what-ifs: emulations of the suggested changes', async () => ({
    ...await measureWhatIfs({ daemon, methods, namespace, runs }),
    events: eventFigures(await measureEventLatency({
      daemon, methods, namespace, containers: seeded.containers.slice(0, iterations), iterations: Math.ceil(iterations / 2), variant: { coalesceMs: 0, tasksOnly: true },
    })),
  }));
  if (withHost) {
    const profileFile = join(repo, 'test-results', 'bench-second-start.cpuprofile');
    mkdirSync(join(repo, 'test-results'), { recursive: true });
    figures.host = await section(figures, 'extension host (code-server), two starts', () => measureHost({
      daemon, scratch, defer: cleanups.defer, log, profileFile,
      facts: { namespace, views: ['images', 'containers', 'snapshots'], expected: seeded.counts, runs, daemonPid: daemon.pid, socket: daemon.socket, burstEvents },
    }));
    if (figures.host) figures.hostProfile = selfTimes(profileFile);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const figures: BenchFigures = {
    startedAt: new Date().toISOString(),
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?' },
    failures: [],
  };
  const cleanups = new Cleanups();
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`\n${signal}: stopping everything the bench started`);
    void cleanups.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await bench(figures, cleanups);
  } catch (error) {
    log(`bench failed: ${errorText(error)}`);
    figures.failures.push({ section: 'bench', error: errorText(error) });
  } finally {
    await cleanups.runAll();
  }
  figures.totalSeconds = Math.round((Date.now() - started) / 1000);
  log(`\n${renderTable(figures)}`);
  if (figures.whatIf) log(`\nwhat-ifs (bench-only emulations of suggested changes, not the extension's code):\n${renderWhatIfs(figures)}`);
  if (figures.views) log(`\nwhere the time goes (one profiled load each):\n${renderProfiles(figures.views, figures.startup)}`);
  if (figures.host) log(`\nthe last restart's calls until all rows (sent -> answered, ms after activate()):\n${renderTimeline(figures.host.second)}`);
  if (figures.hostProfile) log(`\na restart (start 3, profiled), activate() -> all rows: the extension host's CPU by function (self time):\n${renderHostProfile(figures.hostProfile)}`);
  const out = join(repo, 'test-results', 'bench.json');
  mkdirSync(join(repo, 'test-results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  log(`\nfigures written to ${out}; total ${figures.totalSeconds} s`);
  process.exitCode = figures.failures.length > 0 ? 1 : 0;
}

void main();
