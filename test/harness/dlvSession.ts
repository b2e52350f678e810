// Steps of a debug session the tests share, in the order VS Code takes them: initialize, attach or
// launch, wait for "initialized", set breakpoints, configurationDone; then stop, look, go on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './components';
import type { DapClient } from './dapClient';

/** Where the Go module cache of the set-up's builds keeps BuildKit's source. */
export function buildkitSourceDir(version = 'v0.32.2'): string {
  return join(cacheDir(), 'go', 'mod', 'github.com', 'moby', `buildkit@${version}`);
}

/** The line of the first statement of the function whose signature starts with `signature`. */
export function firstStatementLine(file: string, signature: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith(signature));
  if (at < 0) throw new Error(`${file} has no line starting with ${signature}`);
  return at + 2; // 1-based, the line after the signature
}

export async function startSession(client: DapClient, request: 'attach' | 'launch', args: Record<string, unknown>, breakpoints: readonly { file: string; line: number }[] = []): Promise<void> {
  await client.ok('initialize', { clientID: 'vscode-containerd-tests', adapterID: 'buildkitd', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsRunInTerminalRequest: false });
  const started = client.request(request, args, 120_000);
  // dlv sends "initialized" after the attach/launch response.
  const response = await started;
  if (!response.success) throw new Error(`DAP ${request} failed: ${response.message ?? ''} ${JSON.stringify(response.body ?? {})}`);
  await client.waitEvent('initialized', 60_000);
  const byFile = new Map<string, number[]>();
  for (const { file, line } of breakpoints) byFile.set(file, [...(byFile.get(file) ?? []), line]);
  for (const [file, lines] of byFile) {
    const body = await client.ok('setBreakpoints', { source: { path: file }, breakpoints: lines.map((line) => ({ line })) });
    const set = body.breakpoints as { verified: boolean; message?: string }[];
    if (!set.every((b) => b.verified)) throw new Error(`breakpoints in ${file} did not bind: ${JSON.stringify(set)}`);
  }
  await client.ok('configurationDone');
}

export interface StopView {
  readonly threadId: number;
  readonly frames: readonly { name: string; line: number; source?: { path?: string } }[];
  /** Variable names of the top frame's first scope (locals and arguments). */
  readonly variables: readonly { name: string; value: string }[];
}

/** Waits for a stop (from event index `after` on) and reads its stack and top frame's variables. */
export async function stoppedView(client: DapClient, reason: string, after = 0, timeoutMs = 120_000): Promise<StopView> {
  const stopped = await client.waitEvent('stopped', timeoutMs, (body) => body.reason === reason, after);
  const threadId = Number(stopped.threadId);
  const stack = await client.ok('stackTrace', { threadId, startFrame: 0, levels: 20 });
  const frames = stack.stackFrames as StopView['frames'] & { id: number }[];
  const top = frames[0] as { id: number } | undefined;
  const scopes = top ? ((await client.ok('scopes', { frameId: top.id })).scopes as { variablesReference: number }[]) : [];
  const variables = scopes[0] ? ((await client.ok('variables', { variablesReference: scopes[0].variablesReference })).variables as { name: string; value: string }[]) : [];
  return { threadId, frames, variables };
}

