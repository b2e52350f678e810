// Streams one process's stdout into another that reads a path. nerdctl load refuses a socket on
// stdin (and Node gives children socketpairs, not pipes), so the reader gets a FIFO in a private
// temporary folder, and the bytes pass through this process: they are counted for progress.
import { constants } from 'node:fs';
import { chmod, chown, mkdtemp, open, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Process } from '../nerdctl/invocation';
import { runProcess, startProcess, type RunResult } from './runner';

export type PipeSide = 'from' | 'to';

export interface PipeOptions {
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The total bytes passed so far, at most every chunk. */
  readonly onBytes?: (total: number) => void;
  readonly onStderrLine?: (side: PipeSide, line: string) => void;
  /** The uid the reading process runs as, when not ours or root's: the FIFO is handed to it. */
  readonly readerUid?: number;
}

export interface PipeResult {
  readonly from: RunResult;
  readonly to: RunResult;
  readonly bytes: number;
  /** The side that failed first (the other was stopped because of it), if any. */
  readonly firstFailure?: PipeSide;
}

const succeeded = (r: RunResult): boolean => r.exitCode === 0;

export async function pipeThroughFifo(from: Process, to: (path: string) => Process, options: PipeOptions = {}): Promise<PipeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'vscode-containerd-pipe-'));
  try {
    const fifo = join(dir, 'stream');
    const made = await runProcess({ file: 'mkfifo', args: ['-m', '600', '--', fifo] }, { timeoutMs: 10_000 });
    if (!succeeded(made)) throw new Error(`could not make a FIFO in ${dir}: ${made.failedToStart ?? made.stderr.trim()}`);
    if (options.readerUid !== undefined) {
      await chown(fifo, options.readerUid, -1);
      await chmod(dir, 0o711);
    }
    const stop = new AbortController();
    const cancel = (): void => stop.abort();
    options.signal?.addEventListener('abort', cancel, { once: true });
    if (options.signal?.aborted) stop.abort();
    let firstFailure: PipeSide | undefined;
    const watch = (side: PipeSide, done: Promise<RunResult>): Promise<RunResult> => done.then((result) => {
      if (!succeeded(result) && firstFailure === undefined && !stop.signal.aborted) {
        firstFailure = side;
        stop.abort();
      }
      return result;
    });
    const common = { signal: stop.signal, ...(options.env ? { env: options.env } : {}) };
    const reader = await startProcess(to(fifo), { ...common, onStderrLine: (line) => options.onStderrLine?.('to', line) });
    const toDone = watch('to', reader.done);
    const writer = await startProcess(from, { ...common, captureStdout: false, onStderrLine: (line) => options.onStderrLine?.('from', line) });
    const fromDone = watch('from', writer.done);
    // Opening a FIFO for writing waits for its reader; a reader that ended without opening it
    // would leave that open waiting for ever: open it for reading ourselves to release it.
    const sink = createWriteStream(fifo);
    void toDone.then(async () => {
      if (sink.pending) await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK).then((h) => h.close(), () => undefined);
    });
    let bytes = 0;
    writer.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      options.onBytes?.(bytes);
    });
    // A reader that went away: stop the writer (its own stdout would block, not fail).
    sink.on('error', () => {
      if (!stop.signal.aborted) firstFailure ??= 'to';
      stop.abort();
    });
    writer.stdout.pipe(sink);
    const [fromResult, toResult] = await Promise.all([fromDone, toDone]);
    sink.destroy();
    options.signal?.removeEventListener('abort', cancel);
    return { from: fromResult, to: toResult, bytes, ...(firstFailure ? { firstFailure } : {}) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
