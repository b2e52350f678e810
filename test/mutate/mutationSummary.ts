// Turns Stryker's JSON report (the mutation-testing-report-schema) into per-folder counts and the
// list of mutants no test noticed. Only the fields read here are declared.

export type MutantStatus = 'Killed' | 'Survived' | 'Timeout' | 'NoCoverage' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

export interface StrykerReport {
  readonly files: Readonly<Record<string, {
    readonly mutants: readonly {
      readonly mutatorName: string;
      readonly replacement?: string;
      readonly status: MutantStatus;
      readonly location: { readonly start: { readonly line: number; readonly column: number } };
    }[];
  }>>;
}

export interface Counts {
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  /** Mutants that broke the program before any test could judge them (not in the score). */
  errors: number;
}

export interface FolderSummary extends Counts {
  /** `src/containerd`, or a subfolder such as `src/containerd/images`. */
  readonly folder: string;
  /** Detected (killed + timeout) over all judged mutants, in percent; undefined with none judged. */
  readonly score: number | undefined;
  readonly meetsTarget: boolean;
}

export interface Undetected {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly mutator: string;
  readonly replacement: string;
  readonly status: 'Survived' | 'NoCoverage';
}

export interface MutationSummary {
  readonly targetPercent: number;
  /** One row per pure folder (`src/X`), each followed by its subfolders' rows. */
  readonly folders: readonly FolderSummary[];
  readonly total: FolderSummary;
  readonly undetected: readonly Undetected[];
}

const emptyCounts = (): Counts => ({ killed: 0, survived: 0, timeout: 0, noCoverage: 0, errors: 0 });

function add(counts: Counts, status: MutantStatus): void {
  if (status === 'Killed') counts.killed += 1;
  else if (status === 'Survived') counts.survived += 1;
  else if (status === 'Timeout') counts.timeout += 1;
  else if (status === 'NoCoverage') counts.noCoverage += 1;
  else if (status === 'CompileError' || status === 'RuntimeError') counts.errors += 1;
}

function scored(folder: string, counts: Counts, targetPercent: number): FolderSummary {
  const detected = counts.killed + counts.timeout;
  const judged = detected + counts.survived + counts.noCoverage;
  const score = judged === 0 ? undefined : (100 * detected) / judged;
  return { folder, ...counts, score, meetsTarget: score === undefined || score >= targetPercent };
}

/** `src/containerd/images/x.ts` -> [`src/containerd`, `src/containerd/images`]; a file right in the folder has no subfolder. */
function foldersOf(file: string): [string, string | undefined] {
  const parts = file.split('/');
  const top = parts.slice(0, 2).join('/');
  return [top, parts.length > 3 ? parts.slice(0, 3).join('/') : undefined];
}

/** One line, short enough for a table: a replaced block can span many lines. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

export function summarize(report: StrykerReport, targetPercent: number): MutationSummary {
  const byFolder = new Map<string, Counts>();
  const total = emptyCounts();
  const undetected: Undetected[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const [top, sub] = foldersOf(file);
    for (const mutant of mutants) {
      for (const folder of sub === undefined ? [top] : [top, sub]) {
        const counts = byFolder.get(folder) ?? emptyCounts();
        byFolder.set(folder, counts);
        add(counts, mutant.status);
      }
      add(total, mutant.status);
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        undetected.push({
          file, line: mutant.location.start.line, column: mutant.location.start.column, mutator: mutant.mutatorName,
          replacement: oneLine(mutant.replacement ?? ''), status: mutant.status,
        });
      }
    }
  }
  // Sorted by name, a folder's subfolders follow it directly.
  const folders = [...byFolder].sort(([a], [b]) => a.localeCompare(b)).map(([folder, counts]) => scored(folder, counts, targetPercent));
  undetected.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { targetPercent, folders, total: scored('all', total, targetPercent), undetected };
}

/** The pure folders under target: these fail `npm run mutate` (subfolders only inform). */
export function foldersUnderTarget(summary: MutationSummary): readonly FolderSummary[] {
  return summary.folders.filter((f) => f.folder.split('/').length === 2 && !f.meetsTarget);
}
