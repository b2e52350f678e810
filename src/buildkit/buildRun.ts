// One build, run to its end: the backend's process through the one runner, its output shown as
// it comes (plain passed through, rawjson drawn by the renderer), the whole output kept for the
// parser, and the diagnostics of the result. No VS Code here: the task's terminal and the
// Problems panel are the caller's; the integration tier runs this on the real tools.
import type { Process } from '../nerdctl/invocation';
import { runProcess, type RunResult } from '../process/runner';
import type { BuildOutputFormat } from './buildLog';
import { buildDiagnostics, type BuildDiagnostic, type DockerfileSource } from './diagnostics';
import { ProgressRenderer } from './progressRender';
import { StatusStream } from './statusStream';

export interface BuildRunInput {
  readonly process: Process;
  readonly format: BuildOutputFormat;
  readonly dockerfile: DockerfileSource;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Each line for the person watching (colours included, no line ending). */
  readonly show: (line: string) => void;
}

export interface BuildRunResult {
  readonly run: RunResult;
  readonly diagnostics: readonly BuildDiagnostic[];
  /** Everything the build printed on stderr, in order: what the diagnostics were read from. */
  readonly output: string;
}

export async function runBuild(input: BuildRunInput): Promise<BuildRunResult> {
  const lines: string[] = [];
  const stream = new StatusStream();
  const renderer = new ProgressRenderer();
  const show = (items: ReturnType<StatusStream['push']>): void => {
    for (const item of items) {
      if (item.kind === 'status') for (const line of renderer.render(item.status)) input.show(line);
      else input.show(item.line);
    }
  };
  const run = await runProcess(input.process, {
    ...(input.cwd ? { cwd: input.cwd } : {}),
    ...(input.env ? { env: input.env } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    onStderrLine: (line) => {
      lines.push(line);
      if (input.format === 'rawjson') show(stream.push(line));
      else input.show(line);
    },
  });
  if (input.format === 'rawjson') {
    show(stream.end());
    for (const line of renderer.summary()) input.show(line);
  }
  // stdout carries what the tool says about the result (nerdctl's "Loaded image: ...").
  for (const line of run.stdout.split('\n')) if (line.trim()) input.show(line);
  const output = lines.join('\n');
  return { run, output, diagnostics: buildDiagnostics(output, input.dockerfile, input.format) };
}
