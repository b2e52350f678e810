// The doctor's report as Markdown a user can read as it is, preview, or paste into an issue:
// a summary line, then each area's findings (worst first within an area), each with what it saw
// and the fix.
import { codeSpan } from '../model/markdown';
import type { FindingLevel } from '../model/finding';
import type { DoctorCheck, DoctorFinding } from './doctorCheck';

export interface DoctorReport {
  readonly findings: readonly DoctorFinding[];
  readonly generatedAt: Date;
  readonly user: { readonly name: string; readonly uid: number };
  /** A finding recognised in a failed command's output, which is why the doctor was opened. */
  readonly seen?: DoctorFinding;
}

const areas: readonly { readonly title: string; readonly checks: readonly DoctorCheck[] }[] = [
  { title: 'containerd endpoints', checks: ['endpoint', 'introspection', 'deprecation', 'overlay'] },
  { title: 'Rootless', checks: ['rootless'] },
  { title: 'BuildKit', checks: ['buildkitd', 'binfmt', 'dockerBuilder'] },
  { title: 'Tools', checks: ['tools'] },
  { title: 'Networking (CNI)', checks: ['cni'] },
  { title: 'Configuration', checks: ['configuration'] },
];

const rank: Readonly<Record<FindingLevel, number>> = { error: 0, warning: 1, info: 2, ok: 3 };
export const levelMark: Readonly<Record<FindingLevel, string>> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info', ok: '✅ ok' };

function findingLines(finding: DoctorFinding): string[] {
  return [
    `- ${levelMark[finding.level]} (${finding.check}): ${finding.message}`,
    ...(finding.evidence ?? []).map((line) => `  - seen: ${codeSpan(line)}`),
    ...(finding.fix ? [`  - fix: ${finding.fix}`] : []),
  ];
}

function count(findings: readonly DoctorFinding[], level: FindingLevel): number {
  return findings.filter((f) => f.level === level).length;
}

export function summaryLine(findings: readonly DoctorFinding[]): string {
  const errors = count(findings, 'error');
  const warnings = count(findings, 'warning');
  if (errors === 0 && warnings === 0) return 'No problems found.';
  return [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
}

export function renderReport(report: DoctorReport): string {
  const lines = [
    '# containerd doctor',
    '',
    `${report.generatedAt.toISOString()}, as ${report.user.name} (uid ${report.user.uid}). ${summaryLine(report.findings)}`,
    '',
  ];
  if (report.seen) lines.push('## What the failed command showed', '', ...findingLines(report.seen), '');
  for (const area of areas) {
    const found = report.findings.filter((f) => area.checks.includes(f.check)).sort((a, b) => rank[a.level] - rank[b.level]);
    if (found.length === 0) continue;
    lines.push(`## ${area.title}`, '', ...found.flatMap(findingLines), '');
  }
  return lines.join('\n');
}
