// Runs the bench's extension-host suite in the real VS Code (code-server + headless Chromium) on a
// workspace pinned to the seeded daemon, twice on the same user data (a first start, then a
// second that finds the persisted image documents), and returns the figures of each start's
// `BENCH_HOST` line.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { launchBrowser, logText, openWorkbench, type BrowserStorage } from '../harness/browser';
import { startCodeServer } from '../harness/codeServer';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { waitFor } from '../harness/waitFor';
import { makeWorkspace } from '../e2e/fixture';
import type { HostFacts, HostFigures } from './hostSuite/facts';

const repo = resolve(__dirname, '..', '..', '..');
const suiteIndex = join(repo, 'out', 'test', 'bench', 'hostSuite', 'index.js');

/** Registers a cleanup that also runs if the bench is interrupted; returns it to run it now. */
export type Defer = (cleanup: () => Promise<unknown>) => () => Promise<void>;

/** The same workspace and user data started twice: the second start finds what the first persisted. */
export interface HostStarts {
  readonly first: HostFigures;
  readonly second: HostFigures;
  /** Image documents the first start left in the extension's global storage. */
  readonly persistedDocuments: number;
  /** Every restart measured (second is the last of them). */
  readonly restarts: readonly HostFigures[];
  /** The same restart once more, under the CPU profiler (its times are not the figures). */
  readonly profiled?: HostFigures;
}

const extensionId = 'vscode-containerd.vscode-containerd';

export async function measureHost(opts: {
  daemon: ContainerdDaemon; scratch: string; facts: Omit<HostFacts, 'start' | 'profileFile'>; defer: Defer; log: (line: string) => void;
  /** A CPU profile of the second start's first load goes there. */
  profileFile?: string;
}): Promise<HostStarts> {
  const folder = makeWorkspace(opts.scratch, opts.daemon.socket, 'bench-workspace');
  const factsFile = join(opts.scratch, 'bench-facts.json');
  const codeServer = await startCodeServer({ trust: false, folder, env: { VSCODE_CONTAINERD_BENCH: factsFile } });
  const stopCodeServer = opts.defer(() => codeServer.stop());
  const lines: string[] = [];
  try {
    const browser = await launchBrowser();
    const closeBrowser = opts.defer(() => browser.close());
    try {
      /** The browser's storage as the last start left it: the next start is the same user coming back. */
      let kept: BrowserStorage | undefined;
      /** One start: a new window (so a new extension host) runs the suite once. */
      const start = async (n: number, burstEvents: number, profileFile?: string): Promise<HostFigures> => {
        writeFileSync(factsFile, JSON.stringify({ ...opts.facts, start: n, burstEvents, profileFile } satisfies HostFacts));
        const from = lines.length;
        let exitCode: number | undefined;
        const url = codeServer.workbenchUrl([
          ['extensionDevelopmentPath', codeServer.remoteUri(repo)],
          ['extensionTestsPath', codeServer.remoteUri(suiteIndex)],
        ]);
        const page = await openWorkbench(browser, url, {
          onLog: (_type, args) => {
            const text = logText(args);
            lines.push(text);
            if (!text.startsWith('BENCH_HOST ')) opts.log(`  [extension host, start ${n}] ${text.slice(0, 300)}`);
          },
          onExit: (code) => { exitCode = code; },
        }, kept);
        try {
          await waitFor(`start ${n} of the bench suite in the extension host to finish (codeAutomationExit)`, () => exitCode !== undefined, 300_000, 100);
          kept = await page.context.storageState({ indexedDB: true });
        } finally {
          await page.close();
        }
        const figures = hostFigures(lines.slice(from));
        // Its extension host may outlive the closed window: it would go on reloading on events.
        try {
          process.kill(figures.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        return figures;
      };
      const first = await start(1, 0);
      const documents = join(dirname(codeServer.logFile), 'user-data', 'User', 'globalStorage', extensionId, 'image-documents');
      // Read as the second start will read them: only records whose bytes hash to their digest count.
      const persistedDocuments = await new BlobStore(documents).count();
      // The figures of a restart come from a start without the profiler (it costs the host CPU
      // and slows code it instruments); a third start, the same restart again, is profiled.
      // Three restarts: one start's time on two shared cores varies by ±50 ms; the target is
      // judged on their median. The last one also measures refreshes and bursts.
      const restarts = [await start(2, 0), await start(2, 0), await start(2, opts.facts.burstEvents)];
      const second = restarts[restarts.length - 1];
      const profiled = opts.profileFile ? await start(3, 0, opts.profileFile) : undefined;
      return { first, second, restarts, persistedDocuments, ...(profiled ? { profiled } : {}) };
    } finally {
      await closeBrowser();
    }
  } catch (error) {
    const tail = `--- suite output tail ---\n${lines.slice(-15).join('\n')}\n--- code-server log tail ---\n${codeServer.logTail()}`;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail}`);
  } finally {
    await stopCodeServer();
  }
}

function hostFigures(lines: readonly string[]): HostFigures {
  const all = lines.flatMap((l) => l.split('\n'));
  const error = all.find((l) => l.startsWith('BENCH_HOST_ERROR '));
  if (error) throw new Error(`the extension-host suite failed: ${JSON.parse(error.slice('BENCH_HOST_ERROR '.length)) as string}`);
  const line = all.reverse().find((l) => l.startsWith('BENCH_HOST '));
  if (!line) throw new Error(`the extension-host suite printed no BENCH_HOST line\n${lines.slice(-15).join('\n')}`);
  return JSON.parse(line.slice('BENCH_HOST '.length)) as HostFigures;
}
