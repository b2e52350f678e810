// Child of the asRoot test, run as a non-root user: the extension's dial-in path without the
// editor. It listens, starts `sudo -n dlv dap --client-addr=...` (the background form), takes the
// connection root's dlv makes, attaches to a root buildkitd and reports each step on stdout as a
// JSON line: {"step":"sudo-failed"|"ready"|"stopped"|"done", ...}.
import { spawn } from 'node:child_process';
import { dialsUnix, listenForDlv, sudoDlvProcess } from '../../src/debug/dlvDialIn';
import { DapClient } from '../harness/dapClient';
import { startSession, stoppedView } from '../harness/dlvSession';

const say = (line: Record<string, unknown>): boolean => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as { dlv: string; dlvVersion: string; pid: number; file: string; line: number };
  const listener = await listenForDlv(dialsUnix(input.dlvVersion));
  const sudo = sudoDlvProcess(['sudo'], input.dlv, listener.clientAddr, [], false);
  const child = spawn(sudo.file, [...sudo.args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const first = await Promise.race([listener.accepted.then((socket) => ({ socket })), exited.then((code) => ({ code }))]);
  if (!('socket' in first)) {
    say({ step: 'sudo-failed', code: first.code, stderr, clientAddr: listener.clientAddr, argv: [sudo.file, ...sudo.args] });
    await listener.close();
    return;
  }
  const client = new DapClient(first.socket);
  await startSession(client, 'attach', { mode: 'local', processId: input.pid }, [{ file: input.file, line: input.line }]);
  say({ step: 'ready', clientAddr: listener.clientAddr, argv: [sudo.file, ...sudo.args] });
  const stop = await stoppedView(client, 'breakpoint');
  say({ step: 'stopped', frame: stop.frames[0] });
  await client.ok('setBreakpoints', { source: { path: input.file }, breakpoints: [] });
  await client.ok('continue', { threadId: stop.threadId });
  await client.ok('disconnect', { terminateDebuggee: false });
  say({ step: 'done', dlvExit: await exited });
  client.close();
  await listener.close();
}

void main().catch((error: unknown) => {
  say({ step: 'error', message: (error as Error).message });
  process.exit(1);
});
