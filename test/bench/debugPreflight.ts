// What the debugger costs before dlv starts: reading a buildkitd's facts from the file (ELF
// sections, build info, DWARF; the binaries are 80 MB), the whole preflight of a launch
// configuration (with dlv's version asked), and the process picker's /proc scan. Target: the
// preflight < 300 ms, so F5 feels immediate.
import { checkDebugConfig } from '../../src/debug/debugConfig';
import { listBuildkitdProcesses } from '../../src/debug/buildkitdProcesses';
import { readBinaryFacts } from '../../src/debug/binaryFacts';
import { hostMachine, preflightOnMachine } from '../../src/debug/preflightFacts';
import type { GoTools } from '../harness/components';

export interface DebugPreflightFigures {
  readonly factsMs: number;
  readonly preflightMs: number;
  readonly processScanMs: number;
  readonly processes: number;
}

async function timed(runs: number, body: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await body();
    samples.push(performance.now() - started);
  }
  const sorted = samples.sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}

export async function measureDebugPreflight(tools: GoTools, runs: number): Promise<DebugPreflightFigures> {
  const checked = checkDebugConfig({ type: 'buildkitd', name: 'bench', request: 'launch', program: tools.buildkitdTrimpath });
  if (!checked.ok) throw new Error(checked.error);
  const machine = hostMachine(tools.dlv, []);
  // The figure must be of a preflight that read the binary: the -trimpath build always reports.
  const first = await preflightOnMachine(checked.value, machine);
  if (!first?.findings.some((f) => f.check === 'trimpath')) throw new Error(`the preflight of ${tools.buildkitdTrimpath} did not read its build info: ${JSON.stringify(first?.findings)}`);
  const factsMs = await timed(runs, () => readBinaryFacts(tools.buildkitdDebug));
  const preflightMs = await timed(runs, () => preflightOnMachine(checked.value, machine));
  const processScanMs = await timed(runs, () => listBuildkitdProcesses());
  return { factsMs, preflightMs, processScanMs, processes: (await listBuildkitdProcesses()).length };
}
