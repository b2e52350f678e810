// Row -> the nerdctl (or crictl) process for its own endpoint and namespace (never the current scope).
import { existsSync } from 'node:fs';
import type { Ctx } from '../ctx';
import { isKnownEndpoint } from '../model/scopeChoice';
import { daemonFacts, hostFactsInput } from '../nerdctl/daemonFacts';
import { findProgram, hostIsExecutable } from '../nerdctl/findProgram';
import { crictlInvocation } from '../nerdctl/crictl';
import { nerdctlTooOld, nerdctlUntested } from '../nerdctl/toolVersion';
import { nerdctlInvocation, type Caller, type DaemonFacts, type Invocation, type Mode, type Process } from '../nerdctl/invocation';
import type { Target } from './targetPicker';

interface Tool {
  readonly name: string;
  readonly setting: string;
  readonly install: string;
  readonly command: (ctx: Ctx) => readonly string[];
  readonly invocation: (command: readonly string[], daemon: DaemonFacts, caller: Caller, mode: Mode) => Invocation;
  /** Refuses (with the reason) a version that cannot run our argv; undefined: no check. */
  readonly versionCheck?: (ctx: Ctx, command: readonly string[]) => Promise<void>;
}

async function nerdctlNewEnough(ctx: Ctx, command: readonly string[]): Promise<void> {
  const version = await ctx.nerdctlVersions.get(command);
  if (!version) return;
  const refusal = nerdctlTooOld(version, 'containerd.nerdctl.command');
  if (refusal) throw new Error(refusal);
  const note = nerdctlUntested(version);
  if (note) ctx.log.warn(note);
}

const nerdctl: Tool = {
  name: 'nerdctl', setting: 'containerd.nerdctl.command', install: 'install nerdctl (https://github.com/containerd/nerdctl/releases)',
  command: (ctx) => ctx.config().nerdctlCommand, invocation: nerdctlInvocation, versionCheck: nerdctlNewEnough,
};

const crictl: Tool = {
  name: 'crictl', setting: 'containerd.crictl.command', install: 'install crictl (cri-tools, https://github.com/kubernetes-sigs/cri-tools/releases)',
  command: (ctx) => ctx.config().crictlCommand,
  invocation: (command, daemon, caller, mode) => crictlInvocation(command, daemon, caller, mode, Boolean(process.env.CRI_CONFIG_FILE) || existsSync('/etc/crictl.yaml')),
};

async function toolProcess(ctx: Ctx, tool: Tool, address: string, namespace: string, args: readonly string[], mode: Mode): Promise<Process> {
  if (!isKnownEndpoint(ctx.endpoints.latest, address)) throw new Error(`${String(address)} is not a containerd endpoint this extension knows: nothing was done`);
  const facts = await daemonFacts(address, namespace, hostFactsInput);
  const command = tool.command(ctx);
  const invocation = tool.invocation(command, facts, { uid: process.getuid?.() ?? 0 }, mode);
  if (!invocation.ok) throw new Error(invocation.reason);
  const program = command[0] ?? tool.name;
  if (!(await findProgram(program, process.env.PATH, hostIsExecutable))) {
    throw new Error(`${program} was not found${program.includes('/') ? '' : ' on PATH'}: ${tool.install}, or set ${tool.setting} in your user settings to how you run it, e.g. ["/usr/local/bin/${tool.name}"].`);
  }
  await tool.versionCheck?.(ctx, command);
  return { file: invocation.process.file, args: [...invocation.process.args, ...args] };
}

export function nerdctlProcess(ctx: Ctx, address: string, namespace: string, args: readonly string[], mode: Mode): Promise<Process> {
  return toolProcess(ctx, nerdctl, address, namespace, args, mode);
}

/** crictl `args` for a daemon's CRI plugin, in a terminal named `name`. */
export async function openCrictlTerminal(ctx: Ctx, name: string, target: Target, args: readonly string[]): Promise<void> {
  ctx.terminals.open(name, await toolProcess(ctx, crictl, target.address, target.namespace, args, 'terminal'));
}

/** Runs nerdctl `args` for a target in a terminal named `name` (the one terminal manager). */
export async function openNerdctlTerminal(ctx: Ctx, name: string, target: Target, args: readonly string[]): Promise<void> {
  ctx.terminals.open(name, await nerdctlProcess(ctx, target.address, target.namespace, args, 'terminal'));
}
