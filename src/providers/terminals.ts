// The one terminal manager: every process the extension shows in a terminal opens here, named
// after its target. Running again on the same target replaces that terminal or opens another
// (containerd.terminals.reuse). The process is {file, args}: VS Code starts it directly, no shell.
import * as vscode from 'vscode';
import type { Process } from '../nerdctl/invocation';

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
    const previous = this.byName.get(name);
    if (previous && this.reuse() === 'replace') previous.dispose();
    const terminal = vscode.window.createTerminal({ name, shellPath: process.file, shellArgs: [...process.args], iconPath: new vscode.ThemeIcon('package') });
    this.byName.set(name, terminal);
    terminal.show(options.preserveFocus ?? false);
    return terminal;
  }

  dispose(): void {
    this.closed.dispose();
    this.byName.clear();
  }
}
