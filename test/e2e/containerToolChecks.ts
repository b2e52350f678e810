// Container commands that reach past nerdctl's run/exec/logs: Kubernetes' logs through crictl,
// files in and out with nerdctl cp (through code-server's own open dialog), and a live
// nerdctl stats. Each is judged by the daemon's side (ctr, /proc/<pid>/root) or the terminal.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../harness/waitFor';
import { ctrTasks } from './ctrOracle';
import { chooseNamespace, screenshot, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import type { RowFacts } from './rowFixtures';
import { answer, chooseInOpenDialog, expandRows, killActiveTerminal, runFromContextMenu, terminalText, treeRow, waitForTerminalText } from './workbenchUi';

/** The running api container's root as the host sees it: the oracle of what is inside. */
async function apiRoot(fx: Fixture): Promise<string> {
  const { id } = fx.facts.containers.api;
  const task = (await ctrTasks((args) => fx.daemon.ctr(args), fx.facts.namespace)).get(id);
  if (task?.status !== 'RUNNING') throw new Error(`ctr does not report ${id} running: ${JSON.stringify(task)}`);
  return `/proc/${task.pid}/root`;
}

/** Show Logs on a workload of the real pod: crictl finds the log file the pod config named. */
async function criLogs(page: Page, rows: RowFacts): Promise<void> {
  await chooseNamespace(page, rows.podNamespace);
  await expandRows(page, 'Containers', ['web-0']);
  await runFromContextMenu(page, treeRow(page, 'Containers', 'sidecar', 2), 'Show Logs');
  let shown = '';
  await waitForTerminalText(page, `the sidecar's log line ${rows.podLogLine}`, (text) => (shown = text.replace(/\n/g, '')).includes(rows.podLogLine));
  // No /etc/crictl.yaml here: crictl runs with an empty config instead of warning that it is missing.
  if (shown.includes('does not exist, trying next')) throw new Error(`crictl warned about its missing config: ${shown.slice(0, 300)}`);
  await screenshot(page, 'cri-logs-terminal.png');
}

/** Copy Files Into Container…: a workspace file, picked in the dialog, lands in the container's /tmp. */
async function copyInto(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const name = `into-${Date.now().toString(36)}.txt`;
  const text = `copied in by the e2e check ${name}\n`;
  writeFileSync(join(fx.folder, name), text);
  await runFromContextMenu(page, treeRow(page, 'Containers', fx.facts.containers.api.name), 'Copy Files Into Container…');
  await chooseInOpenDialog(page, join(fx.folder, name), 'Copy Into Container', `Copy into container ${fx.facts.containers.api.name}`);
  await answer(page, '/tmp/');
  const inside = join(await apiRoot(fx), 'tmp', name);
  await waitFor(`${inside} to hold the file's text`, () => existsSync(inside) && readFileSync(inside, 'utf8') === text, 60_000, 500);
}

/** Copy From Container…: a file made inside the container lands in a folder picked in the dialog. */
async function copyFrom(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const name = `from-${Date.now().toString(36)}.txt`;
  const text = `made inside the container for ${name}\n`;
  writeFileSync(join(await apiRoot(fx), 'tmp', name), text);
  const target = join(fx.folder, `copied-${name.replace(/\.txt$/, '')}`);
  mkdirSync(target);
  await runFromContextMenu(page, treeRow(page, 'Containers', fx.facts.containers.api.name), 'Copy From Container…');
  await answer(page, `/tmp/${name}`);
  await chooseInOpenDialog(page, target, 'Copy Here', `Copy /tmp/${name} from ${fx.facts.containers.api.name} into this folder`);
  const landed = join(target, name);
  await waitFor(`${landed} to hold the container file's text`, () => existsSync(landed) && readFileSync(landed, 'utf8') === text, 60_000, 500);
}

/**
 * Watch Stats: nerdctl stats streams a row for the container (its id cut to 12, as nerdctl prints
 * it). The terminal is killed after: a terminal redrawing every second slows the page for the
 * checks after this one.
 */
async function watchStats(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const { id, name } = fx.facts.containers.api;
  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Watch Stats (nerdctl stats)');
  try {
    await waitForTerminalText(page, `a stats row for ${id.slice(0, 12)}`, (text) => text.includes('CONTAINER ID')
      && text.split('\n').some((line) => line.startsWith(id.slice(0, 12)) && line.includes('%')));
    await screenshot(page, 'stats-terminal.png');
  } finally {
    await killActiveTerminal(page);
  }
  if ((await terminalText(page)).includes('CONTAINER ID')) throw new Error('the stats terminal is still on screen after Kill Terminal');
}

export function containerToolChecks(fx: Fixture, rows: () => Promise<RowFacts>): PageCheck[] {
  return [
    { title: 'UI: Show Logs on a Kubernetes pod\'s container (real CRI pod) shows its log line through crictl', run: async (page) => criLogs(page, await rows()) },
    { title: 'UI: Copy Files Into Container… puts a file picked in the open dialog into the container\'s /tmp (/proc/<pid>/root)', run: (page) => copyInto(page, fx) },
    { title: 'UI: Copy From Container… brings a file made inside the container into the folder picked in the dialog', run: (page) => copyFrom(page, fx) },
    { title: 'UI: Watch Stats streams nerdctl stats rows for the container; its terminal closes after', run: (page) => watchStats(page, fx) },
  ];
}
