// Reads of small local files whose paths come from container metadata. Every fs call takes one of
// libuv's 4 pool threads, shared by every extension in the host; a FIFO, a device or a dead NFS
// mount can hold that thread forever. So: open without following a final symlink and without
// blocking on a FIFO, read only regular files and only up to a size cap, one read at a time (a
// stuck open or stat then holds ONE thread, never all four), and give up after a time limit
// without waiting for the stuck call.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { systemTimers, type Timers } from '../containerd/connection/backoff';

/** Reads a file's text; undefined when it is not a regular file or is larger than maxBytes. */
export type BoundedRead = (path: string, maxBytes: number) => Promise<string | undefined>;

export const readRegularFile: BoundedRead = async (path, maxBytes) => {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxBytes) return undefined;
    // One byte more than the cap tells a file that grew past it since the stat.
    const buffer = Buffer.alloc(info.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) return undefined;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
};

export interface SerialFileReadsOptions {
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  readonly timers?: Timers;
  readonly read?: BoundedRead;
}

/** One queue of bounded reads; whoever owns it decides how far the one-stuck-thread promise reaches. */
export class SerialFileReads {
  private tail: Promise<void> = Promise.resolve();
  /** A read outlived its time limit and still holds its thread: nothing more is queued behind it. */
  private stuck = false;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly timers: Timers;
  private readonly readFile: BoundedRead;

  constructor(options: SerialFileReadsOptions = {}) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.timers = options.timers ?? systemTimers;
    this.readFile = options.read ?? readRegularFile;
  }

  /** The file's text; undefined when unreadable, not a small regular file, or not read in time. */
  read(path: string): Promise<string | undefined> {
    if (this.stuck) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let settled = false;
      let started = false;
      const settle = (text: string | undefined): void => {
        if (settled) return;
        settled = true;
        cancelTimer();
        resolve(text);
      };
      const cancelTimer = this.timers.schedule(() => {
        if (started) this.stuck = true;
        settle(undefined);
      }, this.timeoutMs);
      this.tail = this.tail.then(async () => {
        if (settled) return; // its caller gave up while it waited: leave the file alone
        started = true;
        try {
          settle(await this.readFile(path, this.maxBytes));
        } catch {
          settle(undefined);
        } finally {
          this.stuck = false;
        }
      });
    });
  }
}
