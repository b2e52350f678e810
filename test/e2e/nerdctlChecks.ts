// nerdctl workflows in the page, on the real nerdctl: each command starts from a row's menu, opens
// a terminal, and its effect is judged by ctr (the container exists, runs, stops, is gone) or by
// what the terminal shows (the container's log line, a shell's answer).
import type { Page } from 'playwright-core';
import { readClipboard, writeClipboard } from '../harness/browser';
import { waitFor } from '../harness/waitFor';
import { cancelThenConfirm } from './confirmChecks';
import { ctrContainers, ctrImages, type Ctr, type CtrContainer } from './ctrOracle';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import { expandRows, runFromContextMenu, treeRow } from './workbenchUi';

function ctrOf(fx: Fixture): Ctr {
  return (args) => fx.daemon.ctr(args);
}

/** Runs a command of the palette by its title. */
async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().click({ timeout: 10_000 });
}

/** The whole text of the active terminal (select all, copy, read the clipboard). */
async function terminalText(page: Page): Promise<string> {
  await writeClipboard(page, '');
  await palette(page, 'Terminal: Select All');
  await palette(page, 'Terminal: Copy Selection');
  return readClipboard(page);
}

async function waitForTerminalText(page: Page, what: string, test: (text: string) => boolean): Promise<void> {
  let text = '';
  await waitFor(`the terminal to show ${what}`, async () => test(text = await terminalText(page)), 60_000, 1_000)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; it shows ${JSON.stringify(text.slice(-600))}`); });
}

/** Picks an item of the open quick pick by its label (icons stripped), then waits for the next input. */
async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
  await row.click({ timeout: 15_000 });
}

/** Types into the open input box and accepts it. */
async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

async function containerNamed(fx: Fixture, name: string): Promise<CtrContainer | undefined> {
  return (await ctrContainers(ctrOf(fx), fx.facts.namespace)).find((c) => c.name === name);
}

async function imageRow(page: Page, fx: Fixture): Promise<ReturnType<typeof treeRow>> {
  await chooseNamespace(page, fx.facts.namespace);
  await expandRows(page, 'Images', ['busybox']);
  const tag = fx.facts.image.name.slice(fx.facts.image.name.lastIndexOf(':') + 1);
  return treeRow(page, 'Images', tag, 2);
}

/** Run… from the image's menu, filled in the form; then logs, a shell, stop and remove from the container's row. */
async function runThenManage(page: Page, fx: Fixture): Promise<void> {
  const name = `served-${Date.now().toString(36)}`;
  const marker = `hello-from-${name}`;
  await runFromContextMenu(page, await imageRow(page, fx), 'Run…');
  await pick(page, 'Name');
  await answer(page, name);
  await pick(page, 'Network');
  await answer(page, 'none');
  await pick(page, 'Command');
  await answer(page, JSON.stringify(['sh', '-c', `echo ${marker}; while true; do sleep 1; done`]));
  await screenshot(page, 'run-form.png');
  await pick(page, 'Run');
  await waitFor(`ctr to list ${name} running`, async () => (await containerNamed(fx, name))?.state === 'Running', 60_000, 500);
  await settle(page, 'Containers', `${name} running`, (s) => (s.descriptions[s.rows.indexOf(name)] ?? '').startsWith('Running'), 30_000);

  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Show Logs');
  await waitForTerminalText(page, `the log line ${marker}`, (text) => text.includes(marker));
  await screenshot(page, 'container-logs.png');

  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Attach Shell');
  await waitForTerminalText(page, 'busybox sh\'s prompt', (text) => text.includes('/ #'));
  await page.keyboard.type('echo answer-$((6*7))');
  await page.keyboard.press('Enter');
  await waitForTerminalText(page, 'the shell\'s answer-42', (text) => text.includes('answer-42'));

  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Stop');
  await waitFor(`ctr to show ${name} stopped`, async () => (await containerNamed(fx, name))?.state === 'Stopped', 60_000, 500);
  const id = (await containerNamed(fx, name))?.id ?? '?';
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Containers', name), command: 'Remove Container…', confirm: 'Remove Container', screenshot: 'confirm-remove-container.png',
    says: [`Remove container ${name}?`, id.slice(0, 12), `namespace "${fx.facts.namespace}"`, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await containerNamed(fx, name)) !== undefined,
    done: async () => (await containerNamed(fx, name)) === undefined,
  });
}

/** Run Interactive: a shell in a terminal, and --rm: typing exit removes the container. */
async function runInteractive(page: Page, fx: Fixture): Promise<void> {
  const before = new Set((await ctrContainers(ctrOf(fx), fx.facts.namespace)).map((c) => c.id));
  await runFromContextMenu(page, await imageRow(page, fx), 'Run Interactive');
  const started = await waitFor('ctr to list the new interactive container running', async () =>
    (await ctrContainers(ctrOf(fx), fx.facts.namespace)).find((c) => !before.has(c.id) && c.state === 'Running'), 60_000, 500);
  await waitForTerminalText(page, 'busybox sh\'s prompt', (text) => text.includes('/ #'));
  await page.keyboard.type('exit');
  await page.keyboard.press('Enter');
  await waitFor(`ctr to drop ${started.id} (--rm)`, async () => !(await ctrContainers(ctrOf(fx), fx.facts.namespace)).some((c) => c.id === started.id), 60_000, 500);
}

/** Tag… from an image's menu: ctr lists the new name at the same index digest. */
async function tagImage(page: Page, fx: Fixture): Promise<void> {
  const tagged = `registry.example:5000/team/busybox:e2e-${Date.now().toString(36)}`;
  await runFromContextMenu(page, await imageRow(page, fx), 'Tag…');
  await answer(page, tagged);
  const digestOf = async (name: string): Promise<string | undefined> => (await ctrImages(ctrOf(fx), fx.facts.namespace)).find((i) => i.name === name)?.digest;
  await waitFor(`ctr to list ${tagged}`, async () => (await digestOf(tagged)) !== undefined, 60_000, 500);
  if ((await digestOf(tagged)) !== fx.facts.image.digest) throw new Error(`${tagged} points at ${await digestOf(tagged)}, not ${fx.facts.image.digest}`);
  await expandRows(page, 'Images', ['registry.example:5000/team/busybox']);
  await settle(page, 'Images', `the tag ${tagged}`, (s) => s.rows.includes(tagged.slice(tagged.lastIndexOf(':') + 1)), 30_000);
}

export function nerdctlChecks(fx: Fixture): PageCheck[] {
  return [
    { title: 'UI: Tag… on an image row makes the new name point at the same index (ctr), and the Images view shows it', run: (page) => tagImage(page, fx) },
    { title: 'UI: Run… (form) then Show Logs, Attach Shell, Stop and Remove Container… on the real nerdctl (ctr and the terminal judge)', run: (page) => runThenManage(page, fx) },
    { title: 'UI: Run Interactive opens a shell in a terminal; exit removes the --rm container (ctr)', run: (page) => runInteractive(page, fx) },
  ];
}
