// nerdctl workflows in the page, on the real nerdctl: each command starts from a row's menu, opens
// a terminal, and its effect is judged by ctr (the container exists, runs, stops, is gone) or by
// what the terminal shows (the container's log line, a shell's answer).
import type { Page } from 'playwright-core';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadComponents } from '../harness/components';
import { nerdctlFor } from '../harness/nerdctlEnv';
import { waitFor } from '../harness/waitFor';
import { cancelThenConfirm } from './confirmChecks';
import { ctrContainers, ctrImages, type Ctr, type CtrContainer } from './ctrOracle';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import { dropNamespace, type Fixture } from './fixture';
import { answer, clickViewAction, expandRows, paneDescription, pick, runFromContextMenu, treeRow, waitForTerminalText } from './workbenchUi';

function ctrOf(fx: Fixture): Ctr {
  return (args) => fx.daemon.ctr(args);
}

export async function containerNamed(fx: Fixture, name: string): Promise<CtrContainer | undefined> {
  return (await ctrContainers(ctrOf(fx), fx.facts.namespace)).find((c) => c.name === name);
}

export async function imageRow(page: Page, fx: Fixture): Promise<ReturnType<typeof treeRow>> {
  await chooseNamespace(page, fx.facts.namespace);
  await expandRows(page, 'Images', ['busybox']);
  const tag = fx.facts.image.name.slice(fx.facts.image.name.lastIndexOf(':') + 1);
  return treeRow(page, 'Images', tag, 2);
}

/** Takes a container a failed check left behind away with ctr, so later checks see the rows they expect. */
async function removeLeftovers(fx: Fixture, keep: ReadonlySet<string>): Promise<void> {
  const ns = ['--namespace', fx.facts.namespace];
  for (const c of await ctrContainers(ctrOf(fx), fx.facts.namespace)) {
    if (keep.has(c.id)) continue;
    await fx.daemon.ctr([...ns, 'tasks', 'kill', '--signal', 'SIGKILL', c.id]).catch(() => undefined);
    await waitFor(`${c.id}'s task to stop`, async () => (await ctrContainers(ctrOf(fx), fx.facts.namespace)).find((x) => x.id === c.id)?.state !== 'Running', 10_000, 200).catch(() => undefined);
    await fx.daemon.ctr([...ns, 'tasks', 'delete', '--force', c.id]).catch(() => undefined);
    await fx.daemon.ctr([...ns, 'containers', 'delete', c.id]).catch(() => undefined);
  }
}

/** Runs a check and, pass or fail, removes the containers it made. */
export async function leavingNoContainers(fx: Fixture, body: () => Promise<void>): Promise<void> {
  const before = new Set((await ctrContainers(ctrOf(fx), fx.facts.namespace)).map((c) => c.id));
  try {
    await body();
  } finally {
    await removeLeftovers(fx, before);
  }
}

/** Opens Run… from the image's menu and names the container, on network none (see runInteractive). */
async function openRunForm(page: Page, fx: Fixture, name: string): Promise<void> {
  await runFromContextMenu(page, await imageRow(page, fx), 'Run…');
  await pick(page, 'Name');
  await answer(page, name);
  await pick(page, 'Network');
  await answer(page, 'none');
}

/** Run… from the image's menu, filled in the form; then logs, a shell, stop and remove from the container's row. */
async function runThenManage(page: Page, fx: Fixture): Promise<void> {
  const name = `served-${Date.now().toString(36)}`;
  const marker = `hello-from-${name}`;
  await openRunForm(page, fx, name);
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
  // The row repaints when the exit event arrives, closing a menu opened just before it.
  await settle(page, 'Containers', `${name} stopped`, (s) => (s.descriptions[s.rows.indexOf(name)] ?? '').startsWith('Stopped'), 30_000);
  const id = (await containerNamed(fx, name))?.id ?? '?';
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Containers', name), command: 'Remove Container…', confirm: 'Remove Container', screenshot: 'confirm-remove-container.png',
    says: [`Remove container ${name}?`, id.slice(0, 12), `namespace "${fx.facts.namespace}"`, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await containerNamed(fx, name)) !== undefined,
    done: async () => (await containerNamed(fx, name)) === undefined,
  });
}

/**
 * The form's interactive mode with --rm: a shell in the terminal; typing exit removes the container.
 * (Network none: nerdctl's default bridge, nerdctl0 on 10.4.0.0/24, is host-global, and a test's
 * private CNI config dir collides with the one an earlier run left on the machine.)
 */
async function runInteractive(page: Page, fx: Fixture): Promise<void> {
  const name = `shell-${Date.now().toString(36)}`;
  await openRunForm(page, fx, name);
  await pick(page, 'Mode');
  await pick(page, 'Remove when it exits');
  await pick(page, 'Run');
  await waitFor(`ctr to list ${name} running`, async () => (await containerNamed(fx, name))?.state === 'Running', 60_000, 500);
  await waitForTerminalText(page, 'busybox sh\'s prompt', (text) => text.includes('/ #'));
  await page.keyboard.type('exit');
  await page.keyboard.press('Enter');
  await waitFor(`ctr to drop ${name} (--rm)`, async () => (await containerNamed(fx, name)) === undefined, 60_000, 500);
}

/** Run… then Save as Task…: tasks.json holds a process task with the exact argv, and nothing ran (ctr). */
async function saveRunAsTask(page: Page, fx: Fixture): Promise<void> {
  const name = `tasked-${Date.now().toString(36)}`;
  const label = `nerdctl run ${name}`;
  await openRunForm(page, fx, name);
  await pick(page, 'Command');
  await answer(page, JSON.stringify(['sleep', '600']));
  await pick(page, 'Save as Task…');
  const file = join(fx.folder, '.vscode', 'tasks.json');
  const saved = await waitFor(`${file} to hold the task "${label}"`, () => {
    if (!existsSync(file)) return undefined;
    const tasks = (JSON.parse(readFileSync(file, 'utf8')) as { tasks?: { label?: string; type?: string; command?: string; args?: string[] }[] }).tasks ?? [];
    return tasks.find((t) => t.label === label);
  }, 30_000, 250);
  const args = saved.args ?? [];
  if (saved.type !== 'process' || saved.command !== fx.nerdctl.bin || !args.includes(`--name=${name}`) || !args.includes('--network=none') || args.slice(args.indexOf('--') + 1).join(' ') !== `${fx.facts.image.name} sleep 600`) {
    throw new Error(`the saved task is not the run's exact process: ${JSON.stringify(saved)}`);
  }
  // Nothing ran: saving is not running.
  if ((await containerNamed(fx, name)) !== undefined) throw new Error(`saving the run as a task started ${name}`);
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

/** Two rows selected (click, then Ctrl+click), one Remove: the dialog names both, ctr loses both and nothing else. */
async function removeTwo(page: Page, fx: Fixture): Promise<void> {
  const nerdctl = nerdctlFor(fx.daemon, loadComponents());
  const names = [`pair-a-${Date.now().toString(36)}`, `pair-b-${Date.now().toString(36)}`];
  for (const name of names) {
    await promisify(execFile)(nerdctl.bin, ['--address', fx.daemon.socket, '--namespace', fx.facts.namespace, 'create', `--name=${name}`, '--network=none', '--', fx.facts.image.name], { env: nerdctl.env });
  }
  const others = (await ctrContainers(ctrOf(fx), fx.facts.namespace)).filter((c) => !names.includes(c.name)).map((c) => c.id);
  await chooseNamespace(page, fx.facts.namespace);
  await settle(page, 'Containers', `${names.join(' and ')}`, (s) => names.every((n) => s.rows.includes(n)), 30_000);
  const [first = '', second = ''] = names;
  await treeRow(page, 'Containers', first).click();
  await treeRow(page, 'Containers', second).click({ modifiers: ['Control'] });
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Containers', second), command: 'Remove Container…', confirm: 'Remove 2 Containers', screenshot: 'confirm-remove-two.png',
    says: ['Remove 2 containers?', first, second, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await Promise.all(names.map((n) => containerNamed(fx, n)))).every(Boolean),
    done: async () => (await Promise.all(names.map((n) => containerNamed(fx, n)))).every((c) => c === undefined),
  });
  const left = (await ctrContainers(ctrOf(fx), fx.facts.namespace)).map((c) => c.id);
  if (!others.every((id) => left.includes(id))) throw new Error(`removing the two selected containers took others with them: ctr lists [${left.join(', ')}]`);
}

/**
 * Copy to Namespace or Endpoint… from an image's menu into a namespace typed in: the terminal
 * says it is done, ctr lists the same index digest with both platforms there, and Show moves the
 * explorer to that namespace, whose Images view lists the image.
 */
async function copyToNamespace(page: Page, fx: Fixture): Promise<void> {
  const namespace = `copied-${Date.now().toString(36)}`;
  try {
    await copyThenShow(page, fx, namespace);
  } finally {
    await chooseNamespace(page, fx.facts.namespace);
    await dropNamespace(fx.daemon, namespace).catch(() => undefined);
  }
}

async function copyThenShow(page: Page, fx: Fixture, namespace: string): Promise<void> {
  await runFromContextMenu(page, await imageRow(page, fx), 'Copy to Namespace or Endpoint…');
  await pick(page, 'Another namespace…');
  await answer(page, namespace);
  // The panel is narrow: xterm wraps long lines, so the rows are joined before matching.
  await waitForTerminalText(page, 'the copy done', (text) => text.replace(/\n/g, '').includes(`Done: ${fx.facts.image.name} is in namespace ${namespace}`));
  await screenshot(page, 'copy-image-terminal.png');
  const copied = (await ctrImages(ctrOf(fx), namespace)).find((i) => i.name === fx.facts.image.name);
  if (copied?.digest !== fx.facts.image.digest) throw new Error(`ctr lists ${fx.facts.image.name} in ${namespace} at ${copied?.digest ?? 'nothing'}, not ${fx.facts.image.digest}`);
  if (copied.platforms.join(',') !== fx.facts.image.platforms.join(',')) throw new Error(`the copy has platforms ${copied.platforms.join(',')}, not ${fx.facts.image.platforms.join(',')}`);
  const toast = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: `Copied ${fx.facts.image.name} to namespace "${namespace}"` });
  await toast.getByRole('button', { name: 'Show' }).click({ timeout: 15_000 });
  await settle(page, 'Images', `${namespace}'s busybox`, (s) => s.rows.some((r) => r.startsWith('docker.io/library/busybox') || r === 'busybox'), 30_000);
  await waitFor(`the Images view to say it shows ${namespace}`, async () => (await paneDescription(page, 'Images')).includes(namespace), 15_000, 250);
}

/**
 * Prune Stopped Containers… from the Containers view's title, in a namespace of its own: the
 * dialog names the two stopped containers; Cancel keeps them; confirmed, exactly those go and the
 * running one stays (ctr).
 */
async function pruneStopped(page: Page, fx: Fixture): Promise<void> {
  const namespace = `prune-${Date.now().toString(36)}`;
  const archive = join(tmpdir(), `${namespace}.tar`);
  await fx.daemon.ctr(['--namespace', fx.facts.namespace, 'images', 'export', '--all-platforms', archive, fx.facts.image.name]);
  await fx.daemon.ctr(['--namespace', namespace, 'images', 'import', '--all-platforms', archive]);
  rmSync(archive, { force: true });
  const nerdctl = nerdctlFor(fx.daemon, loadComponents());
  const run = (args: readonly string[]): Promise<unknown> => promisify(execFile)(nerdctl.bin, ['--address', fx.daemon.socket, '--namespace', namespace, ...args], { env: nerdctl.env });
  const names = async (): Promise<string[]> => (await ctrContainers(ctrOf(fx), namespace)).map((c) => c.name).sort();
  try {
    for (const name of ['old-a', 'old-b']) await run(['create', `--name=${name}`, '--network=none', '--', fx.facts.image.name]);
    await run(['run', '--detach', '--name=keeper', '--network=none', '--', fx.facts.image.name, 'sleep', '300']);
    await chooseNamespace(page, namespace);
    await settle(page, 'Containers', 'old-a, old-b and keeper', (s) => ['old-a', 'old-b', 'keeper'].every((n) => s.rows.includes(n)), 30_000);
    await cancelThenConfirm(page, {
      command: 'Prune Stopped Containers…', open: () => clickViewAction(page, 'Containers', 'Prune Stopped Containers…'),
      confirm: 'Remove 2 Containers', screenshot: 'confirm-prune-containers.png',
      says: ['Remove 2 stopped containers', `namespace "${namespace}"`, 'old-a', 'old-b', 'never started', 'A container created or started meanwhile stays'],
      intact: async () => (await names()).join(',') === 'keeper,old-a,old-b',
      done: async () => (await names()).join(',') === 'keeper',
    });
  } finally {
    await run(['rm', '--force', '--', 'keeper', 'old-a', 'old-b']).catch(() => undefined);
    await chooseNamespace(page, fx.facts.namespace);
    await dropNamespace(fx.daemon, namespace).catch(() => undefined);
  }
}

export function nerdctlChecks(fx: Fixture): PageCheck[] {
  return [
    { title: 'UI: Remove Container… on two selected rows names both and removes exactly those two (ctr)', run: (page) => leavingNoContainers(fx, () => removeTwo(page, fx)) },
    { title: 'UI: Tag… on an image row makes the new name point at the same index (ctr), and the Images view shows it', run: (page) => tagImage(page, fx) },
    { title: 'UI: Run… (form) then Show Logs, Attach Shell, Stop and Remove Container… on the real nerdctl (ctr and the terminal judge)', run: (page) => leavingNoContainers(fx, () => runThenManage(page, fx)) },
    { title: 'UI: Run… then Save as Task… writes a process task with the exact argv to tasks.json and runs nothing (ctr)', run: (page) => leavingNoContainers(fx, () => saveRunAsTask(page, fx)) },
    { title: 'UI: Run… interactive with --rm opens a shell in a terminal; exit removes the container (ctr)', run: (page) => leavingNoContainers(fx, () => runInteractive(page, fx)) },
    { title: 'UI: Prune Stopped Containers… names the stopped ones; Cancel keeps them, confirmed exactly those go and the running one stays (ctr)', run: (page) => pruneStopped(page, fx) },
    { title: 'UI: Copy to Namespace or Endpoint… puts the same index with both platforms in a new namespace (ctr); Show moves the explorer there', run: (page) => copyToNamespace(page, fx) },
  ];
}
