// What a check reports, wherever it runs (the debugger's preflight, the environment doctor): how
// bad it is, what is wrong and why it matters, what to do, and what it saw.
export type FindingLevel = 'ok' | 'info' | 'warning' | 'error';

export interface Finding<Check extends string = string> {
  /** Which check spoke (stable, for tests, the log and menus). */
  readonly check: Check;
  readonly level: FindingLevel;
  /** What is wrong (or right), and why it matters. */
  readonly message: string;
  /** What to do about it; empty when nothing needs doing. */
  readonly fix: string;
  /** What the check saw: paths, versions, lines of output. */
  readonly evidence?: readonly string[];
}

/** A finding as one line of advice: "message. fix". */
export function findingText(finding: Finding): string {
  return `${finding.message} ${finding.fix}`.trim();
}
