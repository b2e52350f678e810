// Starts `dlv dap` on a loopback port of its choosing and learns the port from the line dlv prints
// ("DAP server listening at: HOST:PORT"). dlv has no stdio DAP mode, so the editor connects to it
// over TCP. Whatever dlv prints besides goes to `onOutput` (the log), so its errors are never lost.
import { spawn, type ChildProcess } from 'node:child_process';

export interface DlvServerOptions {
  readonly dlvPath: string;
  /** Extra flags for `dlv dap` (a launch configuration's dlvFlags). */
  readonly flags?: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long dlv may take to print its address. */
  readonly startTimeoutMs?: number;
  readonly onOutput?: (text: string) => void;
}

export interface DlvServer {
  readonly host: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Resolves with dlv's exit code (or signal name) when it ends. */
  readonly exited: Promise<number | string>;
  /** Ends dlv: SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** `dlv dap --listen=127.0.0.1:0 FLAGS`: the argv, so tests and the log show the same thing. */
export function dlvDapArgs(flags: readonly string[] = []): string[] {
  return ['dap', '--listen=127.0.0.1:0', ...flags];
}

export function parseListeningLine(text: string): { host: string; port: number } | undefined {
  const match = /DAP server listening at: \[?([^\]\s]+?)\]?:(\d+)\s*$/m.exec(text);
  return match?.[1] !== undefined ? { host: match[1], port: Number(match[2]) } : undefined;
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else if (child.signalCode !== null) resolve(child.signalCode);
    else child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}

export function startDlvServer(options: DlvServerOptions): Promise<DlvServer> {
  const child = spawn(options.dlvPath, dlvDapArgs(options.flags), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = exitOf(child);
  const stop = async (graceMs = 3_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<DlvServer>((resolve, reject) => {
    let seen = '';
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(0);
      const said = seen.trim().split('\n').slice(-5).join('\n');
      reject(new Error(`dlv (${options.dlvPath}) did not start its DAP server: ${why}${said ? `\n${said}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no address printed within ${options.startTimeoutMs ?? 20_000} ms`), options.startTimeoutMs ?? 20_000);
    const onText = (chunk: Buffer): void => {
      const text = chunk.toString();
      options.onOutput?.(text);
      if (settled) return;
      seen += text;
      const address = parseListeningLine(seen);
      if (!address) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...address, pid: child.pid, exited, stop });
    };
    child.stdout.on('data', onText);
    child.stderr.on('data', onText);
    child.once('error', (error) => fail(error.message));
    void exited.then((code) => fail(`it exited (${code})`));
  });
}
