// Reading and clicking the workbench the way a user does: rows of a view by their label, context
// menus, hovers, modal dialogs, notifications and the active editor. Selectors are the verified
// page facts of VS Code 1.99 (ENVIRONMENT.md, code-server section).
import { existsSync, statSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { readClipboard, writeClipboard } from '../harness/browser';
import { waitFor } from '../harness/waitFor';

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The pane of a view of the sidebar, by its name (e.g. "Images"). */
export function paneOf(page: Page, view: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label^="${view} "]`) }).first();
}

/** The first row of a view whose label is exactly `label` (at tree depth `level`, when given). */
export function treeRow(page: Page, view: string, label: string, level?: number): Locator {
  const rows = paneOf(page, view).locator(level === undefined ? '.monaco-list-row' : `.monaco-list-row[aria-level="${level}"]`);
  return rows.filter({ has: page.locator('.label-name', { hasText: exactly(label) }) }).first();
}

/**
 * Scrolls a view until a row labelled `label` is rendered: lists draw only the rows on screen, and
 * the Namespaces view outgrows its pane as checks add namespaces.
 */
export async function revealRow(page: Page, view: string, label: string): Promise<void> {
  const row = treeRow(page, view, label);
  const list = paneOf(page, view).locator('.monaco-list').first();
  // Drawn rows may lie below the pane's visible part (the list draws a few more than it shows).
  const onScreen = async (): Promise<boolean> => {
    if ((await row.count()) === 0) return false;
    const [box, area] = await Promise.all([row.boundingBox(), list.boundingBox()]);
    return box !== null && area !== null && box.y >= area.y && box.y + box.height <= area.y + area.height + 1;
  };
  if (await onScreen()) return;
  await list.hover();
  await page.mouse.wheel(0, -100_000);
  for (let step = 0; step < 60 && !(await onScreen()); step++) {
    await page.mouse.wheel(0, 22);
    await page.waitForTimeout(50);
  }
}

/**
 * Expands the rows of a view with these labels at `level` (waiting for each to show): tree views
 * remember a row collapsed by id, and checks share a page.
 */
export async function expandRows(page: Page, view: string, labels: readonly string[], level = 1): Promise<void> {
  for (const label of labels) {
    const row = treeRow(page, view, label, level);
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  }
}

/** What the view's header says after its name (TreeView.description), '' when nothing. */
export async function paneDescription(page: Page, view: string): Promise<string> {
  const description = paneOf(page, view).locator('.pane-header .description');
  return (await description.count()) > 0 ? (await description.innerText()).trim() : '';
}

/** Clicks an action of a view's title bar (shown on hover), by its title. */
export async function clickViewAction(page: Page, view: string, title: string): Promise<void> {
  const header = paneOf(page, view).locator('.pane-header');
  await header.hover();
  await header.locator(`.action-label[aria-label="${title}"]`).click({ timeout: 15_000 });
}

/** Right-clicks a row and picks `item` from its context menu. */
export async function runFromContextMenu(page: Page, row: Locator, item: string): Promise<void> {
  const entry = page.locator('.context-view .action-label').filter({ hasText: exactly(item) }).first();
  const shownItems = async (): Promise<string> => (await page.locator('.context-view .action-label').allInnerTexts()).filter(Boolean).join(', ');
  // A row repainted just as it was right-clicked, or while its menu is open (its state changed by
  // an event), takes its menu with it: open it again then. A menu that has only just opened may
  // ignore a click (it stays open): click again then. A click that ran the item closed the menu,
  // so nothing runs twice.
  const seen: string[] = [];
  // A hover the pointer's last position opened (a quick pick's item closes over a row) can lie over
  // the row and take the click: the pointer moves away first, and the hover closes with it.
  await page.mouse.move(1200, 780);
  await page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  for (let opening = 1; opening <= 4; opening++) {
    await row.click({ button: 'right', timeout: 30_000 });
    if (!(await entry.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) {
      seen.push(`opening ${opening}: [${await shownItems()}]`);
      await page.keyboard.press('Escape');
      continue;
    }
    let clicks = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const clicked = await entry.click({ timeout: 5_000 }).then(() => true, (error: Error) => {
        seen.push(`opening ${opening}, click ${attempt}: ${error.message.split('\n')[0] ?? ''}`);
        return false;
      });
      if (!clicked) break;
      clicks++;
      if (await entry.waitFor({ state: 'hidden', timeout: 1_000 }).then(() => true, () => false)) return;
      seen.push(`opening ${opening}, click ${attempt}: the menu stayed open`);
    }
    seen.push(`then the menu showed [${await shownItems()}]`);
    await page.keyboard.press('Escape');
    // Three clicks that landed and left the menu open: reopening could run the item twice.
    if (clicks === 3) break;
  }
  throw new Error(`could not pick "${item}" from the context menu: ${seen.join('; ')}`);
}

/** Hovers a row and returns the text of the hover that opens (the tree item's tooltip). */
export async function hoverText(page: Page, row: Locator, mustInclude: string): Promise<string> {
  // Away first: a hover already open for another row must close.
  await page.mouse.move(1200, 780);
  await page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  await row.locator('.label-name').hover();
  let text = '';
  return waitFor(`a hover holding "${mustInclude}"`, async () => {
    const hover = page.locator('.workbench-hover').first();
    text = (await hover.count()) > 0 ? await hover.innerText() : '';
    return text.includes(mustInclude) ? text : undefined;
  }, 15_000, 100).catch((error: unknown) => { throw new Error(`${(error as Error).message}; the hover said ${JSON.stringify(text)}`); });
}

export interface ModalText { readonly message: string; readonly detail: string; readonly buttons: string[] }

/** Waits for a modal dialog and reads it; rejects when none opens in time. */
export async function readModal(page: Page, timeoutMs = 15_000): Promise<ModalText> {
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ state: 'visible', timeout: timeoutMs });
  return {
    message: (await box.locator('.dialog-message-text').innerText()).trim(),
    detail: (await box.locator('.dialog-message-detail').innerText()).trim(),
    buttons: (await box.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim()),
  };
}

/** Presses a button of the open modal and waits for it to close. */
export async function pressModalButton(page: Page, label: string): Promise<void> {
  const box = page.locator('.monaco-dialog-box');
  await box.locator('.dialog-buttons .monaco-button').filter({ hasText: exactly(label) }).click({ timeout: 10_000 });
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The texts of the notification toasts on screen. */
export async function toastTexts(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-list-item').allInnerTexts()).map((t) => t.trim());
}

/** The active editor, once its tab is `title`: its whole text (select all, copy, read the clipboard) and language. */
export async function activeEditor(page: Page, title: string): Promise<{ text: string; language: string }> {
  const tab = page.locator('.editor-group-container.active .tab.active');
  await waitFor(`the editor "${title}" to open`, async () => (await tab.count()) > 0 && (await tab.innerText()).trim() === title, 30_000, 100)
    .catch(async (error: unknown) => { throw new Error(`${(error as Error).message}; the active tab is ${JSON.stringify(await tab.allInnerTexts())}`); });
  await writeClipboard(page, '');
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  const text = await waitFor(`the text of "${title}" on the clipboard`, async () => (await readClipboard(page)) || undefined, 10_000, 100);
  const language = (await page.locator('.statusbar-item#status\\.editor\\.mode').allInnerTexts()).join('').trim();
  return { text, language };
}

/**
 * The text of the terminal on screen. The e2e profile sets terminal.integrated.gpuAcceleration
 * to off, so xterm draws its rows as DOM text (a canvas would hide it).
 */
export async function terminalText(page: Page): Promise<string> {
  const rows = page.locator('.part.panel .terminal-wrapper.active .xterm-rows');
  return (await rows.count()) > 0 ? rows.first().innerText() : '';
}

export async function waitForTerminalText(page: Page, what: string, test: (text: string) => boolean): Promise<void> {
  let text = '';
  await waitFor(`the terminal to show ${what}`, async () => test(text = await terminalText(page)), 60_000, 1_000)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; it shows ${JSON.stringify(text.slice(-600))}`); });
}

/** Picks an item of the open quick pick by its label (icons stripped), then waits for the next input. */
export async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
  await row.click({ timeout: 15_000 });
}

/** Picks the item of the open quick pick with this label and description (the same label can show for several). */
export async function pickWithDescription(page: Page, label: string, description: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
    .filter({ has: page.locator('.label-description', { hasText: description }) }).first();
  await row.click({ timeout: 15_000 });
}

/** Types into the open input box and accepts it. */
/**
 * Types `text` into the open input box and presses Enter. With `step` (a part of the box's title,
 * such as "(3/3)"), first waits for that step's box: the next step of a flow replaces the box a
 * moment after Enter, and text typed before that went into the old one (a fresh-clone CI left the
 * password step of a login empty that way).
 */
export async function answer(page: Page, text: string, step?: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  if (step !== undefined) {
    const title = page.locator('.quick-input-widget .quick-input-title');
    await waitFor(`the input box of step ${step}`, async () => ((await title.innerText().catch(() => '')).includes(step) ? true : undefined), 10_000, 100);
  }
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Runs a command from the palette (F1) by its full title, e.g. "containerd: Log Out of Registry…". */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
  await row.click({ timeout: 15_000 });
}

/**
 * Chooses `path` in code-server's own open or save dialog (a quick input that holds a path, titled
 * `title`): types the path, waits for the dialog to take it in, then presses its OK button
 * (`okLabel`). Every step first checks the dialog is still the one on screen, so nothing is ever
 * typed into the input that follows it. A folder is typed with its trailing slash.
 */
export async function chooseInOpenDialog(page: Page, path: string, okLabel: string, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const heading = page.locator('.quick-input-widget .quick-input-title');
  const open = async (): Promise<boolean> => (await heading.isVisible()) && (await heading.innerText()).trim() === title;
  const typed = existsSync(path) && statSync(path).isDirectory() ? `${path.replace(/\/$/, '')}/` : path;
  const ok = page.locator('.quick-input-widget .monaco-button').filter({ hasText: exactly(okLabel) }).first();
  try {
    await waitFor(`the dialog "${title}"`, open, 15_000, 100);
    // The dialog fills in its starting folder (or file) once it has listed it, over anything typed before.
    await waitFor('the dialog to fill in where it starts', async () => (await input.inputValue()).length > 0, 15_000, 100);
    // A dialog still reading its folder may ignore a press or put its own value back: up to three presses.
    for (let attempt = 1; await open(); attempt++) {
      if (attempt > 3) throw new Error(`the dialog stayed open after three presses of ${okLabel}, holding ${JSON.stringify(await input.inputValue())}`);
      await waitFor(`the dialog to hold ${typed}`, async () => {
        if (!(await open())) return true;
        if ((await input.inputValue()) === typed) return true;
        await input.fill(typed);
        return false;
      }, 10_000, 250);
      if (!(await open())) break;
      await ok.click({ timeout: 5_000 }).catch(() => undefined);
      await waitFor('the dialog to close', async () => !(await open()), 5_000, 100).catch(() => undefined);
    }
  } catch (error) {
    // A dialog left open would swallow the next checks' clicks.
    if (await open()) await page.keyboard.press('Escape');
    throw error;
  }
}

/** Clears every notification, so a check reads only the ones its own steps raise. */
export async function clearNotifications(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** Kills the terminal on screen (its process with it), as Terminal: Kill the Active Terminal Instance does. */
export async function killActiveTerminal(page: Page): Promise<void> {
  await runFromPalette(page, 'Terminal: Kill the Active Terminal Instance');
}

/** Opens a workspace file by Quick Open (Ctrl+P) and waits for its editor tab. */
export async function openInEditor(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relativePath);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().click({ timeout: 15_000 });
  await page.locator('.editor-group-container.active .tab.active').filter({ hasText: name }).waitFor({ timeout: 15_000 });
}
