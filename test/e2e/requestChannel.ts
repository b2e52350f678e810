// A file handshake between the extension-host suite and the runner: the suite runs inside
// code-server and cannot SIGKILL or restart the daemon it tests (the runner owns that process),
// so it drops `<id>.request` holding an action into a shared folder and waits for `<id>.reply`.
// The runner polls the folder while it waits for the suite to finish.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../harness/waitFor';

export type RunnerAction = 'crashDaemon' | 'restartDaemon';

interface Reply { readonly ok: boolean; readonly error?: string }

/** Written whole or not at all: readers never see half a file. */
function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Suite side: asks the runner to do `action` and resolves once it is done. */
export async function askRunner(dir: string, action: RunnerAction, timeoutMs: number): Promise<void> {
  const id = `${Date.now()}-${process.pid}-${action}`;
  const replyFile = join(dir, `${id}.reply`);
  writeAtomically(join(dir, `${id}.request`), action);
  const reply = await waitFor(`the e2e runner to ${action}`, () => (existsSync(replyFile) ? JSON.parse(readFileSync(replyFile, 'utf8')) as Reply : undefined), timeoutMs, 100);
  if (!reply.ok) throw new Error(`the e2e runner could not ${action}: ${reply.error ?? 'no reason given'}`);
}

/** Runner side: carries out every pending request, oldest first. Never rejects. */
export async function serveRequests(dir: string, handlers: Readonly<Record<RunnerAction, () => Promise<void>>>, log: (line: string) => void): Promise<void> {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.request')).sort()) {
    const file = join(dir, name);
    const action = readFileSync(file, 'utf8').trim();
    rmSync(file);
    let reply: Reply;
    try {
      if (action !== 'crashDaemon' && action !== 'restartDaemon') throw new Error(`unknown action ${JSON.stringify(action)}`);
      await handlers[action]();
      reply = { ok: true };
      log(`  [runner] ${action} done, as the extension-host suite asked`);
    } catch (error) {
      reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    writeAtomically(join(dir, name.replace(/\.request$/, '.reply')), JSON.stringify(reply));
  }
}
