// One pure function from a build's output to the diagnostics on its Dockerfile, so any captured
// log can be replayed through it: errors on the lines BuildKit's source excerpt marks (else on
// the instruction of the failed step), build-check warnings on their lines with the rule and its
// page, each once, and the platform named when only some platforms failed.
import { posix } from 'node:path';
import { isCancellation, readBuildLog, type BuildLog, type BuildOutputFormat, type BuildStep, type CheckWarning } from './buildLog';
import { instructionOfStep, parseStepName, type LineRange } from './dockerfileSteps';
import { errorInUsersWords } from './errorWords';

export interface DockerfileSource {
  /** The Dockerfile's path (its base name is what BuildKit prints above an excerpt). */
  readonly path: string;
  readonly text: string;
}

export interface BuildDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 0-based lines; characters 0 to the end of the last line. */
  readonly range: { readonly startLine: number; readonly startCharacter: number; readonly endLine: number; readonly endCharacter: number };
  /** A build check's rule (e.g. FromAsCasing). */
  readonly code: string | undefined;
  /** The rule's documentation page. */
  readonly url: string | undefined;
  /** The platform the failure happened on, in a multi-platform build. */
  readonly platform: string | undefined;
}

/** The docs page BuildKit links for a rule: FromAsCasing -> .../rule/from-as-casing/. */
export function ruleUrl(rule: string): string {
  const kebab = rule.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
  return `https://docs.docker.com/go/dockerfile/rule/${kebab}/`;
}

/** Whole lines, clamped to the file (a changed file may be shorter than the build's). */
function lineRange(lines: readonly string[], startLine: number, endLine: number): BuildDiagnostic['range'] {
  const last = Math.max(lines.length - 1, 0);
  const start = Math.min(Math.max(startLine, 0), last);
  const end = Math.min(Math.max(endLine, start), last);
  return { startLine: start, startCharacter: 0, endLine: end, endCharacter: (lines[end] ?? '').length };
}

function isOurFile(file: string | undefined, dockerfile: DockerfileSource): boolean {
  // The same path has the same base name: comparing base names covers it.
  return file === undefined || posix.basename(file) === posix.basename(dockerfile.path);
}

/** Up to five of the failed step's last output lines, which usually say why. */
function withOutput(message: string, output: readonly string[]): string {
  const last = output.map((l) => l.trimEnd()).filter(Boolean).slice(-5);
  return last.length > 0 ? `${message}\nLast output:\n${last.join('\n')}` : message;
}

function withPlatform(message: string, platform: string | undefined): string {
  return platform ? `${platform}: ${message}` : message;
}

/** Steps that failed on their own: the ones BuildKit cancelled because another failed are not. */
function failedSteps(log: BuildLog): BuildStep[] {
  return log.steps.filter((s) => s.error !== undefined && !isCancellation(s.error));
}

function errorDiagnostics(log: BuildLog, dockerfile: DockerfileSource, lines: readonly string[]): BuildDiagnostic[] {
  const failed = failedSteps(log);
  const fromExcerpts = log.excerpts.filter((e) => isOurFile(e.file, dockerfile)).map((excerpt): BuildDiagnostic => {
    // rawjson prints no failed-step block: the step is the failed one whose error the message carries.
    const step = excerpt.step !== undefined ? log.steps.find((s) => s.name === excerpt.step)
      : failed.find((s) => (excerpt.message ?? '').includes(s.error ?? '\0')) ?? failed[0];
    const platform = parseStepName(excerpt.step ?? step?.name ?? '')?.platform;
    const message = errorInUsersWords(excerpt.message ?? step?.error ?? log.finalError ?? 'The build failed here.');
    return {
      severity: 'error', message: withPlatform(withOutput(message, excerpt.stepOutput.length > 0 ? excerpt.stepOutput : step?.logs ?? []), platform),
      range: lineRange(lines, Math.min(...excerpt.marked) - 1, Math.max(...excerpt.marked) - 1), code: undefined, url: undefined, platform,
    };
  });
  if (fromExcerpts.length > 0) return fromExcerpts;
  // No excerpt (a backend or an error that prints none): the failed steps' instructions.
  return failed.flatMap((step): BuildDiagnostic[] => {
    const name = parseStepName(step.name);
    const range: LineRange | undefined = name ? instructionOfStep(name, dockerfile.text) : undefined;
    if (!name || !range || step.error === undefined) return [];
    return [{
      severity: 'error', message: withPlatform(withOutput(errorInUsersWords(step.error), step.logs), name.platform),
      range: lineRange(lines, range.startLine, range.endLine), code: undefined, url: undefined, platform: name.platform,
    }];
  });
}

function warningDiagnostic(warning: CheckWarning, lines: readonly string[]): BuildDiagnostic {
  const start = (warning.startLine ?? 1) - 1;
  return {
    severity: 'warning', message: warning.message, range: lineRange(lines, start, (warning.endLine ?? warning.startLine ?? 1) - 1),
    code: warning.rule, url: warning.url ?? ruleUrl(warning.rule), platform: undefined,
  };
}

export function buildDiagnostics(output: string, dockerfile: DockerfileSource, format: BuildOutputFormat): BuildDiagnostic[] {
  const log = readBuildLog(output, format);
  const lines = dockerfile.text.split('\n');
  const errors = errorDiagnostics(log, dockerfile, lines);
  // Each platform (and plain and rawjson alike) reports a check again: one diagnostic per rule and line.
  const seen = new Set<string>();
  const warnings = log.warnings.filter((w) => isOurFile(w.file, dockerfile)).flatMap((warning) => {
    const key = `${warning.rule}\0${warning.startLine ?? ''}\0${warning.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [warningDiagnostic(warning, lines)];
  });
  // A failure nothing placed still shows: on the line it names (a parse error printed without an
  // excerpt, as BuildKit's subrequests do), else on line 1 (a missing Dockerfile, an unreachable builder).
  const named = Number(/\bparse error on line (\d+)\b/.exec(log.finalError ?? '')?.[1] ?? 1) - 1;
  const unplaced = errors.length === 0 && log.finalError !== undefined
    ? [{ severity: 'error' as const, message: errorInUsersWords(log.finalError), range: lineRange(lines, named, named), code: undefined, url: undefined, platform: undefined }]
    : [];
  return [...errors, ...unplaced, ...warnings];
}
