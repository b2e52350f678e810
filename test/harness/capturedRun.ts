// Runs a CLI and keeps what a user's terminal would have shown: stderr and stdout interleaved in
// the order they arrived (build progress goes to stderr, a lint result to stdout), plus stdout on
// its own. Or, under `script`, everything through a pseudo-terminal, as an interactive shell sees it.
import { spawn } from 'node:child_process';

export interface CapturedRun {
  /** Undefined when the process ended by a signal or the deadline. */
  readonly exitCode: number | undefined;
  /** stderr and stdout as they arrived; for a terminal run, the terminal's bytes. */
  readonly output: string;
  /** stdout alone; undefined for a terminal run, where the two streams are one. */
  readonly stdout: string | undefined;
}

export interface CaptureOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

function collect(file: string, args: readonly string[], options: CaptureOptions, separateStdout: boolean): Promise<CapturedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    const stdout: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => { output.push(chunk); stdout.push(chunk); });
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const deadline = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', (error) => { clearTimeout(deadline); reject(error); });
    // 'close', not 'exit': both pipes have been read to their end by then.
    child.once('close', (code) => {
      clearTimeout(deadline);
      resolve({
        exitCode: code ?? undefined,
        output: Buffer.concat(output).toString('utf8'),
        stdout: separateStdout ? Buffer.concat(stdout).toString('utf8') : undefined,
      });
    });
  });
}

export function runCaptured(file: string, args: readonly string[], options: CaptureOptions): Promise<CapturedRun> {
  return collect(file, args, options, true);
}

/** POSIX shell single quotes: `script -c` takes a shell command line, so every word is quoted. */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The same command on a pseudo-terminal of a fixed size (util-linux `script`; -e passes the
 * command's exit code on). Without the stty, the size would be whatever script inherits: none here.
 */
export function runOnTerminal(file: string, args: readonly string[], size: TerminalSize, options: CaptureOptions): Promise<CapturedRun> {
  const command = `stty cols ${size.columns} rows ${size.rows} && exec ${[file, ...args].map(shellWord).join(' ')}`;
  return collect('script', ['-q', '-e', '-c', command, '/dev/null'], options, false);
}
