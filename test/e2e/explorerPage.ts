// What the UI checks of the explorer share: a workbench with the containerd views open and wide,
// waiting until a rendered view shows what ctr says (the error tells what it showed instead),
// screenshots in test-results/, and choosing the namespace by clicking its row.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openViewContainer, openWorkbench, readTreeView, widenSidebar, type TreeViewState } from '../harness/browser';
import { waitFor } from '../harness/waitFor';
import { message, repo, type Fixture } from './fixture';
import { expandView } from '../harness/browser';
import { expandRows, paneDescription, paneOf, revealRow, treeRow } from './workbenchUi';

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

/** The little of a drawn list row the Namespaces view's evaluation reads (the project compiles without lib.dom). */
interface DrawnRow {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { readonly textContent: string | null } | null;
}

interface RowAt { readonly level: string | null; readonly label: string }

/** The list's own rows: the sticky header rows above them repeat an endpoint's row and would be clicked instead. */
const listRows = '.monaco-list-rows > .monaco-list-row';

/**
 * The row of `namespace` under the endpoint labelled `endpoint`, by data-index, among the rows seen
 * so far (from the top, without gaps): with several endpoints the namespaces are the endpoints'
 * children, and two daemons can both have one of that name.
 */
function namespaceIndexUnder(seen: ReadonlyMap<number, RowAt>, endpoint: string, namespace: string): number | undefined {
  let under: string | undefined;
  for (const [index, row] of [...seen].sort(([a], [b]) => a - b)) {
    if (row.level === '1') under = row.label;
    else if (under === endpoint && row.label === namespace) return index;
  }
  return undefined;
}

/**
 * Clicks `namespace` under the endpoint `endpoint` (the Namespaces view with several endpoints);
 * resolves once Images and Containers show it and that very row is the one marked as shown.
 */
export async function chooseEndpointNamespace(page: Page, endpoint: string, namespace: string): Promise<void> {
  const pane = paneOf(page, 'Namespaces');
  const list = pane.locator('.monaco-list').first();
  const rowAt = (index: number): Locator => pane.locator(`${listRows}[data-index="${index}"]`);
  // Below the sticky header rows, which lie over the list's top rows and take their clicks.
  const onScreen = async (row: Locator): Promise<boolean> => {
    const sticky = pane.locator('.monaco-tree-sticky-container').first();
    const [box, area, header] = await Promise.all([row.boundingBox(), list.boundingBox(), sticky.isVisible().then((v) => (v ? sticky.boundingBox() : null))]);
    const top = Math.max(area?.y ?? 0, header ? header.y + header.height : 0);
    return box !== null && area !== null && box.y >= top - 1 && box.y + box.height <= area.y + area.height + 1;
  };
  let index: number | undefined;
  /** Scrolled from the top down until the row is on screen, as a user would; the list draws only what it shows. */
  const reveal = async (): Promise<Locator | undefined> => {
    const seen = new Map<number, RowAt>();
    await list.hover();
    // Up to the first row in steps a wheel really makes: one huge delta left the list a row short of its top.
    for (let up = 0; up < 100 && (await rowAt(0).count()) === 0; up++) {
      await page.mouse.wheel(0, -220);
      await page.waitForTimeout(50);
    }
    for (let step = 0; step < 200; step++) {
      await page.waitForTimeout(50);
      const drawn = await pane.locator(listRows).evaluateAll((elements) => (elements as unknown as DrawnRow[]).map((row) => ({
        index: Number(row.getAttribute('data-index') ?? '-1'),
        level: row.getAttribute('aria-level'),
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      })));
      for (const row of drawn) seen.set(row.index, row);
      index = namespaceIndexUnder(seen, endpoint, namespace);
      if (index !== undefined && await onScreen(rowAt(index))) return rowAt(index);
      await page.mouse.wheel(0, 22);
    }
    return undefined;
  };
  const shown = async (): Promise<boolean> => (await paneDescription(page, 'Images')) === namespace && (await paneDescription(page, 'Containers')) === namespace
    && index !== undefined && (await rowAt(index).getAttribute('aria-label', { timeout: 1_000 }).catch(() => null)) === `${namespace}, shown in the explorer`;
  // As chooseNamespace: a click lost while the rows repaint is clicked again.
  await waitFor(`Images and Containers to show namespace ${namespace} of ${endpoint}`, async () => {
    const row = await reveal();
    if (!row) return false;
    if (await shown()) return true;
    await row.click({ timeout: 10_000 });
    return waitFor('the views to follow', shown, 3_000, 100).catch(() => false);
  }, 60_000, 0).catch(async (error: unknown) => {
    throw new Error(`${message(error)}; ${describeState('Namespaces', await readTreeView(page, 'Namespaces'))}`);
  });
}

/** The Snapshots view expanded, with a snapshotter's row (e.g. overlayfs) open. */
export async function showSnapshotter(page: Page, snapshotter: string): Promise<void> {
  await expandView(page, 'Snapshots');
  await expandRows(page, 'Snapshots', [snapshotter]);
}
