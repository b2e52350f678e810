// Registers a feature's commands: id -> handler. A failing command says why, never silently.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { offerDoctor } from '../providers/doctorOffer';

export type Handler = (...args: never[]) => unknown;

function reported(ctx: Ctx, id: string, handler: Handler): (...args: never[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.error(`${id}: ${message}`);
      // A tool's output travels on the error as `stderr` where a command kept it.
      const output = (error as { stderr?: unknown } | undefined)?.stderr;
      if (!offerDoctor(message, typeof output === 'string' ? output : '')) void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };
}

export function registerCommandTable(ctx: Ctx, table: Readonly<Record<string, Handler>>): void {
  for (const [id, handler] of Object.entries(table)) ctx.own(vscode.commands.registerCommand(id, reported(ctx, id, handler)));
}
