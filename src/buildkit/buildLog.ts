// What a build printed, read into steps, build-check warnings and source excerpts, from any of
// the formats the backends print: plain progress (`#N ...` lines), rawjson (one JSON status per
// line from buildctl and from buildx 0.29; an object indented over many lines is read too) and
// the tty display, each followed by the same text (`Dockerfile:N` excerpts and the `error:` line).
// Nothing here throws: garbled, truncated or interleaved input yields what could be read.

import { StatusStream } from './statusStream';

export type BuildOutputFormat = 'plain' | 'rawjson';

/** A step BuildKit cancelled because another failed: its error is not a failure of its own. */
export function isCancellation(error: string): boolean {
  return /(?:^|: )context canceled$/.test(error);
}

export interface BuildStep {
  /** As BuildKit names it: `[linux/arm64 3/3] RUN ...`, `[internal] load ...`. */
  readonly name: string;
  readonly error: string | undefined;
  /** What the step printed, without timestamps. */
  readonly logs: readonly string[];
}

export interface CheckWarning {
  /** The rule, e.g. FromAsCasing. */
  readonly rule: string;
  readonly message: string;
  /** 1-based lines of the Dockerfile, when the warning names them. */
  readonly startLine: number | undefined;
  readonly endLine: number | undefined;
  readonly url: string | undefined;
  /** The file the warning is about (rawjson says); undefined: the build's Dockerfile. */
  readonly file: string | undefined;
}

export interface SourceExcerpt {
  /** The file name as BuildKit prints it above the excerpt (`Dockerfile`, `app.Containerfile`). */
  readonly file: string;
  /** The 1-based lines marked `>>>`. */
  readonly marked: readonly number[];
  /** The `error:` line that follows the excerpt, without its prefix. */
  readonly message: string | undefined;
  /** The failed step named in the `------ > [...] ...: ------` block before it. */
  readonly step: string | undefined;
  /** That block's lines: the step's last output. */
  readonly stepOutput: readonly string[];
}

export interface BuildLog {
  readonly steps: readonly BuildStep[];
  readonly warnings: readonly CheckWarning[];
  readonly excerpts: readonly SourceExcerpt[];
  /** The last `error:` / `ERROR:` line, without its prefix. */
  readonly finalError: string | undefined;
}

/** Colours, cursor moves and other escape sequences of a terminal display. */
function withoutEscapes(text: string): string {
  // rawjson and plain output carry none (JSON writes ESC as \u001b): skip three passes over megabytes.
  if (!text.includes('\u001b')) return text;
  // eslint-disable-next-line no-control-regex -- escape sequences are what is removed
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b[\]P^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '').replace(/\u001b./g, '');
}

/** Lines as they ended up on screen: a carriage return rewrites its line. */
export function screenLines(text: string): string[] {
  const lines = withoutEscapes(text).split('\n');
  if (!text.includes('\r')) return lines;
  return lines.map((line) => {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    return trimmed.slice(trimmed.lastIndexOf('\r') + 1);
  });
}

const warningText = /^([A-Z][A-Za-z0-9]*): (.*?)(?: \(lines? (\d+)(?:-(\d+))?\))?$/;

function parseWarning(text: string, extra: { url?: string; file?: string; startLine?: number; endLine?: number } = {}): CheckWarning | undefined {
  const match = warningText.exec(text.trim());
  if (!match?.[1] || match[2] === undefined) return undefined;
  const startLine = extra.startLine ?? (match[3] ? Number(match[3]) : undefined);
  const endLine = extra.endLine ?? (match[4] ? Number(match[4]) : startLine);
  return { rule: match[1], message: match[2], startLine, endLine, url: extra.url, file: extra.file };
}

/** Steps as they are read: one record per id, filled in as lines arrive. */
class StepTable {
  private readonly byId = new Map<string, { name: string; error: string | undefined; logs: string[] }>();

  step(id: string, name?: string): { name: string; error: string | undefined; logs: string[] } {
    let step = this.byId.get(id);
    if (!step) {
      step = { name: name ?? '', error: undefined, logs: [] };
      this.byId.set(id, step);
    } else if (name && !step.name) {
      step.name = name;
    }
    return step;
  }

  /** The ids of the steps that reported an error. */
  failedIds(): string[] {
    return [...this.byId].filter(([, step]) => step.error !== undefined).map(([id]) => id);
  }

  all(): BuildStep[] {
    return [...this.byId.values()].filter((s) => s.name).map((s) => ({ name: s.name, error: s.error, logs: s.logs }));
  }
}

/** A `#N ...` line of plain progress. */
function readPlainLine(line: string, steps: StepTable, warnings: CheckWarning[]): boolean {
  const match = /^#(\d+) (.*)$/.exec(line);
  if (!match?.[1] || match[2] === undefined) return false;
  const [, id, rest] = match;
  const known = steps.step(id);
  if (!known.name) {
    known.name = rest;
    return true;
  }
  if (rest.startsWith('ERROR: ')) known.error = rest.slice('ERROR: '.length);
  else if (rest.startsWith('WARN: ')) {
    const warning = parseWarning(rest.slice('WARN: '.length));
    if (warning) warnings.push(warning);
  } else {
    const log = /^\d+(?:\.\d+)? (.*)$/.exec(rest);
    if (log?.[1] !== undefined) known.logs.push(log[1]);
  }
  return true;
}

function decode(base64: unknown): string {
  return typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('utf8') : '';
}

interface RawRange { start?: { line?: number }; end?: { line?: number } }

/** One SolveStatus object of rawjson progress. */
function readStatus(status: Readonly<Record<string, unknown>>, steps: StepTable, warnings: CheckWarning[]): void {
  const list = (key: string): Record<string, unknown>[] => (Array.isArray(status[key]) ? (status[key] as unknown[]).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : []);
  for (const vertex of list('vertexes')) {
    if (typeof vertex.digest !== 'string') continue;
    const step = steps.step(vertex.digest, typeof vertex.name === 'string' ? vertex.name : undefined);
    if (typeof vertex.error === 'string' && vertex.error) step.error = vertex.error;
  }
  for (const log of list('logs')) {
    if (typeof log.vertex !== 'string') continue;
    steps.step(log.vertex).logs.push(...decode(log.data).split('\n').filter((l) => l.length > 0));
  }
  for (const raw of list('warnings')) {
    const range = Array.isArray(raw.range) ? (raw.range as RawRange[])[0] : undefined;
    // Optional chaining reads nothing from null, undefined or a primitive: no type test needed.
    const source = raw.sourceInfo as { filename?: unknown } | null | undefined;
    const warning = parseWarning(decode(raw.short), {
      ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
      ...(typeof source?.filename === 'string' ? { file: source.filename } : {}),
      ...(typeof range?.start?.line === 'number' ? { startLine: range.start.line } : {}),
      ...(typeof range?.end?.line === 'number' ? { endLine: range.end.line } : {}),
    });
    if (warning) warnings.push(warning);
  }
}

const ruler = /^-{20,}$/;
const errorLine = /^(?:error|ERROR): (.*)$/;

/** The text after the progress: failed-step blocks, excerpts and error lines. */
function readTextLines(lines: readonly string[], warnings: CheckWarning[]): { excerpts: SourceExcerpt[]; finalError: string | undefined } {
  const excerpts: SourceExcerpt[] = [];
  const waiting: Omit<SourceExcerpt, 'message'>[] = [];
  let finalError: string | undefined;
  let step: string | undefined;
  let stepOutput: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = /^ > (.*):$/.exec(line);
    if (header?.[1] && lines[i - 1] === '------') {
      step = header[1];
      stepOutput = [];
      for (i++; i < lines.length && lines[i] !== '------'; i++) stepOutput.push((lines[i] ?? '').replace(/^\d+(?:\.\d+)? /, ''));
      continue;
    }
    const location = /^(\S.*):(\d+)$/.exec(line);
    if (location?.[1] && ruler.test(lines[i + 1] ?? '')) {
      const marked: number[] = [];
      for (i += 2; i < lines.length && !ruler.test(lines[i] ?? ''); i++) {
        const numbered = /^\s*(\d+) \| >>>/.exec(lines[i] ?? '');
        if (numbered?.[1]) marked.push(Number(numbered[1]));
      }
      waiting.push({ file: location[1], marked: marked.length > 0 ? marked : [Number(location[2])], step, stepOutput });
      step = undefined;
      stepOutput = [];
      continue;
    }
    const failed = errorLine.exec(line);
    if (failed?.[1] !== undefined) {
      finalError = failed[1];
      for (const excerpt of waiting.splice(0)) excerpts.push({ ...excerpt, message: failed[1] });
      continue;
    }
    // docker build's display lists every check warning again at the end as ` - Rule: message (line N)`:
    // kept when the progress above lost it (the plain printer drops late warnings), else once is enough.
    const listed = /^ - (.*)$/.exec(line);
    const warning = listed?.[1] !== undefined ? parseWarning(listed[1]) : undefined;
    if (warning && !warnings.some((w) => w.rule === warning.rule && w.startLine === warning.startLine && w.message === warning.message)) warnings.push(warning);
  }
  excerpts.push(...waiting.map((excerpt) => ({ ...excerpt, message: undefined })));
  return { excerpts, finalError };
}

/**
 * rawjson lines into steps and warnings; returns the text lines. Most lines of a long build only
 * report progress: a compact line (buildctl's) is parsed only when it holds an error or a
 * warning, and a line of logs only when it is about a step that failed (known after the pass).
 */
function readRawjson(lines: readonly string[], steps: StepTable, warnings: CheckWarning[]): string[] {
  const stream = new StatusStream();
  const text: string[] = [];
  const logLines: string[] = [];
  const take = (items: ReturnType<StatusStream['push']>): void => {
    for (const item of items) {
      if (item.kind === 'status') readStatus(item.status, steps, warnings);
      else text.push(item.line);
    }
  };
  for (const line of lines) {
    const compact = !stream.pending && line.startsWith('{') && line.endsWith('}');
    if (compact && !line.includes('"error":') && !line.includes('"warnings":')) {
      if (line.includes('"logs":')) logLines.push(line);
      continue;
    }
    take(stream.push(line));
  }
  take(stream.end());
  const failed = new Set(steps.failedIds());
  const aboutFailed = (line: string): boolean => [...line.matchAll(/"vertex":"([^"]+)"/g)].some((m) => failed.has(m[1] ?? ''));
  if (failed.size > 0) take(logLines.filter(aboutFailed).flatMap((line) => stream.push(line)));
  return text;
}

export function readBuildLog(output: string, format: BuildOutputFormat): BuildLog {
  const lines = screenLines(output);
  const steps = new StepTable();
  const warnings: CheckWarning[] = [];
  let text: string[];
  if (format === 'rawjson') {
    text = readRawjson(lines, steps, warnings);
  } else {
    text = lines.filter((line) => !readPlainLine(line, steps, warnings));
  }
  const { excerpts, finalError } = readTextLines(text, warnings);
  return { steps: steps.all(), warnings, excerpts, finalError };
}
