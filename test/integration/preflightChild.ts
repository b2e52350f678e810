// Child of the debug preflight tests: runs the extension's preflight for a launch configuration as
// whichever user started it, and prints its findings as JSON. argv[2]: {config, ptraceScopeFile, dlv}.
import { checkDebugConfig } from '../../src/debug/debugConfig';
import { hostMachine, preflightOnMachine } from '../../src/debug/preflightFacts';

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as { config: Record<string, unknown>; ptraceScopeFile: string; dlv: string };
  const checked = checkDebugConfig(input.config);
  if (!checked.ok) throw new Error(checked.error);
  const machine = { ...hostMachine(input.dlv, []), ptraceScopeFile: input.ptraceScopeFile };
  const result = await preflightOnMachine(checked.value, machine);
  process.stdout.write(`${JSON.stringify({ uid: machine.uid, findings: result?.findings ?? [] })}\n`);
}

void main();
