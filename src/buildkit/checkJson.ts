// What `docker buildx build --call=check,format=json` prints on stdout: one JSON object (after a
// blank line) with `warnings` (ruleName, description, url, detail, location.ranges), the
// `sources` they point into, and `buildError` (message, location) when the Dockerfile does not
// parse. buildx exits 1 when it found anything, 0 when not. Read into the diagnostics a build gives.
import { posix } from 'node:path';
import { ruleUrl, type BuildDiagnostic, type DockerfileSource } from './diagnostics';
import { errorInUsersWords } from './errorWords';

interface RawLocation { sourceIndex?: unknown; ranges?: { start?: { line?: unknown }; end?: { line?: unknown } }[] }

type JsonObject = Readonly<Record<string, unknown>>;

function objectOf(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as JsonObject : undefined;
}

/** The printed object, or undefined when stdout holds none (buildx failed before checking). */
export function readCheckJson(stdout: string): JsonObject | undefined {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    return objectOf(JSON.parse(stdout.slice(start)));
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** 0-based whole lines of the file, clamped to it; line 1 when the location names none. */
function rangeOf(location: RawLocation | undefined, lines: readonly string[]): BuildDiagnostic['range'] {
  const first = location?.ranges?.[0];
  const startLine = typeof first?.start?.line === 'number' ? first.start.line : 1;
  const endLine = typeof first?.end?.line === 'number' ? first.end.line : startLine;
  const last = Math.max(lines.length - 1, 0);
  const start = Math.min(Math.max(startLine - 1, 0), last);
  const end = Math.min(Math.max(endLine - 1, start), last);
  return { startLine: start, startCharacter: 0, endLine: end, endCharacter: (lines[end] ?? '').length };
}

/** Whether a location is in the checked file: its source's name has the file's base name. */
function inFile(location: RawLocation | undefined, sources: readonly unknown[], dockerfile: DockerfileSource): boolean {
  const index = typeof location?.sourceIndex === 'number' ? location.sourceIndex : 0;
  const name = text(objectOf(sources[index])?.filename);
  return name === undefined || posix.basename(name) === posix.basename(dockerfile.path);
}

export function checkJsonDiagnostics(stdout: string, dockerfile: DockerfileSource): BuildDiagnostic[] | undefined {
  const result = readCheckJson(stdout);
  if (!result) return undefined;
  const lines = dockerfile.text.split('\n');
  const sources = Array.isArray(result.sources) ? result.sources as unknown[] : [];
  const warnings = (Array.isArray(result.warnings) ? result.warnings as unknown[] : []).flatMap((raw): BuildDiagnostic[] => {
    const warning = objectOf(raw);
    const rule = text(warning?.ruleName);
    const location = objectOf(warning?.location) as RawLocation | undefined;
    if (!warning || !rule || !inFile(location, sources, dockerfile)) return [];
    return [{
      severity: 'warning', message: text(warning.detail) ?? text(warning.description) ?? rule, range: rangeOf(location, lines),
      code: rule, url: text(warning.url) ?? ruleUrl(rule), platform: undefined,
    }];
  });
  const failure = objectOf(result.buildError);
  const message = text(failure?.message);
  const location = objectOf(failure?.location) as RawLocation | undefined;
  const error: BuildDiagnostic[] = message !== undefined
    ? [{ severity: 'error', message: errorInUsersWords(message), range: rangeOf(location, lines), code: undefined, url: undefined, platform: undefined }]
    : [];
  return [...error, ...warnings];
}
