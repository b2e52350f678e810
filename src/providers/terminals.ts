// The one terminal manager: every process the extension shows in a terminal opens here, named
// after its target. Running again on the same target replaces that terminal or opens another
// (containerd.terminals.reuse). The process is {file, args}: VS Code starts it directly, no shell.
import * as vscode from 'vscode';
import type { Process } from '../nerdctl/invocation';

/** What the extension's own work writes to its terminal. */
export interface WorkOutput {
  /** A whole line. */
  line(text: string): void;
  /** Replaces the current line (progress); the next `line` replaces it in turn. */
  status(text: string): void;
}

export class TerminalManager implements vscode.Disposable {
  private readonly byName = new Map<string, vscode.Terminal>();
  private readonly closed: vscode.Disposable;

  constructor(private readonly reuse: () => 'replace' | 'new') {
    this.closed = vscode.window.onDidCloseTerminal((terminal) => {
      for (const [name, t] of this.byName) if (t === terminal) this.byName.delete(name);
    });
  }

  /** Opens a terminal running `process`; shown (and focused) unless `preserveFocus`. */
  open(name: string, process: Process, options: { preserveFocus?: boolean } = {}): vscode.Terminal {
    this.replacing(name);
    const terminal = vscode.window.createTerminal({ name, shellPath: process.file, shellArgs: [...process.args], iconPath: new vscode.ThemeIcon('package') });
    this.byName.set(name, terminal);
    terminal.show(options.preserveFocus ?? false);
    return terminal;
  }

  /**
   * Opens a terminal that shows the extension's own work (a copy between daemons): `run` writes
   * lines to it; closing the terminal aborts the signal it was given. Resolves when `run` is done.
   */
  openWork(name: string, run: (output: WorkOutput, signal: AbortSignal) => Promise<void>): Promise<void> {
    this.replacing(name);
    const written = new vscode.EventEmitter<string>();
    const stop = new AbortController();
    let ready: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => { ready = resolve; });
    const pty: vscode.Pseudoterminal = {
      onDidWrite: written.event,
      open: () => ready(),
      close: () => {
        stop.abort();
        written.dispose();
      },
    };
    const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('package') });
    this.byName.set(name, terminal);
    terminal.show(false);
    // Terminals take "\r\n"; a progress line redraws itself with "\r" and a line erase.
    let statusShown = false;
    const output: WorkOutput = {
      line: (text) => {
        // A progress line gives way to the line that follows it.
        written.fire(`${statusShown ? '\r\x1b[2K' : ''}${text.replace(/\r?\n/g, '\r\n')}\r\n`);
        statusShown = false;
      },
      status: (text) => {
        written.fire(`\r\x1b[2K${text}`);
        statusShown = true;
      },
    };
    return opened.then(() => run(output, stop.signal));
  }

  /** A new terminal for `name` replaces the one it had, when the setting says so. */
  private replacing(name: string): void {
    const previous = this.byName.get(name);
    if (previous && this.reuse() === 'replace') previous.dispose();
  }

  dispose(): void {
    this.closed.dispose();
    this.byName.clear();
  }
}
