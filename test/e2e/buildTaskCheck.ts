// A buildkit task from tasks.json, run from the palette (Tasks: Run Task) on a Dockerfile that
// fails, on the private buildkitd beside the e2e containerd: the Problems panel shows the failed
// RUN on its line as an error and the build check on its line as a warning, as a user reads them.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadComponents } from '../harness/components';
import { waitFor } from '../harness/waitFor';
import { screenshot, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import { runFromPalette } from './workbenchUi';

const label = 'e2e: broken build';

function writeBrokenBuild(fx: Fixture): void {
  const dir = join(fx.folder, 'broken-build');
  mkdirSync(dir, { recursive: true });
  // FROM scratch with busybox copied in: nothing to pull.
  copyFileSync(loadComponents().busybox.amd64, join(dir, 'busybox'));
  writeFileSync(join(dir, 'Dockerfile'), [
    'FROM scratch as base',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "sh", "-c", "echo building && exit 3"]',
    '',
  ].join('\n'));
  writeFileSync(join(fx.folder, '.vscode', 'tasks.json'), JSON.stringify({
    version: '2.0.0',
    tasks: [{ type: 'buildkit', label, file: 'broken-build/Dockerfile', progress: 'rawjson', tags: ['docker.io/library/broken:e2e'], problemMatcher: [] }],
  }, null, 2));
}

/** The rows of the Problems panel, as text. */
async function problemRows(page: Page): Promise<string[]> {
  return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function brokenBuild(page: Page, fx: Fixture): Promise<void> {
  writeBrokenBuild(fx);
  // VS Code reads the new tasks.json when its file watcher says so: open Run Task until it lists it.
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first();
  await waitFor(`Run Task to list "${label}"`, async () => {
    await runFromPalette(page, 'Tasks: Run Task');
    if (await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return true;
    await page.keyboard.press('Escape');
    return false;
  }, 60_000, 500);
  await row.click({ timeout: 10_000 });
  // The status bar's problem counts open the Problems panel, as a user clicks them.
  const counts = page.locator('.statusbar-item#status\\.problems');
  await waitFor('the status bar to count the build\'s problems', async () => /[1-9]/.test(await counts.innerText()), 120_000, 500);
  await counts.click();
  let rows: string[] = [];
  await waitFor('the Problems panel to show the failed RUN and the build check', async () => {
    rows = await problemRows(page);
    return rows.some((r) => r.includes('exited with code 3') && r.includes('[Ln 3, Col 1]')) && rows.some((r) => r.includes('FromAsCasing') && r.includes('[Ln 1, Col 1]'));
  }, 30_000, 500).catch(async (error: unknown) => {
    const panel = await page.locator('.part.panel').innerText().catch(() => '');
    throw new Error(`${(error as Error).message}; Problems shows ${JSON.stringify(rows)}; the panel says ${JSON.stringify(panel.slice(0, 600))}`);
  });
  const error = rows.find((r) => r.includes('exited with code 3')) ?? '';
  if (!error.includes('buildkit')) throw new Error(`the error does not name its source (buildkit): ${error}`);
  await screenshot(page, 'build-task-problems.png');
}

export function buildTaskCheck(fx: Fixture): PageCheck {
  return {
    title: 'UI: a buildkit task from tasks.json run from the palette on a failing Dockerfile puts the failed RUN (line 3, error) and the build check (line 1, warning) in Problems',
    run: (page) => brokenBuild(page, fx),
  };
}
