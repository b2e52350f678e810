// Bounded reads of local files that something other than this extension may have put there (a
// container's metadata, a folder shared with other windows). Every fs call takes one of libuv's 4
// pool threads, shared by every extension in the host, and a FIFO, a device or a huge file can hold
// one forever: so open without following a final symlink and without blocking on a FIFO, and read
// only regular files, only up to a size cap.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The file's bytes; undefined when it is not a regular file or is larger than maxBytes. Rejects when it cannot be opened. */
export async function readRegularBytes(path: string, maxBytes: number): Promise<Buffer | undefined> {
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
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
