// Reads of small local files whose paths come from container metadata, each bounded as
// readRegularBytes says (a FIFO, a device or a dead NFS mount can hold a pool thread forever).
// Also: one read at a time (a stuck open or stat then holds ONE of libuv's 4 threads, never all
// four), and give up after a time limit without waiting for the stuck call.
import { systemTimers, type Timers } from '../containerd/connection/backoff';
import { readRegularBytes } from '../containerd/regularFiles';

/** Reads a file's text; undefined when it is not a regular file or is larger than maxBytes. */
export type BoundedRead = (path: string, maxBytes: number) => Promise<string | undefined>;

export const readRegularFile: BoundedRead = async (path, maxBytes) => (await readRegularBytes(path, maxBytes))?.toString('utf8');

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
