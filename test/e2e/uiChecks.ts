// UI checks: the workbench in Chromium, clicked and read as a person would, with screenshots.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openViewContainer, openWorkbench, readTreeView, type TreeViewState, type WorkbenchPage } from '../harness/browser';
import type { CodeServer } from '../harness/codeServer';
import { waitFor } from '../harness/waitFor';
import { screenshot } from './explorerPage';
import { daemonNamespaces, describeView, makeWorkspace, message, repo, type Fixture } from './fixture';

const viewDeadlineMs = 90_000;

/** Opens `server`'s folder with the extension loaded and waits for the Namespaces view to settle. */
async function viewNamespaces(fx: Fixture, server: CodeServer, picture: string, settled: (state: TreeViewState) => boolean): Promise<{ state: TreeViewState | undefined; restricted: boolean }> {
  const workbench = await openWorkbench(fx.browser, server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(repo)]]));
  let state: TreeViewState | undefined;
  try {
    await openViewContainer(workbench.page, 'containerd');
    try {
      await waitFor('the Namespaces view to show its content', async () => {
        state = await readTreeView(workbench.page, 'Namespaces');
        return state && settled(state);
      }, viewDeadlineMs, 250);
    } catch {
      // The assertions below say what was shown instead.
    }
    const restricted = (await workbench.page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count()) > 0;
    await workbench.page.keyboard.press('Escape');
    await screenshot(workbench.page, picture);
    return { state, restricted };
  } finally {
    await workbench.close();
  }
}

/** Collapses a view by its header's title (not the header's middle, where its actions may sit), until it says collapsed. */
async function collapseForRoom(page: Page, view: string): Promise<void> {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${view} "]`).first();
  await waitFor(`the ${view} view to collapse`, async () => {
    if ((await header.getAttribute('aria-expanded')) !== 'true') return true;
    await header.locator('.title').first().click();
    return false;
  }, 15_000, 300);
}

/** Runs a UI check; its failure message ends with what code-server logged. */
export async function withLogTail(server: CodeServer, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    throw new Error(`${message(error)}\n--- code-server log tail ---\n${server.logTail()}`);
  }
}

export async function checkNamespacesView(fx: Fixture): Promise<void> {
  const expected = await daemonNamespaces(fx.daemon);
  const { state, restricted } = await viewNamespaces(fx, fx.codeServer, 'namespaces-view.png', (s) => [...s.rows].sort().join(',') === expected.join(','));
  if (restricted) throw new Error('the workbench is in Restricted Mode although workspace trust is disabled');
  const rows = state ? [...state.rows].sort() : [];
  if (rows.join(',') !== expected.join(',')) throw new Error(`the view does not list exactly ctr's namespaces [${expected.join(', ')}]: ${describeView(state)}`);
}

/**
 * A workspace pinned to a missing socket: the welcome view names the address and the reason and
 * offers Set Address…; a relative path is refused in the input box and changes nothing; the
 * daemon's real socket is accepted, saved to the workspace settings, and the namespaces appear.
 */
/** A workbench on a workspace pinned to a socket that does not exist, once its welcome view says so. */
export async function openUnreachableWorkspace(fx: Fixture, name: string): Promise<{ workbench: WorkbenchPage; missing: string; folder: string; welcome: string }> {
  const missing = join(fx.scratch, `${name}-missing`, 'containerd.sock');
  const folder = makeWorkspace(fx.scratch, missing, name);
  const server = fx.codeServer;
  const workbench = await openWorkbench(fx.browser, server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(repo)]], folder));
  try {
    await openViewContainer(workbench.page, 'containerd');
    let state: TreeViewState | undefined;
    await waitFor('the welcome view for a missing socket', async () => {
      state = await readTreeView(workbench.page, 'Namespaces');
      return state?.welcome?.includes('No socket exists at this address') ? state : undefined;
    }, viewDeadlineMs, 250).catch((error: unknown) => { throw new Error(`${message(error)}: ${describeView(state)}`); });
    return { workbench, missing, folder, welcome: state?.welcome ?? '' };
  } catch (error) {
    await workbench.close();
    throw error;
  }
}

export async function checkSetAddress(fx: Fixture): Promise<void> {
  const { workbench, missing, folder, welcome } = await openUnreachableWorkspace(fx, 'unreachable-workspace');
  const settingsFile = join(folder, '.vscode', 'settings.json');
  const page = workbench.page;
  try {
    let state: TreeViewState | undefined;
    if (!welcome.includes('containerd.address')) throw new Error(`the welcome view does not say which address was tried: ${welcome}`);
    const buttons = page.locator('.welcome-view-content .monaco-button');
    const labels = (await buttons.allInnerTexts()).map((t) => t.trim());
    if (!labels.includes('Set Address…') || !labels.includes('Retry')) throw new Error(`welcome buttons are [${labels.join(', ')}], expected Set Address… and Retry`);
    await page.mouse.move(800, 600);
    await screenshot(page, 'welcome-unreachable.png');

    // Every namespace row must be drawn to be read once connected: the views below give the
    // Namespaces view their room (with the Builders view's header too, it drew one row short).
    await collapseForRoom(page, 'Images');
    await collapseForRoom(page, 'Containers');
    await buttons.filter({ hasText: 'Set Address…' }).first().click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('relative/containerd.sock');
    const validation = page.locator('.quick-input-widget .quick-input-message');
    await waitFor('the input box to refuse a relative path', async () => (await validation.innerText()).includes('not an absolute path'), 30_000, 100);
    await page.keyboard.press('Enter');
    // Refused input keeps the box open and writes nothing.
    if (!(await input.isVisible())) throw new Error('the input box accepted a relative path');
    if (!readFileSync(settingsFile, 'utf8').includes(missing)) throw new Error('a refused address changed the workspace settings');
    await screenshot(page, 'set-address-refused.png');

    await input.fill(fx.daemon.socket);
    await page.keyboard.press('Enter');
    const expected = await daemonNamespaces(fx.daemon);
    await waitFor('the view to list the daemon\'s namespaces after Set Address…', async () => {
      state = await readTreeView(page, 'Namespaces');
      return state && [...state.rows].sort().join(',') === expected.join(',');
    }, viewDeadlineMs, 250).catch(async (error: unknown) => {
      await screenshot(page, 'set-address-failed.png').catch(() => undefined);
      throw new Error(`${message(error)}: ${describeView(state)}; ctr lists [${expected.join(', ')}]`);
    });
    const saved = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    if (saved['containerd.address'] !== fx.daemon.socket) throw new Error(`workspace settings hold ${JSON.stringify(saved['containerd.address'])}, expected ${fx.daemon.socket}`);
    await screenshot(page, 'set-address-connected.png');
  } finally {
    await workbench.close();
  }
}
