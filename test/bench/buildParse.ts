// Reading build output: 100,000 lines of real BuildKit output (a captured multi-platform build's
// steps renumbered and repeated until the log is that long, a captured failure at its end) through
// the parser the task uses, plain and rawjson; and rawjson through the stream and renderer the
// task's terminal draws with. Target: < 300 ms for 100k lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDiagnostics } from '../../src/buildkit/diagnostics';
import { ProgressRenderer } from '../../src/buildkit/progressRender';
import { StatusStream } from '../../src/buildkit/statusStream';

export interface BuildParseFigures {
  readonly lines: number;
  readonly plainMs: number;
  readonly rawjsonMs: number;
  readonly renderMs: number;
}

interface Capture { readonly output: string; readonly dockerfile: string }

function capture(repo: string, name: string): Capture {
  return JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'build', name), 'utf8')) as Capture;
}

/**
 * A successful build's progress repeated with fresh step numbers (plain) or digests (rawjson),
 * then the whole failing build: one long build whose one failure comes at its end.
 */
function inflate(succeeded: string, failing: string, format: 'plain' | 'rawjson', lines: number): string {
  const progress = succeeded.split('\n').filter((l) => (format === 'plain' ? l.startsWith('#') : l.startsWith('{')));
  const tail = failing.split('\n');
  const out: string[] = [];
  for (let round = 0; out.length + tail.length < lines; round++) {
    for (const line of progress) {
      out.push(format === 'plain' ? line.replace(/^#(\d+)/, (_, n: string) => `#${Number(n) + round * 1000}`) : line.replace(/sha256:([0-9a-f]{8})/g, (_, h: string) => `sha256:${round.toString(16).padStart(8, '0')}${h}`));
      if (out.length + tail.length >= lines) break;
    }
  }
  return [...out, ...tail].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}

function timed(runs: number, body: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    body();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export function measureBuildParsing(repo: string, runs: number, lines = 100_000): BuildParseFigures {
  const plain = capture(repo, 'multi-arm64-fails.buildctl-plain.json');
  const rawjson = capture(repo, 'multi-arm64-fails.buildctl-rawjson.json');
  const plainText = inflate(capture(repo, 'multi-ok.buildctl-plain.json').output, plain.output, 'plain', lines);
  const rawText = inflate(capture(repo, 'multi-ok.buildctl-rawjson.json').output, rawjson.output, 'rawjson', lines);
  const dockerfile = { path: '/bench/Dockerfile', text: plain.dockerfile };
  // The failure must still be found at the end of the long log, or the figure measures nothing.
  for (const [text, format] of [[plainText, 'plain'], [rawText, 'rawjson']] as const) {
    if (!buildDiagnostics(text, dockerfile, format).some((d) => d.severity === 'error')) throw new Error(`the ${format} log of ${lines} lines gave no error diagnostic`);
  }
  return {
    lines,
    plainMs: timed(runs, () => buildDiagnostics(plainText, dockerfile, 'plain')),
    rawjsonMs: timed(runs, () => buildDiagnostics(rawText, dockerfile, 'rawjson')),
    renderMs: timed(runs, () => {
      const stream = new StatusStream();
      const renderer = new ProgressRenderer();
      for (const line of rawText.split('\n')) for (const item of stream.push(line)) if (item.kind === 'status') renderer.render(item.status);
      renderer.summary();
    }),
  };
}
