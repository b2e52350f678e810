// rawjson progress drawn for a person, as the build task's terminal shows it: each step once when
// it starts (numbered like plain progress), its output under it, its end (cached, done with its
// time, or failed in red), build-check warnings in yellow, and at the end a summary per platform.
// One renderer per build; it only turns statuses into lines and keeps what the summary needs.
import { isCancellation } from './buildLog';
import { parseStepName } from './dockerfileSteps';

const colour = { blue: '\u001b[34m', green: '\u001b[32m', red: '\u001b[31m', yellow: '\u001b[33m', dim: '\u001b[2m', reset: '\u001b[0m' };

interface Vertex {
  readonly number: number;
  name: string;
  started: boolean;
  ended: boolean;
  cached: boolean;
  error: string | undefined;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

function seconds(from: unknown, to: unknown): string {
  const start = typeof from === 'string' ? Date.parse(from) : NaN;
  const end = typeof to === 'string' ? Date.parse(to) : NaN;
  // A missing or unreadable time is NaN, and a comparison with NaN is false.
  return end >= start ? ` ${((end - start) / 1000).toFixed(1)}s` : '';
}

export class ProgressRenderer {
  private readonly vertices = new Map<string, Vertex>();

  /** The terminal lines one status adds (no line endings). */
  render(status: Readonly<Record<string, unknown>>): string[] {
    const out: string[] = [];
    for (const raw of records(status.vertexes)) {
      if (typeof raw.digest !== 'string') continue;
      const vertex = this.vertex(raw.digest, typeof raw.name === 'string' ? raw.name : '');
      if (raw.started !== undefined && !vertex.started) {
        vertex.started = true;
        out.push(`${colour.blue}#${vertex.number} ${vertex.name}${colour.reset}`);
      }
      // A step found in an imported cache says so on one update and not on the next ones, which
      // restart and complete it again: once cached, it stays cached.
      if (raw.cached === true) vertex.cached = true;
      if (raw.completed === undefined || vertex.ended) continue;
      vertex.ended = true;
      if (typeof raw.error === 'string' && raw.error) {
        vertex.error = raw.error;
        out.push(isCancellation(raw.error) ? `${colour.dim}#${vertex.number} CANCELED${colour.reset}` : `${colour.red}#${vertex.number} ERROR: ${raw.error}${colour.reset}`);
      } else {
        out.push(vertex.cached ? `${colour.dim}#${vertex.number} CACHED${colour.reset}` : `${colour.green}#${vertex.number} DONE${seconds(raw.started, raw.completed)}${colour.reset}`);
      }
    }
    for (const log of records(status.logs)) {
      if (typeof log.vertex !== 'string' || typeof log.data !== 'string') continue;
      const vertex = this.vertex(log.vertex, '');
      for (const line of Buffer.from(log.data, 'base64').toString('utf8').split('\n')) if (line) out.push(`#${vertex.number} ${line}`);
    }
    for (const warning of records(status.warnings)) {
      const short = typeof warning.short === 'string' ? Buffer.from(warning.short, 'base64').toString('utf8') : '';
      if (short) out.push(`${colour.yellow}WARN: ${short}${colour.reset}`);
    }
    return out;
  }

  /** Per platform (or for the build, when single-platform): steps done, cached, and the one that failed. */
  summary(): string[] {
    const byPlatform = new Map<string, { done: number; cached: number; failed: string[] }>();
    for (const vertex of this.vertices.values()) {
      const step = parseStepName(vertex.name);
      if (!step || !vertex.ended) continue;
      const key = step.platform ?? '';
      const entry = byPlatform.get(key) ?? { done: 0, cached: 0, failed: [] };
      byPlatform.set(key, entry);
      if (vertex.error !== undefined && !isCancellation(vertex.error)) entry.failed.push(vertex.name);
      else if (vertex.cached) entry.cached++;
      else if (vertex.error === undefined) entry.done++;
    }
    return [...byPlatform.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([platform, e]) => {
      const counts = `${e.done} step${e.done === 1 ? '' : 's'} built, ${e.cached} cached`;
      const line = `${platform ? `${platform}: ` : ''}${counts}${e.failed.length > 0 ? `, failed at ${e.failed.join('; ')}` : ''}`;
      return `${e.failed.length > 0 ? colour.red : colour.green}${line}${colour.reset}`;
    });
  }

  private vertex(digest: string, name: string): Vertex {
    let vertex = this.vertices.get(digest);
    if (!vertex) {
      vertex = { number: this.vertices.size + 1, name, started: false, ended: false, cached: false, error: undefined };
      this.vertices.set(digest, vertex);
    } else if (name && !vertex.name) {
      vertex.name = name;
    }
    return vertex;
  }
}
