// An inline debug adapter that forwards the editor's DAP messages to a socket and back: the asRoot
// path, where root's dlv dialled in to us and VS Code cannot be handed a server to connect to.
import type { Socket } from 'node:net';
import * as vscode from 'vscode';
import { DapReader, encodeDapMessage, type DapMessage } from '../debug/dapFraming';

export class DapSocketAdapter implements vscode.DebugAdapter {
  private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.sent.event;
  private readonly reader = new DapReader();

  constructor(private readonly socket: Socket, private readonly onClose: () => void) {
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.reader.push(chunk)) this.sent.fire(message);
    });
    socket.on('close', () => {
      // dlv went away: tell the editor the session is over, as a server adapter's close would.
      this.sent.fire({ seq: 0, type: 'event', event: 'terminated' });
      this.onClose();
    });
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    this.socket.write(encodeDapMessage(message as DapMessage));
  }

  dispose(): void {
    this.socket.destroy();
    this.sent.dispose();
  }
}
