// What a debugger preflight check reports: the words a user reads before dlv starts.
export type FindingLevel = 'error' | 'warning' | 'info';

export interface Finding {
  /** Which check spoke (stable, for tests and the log). */
  readonly check: 'dlv' | 'binary' | 'dwarf' | 'optimized' | 'trimpath' | 'ptrace' | 'go-version' | 'process' | 'trust';
  readonly level: FindingLevel;
  /** What is wrong, and why it matters. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** A finding as one line of advice: "message. fix". */
export function findingText(finding: Finding): string {
  return `${finding.message} ${finding.fix}`.trim();
}
