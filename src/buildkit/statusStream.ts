// rawjson progress as it arrives, line by line: each SolveStatus object once it is complete
// (buildctl and buildx 0.29 print one per line; one indented over many lines is joined), and
// every other line as text (the excerpt and `error:` line after the progress). A line that starts
// an object that never closes or does not parse comes out as text: nothing is lost, nothing throws.

export type StreamItem = { readonly kind: 'status'; readonly status: Readonly<Record<string, unknown>> } | { readonly kind: 'text'; readonly line: string };

/** Brace depth after `line`, counting only braces outside JSON strings. */
function depthAfter(depth: number, line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return depth;
}

/** `text` starts with `{` (after blanks): it is an object or it is not JSON. */
function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export class StatusStream {
  private buffer: string[] = [];
  private depth = 0;

  /** An object has begun and not ended yet. */
  get pending(): boolean {
    return this.buffer.length > 0;
  }

  push(line: string): StreamItem[] {
    if (this.buffer.length === 0 && !line.trimStart().startsWith('{')) return [{ kind: 'text', line }];
    // buildctl's compact form, one whole object per line: parsed without counting braces.
    if (this.buffer.length === 0 && line.trimEnd().endsWith('}')) {
      const whole = parseObject(line);
      if (whole) return [{ kind: 'status', status: whole }];
    }
    this.buffer.push(line);
    this.depth = depthAfter(this.buffer.length === 1 ? 0 : this.depth, line);
    return this.depth <= 0 ? this.flush() : [];
  }

  /** What is left when the output ends: an unfinished object, as text. */
  end(): StreamItem[] {
    const left = this.buffer.map((line): StreamItem => ({ kind: 'text', line }));
    this.buffer = [];
    return left;
  }

  private flush(): StreamItem[] {
    const lines = this.buffer;
    this.buffer = [];
    const status = parseObject(lines.join('\n'));
    // Not JSON after all: the lines are text.
    return status ? [{ kind: 'status', status }] : lines.map((line) => ({ kind: 'text', line }));
  }
}
