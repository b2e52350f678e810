// A Debug Adapter Protocol client for the tests: it speaks to dlv exactly as VS Code does (over a
// socket, with the extension's own framing), keeps every event, and waits for the ones asked for.
import { connect, type Socket } from 'node:net';
import { DapReader, encodeDapMessage, type DapMessage } from '../../src/debug/dapFraming';

export interface DapResponse {
  readonly success: boolean;
  readonly message?: string;
  readonly body?: Record<string, unknown>;
}

export class DapClient {
  private seq = 1;
  private readonly reader = new DapReader();
  private readonly pending = new Map<number, (response: DapResponse) => void>();
  /** Every event so far, in order. */
  readonly events: DapMessage[] = [];
  private readonly eventWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.reader.push(chunk)) this.receive(message);
    });
    socket.on('close', () => {
      this.closed = true;
      for (const [, resolve] of this.pending) resolve({ success: false, message: 'the connection closed' });
      this.pending.clear();
      this.wake();
    });
  }

  static connect(host: string, port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off('error', reject);
        resolve(new DapClient(socket));
      });
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.eventWaiters.splice(0)) waiter();
  }

  private receive(message: DapMessage): void {
    if (message.type === 'response') {
      const resolve = this.pending.get(Number(message.request_seq));
      this.pending.delete(Number(message.request_seq));
      resolve?.(message as unknown as DapResponse);
    } else if (message.type === 'event') {
      this.events.push(message);
      this.wake();
    } else if (message.type === 'request' && message.command === 'runInTerminal') {
      this.socket.write(encodeDapMessage({ seq: this.seq++, type: 'response', request_seq: message.seq, command: message.command, success: false, message: 'no terminal in the tests' }));
    }
  }

  request(command: string, args: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<DapResponse> {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`DAP ${command} had no response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.socket.write(encodeDapMessage({ seq, type: 'request', command, arguments: args }));
    });
  }

  /** Like request, but a failure throws with dlv's own message. */
  async ok(command: string, args: Record<string, unknown> = {}, timeoutMs?: number): Promise<Record<string, unknown>> {
    const response = await this.request(command, args, timeoutMs);
    if (!response.success) throw new Error(`DAP ${command} failed: ${response.message ?? ''} ${JSON.stringify(response.body ?? {})}`);
    return response.body ?? {};
  }

  /** The first event named `event` (from index `after` on) that `matches`. */
  async waitEvent(event: string, timeoutMs = 60_000, matches: (body: Record<string, unknown>) => boolean = () => true, after = 0): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(after).find((e) => e.event === event && matches((e.body ?? {}) as Record<string, unknown>));
      if (found) return (found.body ?? {}) as Record<string, unknown>;
      if (this.closed) throw new Error(`the DAP connection closed before a ${event} event; events: ${this.events.map((e) => String(e.event)).join(', ')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${event} event within ${timeoutMs} ms; events: ${this.events.map((e) => String(e.event)).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.eventWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Output events' text so far. */
  output(): string {
    return this.events.filter((e) => e.event === 'output').map((e) => {
      const text = (e.body as { output?: unknown } | undefined)?.output;
      return typeof text === 'string' ? text : '';
    }).join('');
  }

  close(): void {
    this.socket.destroy();
  }
}
