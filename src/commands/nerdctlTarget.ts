// Row -> the nerdctl process for its own endpoint and namespace (never the current scope).
import type { Ctx } from '../ctx';
import { isKnownEndpoint } from '../model/scopeChoice';
import { daemonFacts, hostFactsInput } from '../nerdctl/daemonFacts';
import { findProgram, hostIsExecutable } from '../nerdctl/findProgram';
import { nerdctlInvocation, type Mode, type Process } from '../nerdctl/invocation';
import type { Target } from './targetPicker';

export async function nerdctlProcess(ctx: Ctx, address: string, namespace: string, args: readonly string[], mode: Mode): Promise<Process> {
  if (!isKnownEndpoint(ctx.endpoints.latest, address)) throw new Error(`${String(address)} is not a containerd endpoint this extension knows: nothing was done`);
  const facts = await daemonFacts(address, namespace, hostFactsInput);
  const command = ctx.config().nerdctlCommand;
  const invocation = nerdctlInvocation(command, facts, { uid: process.getuid?.() ?? 0 }, mode);
  if (!invocation.ok) throw new Error(invocation.reason);
  const program = command[0] ?? 'nerdctl';
  if (!(await findProgram(program, process.env.PATH, hostIsExecutable))) {
    throw new Error(`${program} was not found${program.includes('/') ? '' : ' on PATH'}: install nerdctl (https://github.com/containerd/nerdctl/releases), or set containerd.nerdctl.command in your user settings to how you run it, e.g. ["/usr/local/bin/nerdctl"].`);
  }
  return { file: invocation.process.file, args: [...invocation.process.args, ...args] };
}

/** Runs nerdctl `args` for a target in a terminal named `name` (the one terminal manager). */
export async function openNerdctlTerminal(ctx: Ctx, name: string, target: Target, args: readonly string[]): Promise<void> {
  ctx.terminals.open(name, await nerdctlProcess(ctx, target.address, target.namespace, args, 'terminal'));
}
