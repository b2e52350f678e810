// The activity bar's badge is for endpoints that need attention: a workspace whose only failure is
// the guessed default address (nothing there, never answered) while its configured daemon answers
// shows no badge and lists the default quietly; a workspace pinned to a missing socket, which the
// user chose, shows the badge.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { defaultAddress } from '../../src/containerd/connection/address';
import { openViewContainer, openWorkbench, readTreeView, type TreeViewState } from '../harness/browser';
import { waitFor } from '../harness/waitFor';
import { screenshot } from './explorerPage';
import { describeView, repo, type Fixture } from './fixture';
import { openUnreachableWorkspace } from './uiChecks';

/** The containerd container's activity-bar badge text; '' when none shows. */
async function activityBadge(page: Page): Promise<string> {
  const item = page.locator('.activitybar .action-item').filter({ has: page.locator('a.action-label[aria-label^="containerd"]') }).first();
  const badge = item.locator('.badge');
  return (await badge.isVisible().catch(() => false)) ? (await badge.innerText()).trim() : '';
}

export async function checkQuietBadge(fx: Fixture): Promise<void> {
  if (existsSync(defaultAddress)) throw new Error(`${defaultAddress} exists on this machine: the guessed-and-absent default cannot be made here`);
  const folder = join(fx.scratch, 'quiet-workspace');
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify({ 'containerd.additionalAddresses': [fx.daemon.socket], 'containerd.discovery.enabled': false }, null, 2)}\n`);
  const server = fx.codeServer;
  const workbench = await openWorkbench(fx.browser, server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(repo)]], folder));
  try {
    const page = workbench.page;
    await openViewContainer(page, 'containerd');
    let state: TreeViewState | undefined;
    await waitFor('the Namespaces view to list both endpoints', async () => {
      state = await readTreeView(page, 'Namespaces');
      return state && state.rows.includes(defaultAddress) && state.rows.includes(fx.daemon.socket);
    }, 90_000, 250).catch((error: unknown) => { throw new Error(`${(error as Error).message}: ${describeView(state)}`); });
    const description = state?.descriptions[state.rows.indexOf(defaultAddress)];
    if (description !== 'not running here') throw new Error(`the guessed default is listed as "${description ?? ''}", not quietly`);
    // The badge would be set with the same answer that drew the rows: give it a moment to show if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const badge = await activityBadge(page);
    if (badge !== '') throw new Error(`the activity bar shows a badge "${badge}" although only the guessed default is absent`);
    await screenshot(page, 'quiet-badge.png');
  } finally {
    await workbench.close();
  }
  // The control: a missing socket the user chose does get the badge.
  const { workbench: pinned } = await openUnreachableWorkspace(fx, 'badge-workspace');
  try {
    await waitFor('the activity bar badge for a chosen missing socket', async () => (await activityBadge(pinned.page)) === '1', 30_000, 250);
  } finally {
    await pinned.close();
  }
}
