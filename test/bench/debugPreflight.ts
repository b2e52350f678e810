// What the debugger costs before dlv starts: reading a buildkitd's facts from the file (ELF
// sections, build info, DWARF; the binaries are 80 MB), the whole preflight of a launch
// configuration (with dlv's version asked), and the process picker's /proc scan. Target: the
// preflight < 300 ms, so F5 feels immediate.
import { checkDebugConfig } from '../../src/debug/debugConfig';
import { listBuildkitdProcesses } from '../../src/debug/buildkitdProcesses';
import { readBinaryFacts } from '../../src/debug/binaryFacts';
import { hostMachine, preflightOnMachine } from '../../src/debug/preflightFacts';
import type { GoTools } from '../harness/components';
import { medianMs } from './stats';

export interface DebugPreflightFigures {
  readonly factsMs: number;
  readonly preflightMs: number;
  readonly processScanMs: number;
  readonly processes: number;
}

export async function measureDebugPreflight(tools: GoTools, runs: number): Promise<DebugPreflightFigures> {
  const checked = checkDebugConfig({ type: 'buildkitd', name: 'bench', request: 'launch', program: tools.buildkitdTrimpath });
  if (!checked.ok) throw new Error(checked.error);
  const machine = hostMachine(tools.dlv, []);
  // The figure must be of a preflight that read the binary: the -trimpath build always reports.
  const first = await preflightOnMachine(checked.value, machine);
  if (!first?.findings.some((f) => f.check === 'trimpath')) throw new Error(`the preflight of ${tools.buildkitdTrimpath} did not read its build info: ${JSON.stringify(first?.findings)}`);
  const factsMs = await medianMs(runs, () => readBinaryFacts(tools.buildkitdDebug));
  const preflightMs = await medianMs(runs, () => preflightOnMachine(checked.value, machine));
  const processScanMs = await medianMs(runs, () => listBuildkitdProcesses());
  return { factsMs, preflightMs, processScanMs, processes: (await listBuildkitdProcesses()).length };
}
