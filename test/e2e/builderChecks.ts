// The Builders view in the page, with the e2e buildkitd (the user's containerd.buildkit.host) and
// `buildctl debug workers` / `buildctl du`, run by the test itself, as the judges: the builder row
// with its worker's platforms; Prune Build Cache… names the records it removes, Cancel keeps them,
// and confirmed exactly those go while a build made after the preview keeps its records.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { collapseView, expandView, openViewContainer, openWorkbench, readTreeView, type TreeViewState } from '../harness/browser';
import { loadComponents } from '../harness/components';
import { waitFor } from '../harness/waitFor';
import { runProcess } from '../../src/process/runner';
import { screenshot, settle, type PageCheck } from './explorerPage';
import { makeWorkspace, message, repo, type Fixture } from './fixture';
import { paneDescription, pressModalButton, readModal, runFromContextMenu, toastTexts, treeRow, type ModalText } from './workbenchUi';

interface DuRecord { readonly id: string; readonly inUse: boolean; readonly shared: boolean }

async function du(fx: Fixture): Promise<DuRecord[]> {
  const answer = await fx.buildkitd.buildctl(['du', '--format', '{{json .}}']);
  if (answer.exitCode !== 0) throw new Error(`buildctl du failed: ${answer.stderr}`);
  return (JSON.parse(answer.stdout) as DuRecord[] | null) ?? [];
}

/** The ids in the cache once no build holds any (buildctl build returns before buildkitd lets go). */
async function settledIds(fx: Fixture): Promise<string[]> {
  const records = await waitFor('buildctl du to show no record in use', async () => {
    const all = await du(fx);
    return all.some((r) => r.inUse) ? undefined : all;
  }, 30_000, 250);
  return records.map((r) => r.id).sort();
}

/** A cache-only build FROM scratch (no image, so no layer shared with containerd): `file` copied in, then a RUN. */
async function build(fx: Fixture, name: string, file: string): Promise<void> {
  const context = join(fx.scratch, `builders-${name}`);
  mkdirSync(context, { recursive: true });
  copyFileSync(file, join(context, 'payload'));
  writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY payload /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "echo ${name} > /${name}"]\n`);
  const result = await fx.buildkitd.buildctl(['build', '--frontend', 'dockerfile.v0', '--local', `context=${context}`, '--local', `dockerfile=${context}`, '--progress=plain']);
  if (result.exitCode !== 0) throw new Error(`buildctl build ${name} failed: ${result.stderr.slice(-800)}`);
}

async function workerPlatforms(fx: Fixture): Promise<string> {
  const answer = await fx.buildkitd.buildctl(['debug', 'workers', '--format', '{{json .}}']);
  const [worker] = JSON.parse(answer.stdout) as { platforms: { os: string; architecture: string; variant?: string }[] }[];
  return (worker?.platforms ?? []).map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(', ');
}

async function showsBuilder(page: Page, fx: Fixture): Promise<void> {
  const platforms = await workerPlatforms(fx);
  if (!platforms.includes('linux/amd64') || !platforms.includes('linux/arm64')) throw new Error(`buildctl says the worker has [${platforms}]`);
  await expandView(page, 'Builders');
  await settle(page, 'Builders', `${fx.buildkitd.address} reachable with a worker for [${platforms}]`, (s) => {
    const builder = s.rows.indexOf(fx.buildkitd.address);
    return builder >= 0 && (s.descriptions[builder] ?? '').startsWith('BuildKit v0.32.2 · 1 worker')
      && s.descriptions.some((d, i) => s.levels[i] === 2 && d === platforms)
      && s.rows.some((r, i) => r === 'Build cache' && s.levels[i] === 2);
  });
  await screenshot(page, 'builders-view.png', 'Builders');
}

/** Opens Prune Build Cache… from the builder row's context menu; the dialog must name exactly `ids`. */
async function openPrune(page: Page, fx: Fixture, ids: readonly string[]): Promise<ModalText> {
  await runFromContextMenu(page, treeRow(page, 'Builders', fx.buildkitd.address, 1), 'Prune Build Cache…');
  const modal = await readModal(page, 30_000);
  const text = `${modal.message}\n${modal.detail}`;
  const count = `${ids.length} build cache record${ids.length === 1 ? '' : 's'}`;
  if (!modal.message.startsWith(`Prune ${count} (`) || !modal.message.endsWith(`from buildkitd at ${fx.buildkitd.address}?`)) throw new Error(`the dialog does not say it prunes ${count} from ${fx.buildkitd.address}: ${modal.message}`);
  const missing = ids.filter((id) => !text.includes(id));
  if (missing.length > 0) throw new Error(`the dialog does not name [${missing.join(', ')}]: ${text}`);
  if (!text.includes('A record created after this preview stays')) throw new Error(`the dialog does not say what the filter leaves: ${modal.detail}`);
  const confirm = `Prune ${ids.length} Record${ids.length === 1 ? '' : 's'}`;
  if (!modal.buttons.includes('Cancel') || !modal.buttons.includes(confirm)) throw new Error(`the dialog offers [${modal.buttons.join(', ')}], expected Cancel and ${confirm}`);
  return modal;
}

async function pruneCache(page: Page, fx: Fixture): Promise<void> {
  const { busybox } = loadComponents();
  // A known cache: whatever earlier checks built goes first (the oracle's own prune), then one build.
  await fx.buildkitd.buildctl(['prune', '--all']);
  await build(fx, 'previewed', busybox.amd64);
  const previewed = await settledIds(fx);
  if (previewed.length < 2) throw new Error(`the build left ${previewed.length} cache records`);
  await expandView(page, 'Builders');
  try {
    await openPrune(page, fx, previewed);
    await screenshot(page, 'builders-prune-confirm.png');
    await pressModalButton(page, 'Cancel');
    if ((await settledIds(fx)).join(',') !== previewed.join(',')) throw new Error('Cancel changed the build cache per buildctl du');

    await openPrune(page, fx, previewed);
    // Something newer, between the preview and the confirmation: it must stay.
    await build(fx, 'newer', busybox.arm64);
    const newer = (await settledIds(fx)).filter((id) => !previewed.includes(id));
    if (newer.length === 0) throw new Error('the second build added no cache record');
    await pressModalButton(page, `Prune ${previewed.length} Records`);
    const left = await waitFor('buildctl du to lose the previewed records', async () => {
      const ids = (await du(fx)).map((r) => r.id).sort();
      return ids.some((id) => previewed.includes(id)) ? undefined : ids;
    }, 60_000, 250);
    if (left.join(',') !== newer.join(',')) throw new Error(`after the prune buildctl du lists [${left.join(', ')}], expected exactly the newer build's [${newer.join(', ')}]`);
    const toast = await waitFor('a notification saying what was pruned', async () => (await toastTexts(page)).find((t) => t.startsWith('Pruned ')), 30_000, 100);
    if (!toast.includes(`Pruned ${previewed.length} build cache records`)) throw new Error(`the notification says ${JSON.stringify(toast)}`);
    await settle(page, 'Builders', `the cache with the newer build's ${newer.length} records`, (s) => s.descriptions.some((d, i) => s.rows[i] === 'Build cache' && d.startsWith(`${newer.length} records · `)), 30_000);
    await screenshot(page, 'builders-pruned.png', 'Builders');
  } finally {
    await collapseView(page, 'Builders');
  }
}

export function builderChecks(fx: Fixture): PageCheck[] {
  return [
    { title: 'UI: the Builders view shows the e2e buildkitd, reachable, with its worker\'s platforms (buildctl debug workers) and its build cache', run: (page) => showsBuilder(page, fx) },
    {
      title: 'UI: Prune Build Cache… on the builder row names the records it removes; Cancel keeps them, confirmed exactly those go while a build made after the preview stays (buildctl du)',
      run: (page) => pruneCache(page, fx),
    },
  ];
}

/**
 * A workspace whose containerd.buildkit.host names a socket nothing listens on: the Builders view
 * is empty, its welcome says the setting's address does not answer and offers the setting, its header
 * names the address and why; set to the e2e buildkitd's address, the builder appears.
 */
export async function checkBuildersWelcome(fx: Fixture): Promise<void> {
  // A socket file nothing listens on, as a crashed buildkitd leaves it: there is something to ask, and it does not answer.
  const stale = join(fx.scratch, 'stale-buildkitd.sock');
  const bound = await runProcess({ file: 'python3', args: ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', stale] });
  if (bound.exitCode !== 0) throw new Error(`could not leave a stale socket at ${stale}: ${bound.stderr}`);
  const missing = `unix://${stale}`;
  const folder = makeWorkspace(fx.scratch, fx.daemon.socket, 'builders-unreachable');
  const settingsFile = join(folder, '.vscode', 'settings.json');
  const settings = (host: string): string => `${JSON.stringify({ 'containerd.address': fx.daemon.socket, 'containerd.discovery.enabled': false, 'containerd.buildkit.host': host }, null, 2)}\n`;
  writeFileSync(settingsFile, settings(missing));
  const server = fx.codeServer;
  const workbench = await openWorkbench(fx.browser, server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(repo)]], folder));
  const page = workbench.page;
  try {
    await openViewContainer(page, 'containerd');
    await expandView(page, 'Builders');
    let state: TreeViewState | undefined;
    await waitFor('the Builders welcome for an unreachable containerd.buildkit.host', async () => {
      state = await readTreeView(page, 'Builders');
      return state?.welcome?.includes('No buildkitd answers at the address in the containerd.buildkit.host setting');
    }, 90_000, 250).catch((error: unknown) => { throw new Error(`${message(error)}: rows [${state?.rows.join(', ')}], welcome ${JSON.stringify(state?.welcome)}`); });
    const description = await paneDescription(page, 'Builders');
    if (!description.startsWith(`looked at ${missing} (nothing accepts connections at ${stale}`)) throw new Error(`the Builders header says ${JSON.stringify(description)}, not where it looked (${missing})`);
    const labels = (await page.locator('.pane').filter({ has: page.locator('.pane-header[aria-label^="Builders "]') }).locator('.welcome-view-content .monaco-button').allInnerTexts()).map((t) => t.trim());
    if (!labels.includes('Set BuildKit Host') || !labels.includes('Refresh')) throw new Error(`welcome buttons are [${labels.join(', ')}], expected Set BuildKit Host and Refresh`);
    await screenshot(page, 'builders-welcome.png');
    writeFileSync(settingsFile, settings(fx.buildkitd.address));
    await settle(page, 'Builders', `${fx.buildkitd.address} once the setting names it`, (s) => s.rows.includes(fx.buildkitd.address) && !s.welcome);
    if ((await paneDescription(page, 'Builders')) !== '') throw new Error('the header still says where it looked after a builder answered');
  } finally {
    await workbench.close();
  }
}
