// How each buildkitd debug session reaches dlv: a `dlv dap` we start on loopback (attach, launch),
// the user's own `dlv --headless` (host/port), or root's dlv dialling in to us through sudo in a
// terminal (asRoot). Whatever we started ends with the session; buildkitd itself is never ended
// by it (dlv detaches on disconnect).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { dialsUnix, listenForDlv, sudoDlvProcess } from '../debug/dlvDialIn';
import { startDlvServer } from '../debug/dlvServer';
import { DapSocketAdapter } from './dapSocketAdapter';

/** How long root's dlv may take to dial in: sudo may be waiting for a password. */
const dialInTimeoutMs = 120_000;

/** What the resolver leaves in the configuration for this factory. */
interface ResolvedSession {
  readonly dlvPath: string;
  readonly dlvFlags: readonly string[];
  readonly dlvVersion: string | undefined;
  readonly asRoot: boolean;
  readonly remote: { readonly host: string; readonly port: number } | undefined;
}

function resolvedSession(configuration: vscode.DebugConfiguration): ResolvedSession {
  const remote = configuration.request === 'attach' && configuration.port !== undefined
    ? { host: String(configuration.host ?? '127.0.0.1'), port: Number(configuration.port) }
    : undefined;
  return {
    dlvPath: String(configuration.dlvPath ?? 'dlv'),
    dlvFlags: Array.isArray(configuration.dlvFlags) ? (configuration.dlvFlags as string[]) : [],
    dlvVersion: typeof configuration.dlvVersion === 'string' ? configuration.dlvVersion : undefined,
    asRoot: configuration.asRoot === true,
    remote,
  };
}

export class DlvAdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  /** What to end when a session ends, by session id. */
  private readonly cleanups = new Map<string, () => Promise<void>>();
  private readonly ended: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.ended = vscode.debug.onDidTerminateDebugSession((session) => void this.end(session.id));
  }

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const resolved = resolvedSession(session.configuration);
    if (resolved.remote) return new vscode.DebugAdapterServer(resolved.remote.port, resolved.remote.host);
    if (resolved.asRoot) return this.dialIn(session, resolved);
    const cwd = session.workspaceFolder?.uri.scheme === 'file' ? session.workspaceFolder.uri.fsPath : undefined;
    const server = await startDlvServer({ dlvPath: resolved.dlvPath, flags: resolved.dlvFlags, cwd, onOutput: (text) => this.ctx.log.info(`dlv: ${text.trimEnd()}`) });
    this.ctx.log.info(`debug: dlv dap (pid ${server.pid}) listens on ${server.host}:${server.port} for "${session.name}"`);
    this.cleanups.set(session.id, () => server.stop());
    return new vscode.DebugAdapterServer(server.port, server.host);
  }

  /** asRoot: root's dlv, started by sudo in a terminal where sudo can ask for a password, dials in. */
  private async dialIn(session: vscode.DebugSession, resolved: ResolvedSession): Promise<vscode.DebugAdapterDescriptor> {
    const listener = await listenForDlv(dialsUnix(resolved.dlvVersion));
    const process = sudoDlvProcess(['sudo'], resolved.dlvPath, listener.clientAddr, resolved.dlvFlags, true);
    const terminal = this.ctx.terminals.open(`dlv as root: ${session.name}`, process);
    const cleanup = async (): Promise<void> => {
      terminal.dispose();
      await listener.close();
    };
    this.cleanups.set(session.id, cleanup);
    let watch: vscode.Disposable | undefined;
    const closed = new Promise<never>((_, reject) => {
      watch = vscode.window.onDidCloseTerminal((t) => {
        if (t === terminal) reject(new Error('the terminal running sudo dlv closed before dlv connected (a wrong password, or no sudoers entry for dlv): its output said why.'));
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`root's dlv did not connect within ${dialInTimeoutMs / 1000} s: see the "${terminal.name}" terminal (sudo may be waiting for a password).`)), dialInTimeoutMs);
    });
    try {
      const socket = await Promise.race([listener.accepted, closed, timeout]);
      return new vscode.DebugAdapterInlineImplementation(new DapSocketAdapter(socket, () => void this.end(session.id)));
    } catch (error) {
      await this.end(session.id);
      throw error;
    } finally {
      clearTimeout(timer);
      watch?.dispose();
    }
  }

  private async end(sessionId: string): Promise<void> {
    const cleanup = this.cleanups.get(sessionId);
    this.cleanups.delete(sessionId);
    await cleanup?.();
  }

  dispose(): void {
    this.ended.dispose();
    for (const id of [...this.cleanups.keys()]) void this.end(id);
  }
}
