// The doctor, the status bar and the walkthrough in the rendered workbench: a workspace pinned to
// a missing socket shows "not reachable" in the status bar, its welcome view's Run Doctor opens a
// report naming the failing check and the socket; the walkthrough opens with its steps. In the
// explorer's page, the status bar item switches the namespace and an empty one shows its welcome.
import type { Page } from 'playwright-core';
import { waitFor } from '../harness/waitFor';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import { e2eNamespace, message, type Fixture } from './fixture';
import { openUnreachableWorkspace } from './uiChecks';
import { activeEditor, paneDescription, pick, pickWithDescription, runFromPalette } from './workbenchUi';

function statusItem(page: Page, text: string): ReturnType<Page['locator']> {
  return page.locator('.part.statusbar .statusbar-item').filter({ hasText: text }).first();
}

async function statusText(page: Page, text: string): Promise<string> {
  const item = statusItem(page, text);
  await waitFor(`the status bar to show "${text}"`, async () => (await item.count()) > 0, 60_000, 250)
    .catch(async (error: unknown) => { throw new Error(`${message(error)}; the status bar shows ${JSON.stringify(await page.locator('.part.statusbar').innerText())}`); });
  return (await item.innerText()).trim();
}

/** Clicking the scope item lists the daemon's namespaces; picking the empty one moves every view there. */
export function statusBarCheck(fx: Fixture): PageCheck {
  return {
    title: 'UI: the status bar shows the endpoint and namespace; picking another there moves the views, and an empty namespace shows the Images view\'s welcome',
    run: async (page) => {
      await chooseNamespace(page, e2eNamespace);
      const shown = await statusText(page, ` · ${e2eNamespace}`);
      if (!shown.includes(fx.daemon.socket)) throw new Error(`the status bar item says "${shown}", not the endpoint ${fx.daemon.socket}`);
      await statusItem(page, ` · ${e2eNamespace}`).click();
      await pickWithDescription(page, 'e2e-alpha', fx.daemon.socket);
      await statusText(page, ' · e2e-alpha');
      await waitFor('Images to show e2e-alpha', async () => (await paneDescription(page, 'Images')) === 'e2e-alpha', 30_000, 250);
      await settle(page, 'Images', 'the welcome of an empty namespace', (s) => (s.welcome ?? '').includes('No images in this namespace yet'));
      await screenshot(page, 'status-bar-empty-namespace.png');
      await statusItem(page, ' · e2e-alpha').click();
      await pickWithDescription(page, e2eNamespace, fx.daemon.socket);
      await statusText(page, ` · ${e2eNamespace}`);
    },
  };
}

/** A missing socket: not reachable in the status bar, Run Doctor from the welcome view, the report names the check. */
export async function checkDoctorAndWalkthrough(fx: Fixture): Promise<void> {
  const { workbench, missing } = await openUnreachableWorkspace(fx, 'doctor-workspace');
  const page = workbench.page;
  try {
    await statusText(page, 'containerd: not reachable');
    await page.locator('.welcome-view-content .monaco-button').filter({ hasText: 'Run Doctor' }).first().click();
    const report = await activeEditor(page, 'containerd doctor.md');
    const failing = `- ❌ error (endpoint): ${missing}: Cannot reach containerd at ${missing}: no such file`;
    if (!report.text.includes(failing)) throw new Error(`the report does not name the failing check "${failing}":\n${report.text.slice(0, 1500)}`);
    if (!/^# containerd doctor\n\n.*\. \d+ errors?/m.test(report.text)) throw new Error(`the report has no summary of its errors:\n${report.text.slice(0, 300)}`);
    if (!report.text.includes('  - fix: Nothing listens there')) throw new Error('the failing check has no fix under it');
    if (report.language !== 'Markdown') throw new Error(`the report opened as ${report.language}, not Markdown`);
    await screenshot(page, 'doctor-report.png');

    await runFromPalette(page, 'Open Walkthrough');
    await pick(page, 'Get started with containerd, nerdctl and BuildKit');
    const walkthrough = page.locator('.gettingStartedContainer');
    const steps = ['Connect to containerd', 'Browse namespaces, images, containers and snapshots', 'Run a container', 'Build for several platforms', 'Debug buildkitd', 'Check the environment'];
    await waitFor('the walkthrough to show its steps', async () => {
      const text = await walkthrough.innerText().catch(() => '');
      return steps.every((s) => text.includes(s));
    }, 30_000, 250).catch(async (error: unknown) => { throw new Error(`${message(error)}; the page shows ${JSON.stringify((await walkthrough.innerText().catch(() => '')).slice(0, 600))}`); });
    await screenshot(page, 'walkthrough.png');
  } finally {
    await workbench.close();
  }
}
