// The one process runner for every CLI the extension calls in the background (DESIGN.md): a
// process is {file, args}, never a shell string; each call has a deadline and can be cancelled;
// stderr is kept whole (the doctor matches known problems in it) and can be watched line by line.
// execa is ESM and costs load time: it is imported on the first call, not at activation.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Process } from '../nerdctl/invocation';

export interface RunOptions {
  /** Ends the process (SIGTERM, then SIGKILL) after this long; none by default. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Each complete line of stderr as it arrives (progress, warnings). */
  readonly onStderrLine?: (line: string) => void;
  /** Keep stdout in the result (default); false when it is read as a stream (a tar of gigabytes). */
  readonly captureStdout?: boolean;
}

export interface RunResult {
  readonly command: string;
  /** Undefined when the process did not exit by itself (signal, deadline, cancel, not started). */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** Why the process could not start (ENOENT, EACCES), when it could not. */
  readonly failedToStart?: string;
}

export interface StartedProcess {
  /** stdout as a stream (also when captured). */
  readonly stdout: Readable;
  readonly done: Promise<RunResult>;
}

/** Seconds a process gets after SIGTERM before SIGKILL. */
const killGraceMs = 3_000;
/** Only stderr's last characters are kept (progress redraws must not fill the host's memory). */
const keptStderrChars = 256 * 1024;

export async function startProcess(process: Process, options: RunOptions = {}): Promise<StartedProcess> {
  const { execa } = await import('execa');
  const subprocess = execa(process.file, [...process.args], {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 0,
    forceKillAfterDelay: killGraceMs,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.env ? { env: options.env as Record<string, string>, extendEnv: false } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    buffer: { stdout: options.captureStdout ?? true, stderr: false },
    stripFinalNewline: false,
  });
  let stderr = '';
  watchLines(subprocess.stderr, (text) => {
    stderr = (stderr + text).slice(-keptStderrChars);
  }, options.onStderrLine);
  const done = subprocess.then((result) => ({
    command: [process.file, ...process.args].join(' '),
    exitCode: result.exitCode,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
    ...(result.failed && result.exitCode === undefined && !result.timedOut && !result.isCanceled && result.signal === undefined
      ? { failedToStart: result.cause instanceof Error ? result.cause.message : result.shortMessage }
      : {}),
  }));
  return { stdout: subprocess.stdout, done };
}

/** Runs a process to its end and returns what it said. */
export async function runProcess(process: Process, options: RunOptions = {}): Promise<RunResult> {
  return (await startProcess(process, options)).done;
}

/**
 * Hands every decoded piece of the stream to `onText`, and each complete line to `onLine`: one
 * line per "\n" or "\r" (progress bars redraw with "\r"), the last partial one at the end.
 */
function watchLines(stream: Readable, onText: (text: string) => void, onLine?: (line: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const take = (text: string, last: boolean): void => {
    onText(text);
    if (!onLine) return;
    const parts = (partial + text).split(/\r\n|\r|\n/);
    partial = last ? '' : (parts.pop() ?? '');
    for (const line of parts) if (line) onLine(line);
  };
  stream.on('data', (chunk: Buffer) => take(decoder.write(chunk), false));
  stream.on('end', () => take(decoder.end(), true));
}

/** A result's outcome in words: "exit 0", "timed out", "cancelled", "could not start: ...". */
export function outcomeText(result: RunResult): string {
  if (result.failedToStart !== undefined) return `could not start: ${result.failedToStart}`;
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return 'timed out';
  return result.exitCode === undefined ? 'killed' : `exit ${result.exitCode}`;
}
