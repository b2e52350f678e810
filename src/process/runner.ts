// The one process runner for every CLI the extension calls in the background (DESIGN.md): a
// process is {file, args}, never a shell string; each call has a deadline and can be cancelled;
// the end of stderr is kept (the doctor matches known problems in it) and can be watched line by
// line. execa is ESM and costs load time: it is imported on the first call, not at activation.
// Big output never goes through this process: `nerdctl save` to stdout, written to a file here,
// lost its last kilobytes 3 times in 12 on a busy machine; with its own --output, 0 in 12.
import type { Options } from 'execa';
import type { Process } from '../nerdctl/invocation';

export interface RunOptions {
  /** Ends the process (SIGTERM, then SIGKILL) after this long; none by default. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Written to the process's stdin, then closed (a password for --password-stdin). */
  readonly input?: string;
  /** Each line of stderr as it arrives ("\r" ends a line too: progress bars redraw with it). */
  readonly onStderrLine?: (line: string) => void;
}

export interface RunResult {
  readonly command: string;
  /** Undefined when the process did not exit by itself (signal, deadline, cancel, not started). */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  /** Its last 256 KiB of characters. */
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** Why the process could not start (ENOENT, EACCES), when it could not. */
  readonly failedToStart?: string;
}

/** Seconds a process gets after SIGTERM before SIGKILL. */
const killGraceMs = 3_000;
/** Only stderr's last characters are kept (progress redraws must not fill the host's memory). */
const keptStderrChars = 256 * 1024;

export async function runProcess(process: Process, options: RunOptions = {}): Promise<RunResult> {
  const { execa } = await import('execa');
  let stderr = '';
  // execa reads stderr to its end itself and hands each line to this transform; nothing is
  // yielded, so nothing else buffers it.
  // eslint-disable-next-line require-yield -- a transform that passes nothing on
  const watchStderr = function* (line: unknown): Generator<never, void, unknown> {
    const text = String(line);
    stderr = `${stderr}${text}\n`.slice(-keptStderrChars);
    for (const part of text.split('\r')) if (part) options.onStderrLine?.(part);
  };
  const execaOptions: Options = {
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    stderr: [watchStderr],
    timeout: options.timeoutMs ?? 0,
    forceKillAfterDelay: killGraceMs,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    buffer: { stdout: true, stderr: false },
    stripFinalNewline: false,
  };
  const result = await execa(process.file, [...process.args], execaOptions);
  const cause: unknown = result.cause;
  return {
    command: [process.file, ...process.args].join(' '),
    exitCode: result.exitCode,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
    ...(result.failed && result.exitCode === undefined && !result.timedOut && !result.isCanceled && result.signal === undefined
      ? { failedToStart: cause instanceof Error ? cause.message : result.shortMessage }
      : {}),
  };
}

/** A result's outcome in words: "exit 0", "timed out", "cancelled", "could not start: ...". */
export function outcomeText(result: RunResult): string {
  if (result.failedToStart !== undefined) return `could not start: ${result.failedToStart}`;
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return 'timed out';
  return result.exitCode === undefined ? 'killed' : `exit ${result.exitCode}`;
}

/** stderr's last line without a logrus prefix (`time="…" level=fatal msg=`): the message to show. */
export function lastStderrLine(result: RunResult): string {
  return result.stderr.trim().split('\n').at(-1)?.trim().replace(/^time="[^"]*" level=\w+ msg=/, '') ?? '';
}
