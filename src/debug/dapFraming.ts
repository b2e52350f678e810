// The Debug Adapter Protocol's wire format: a `Content-Length: N` header, a blank line, N bytes of
// JSON. Used where the extension itself speaks to dlv over a socket (the asRoot relay).
export type DapMessage = Record<string, unknown>;

const separator = Buffer.from('\r\n\r\n');

export function encodeDapMessage(message: DapMessage): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Collects bytes as they arrive and hands back each complete message, in order. */
export class DapReader {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): DapMessage[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const messages: DapMessage[] = [];
    for (;;) {
      const end = this.pending.indexOf(separator);
      if (end < 0) break;
      const header = this.pending.subarray(0, end).toString('ascii');
      const length = /Content-Length:\s*(\d+)/i.exec(header)?.[1];
      if (length === undefined) throw new Error(`a DAP header without Content-Length: ${JSON.stringify(header)}`);
      const start = end + separator.length;
      const stop = start + Number(length);
      if (this.pending.length < stop) break;
      messages.push(JSON.parse(this.pending.subarray(start, stop).toString('utf8')) as DapMessage);
      this.pending = this.pending.subarray(stop);
    }
    return messages;
  }
}
