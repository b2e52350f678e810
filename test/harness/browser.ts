// Headless Debian Chromium driven by playwright-core, and workbench pages wired to the hooks
// VS Code's web workbench uses to report an extension test run (codeAutomationLog/Exit).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadComponents } from './components';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: loadComponents().chromium,
    headless: true,
    // No sandbox as root; nothing may reach for the (absent) internet or wait on it.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface WorkbenchHooks {
  /** One call per log record the workbench reports (`type` is info/warn/error/...). */
  readonly onLog?: (type: string, args: unknown[]) => void;
  /** The extension test run's exit code. */
  readonly onExit?: (code: number) => void;
  /** Console messages and page errors of the workbench itself. */
  readonly onConsole?: (line: string) => void;
}

/** What a browser keeps between two visits (IndexedDB included: VS Code's workspace and global state live there). */
export type BrowserStorage = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface WorkbenchPage {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * A fresh context (own storage, so no trust decision or layout carries over) and page at `url`;
 * or, given the storage a closed one kept, the same browser coming back (a user's restart).
 */
export async function openWorkbench(browser: Browser, url: string, hooks: WorkbenchHooks = {}, storageState?: BrowserStorage): Promise<WorkbenchPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(storageState ? { storageState } : {}) });
  // Copy commands write the system clipboard; checks read it back with navigator.clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  // Must exist before the workbench script runs: it checks for them when the run starts.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    hooks.onLog?.(type, Array.isArray(args) ? args : [args]);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    hooks.onExit?.(code);
  });
  if (hooks.onConsole) {
    const onConsole = hooks.onConsole;
    page.on('console', (message) => onConsole(`[console.${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => onConsole(`[pageerror] ${error.message}`));
  }
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  } catch (error) {
    await context.close();
    throw error;
  }
  return { context, page, close: () => context.close() };
}

/** Stringifies one codeAutomationLog record the way a console would print it. */
export function logText(args: readonly unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

/** Opens an activity-bar view container by its title (what VS Code 1.99 puts in aria-label). */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const selector = `a.action-label[aria-label^="${title}"]`;
  const item = page.locator(`.activitybar ${selector}`).first();
  await item.waitFor({ state: 'visible', timeout: 120_000 });
  // Clicking the container already shown would hide the sidebar instead.
  const active = await page.locator(`.activitybar .action-item.checked ${selector}`).count();
  if (active === 0) await item.click();
}

export interface TreeViewState {
  /** Texts of the rows' labels, top to bottom (only rendered rows: fine for short lists). */
  readonly rows: string[];
  /** Each row's description ('' when it has none), parallel to `rows`. */
  readonly descriptions: string[];
  /** Each row's depth in the tree (1 for top-level rows), parallel to `rows`. */
  readonly levels: number[];
  /** TreeView.message, if shown. */
  readonly message: string | undefined;
  /** Welcome content text, if shown. */
  readonly welcome: string | undefined;
}

/** The little of the DOM readTreeView needs (the project compiles without lib.dom). */
interface DomElement {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  readonly innerText: string;
  readonly offsetParent: unknown;
}

/** Reads one view of the visible sidebar, found by its name (e.g. "Namespaces"). */
export function readTreeView(page: Page, viewName: string): Promise<TreeViewState | undefined> {
  return page.evaluate((name) => {
    const doc = (globalThis as unknown as { document: DomElement }).document;
    const panes = Array.from(doc.querySelectorAll('.part.sidebar .pane'));
    const pane = panes.find((p) => p.querySelector('.pane-header')?.getAttribute('aria-label')?.startsWith(`${name} `));
    if (!pane) return undefined;
    const visibleText = (selector: string): string | undefined => {
      const el = pane.querySelector(selector);
      return el && el.offsetParent !== null && el.innerText.trim() ? el.innerText.trim() : undefined;
    };
    const rowEls = Array.from(pane.querySelectorAll('.monaco-list-row')).filter((row) => row.querySelector('.label-name'));
    const rows = rowEls.map((row) => row.querySelector('.label-name')?.innerText.trim() ?? '');
    const descriptions = rowEls.map((row) => row.querySelector('.label-description')?.innerText.trim() ?? '');
    const levels = rowEls.map((row) => Number(row.getAttribute('aria-level') ?? '0'));
    return { rows, descriptions, levels, message: visibleText('.tree-explorer-viewlet-tree-view > .message'), welcome: visibleText('.welcome-view-content') };
  }, viewName);
}

/** Expands a view of the visible sidebar (e.g. "Snapshots", collapsed by default) by clicking its header. */
export async function expandView(page: Page, viewName: string): Promise<void> {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${viewName} "]`).first();
  await header.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
}

/** Collapses a view of the visible sidebar by clicking its header, if it is expanded. */
export async function collapseView(page: Page, viewName: string): Promise<void> {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${viewName} "]`).first();
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

/** Drags the sash between the sidebar and the editor so the sidebar is `width` pixels wide. */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) throw new Error('the sidebar is not shown');
  const right = sidebar.x + sidebar.width;
  const sashes = await page.locator('.monaco-sash.vertical').all();
  for (const sash of sashes) {
    const box = await sash.boundingBox();
    if (!box || Math.abs(box.x + box.width / 2 - right) > 4 || box.height < sidebar.height / 2) continue;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(sidebar.x + width, y, { steps: 8 });
    await page.mouse.up();
    return;
  }
  throw new Error(`no sash at the sidebar's right edge (x ${right})`);
}

interface PageClipboard { readText(): Promise<string>; writeText(text: string): Promise<void> }

/** The system clipboard as the workbench page sees it (openWorkbench granted the permissions). */
export function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: PageClipboard } }).navigator.clipboard.readText());
}

/** Puts `text` on the clipboard, so a check never reads what an earlier step left there. */
export async function writeClipboard(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => (globalThis as unknown as { navigator: { clipboard: PageClipboard } }).navigator.clipboard.writeText(value), text);
}
