// The rest of the container and image commands from their menus, on the real nerdctl, each judged
// by ctr: Start / Pause / Unpause / Restart, Run Interactive on an image, Save as Archive… then
// Load Image Archive… into another namespace, and Prune Dangling Images…
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { waitFor } from '../harness/waitFor';
import { cancelThenConfirm } from './confirmChecks';
import { ctrContainers, ctrImages, ctrTasks, type Ctr } from './ctrOracle';
import { chooseNamespace, settle, type PageCheck } from './explorerPage';
import { dropNamespace, type Fixture } from './fixture';
import { containerNamed, imageRow, leavingNoContainers } from './nerdctlChecks';
import { chooseInOpenDialog, clickViewAction, runFromContextMenu, treeRow, waitForTerminalText } from './workbenchUi';

function ctrOf(fx: Fixture): Ctr {
  return (args) => fx.daemon.ctr(args);
}

async function nerdctl(fx: Fixture, namespace: string, args: readonly string[]): Promise<void> {
  const result = await fx.nerdctl.run(namespace, args);
  if (result.exitCode !== 0) throw new Error(`${result.command}: ${result.stderr}`);
}

/** Picks `item` from the container row's menu, then waits for ctr and the row to say `state`. */
async function lifecycleStep(page: Page, fx: Fixture, name: string, item: string, state: string): Promise<void> {
  await runFromContextMenu(page, treeRow(page, 'Containers', name), item);
  await waitFor(`ctr to show ${name} ${state} after ${item}`, async () => (await containerNamed(fx, name))?.state === state, 60_000, 300);
  await settle(page, 'Containers', `${name} ${state}`, (s) => (s.descriptions[s.rows.indexOf(name)] ?? '').startsWith(state), 30_000);
}

async function startPauseRestart(page: Page, fx: Fixture): Promise<void> {
  const name = `life-${Date.now().toString(36)}`;
  await nerdctl(fx, fx.facts.namespace, ['create', `--name=${name}`, '--network=none', '--', fx.facts.image.name, 'sh', '-c', 'while true; do sleep 1; done']);
  await chooseNamespace(page, fx.facts.namespace);
  await settle(page, 'Containers', `${name} created`, (s) => (s.descriptions[s.rows.indexOf(name)] ?? '').startsWith('Created'));
  await lifecycleStep(page, fx, name, 'Start', 'Running');
  const id = (await containerNamed(fx, name))?.id ?? '';
  const pid = async (): Promise<number | undefined> => (await ctrTasks(ctrOf(fx), fx.facts.namespace)).get(id)?.pid;
  const first = await pid();
  await lifecycleStep(page, fx, name, 'Pause', 'Paused');
  await lifecycleStep(page, fx, name, 'Unpause', 'Running');
  if ((await pid()) !== first) throw new Error(`Pause then Unpause changed the task's pid from ${first} to ${await pid()}`);
  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Restart');
  await waitFor(`ctr to show ${name} running under a new pid (was ${first})`, async () => {
    const now = (await ctrTasks(ctrOf(fx), fx.facts.namespace)).get(id);
    return now?.status === 'RUNNING' && now.pid !== first;
  }, 60_000, 300);
}

/** Run Interactive on an image: a shell with --rm in a terminal; exit removes the container. */
async function runInteractiveFromImage(page: Page, fx: Fixture): Promise<void> {
  const before = new Set((await ctrContainers(ctrOf(fx), fx.facts.namespace)).map((c) => c.id));
  await runFromContextMenu(page, await imageRow(page, fx), 'Run Interactive');
  const started = await waitFor('ctr to list the new container running', async () => (await ctrContainers(ctrOf(fx), fx.facts.namespace)).find((c) => !before.has(c.id) && c.state === 'Running'), 60_000, 500);
  await waitForTerminalText(page, 'busybox sh\'s prompt', (text) => text.includes('/ #'));
  await page.keyboard.type('exit');
  await page.keyboard.press('Enter');
  await waitFor(`ctr to drop ${started.id} (--rm)`, async () => !(await ctrContainers(ctrOf(fx), fx.facts.namespace)).some((c) => c.id === started.id), 60_000, 500);
}

/** Save as Archive… into the workspace, then Load Image Archive… of that file into a new namespace: the same index there. */
async function saveThenLoad(page: Page, fx: Fixture): Promise<void> {
  const archive = join(fx.folder, `saved-${Date.now().toString(36)}.tar`);
  const namespace = `loaded-${Date.now().toString(36)}`;
  try {
    await runFromContextMenu(page, await imageRow(page, fx), 'Save as Archive…');
    // code-server's own save dialog labels its button OK, whatever saveLabel says (desktop VS Code shows it).
    await chooseInOpenDialog(page, archive, 'OK', `Save ${fx.facts.image.name} (all platforms) as a tar archive`);
    // Read as soon as tar can: a half-written archive has no index.json yet (it comes last).
    const saved = await waitFor(`${archive} to hold an index.json`, async () => {
      if (!existsSync(archive)) return undefined;
      const read = await promisify(execFile)('tar', ['-xOf', archive, 'index.json']).catch(() => undefined);
      return read && (JSON.parse(read.stdout) as { manifests?: { digest?: string }[] }).manifests?.map((m) => m.digest);
    }, 60_000, 500);
    if (!saved.includes(fx.facts.image.digest)) throw new Error(`the archive's index.json names [${saved.join(', ')}], not ${fx.facts.image.digest}`);
    await fx.daemon.ctr(['namespaces', 'create', namespace]);
    await chooseNamespace(page, namespace);
    await clickViewAction(page, 'Images', 'Load Image Archive…');
    await chooseInOpenDialog(page, archive, 'Load Archive', `Load an image archive into namespace "${namespace}" of containerd at ${fx.daemon.socket}`);
    const loaded = await waitFor(`ctr to list ${fx.facts.image.name} in ${namespace}`, async () => (await ctrImages(ctrOf(fx), namespace)).find((i) => i.name === fx.facts.image.name), 60_000, 500);
    if (loaded.digest !== fx.facts.image.digest) throw new Error(`the loaded image is ${loaded.digest}, not ${fx.facts.image.digest}`);
    if (loaded.platforms.join(',') !== fx.facts.image.platforms.join(',')) throw new Error(`the loaded image has platforms ${loaded.platforms.join(',')}, not ${fx.facts.image.platforms.join(',')}`);
  } finally {
    rmSync(archive, { force: true });
    await chooseNamespace(page, fx.facts.namespace);
    await dropNamespace(fx.daemon, namespace).catch(() => undefined);
  }
}

/** Prune Dangling Images… in a namespace of its own: exactly the digest-only name goes, the tag stays. */
async function pruneDangling(page: Page, fx: Fixture): Promise<void> {
  const namespace = `prune-images-${Date.now().toString(36)}`;
  const archive = join(fx.scratch, `${namespace}.tar`);
  const dangling = `docker.io/library/busybox@${fx.facts.image.digest}`;
  const names = async (): Promise<string> => (await ctrImages(ctrOf(fx), namespace)).map((i) => i.name).join(',');
  try {
    // Inside the try: a namespace half made must go too, or it lengthens the Namespaces view for every later check.
    await fx.daemon.ctr(['--namespace', fx.facts.namespace, 'images', 'export', '--all-platforms', archive, fx.facts.image.name]);
    await fx.daemon.ctr(['--namespace', namespace, 'images', 'import', '--all-platforms', archive]);
    rmSync(archive, { force: true });
    await fx.daemon.ctr(['--namespace', namespace, 'images', 'tag', fx.facts.image.name, dangling]);
    await chooseNamespace(page, namespace);
    await cancelThenConfirm(page, {
      command: 'Prune Dangling Images…', open: () => clickViewAction(page, 'Images', 'Prune Dangling Images…'),
      confirm: 'Delete 1 Image', screenshot: 'confirm-prune-images.png',
      says: ['Delete 1 dangling image', `namespace "${namespace}"`, dangling, 'Exactly these image records are deleted'],
      intact: async () => (await names()) === [fx.facts.image.name, dangling].sort((a, b) => a.localeCompare(b)).join(','),
      done: async () => (await names()) === fx.facts.image.name,
    });
  } finally {
    await chooseNamespace(page, fx.facts.namespace);
    await dropNamespace(fx.daemon, namespace).catch(() => undefined);
  }
}

export function lifecycleChecks(fx: Fixture): PageCheck[] {
  return [
    { title: 'UI: Start, Pause, Unpause and Restart from a container\'s menu change its task as ctr sees it (Restart: a new pid)', run: (page) => leavingNoContainers(fx, () => startPauseRestart(page, fx)) },
    { title: 'UI: Run Interactive on an image opens a shell in a terminal; exit removes the container (--rm, ctr)', run: (page) => leavingNoContainers(fx, () => runInteractiveFromImage(page, fx)) },
    { title: 'UI: Save as Archive… writes the image index to a tar; Load Image Archive… of it into another namespace gives the same index, both platforms (ctr)', run: (page) => saveThenLoad(page, fx) },
    { title: 'UI: Prune Dangling Images… names the digest-only image; Cancel keeps it, confirmed only it goes and the tag stays (ctr)', run: (page) => pruneDangling(page, fx) },
  ];
}
