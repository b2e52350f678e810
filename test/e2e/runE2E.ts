// The e2e tier: a private containerd 2.x, the extension loaded in a real VS Code (code-server)
// driven by headless Chromium. First the extension's own mocha suite runs inside the extension
// host; then UI checks click the activity bar, read the rendered view and take screenshots.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, logText, openViewContainer, openWorkbench, readTreeView, type TreeViewState, type WorkbenchPage } from '../harness/browser';
import { codeServerEntry, startCodeServer, type CodeServer } from '../harness/codeServer';
import { loadComponents, MissingComponentError } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { waitFor } from '../harness/waitFor';

export interface E2EFailure { title: string; error: string }
export interface E2EResult { passed: number; failed: number; failures: E2EFailure[] }

const repo = resolve(__dirname, '..', '..', '..');
const suiteIndex = join(repo, 'out', 'test', 'e2e', 'suite', 'index.js');
const defaultSocket = '/run/containerd/containerd.sock';
const suiteDeadlineMs = 5 * 60_000;
const viewDeadlineMs = 90_000;

interface Fixture { daemon: ContainerdDaemon; folder: string; factsFile: string; browser: Browser; codeServer: CodeServer }

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function daemonNamespaces(daemon: ContainerdDaemon): Promise<string[]> {
  return (await daemon.ctr(['namespaces', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

function describeView(state: TreeViewState | undefined): string {
  if (!state) return 'the Namespaces view is not in the sidebar';
  return `rows [${state.rows.join(', ')}], message ${JSON.stringify(state.message)}, welcome ${JSON.stringify(state.welcome)}`;
}

/** Runs the extension-host suite in page 1 and returns its own counts. */
async function runHostSuite(fx: Fixture, log: (line: string) => void): Promise<E2EResult> {
  const lines: string[] = [];
  let exitCode: number | undefined;
  const url = fx.codeServer.workbenchUrl([
    ['extensionDevelopmentPath', fx.codeServer.remoteUri(repo)],
    ['extensionTestsPath', fx.codeServer.remoteUri(suiteIndex)],
  ]);
  const tails = (): string => `--- suite output tail ---\n${lines.slice(-20).join('\n')}\n--- code-server log tail ---\n${fx.codeServer.logTail()}`;
  let workbench: WorkbenchPage | undefined;
  try {
    workbench = await openWorkbench(fx.browser, url, {
      onLog: (_type, args) => {
        const text = logText(args);
        lines.push(text);
        log(`  [extension host] ${text}`);
      },
      onExit: (code) => { exitCode = code; },
    });
    await waitFor('the extension-host suite to finish (codeAutomationExit)', () => exitCode !== undefined, suiteDeadlineMs, 250);
  } catch (error) {
    throw new Error(`${message(error)}\n${tails()}`);
  } finally {
    await workbench?.close();
  }
  const summaryLine = lines.flatMap((l) => l.split('\n')).reverse().find((l) => l.startsWith('E2E_SUMMARY '));
  if (!summaryLine) {
    throw new Error(`the suite exited with ${exitCode} without an E2E_SUMMARY line\n${tails()}`);
  }
  const summary = JSON.parse(summaryLine.slice('E2E_SUMMARY '.length)) as E2EResult;
  if (summary.failed === 0 && exitCode !== 0) {
    summary.failed = 1;
    summary.failures.push({ title: 'extension-host suite exit code', error: `all tests passed but the workbench reported exit code ${exitCode}` });
  }
  return summary;
}

/** Opens `server`'s folder with the extension loaded and waits for the Namespaces view to settle. */
async function viewNamespaces(fx: Fixture, server: CodeServer, screenshot: string, settled: (state: TreeViewState) => boolean): Promise<{ state: TreeViewState | undefined; restricted: boolean }> {
  const workbench = await openWorkbench(fx.browser, server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(repo)]]));
  let state: TreeViewState | undefined;
  try {
    await openViewContainer(workbench.page, 'containerd');
    try {
      await waitFor('the Namespaces view to show its content', async () => {
        state = await readTreeView(workbench.page, 'Namespaces');
        return state && settled(state);
      }, viewDeadlineMs, 250);
      // The screenshot should show the settled view, not the loading indicator.
      await workbench.page.locator('.part.sidebar .monaco-progress-container.active').waitFor({ state: 'hidden', timeout: 10_000 });
    } catch {
      // The assertions below say what was shown instead.
    }
    const restricted = (await workbench.page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count()) > 0;
    // No hover tooltip of the clicked activity-bar item over the picture.
    await workbench.page.mouse.move(800, 600);
    await workbench.page.keyboard.press('Escape');
    mkdirSync(join(repo, 'test-results'), { recursive: true });
    await workbench.page.screenshot({ path: join(repo, 'test-results', screenshot) });
    return { state, restricted };
  } finally {
    await workbench.close();
  }
}

/** Runs a UI check; its failure message ends with what code-server logged. */
async function withLogTail(server: CodeServer, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    throw new Error(`${message(error)}\n--- code-server log tail ---\n${server.logTail()}`);
  }
}

async function checkNamespacesView(fx: Fixture): Promise<void> {
  const expected = await daemonNamespaces(fx.daemon);
  const { state, restricted } = await viewNamespaces(fx, fx.codeServer, 'namespaces-view.png', (s) => [...s.rows].sort().join(',') === expected.join(','));
  if (restricted) throw new Error('the workbench is in Restricted Mode although workspace trust is disabled');
  const rows = state ? [...state.rows].sort() : [];
  if (rows.join(',') !== expected.join(',')) throw new Error(`the view does not list exactly ctr's namespaces [${expected.join(', ')}]: ${describeView(state)}`);
}

async function checkRestrictedMode(fx: Fixture, privateNamespaces: readonly string[]): Promise<void> {
  const untrusted = await startCodeServer({ trust: true, folder: fx.folder, env: { VSCODE_CONTAINERD_E2E: fx.factsFile } });
  try {
    const defaultExists = isSocket(defaultSocket);
    // With no socket at the default address the view must say so; with one, it shows that daemon.
    const unreachable = (s: TreeViewState): boolean => (s.message ?? '').startsWith(`Cannot reach containerd at ${defaultSocket}`);
    const settled = (s: TreeViewState): boolean => unreachable(s) || (defaultExists && s.rows.length > 0);
    const { state, restricted } = await viewNamespaces(fx, untrusted, 'restricted-mode.png', settled);
    if (!restricted) throw new Error('the folder did not open in Restricted Mode (no "Restricted Mode" status bar entry)');
    const leaked = state?.rows.filter((row) => privateNamespaces.includes(row)) ?? [];
    if (leaked.length > 0) throw new Error(`Restricted Mode used the workspace's containerd.address: the view lists ${leaked.join(', ')}`);
    if (state?.message?.includes(fx.daemon.socket)) throw new Error(`Restricted Mode used the workspace's containerd.address: ${state.message}`);
    if (!state || !settled(state)) {
      const wanted = defaultExists ? `the daemon at ${defaultSocket}` : `"Cannot reach containerd at ${defaultSocket}: …"`;
      throw new Error(`expected ${wanted}: ${describeView(state)}`);
    }
  } catch (error) {
    throw new Error(`${message(error)}\n--- code-server (trust on) log tail ---\n${untrusted.logTail()}`);
  } finally {
    await untrusted.stop();
  }
}

function makeWorkspace(dir: string, socket: string): string {
  const folder = join(dir, 'workspace');
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify({ 'containerd.address': socket, 'containerd.discovery.enabled': false }, null, 2)}\n`);
  writeFileSync(join(folder, 'Dockerfile'), 'FROM busybox\nRUN echo hello\n');
  return folder;
}

export async function runE2E(log: (line: string) => void): Promise<E2EResult> {
  const result: E2EResult = { passed: 0, failed: 0, failures: [] };
  const fail = (title: string, error: unknown): void => {
    result.failed++;
    result.failures.push({ title, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    log(`✗ ${title} — ${message(error).split('\n')[0] ?? ''}`);
  };
  const check = async (title: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body();
      result.passed++;
      log(`✓ ${title}`);
    } catch (error) {
      fail(title, error);
    }
  };
  let components: ReturnType<typeof loadComponents>;
  try {
    components = loadComponents();
    codeServerEntry();
  } catch (error) {
    // A missing component fails the tier loudly, naming what is missing; it never skips.
    fail('e2e components', error instanceof MissingComponentError ? error.message : error);
    return result;
  }
  const cleanups: (() => Promise<unknown>)[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-e2e-'));
  cleanups.push(() => Promise.resolve(rmSync(scratch, { recursive: true, force: true })));
  try {
    const started = Date.now();
    const daemon = await startContainerd('2.x');
    cleanups.push(() => daemon.stop());
    for (const name of ['e2e-alpha', 'e2e-beta']) await daemon.ctr(['namespaces', 'create', name]);
    const namespaces = await daemonNamespaces(daemon);
    const folder = makeWorkspace(scratch, daemon.socket);
    const factsFile = join(scratch, 'facts.json');
    writeFileSync(factsFile, JSON.stringify({ socket: daemon.socket, ctr: join(components.containerd['2.x'], 'ctr'), namespaces }));
    const codeServer = await startCodeServer({ trust: false, folder, env: { VSCODE_CONTAINERD_E2E: factsFile } });
    cleanups.push(() => codeServer.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    log(`e2e: containerd 2.x at ${daemon.socket}, code-server at ${codeServer.url}, ready in ${Date.now() - started} ms`);
    const fx: Fixture = { daemon, folder, factsFile, browser, codeServer };

    try {
      const suite = await runHostSuite(fx, log);
      result.passed += suite.passed;
      result.failed += suite.failed;
      result.failures.push(...suite.failures.map((f) => ({ title: `[extension host] ${f.title}`, error: f.error })));
    } catch (error) {
      fail('extension-host suite', error);
    }
    await check('UI: the Namespaces view lists exactly the daemon\'s namespaces', () => withLogTail(fx.codeServer, () => checkNamespacesView(fx)));
    await check('UI: Restricted Mode ignores the workspace\'s containerd.address', () => checkRestrictedMode(fx, namespaces));
  } catch (error) {
    fail('e2e setup', error);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`e2e cleanup failed: ${message(error)}`));
    }
  }
  return result;
}
