// What the UI checks of the explorer share: a workbench with the containerd views open and wide,
// waiting until a rendered view shows what ctr says (the error tells what it showed instead),
// screenshots in test-results/, and choosing the namespace by clicking its row.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openViewContainer, openWorkbench, readTreeView, widenSidebar, type TreeViewState } from '../harness/browser';
import { waitFor } from '../harness/waitFor';
import { message, repo, type Fixture } from './fixture';
import { expandView } from '../harness/browser';
import { expandRows, paneDescription, revealRow, treeRow } from './workbenchUi';

export const viewDeadlineMs = 90_000;
/** Wide enough that rows show their whole description (digest · platforms · size). */
const sidebarWidth = 760;

/** One counted check that runs in an explorer page shared with others. */
export interface PageCheck {
  readonly title: string;
  run(page: Page): Promise<void>;
}

export function describeState(view: string, state: TreeViewState | undefined): string {
  if (!state) return `the ${view} view is not in the sidebar`;
  const rows = state.rows.map((row, i) => `${'  '.repeat(Math.max(0, (state.levels[i] ?? 1) - 1))}${row}${state.descriptions[i] ? ` — ${state.descriptions[i]}` : ''}`);
  return `${view} view: rows [${rows.join('; ')}], message ${JSON.stringify(state.message)}, welcome ${JSON.stringify(state.welcome)}`;
}

/** Waits until the rendered view satisfies `settled`; the timeout error shows what it showed. */
export async function settle(page: Page, view: string, what: string, settled: (state: TreeViewState) => boolean | Promise<boolean>, timeoutMs = viewDeadlineMs): Promise<TreeViewState> {
  let last: TreeViewState | undefined;
  return waitFor(`the ${view} view to show ${what}`, async () => {
    last = await readTreeView(page, view);
    return last && (await settled(last)) ? last : undefined;
  }, timeoutMs, 250).catch((error: unknown) => { throw new Error(`${message(error)}; ${describeState(view, last)}`); });
}

/** A screenshot of the page, or of one view, in test-results/. */
export async function screenshot(page: Page, name: string, view?: string): Promise<void> {
  mkdirSync(join(repo, 'test-results'), { recursive: true });
  // No hover tooltip or loading bar in the picture.
  await page.mouse.move(1200, 780);
  await page.locator('.part.sidebar .monaco-progress-container.active').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  const target = view ? page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label^="${view} "]`) }).first() : page;
  await target.screenshot({ path: join(repo, 'test-results', name) });
}

/** A fresh workbench (own storage: the default scope) with the containerd views open and wide. */
export async function withExplorer(fx: Fixture, body: (page: Page) => Promise<void>): Promise<void> {
  const server = fx.codeServer;
  const workbench = await openWorkbench(fx.browser, server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(repo)]]));
  try {
    await openViewContainer(workbench.page, 'containerd');
    await widenSidebar(workbench.page, sidebarWidth);
    await body(workbench.page);
  } finally {
    await workbench.close();
  }
}

/** Clicks a namespace's row, as a user picks it; resolves once Images and Containers say they show it. */
export async function chooseNamespace(page: Page, namespace: string): Promise<void> {
  const shown = async (): Promise<boolean> => (await paneDescription(page, 'Images')) === namespace && (await paneDescription(page, 'Containers')) === namespace;
  // A click while the rows repaint (counts arriving) can be lost between mouse down and up:
  // click again then (choosing the chosen namespace again changes nothing).
  await waitFor(`Images and Containers to show namespace ${namespace}`, async () => {
    if (await shown()) return true;
    await revealRow(page, 'Namespaces', namespace);
    await treeRow(page, 'Namespaces', namespace).click({ timeout: 10_000 });
    return waitFor('the views to follow', shown, 3_000, 100).catch(() => false);
  }, 30_000, 0);
}

/** The Snapshots view expanded, with a snapshotter's row (e.g. overlayfs) open. */
export async function showSnapshotter(page: Page, snapshotter: string): Promise<void> {
  await expandView(page, 'Snapshots');
  await expandRows(page, 'Snapshots', [snapshotter]);
}
