// What the e2e steps share: the running pieces and small helpers to read the daemon and the view.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { TreeViewState } from '../harness/browser';
import type { CodeServer } from '../harness/codeServer';
import type { Components } from '../harness/components';
import type { ContainerdDaemon } from '../harness/containerdDaemon';

export interface E2EFailure { title: string; error: string }
export interface E2EResult { passed: number; failed: number; failures: E2EFailure[] }

export const repo = resolve(__dirname, '..', '..', '..');
export const defaultSocket = '/run/containerd/containerd.sock';

export interface Fixture { daemon: ContainerdDaemon; folder: string; factsFile: string; browser: Browser; codeServer: CodeServer; scratch: string }

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function daemonNamespaces(daemon: ContainerdDaemon): Promise<string[]> {
  return (await daemon.ctr(['namespaces', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

export function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

export function describeView(state: TreeViewState | undefined): string {
  if (!state) return 'the Namespaces view is not in the sidebar';
  return `rows [${state.rows.join(', ')}], message ${JSON.stringify(state.message)}, welcome ${JSON.stringify(state.welcome)}`;
}

/** A workspace folder whose settings pin exactly one containerd address. */
export function makeWorkspace(dir: string, socket: string, name = 'workspace'): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify({ 'containerd.address': socket, 'containerd.discovery.enabled': false }, null, 2)}\n`);
  writeFileSync(join(folder, 'Dockerfile'), 'FROM busybox\nRUN echo hello\n');
  return folder;
}


/**
 * Gives the daemon two namespaces of the suite's own, a workspace pinned to it, and the facts
 * file the extension-host suite reads (named by VSCODE_CONTAINERD_E2E in its environment).
 */
export async function prepareDaemonWorkspace(daemon: ContainerdDaemon, components: Components, scratch: string): Promise<{ folder: string; factsFile: string; namespaces: string[] }> {
  for (const name of ['e2e-alpha', 'e2e-beta']) await daemon.ctr(['namespaces', 'create', name]);
  const namespaces = await daemonNamespaces(daemon);
  const folder = makeWorkspace(scratch, daemon.socket);
  const factsFile = join(scratch, 'facts.json');
  writeFileSync(factsFile, JSON.stringify({ socket: daemon.socket, ctr: join(components.containerd[daemon.version], 'ctr'), namespaces }));
  return { folder, factsFile, namespaces };
}
