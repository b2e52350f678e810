// Is there a buildkitd where nerdctl build (and our build tasks) will look, and does it answer?
// Every candidate in nerdctl's order is listed, so "none found" says exactly where it looked.
import type { WorkerInfo, Read } from '../buildkit/builderInfo';
import { unixSocketPath, type LocatedHost } from '../buildkit/buildkitHosts';
import type { DoctorFinding } from './doctorCheck';
import { buildkitdFix } from './knownProblems';

export interface BuildkitdFacts {
  readonly namespace: string;
  readonly candidates: readonly LocatedHost[];
  /** The answer of each present candidate, asked through buildctl (absent when buildctl could not run). */
  readonly answers: ReadonlyMap<string, Read<readonly WorkerInfo[]>>;
}

function candidateLine(c: LocatedHost): string {
  if (unixSocketPath(c.address) === undefined) return `${c.address} (${c.source}): not a unix socket, asked directly`;
  return `${c.address} (${c.source}): ${c.present ? 'socket present' : 'no socket'}`;
}

export function buildkitdFindings(facts: BuildkitdFacts): DoctorFinding[] {
  const evidence = facts.candidates.map(candidateLine);
  const present = facts.candidates.filter((c) => c.present);
  if (present.length === 0) {
    return [{ check: 'buildkitd', level: 'warning', message: `No buildkitd where nerdctl looks for namespace ${facts.namespace}: builds with nerdctl or buildctl cannot run.`, fix: buildkitdFix, evidence }];
  }
  return present.map((candidate): DoctorFinding => {
    const answer = facts.answers.get(candidate.address);
    if (!answer) return { check: 'buildkitd', level: 'info', message: `A socket is at ${candidate.address}, but buildctl could not be run to ask it.`, fix: 'Install buildctl, or set containerd.buildctl.command (see Tools).', evidence };
    if (!answer.ok) return { check: 'buildkitd', level: 'error', message: `buildkitd at ${candidate.address} does not answer: ${answer.problem}.`, fix: buildkitdFix, evidence };
    const platforms = [...new Set(answer.value.flatMap((w) => w.platforms))];
    const version = answer.value.find((w) => w.buildkitVersion)?.buildkitVersion;
    return { check: 'buildkitd', level: 'ok', message: `buildkitd${version ? ` ${version}` : ''} answers at ${candidate.address} (${candidate.source}): ${answer.value.length} worker${answer.value.length === 1 ? '' : 's'}, platforms ${platforms.join(', ') || 'none'}.`, fix: '', evidence };
  });
}
