// Private registry workflows in the page, on the real nerdctl and a real TLS registry: Log In to
// Registry… from an image row (refused with the fix while the CA is not trusted, then accepted),
// Push of every platform (judged by the registry's own answer: the same index digest), and Log
// Out of Registry… from the palette (judged by the credentials file).
import type { Page } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { loggedInRegistries } from '../../src/nerdctl/registry';
import { waitFor } from '../harness/waitFor';
import { chooseNamespace, screenshot, type PageCheck } from './explorerPage';
import { dropNamespace, type Fixture } from './fixture';
import { ctrImages } from './ctrOracle';
import { answer, clearNotifications, clickViewAction, expandRows, pick, runFromContextMenu, runFromPalette, toastTexts, treeRow } from './workbenchUi';

const repository = 'team/busybox';
const tag = 'e2e-push';

function credentials(fx: Fixture): string[] {
  const file = join(fx.nerdctl.dockerConfig, 'config.json');
  return existsSync(file) ? loggedInRegistries(readFileSync(file, 'utf8')) : [];
}

/** The registry's own answer: the digest it serves for a tag (an index stays an index), or its status. */
function servedDigest(fx: Fixture): Promise<string> {
  const { registry } = fx;
  return new Promise((resolve, reject) => {
    const request = https.get(`https://${registry.host}/v2/${repository}/manifests/${tag}`, {
      ca: readFileSync(registry.caFile),
      auth: `${registry.username}:${registry.password}`,
      headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
    }, (response) => {
      response.resume();
      resolve(String(response.headers['docker-content-digest'] ?? `HTTP ${response.statusCode ?? '?'}`));
    });
    request.on('error', reject);
  });
}

async function waitForToast(page: Page, what: string, test: (text: string) => boolean): Promise<string> {
  let seen: string[] = [];
  return waitFor(`a notification ${what}`, async () => (seen = await toastTexts(page)).find(test), 60_000, 250)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; the notifications say ${JSON.stringify(seen)}`); });
}

/** The row of the image tagged into the registry (registry/team/busybox, tag e2e-push). */
async function pushedRow(page: Page, fx: Fixture): Promise<ReturnType<typeof treeRow>> {
  await chooseNamespace(page, fx.facts.namespace);
  await expandRows(page, 'Images', [`${fx.registry.host}/${repository}`]);
  return treeRow(page, 'Images', tag, 2);
}

async function logIn(page: Page, fx: Fixture): Promise<void> {
  const { registry } = fx;
  // Toasts of earlier checks (an attached shell's terminal ending with its container) would crowd
  // out the one this login raises.
  await clearNotifications(page);
  await runFromContextMenu(page, await pushedRow(page, fx), 'Log In to Registry…');
  // The registry is prefilled from the image's name.
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await waitFor('the registry prefilled', async () => (await input.inputValue()) === registry.host, 10_000, 100);
  await page.keyboard.press('Enter');
  await answer(page, registry.username, '(2/3)');
  await answer(page, registry.password, '(3/3)');
}

async function loginUntrustedThenTrusted(page: Page, fx: Fixture): Promise<void> {
  const { registry } = fx;
  await fx.daemon.ctr(['--namespace', fx.facts.namespace, 'images', 'tag', fx.facts.image.name, `${registry.host}/${repository}:${tag}`]);
  await logIn(page, fx);
  const refused = await waitForToast(page, 'that the CA is not trusted', (t) => t.includes(`Login to ${registry.host} failed`));
  for (const part of [`containerd does not trust the certificate of ${registry.host}`, `${fx.nerdctl.hostsDir}/${registry.host}/ca.crt`]) {
    if (!refused.includes(part)) throw new Error(`the refusal does not say "${part}": ${refused}`);
  }
  await screenshot(page, 'registry-login-untrusted.png');
  if (credentials(fx).length > 0) throw new Error(`a refused login stored credentials: ${credentials(fx).join(', ')}`);
  registry.trustIn(fx.nerdctl.hostsDir);
  await logIn(page, fx);
  await waitForToast(page, 'that the login worked', (t) => t.includes(`Logged in to ${registry.host} as ${registry.username}`));
  if (!credentials(fx).includes(registry.host)) throw new Error(`the credentials file lists [${credentials(fx).join(', ')}], not ${registry.host}`);
}

async function pushEveryPlatform(page: Page, fx: Fixture): Promise<void> {
  await runFromContextMenu(page, await pushedRow(page, fx), 'Push');
  let served = '';
  await waitFor(`the registry to serve ${fx.facts.image.digest}`, async () => (served = await servedDigest(fx)) === fx.facts.image.digest, 90_000, 1_000)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; it serves ${served}`); });
}

/** Pull Image… from the Images view's title into a new namespace: ctr lists the pushed index there. */
async function pullIntoNamespace(page: Page, fx: Fixture): Promise<void> {
  const namespace = `pulled-${Date.now().toString(36)}`;
  const reference = `${fx.registry.host}/${repository}:${tag}`;
  await fx.daemon.ctr(['namespaces', 'create', namespace]);
  try {
    await chooseNamespace(page, namespace);
    await clickViewAction(page, 'Images', 'Pull Image…');
    await answer(page, reference);
    const pulled = await waitFor(`ctr to list ${reference} in ${namespace}`, async () => (await ctrImages((args) => fx.daemon.ctr(args), namespace)).find((i) => i.name === reference), 90_000, 500);
    if (pulled.digest !== fx.facts.image.digest) throw new Error(`the pulled image is ${pulled.digest}, not the pushed ${fx.facts.image.digest}`);
    await expandRows(page, 'Images', [`${fx.registry.host}/${repository}`]);
  } finally {
    await chooseNamespace(page, fx.facts.namespace);
    await dropNamespace(fx.daemon, namespace).catch(() => undefined);
  }
}

async function logOutFromPalette(page: Page, fx: Fixture): Promise<void> {
  await clearNotifications(page);
  await runFromPalette(page, 'containerd: Log Out of Registry…');
  await pick(page, fx.registry.host);
  await waitForToast(page, 'that the logout worked', (t) => t.includes(`Logged out of ${fx.registry.host}`));
  if (credentials(fx).includes(fx.registry.host)) throw new Error(`the credentials file still lists ${fx.registry.host}`);
}

export function registryChecks(fx: Fixture): PageCheck[] {
  return [
    { title: 'UI: Log In to Registry… on an image row: refused with where the CA goes while it is untrusted; once trusted, the credentials are stored', run: (page) => loginUntrustedThenTrusted(page, fx) },
    { title: 'UI: Push on that row sends every platform: the TLS registry serves the same index digest', run: (page) => pushEveryPlatform(page, fx) },
    { title: 'UI: Pull Image… from the Images view\'s title pulls the pushed image from the TLS registry into a new namespace at the same index digest (ctr)', run: (page) => pullIntoNamespace(page, fx) },
    { title: 'UI: Log Out of Registry… from the palette offers the logged-in registry and removes its credentials', run: (page) => logOutFromPalette(page, fx) },
  ];
}
