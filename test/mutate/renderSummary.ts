// The mutation summary as the console table and as Markdown (test-results/mutation.md).
import { table } from '../bench/stats';
import type { FolderSummary, MutationSummary, Undetected } from './mutationSummary';

const header = ['folder', 'killed', 'survived', 'timeout', 'no coverage', 'errors', 'score', 'target'];

function row(f: FolderSummary, targetPercent: number): string[] {
  const parts = f.folder.split('/');
  const isPure = parts.length === 2;
  const name = parts.length > 2 ? `  ${parts.slice(2).join('/')}` : f.folder;
  const score = f.score === undefined ? 'n/a' : `${f.score.toFixed(1)} %`;
  const verdict = f.meetsTarget ? 'ok' : `UNDER ${targetPercent} %`;
  // The target is per pure folder: subfolders and the total only inform.
  return [name, String(f.killed), String(f.survived), String(f.timeout), String(f.noCoverage), String(f.errors), score, isPure ? verdict : ''];
}

function rows(summary: MutationSummary): string[][] {
  return [...summary.folders, summary.total].map((f) => row(f, summary.targetPercent));
}

const undetectedLine = (u: Undetected): string =>
  `${u.file}:${u.line}:${u.column} ${u.mutator} ${JSON.stringify(u.replacement)}${u.status === 'NoCoverage' ? ' (no test reaches it)' : ''}`;

export function renderText(summary: MutationSummary): string {
  const survivors = summary.undetected.filter((u) => u.status === 'Survived').length;
  return [
    table(header, rows(summary)),
    '',
    `${survivors} survived and ${summary.undetected.length - survivors} not covered (score = killed + timeout over killed + timeout + survived + no coverage):`,
    ...summary.undetected.map(undetectedLine),
  ].join('\n');
}

export function renderMarkdown(summary: MutationSummary, generatedAt: string): string {
  const cells = (r: readonly string[]): string => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `# Mutation testing of the pure folders`,
    '',
    `${generatedAt}; target ${summary.targetPercent} % in every pure folder (subfolder rows inform only).`,
    '',
    cells(header),
    cells(header.map(() => '---')),
    ...rows(summary).map((r) => cells(r.map((c) => c.replace(/^ {2}/, '\u00a0\u00a0')))),
    '',
    `## Undetected mutants (${summary.undetected.length})`,
    '',
    ...summary.undetected.map((u) => `- \`${undetectedLine(u).replace(/`/g, "'")}\``),
    '',
  ].join('\n');
}
