// Restricted Mode: the folder's own containerd.address (the private daemon) must be ignored and
// the user's own address used. The user's address is always a path of this run (never the
// machine's default socket), so the outcome does not depend on what runs on the test machine:
// first CONTAINERD_ADDRESS from code-server's environment, then the user setting that
// Set Address… writes (user settings, since the workspace's would be ignored).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openViewContainer, openWorkbench } from '../harness/browser';
import { startCodeServer } from '../harness/codeServer';
import { processCommandLines } from '../harness/processTable';
import { waitFor } from '../harness/waitFor';
import { screenshot, settle } from './explorerPage';
import { message, privateNamespaces, repo, type Fixture } from './fixture';
import { clickViewAction, paneDescription, runFromPalette } from './workbenchUi';

/**
 * The first endpoint is the user's own; discovery may add others beside it (a rootful daemon at
 * the default path, Docker's, k3s): with one endpoint the welcome view explains it and the view's
 * description names its address, with several the first row is it.
 */
async function expectUserEndpoint(page: Page, fx: Fixture, address: string, source: string): Promise<void> {
  await settle(page, 'Namespaces', `${address} (from ${source}) as the endpoint, unreachable`, async (s) => {
    const leaked = s.rows.filter((row) => (privateNamespaces as readonly string[]).includes(row));
    const shown = `${s.welcome ?? ''} ${await paneDescription(page, 'Namespaces')}`;
    if (leaked.length > 0 || shown.includes(fx.daemon.socket)) throw new Error(`Restricted Mode used the workspace's containerd.address: the view shows ${leaked.join(', ') || fx.daemon.socket}`);
    if (s.rows.length > 0) return s.rows[0] === address && s.descriptions[0] === 'no such file';
    const welcome = s.welcome ?? '';
    return (await paneDescription(page, 'Namespaces')) === address && welcome.includes(`Cannot reach containerd at the address in ${source}`) && welcome.includes('No socket exists');
  }, 60_000);
}

async function checkRestrictedPage(page: Page, fx: Fixture, environmentAddress: string, userAddress: string, settingsFile: string): Promise<void> {
  const workspaceSettings = readFileSync(settingsFile, 'utf8');
  await openViewContainer(page, 'containerd');
  await waitFor('the "Restricted Mode" status bar entry', async () => (await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count()) > 0, 30_000, 250)
    .catch(() => { throw new Error('the folder did not open in Restricted Mode (no "Restricted Mode" status bar entry)'); });
  await expectUserEndpoint(page, fx, environmentAddress, 'the CONTAINERD_ADDRESS environment variable');
  await screenshot(page, 'restricted-mode.png');

  await clickViewAction(page, 'Namespaces', 'Set Address…');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(userAddress);
  await page.keyboard.press('Enter');
  await expectUserEndpoint(page, fx, userAddress, 'the containerd.address setting');
  if (readFileSync(settingsFile, 'utf8') !== workspaceSettings) throw new Error('Set Address… in Restricted Mode changed the workspace settings, which Restricted Mode ignores');
  await screenshot(page, 'restricted-mode-user-address.png');
  await tasksNeedTrust(page, fx);
  await debuggingNeedsTrust(page, fx);
}

/**
 * A buildkitd launch configuration of the untrusted folder: starting it runs no dlv (its dlvPath
 * names a program the folder could have put there). Whichever speaks first, VS Code's trust request
 * or the extension's refusal, nothing starts, and Cancel leaves the folder in Restricted Mode.
 */
async function debuggingNeedsTrust(page: Page, fx: Fixture): Promise<void> {
  writeFileSync(join(fx.folder, '.vscode', 'launch.json'), JSON.stringify({
    version: '0.2.0',
    configurations: [{ type: 'buildkitd', request: 'attach', name: 'e2e: untrusted attach', processId: fx.buildkitd.pid, dlvPath: '/bin/true' }],
  }, null, 2));
  const debuggers = (): string[] => processCommandLines().filter((p) => / dap( |$)/.test(p) || p.startsWith('/bin/true'));
  await runFromPalette(page, 'Debug: Start Debugging');
  const dialog = page.locator('.monaco-dialog-box');
  const refusal = page.locator('.notifications-toasts .notification-toast', { hasText: 'buildkitd debugging is off in Restricted Mode' });
  const spoke = await waitFor('a trust request or the extension\'s refusal', async () => {
    if (await dialog.isVisible()) return 'dialog';
    if ((await refusal.count()) > 0) return 'refusal';
    return undefined;
  }, 20_000, 250).catch(() => { throw new Error('Start Debugging in Restricted Mode said nothing'); });
  await screenshot(page, 'restricted-mode-debug-trust.png');
  if (spoke === 'dialog') {
    await dialog.locator('.monaco-button').filter({ hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  if (debuggers().length > 0) throw new Error(`a debugger started in Restricted Mode: ${debuggers().join(' | ')}`);
  if ((await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count()) === 0) throw new Error('starting the debugger trusted the folder');
}

/**
 * A buildkit task of the untrusted folder: VS Code asks for trust before it lists or runs tasks,
 * saying why; Cancel runs nothing (no build client in the process table) and leaves the folder
 * in Restricted Mode.
 */
async function tasksNeedTrust(page: Page, fx: Fixture): Promise<void> {
  writeFileSync(join(fx.folder, '.vscode', 'tasks.json'), JSON.stringify({
    version: '2.0.0',
    tasks: [{ type: 'buildkit', label: 'e2e: untrusted build', file: 'untrusted/Dockerfile', problemMatcher: [] }],
  }, null, 2));
  const clients = (): string[] => processCommandLines().filter((p) => p.includes(fx.buildkitd.address) && p.includes(' build '));
  await runFromPalette(page, 'Tasks: Run Task');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => { throw new Error('Run Task in Restricted Mode asked nothing'); });
  const text = await dialog.innerText();
  if (!text.includes('running tasks requires')) throw new Error(`the trust request does not say tasks need trust: ${JSON.stringify(text)}`);
  await screenshot(page, 'restricted-mode-task-trust.png');
  await dialog.locator('.monaco-button').filter({ hasText: /^Cancel$/ }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  const listed = await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'e2e: untrusted build' }).count();
  if (listed > 0) throw new Error('after Cancel, Run Task listed the untrusted folder\'s task');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  if (clients().length > 0) throw new Error(`a build ran in Restricted Mode: ${clients().join(' | ')}`);
  if ((await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count()) === 0) throw new Error('Cancel trusted the folder');
}

export async function checkRestrictedMode(fx: Fixture): Promise<void> {
  const settingsFile = join(fx.folder, '.vscode', 'settings.json');
  const pinned = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  if (pinned['containerd.address'] !== fx.daemon.socket) throw new Error(`the workspace does not pin the private daemon: ${JSON.stringify(pinned)}`);
  const environmentAddress = join(fx.scratch, 'restricted', 'environment', 'containerd.sock');
  const userAddress = join(fx.scratch, 'restricted', 'user', 'containerd.sock');
  const untrusted = await startCodeServer({ trust: true, folder: fx.folder, env: { VSCODE_CONTAINERD_E2E: fx.factsFile, CONTAINERD_ADDRESS: environmentAddress } });
  try {
    const workbench = await openWorkbench(fx.browser, untrusted.workbenchUrl([['extensionDevelopmentPath', untrusted.remoteUri(repo)]]));
    try {
      await checkRestrictedPage(workbench.page, fx, environmentAddress, userAddress, settingsFile);
    } finally {
      await workbench.close();
    }
  } catch (error) {
    throw new Error(`${message(error)}\n--- code-server (trust on) log tail ---\n${untrusted.logTail()}`);
  } finally {
    await untrusted.stop();
  }
}
