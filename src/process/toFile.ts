// Runs a process with its stdout written to a file, counting the bytes as they pass (progress
// for a multi-gigabyte `nerdctl save`). The file is created for this user only.
import { open } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Process } from '../nerdctl/invocation';
import { startProcess, type RunOptions, type RunResult } from './runner';

export interface ToFileResult {
  readonly result: RunResult;
  /** Bytes written to the file. */
  readonly bytes: number;
}

export async function runIntoFile(process: Process, path: string, options: Omit<RunOptions, 'captureStdout'> & { readonly onBytes?: (total: number) => void } = {}): Promise<ToFileResult> {
  // Opened before the process starts: a name already taken fails here, and nothing runs.
  const sink = (await open(path, 'wx', 0o600)).createWriteStream();
  const written = finished(sink);
  const started = await startProcess(process, { ...options, captureStdout: false });
  let bytes = 0;
  started.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  });
  started.stdout.pipe(sink);
  const [result] = await Promise.all([started.done, written]);
  return { result, bytes };
}
