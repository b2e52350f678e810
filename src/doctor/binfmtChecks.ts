// The binfmt preflight of the build tasks, for every platform the workspace's build tasks ask
// for: the same rules (src/buildkit/binfmt.ts), reported as the doctor's findings.
import { binfmtProblems, runsNatively, type BinfmtState } from '../buildkit/binfmt';
import type { DoctorFinding } from './doctorCheck';

export interface BinfmtFacts {
  /** Where the handlers were read (/proc/sys/fs/binfmt_misc on a real host). */
  readonly dir: string;
  readonly state: BinfmtState;
  readonly native: string | undefined;
  /** The platforms the workspace's build tasks build for. */
  readonly platforms: readonly string[];
}

function enabledEmulators(state: BinfmtState): string[] {
  return Object.entries(state.handlers).filter(([name, text]) => name.startsWith('qemu-') && /^enabled$/m.test(text)).map(([name]) => name).sort();
}

export function binfmtFindings(facts: BinfmtFacts): DoctorFinding[] {
  const emulators = enabledEmulators(facts.state);
  const evidence = [facts.state.mounted ? `${facts.dir}: ${emulators.length > 0 ? emulators.join(', ') : 'no QEMU handler enabled'}` : `${facts.dir}: not mounted`];
  const problems = binfmtProblems(facts.platforms, facts.native, facts.state);
  // Each problem already names its own fix (the handler to enable).
  if (problems.length > 0) return problems.map((message) => ({ check: 'binfmt', level: 'error', message, fix: '', evidence }));
  if (facts.platforms.length === 0) {
    return [{ check: 'binfmt', level: 'info', message: `No build task in this workspace names a platform; this host runs ${facts.native ?? 'an unknown platform'}${emulators.length > 0 ? `, and emulates ${emulators.map((e) => e.replace(/^qemu-/, '')).join(', ')}` : ''}.`, fix: '', evidence }];
  }
  const foreign = facts.platforms.filter((p) => !runsNatively(p, facts.native));
  return [{ check: 'binfmt', level: 'ok', message: `Every platform the build tasks name can run here: ${facts.platforms.join(', ')}${foreign.length > 0 ? ` (${foreign.join(', ')} through QEMU)` : ''}.`, fix: '', evidence }];
}
