// Log in to and out of private registries with nerdctl, as the user (or sudo) that runs the
// explorer's nerdctl, so the push and pull that follow find the credentials. The password goes
// through nerdctl's stdin, never an argument; a failure says what to do (a CA to trust first).
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { programUnderSudo, sudoPasswordAdvice, type Process } from '../nerdctl/invocation';
import { hostsDirectories, loggedInRegistries, loginArgs, logoutArgs, registryFailureAdvice, registryHost, registryOfReference } from '../nerdctl/registry';
import { lastStderrLine, outcomeText, runProcess, type RunResult } from '../process/runner';
import type { ImageNode } from '../views/imagesTree';
import { nerdctlProcess } from './nerdctlTarget';
import { registerCommandTable } from './table';
import { pickTarget, type Target } from './targetPicker';

/** A login asks the registry once: a minute is plenty, and a dead host must not hang the call. */
const registryCallMs = 60_000;

function targetOf(ctx: Ctx, node: ImageNode | undefined): Promise<Target | undefined> {
  if (node?.kind === 'image') return Promise.resolve({ address: node.image.address, namespace: node.image.namespace });
  return pickTarget(ctx, 'log in with');
}

/** Where the user's own nerdctl keeps its logins (it follows docker's DOCKER_CONFIG). */
function credentialsFile(): string {
  return join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

function readLoggedIn(): string[] {
  try {
    return loggedInRegistries(readFileSync(credentialsFile(), 'utf8'));
  } catch {
    return [];
  }
}

/** Our advice for a failure, else nerdctl's own last line. */
function failureText(ctx: Ctx, host: string, { result, rootless, ran }: RegistryCall): string {
  // nerdctl.toml's hosts_dir wins over nerdctl's defaults, as in nerdctl itself.
  const configured = ctx.endpoints.nerdctl?.hostsDirs;
  const [hostsDir = '/etc/containerd/certs.d'] = configured ?? hostsDirectories(rootless, process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  const advice = sudoPasswordAdvice(result.stderr, programUnderSudo(ran), userInfo().username) ?? registryFailureAdvice(host, result.stderr, hostsDir);
  const last = lastStderrLine(result);
  return advice ?? `${outcomeText(result)}${last ? `: ${last}` : ''}`;
}

interface RegistryCall {
  readonly result: RunResult;
  /** nerdctl ran rootless (a non-root caller without sudo): its hosts dir is under ~/.config. */
  readonly rootless: boolean;
  readonly ran: Process;
}

async function runRegistryCall(ctx: Ctx, target: Target, title: string, args: string[], input?: string): Promise<RegistryCall> {
  const nerdctl = await nerdctlProcess(ctx, target.address, target.namespace, args, 'background');
  const rootless = (process.getuid?.() ?? 0) !== 0 && nerdctl.file !== 'sudo';
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const stop = new AbortController();
    token.onCancellationRequested(() => stop.abort());
    return runProcess(nerdctl, { timeoutMs: registryCallMs, signal: stop.signal, ...(input !== undefined ? { input } : {}) });
  });
  return { result, rootless, ran: nerdctl };
}

export function registerRegistryCommands(ctx: Ctx): void {
  registerCommandTable(ctx, {
    'containerd.registry.login': async (node?: ImageNode) => {
      const target = await targetOf(ctx, node);
      if (!target) return;
      const suggested = node?.kind === 'image' ? registryOfReference(node.image.record.name) : undefined;
      const host = await vscode.window.showInputBox({
        title: 'Log in to a registry (1/3): registry', prompt: 'host[:port] of the registry, e.g. registry.example:5000', value: suggested ?? '', validateInput: registryHost,
      });
      if (!host) return;
      const username = await vscode.window.showInputBox({ title: `Log in to ${host} (2/3): user name`, validateInput: (v) => (v.length === 0 ? 'The user name is empty' : undefined) });
      if (!username) return;
      const password = await vscode.window.showInputBox({ title: `Log in to ${host} as ${username} (3/3): password or token`, password: true });
      if (password === undefined) return;
      const call = await runRegistryCall(ctx, target, `Logging in to ${host}…`, loginArgs(host, username), password);
      if (call.result.cancelled) return;
      if (call.result.exitCode === 0) {
        void vscode.window.showInformationMessage(`Logged in to ${host} as ${username}: nerdctl pushes and pulls there with these credentials.`);
        return;
      }
      void vscode.window.showErrorMessage(`Login to ${host} failed. ${failureText(ctx, host, call)}`);
    },
    'containerd.registry.logout': async (node?: ImageNode) => {
      const target = await targetOf(ctx, node);
      if (!target) return;
      const known = readLoggedIn();
      const other = 'Another registry…';
      const picked = known.length > 0 ? await vscode.window.showQuickPick([...known, other], { title: 'Log out of a registry' }) : other;
      if (picked === undefined) return;
      const host = picked === other ? await vscode.window.showInputBox({ title: 'Log out of a registry', prompt: 'host[:port] of the registry', validateInput: registryHost }) : picked;
      if (!host) return;
      const call = await runRegistryCall(ctx, target, `Logging out of ${host}…`, logoutArgs(host));
      if (call.result.cancelled) return;
      if (call.result.exitCode === 0) void vscode.window.showInformationMessage(`Logged out of ${host}: its credentials are removed.`);
      else void vscode.window.showErrorMessage(`Logout from ${host} failed. ${failureText(ctx, host, call)}`);
    },
  });
}
