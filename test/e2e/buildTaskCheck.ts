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
import { ctrImages } from './ctrOracle';
import { activeEditor, clearNotifications, openInEditor, paneOf, runFromPalette, waitForTerminalText } from './workbenchUi';

const label = 'e2e: broken build';
const buildxLabel = 'e2e: broken build (buildx)';
const goodLabel = 'e2e: good build';
const shellLabel = 'e2e: buildctl in a process task';
const noBuilderLabel = 'e2e: build with no buildkitd';
const builtImage = 'docker.io/library/built:task-built';

/** A build folder: busybox copied in (FROM scratch, nothing to pull), then `steps`. */
export function writeBuild(dir: string, steps: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(loadComponents().busybox.amd64, join(dir, 'busybox'));
  writeFileSync(join(dir, 'Dockerfile'), [...steps, ''].join('\n'));
}

function writeBuilds(fx: Fixture): void {
  writeBuild(join(fx.folder, 'broken-build'), ['FROM scratch as base', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "sh", "-c", "echo building && exit 3"]']);
  writeBuild(join(fx.folder, 'good-build'), ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'CMD ["/bin/sh"]']);
  writeBuild(join(fx.folder, 'checked-build'), ['FROM scratch as base', 'COPY busybox /bin/busybox', 'CMD /bin/busybox sh']);
  writeBuild(join(fx.folder, 'shell-build'), ['FROM scratch', 'COPY busybox /bin/busybox', 'WORKDIR /work', 'RUN ["/bin/busybox", "sh", "-c", "exit 4"]']);
  // Named to sort first: its rows lead the Problems list, which shows only its first rows.
  writeBuild(join(fx.folder, 'a-buildx-broken'), ['FROM scratch as base', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "sh", "-c", "echo building && exit 4"]']);
  writeFileSync(join(fx.folder, '.vscode', 'tasks.json'), JSON.stringify({
    version: '2.0.0',
    tasks: [
      // A user's own shell task running buildctl, read by our problem matchers; the Dockerfile is
      // in a subfolder, so the task says where its file names are relative to.
      {
        type: 'process', label: shellLabel, command: loadComponents().tools.buildctl,
        args: ['--addr', fx.buildkitd.address, 'build', '--frontend=dockerfile.v0', '--local=context=shell-build', '--local=dockerfile=shell-build', '--progress=plain'],
        options: { cwd: '${workspaceFolder}' }, presentation: { reveal: 'silent' },
        problemMatcher: [{ base: '$buildkit', fileLocation: ['relative', '${workspaceFolder}/shell-build'] }, { base: '$buildkit-failure', fileLocation: ['relative', '${workspaceFolder}/shell-build'] }],
      },
      { type: 'buildkit', label, file: 'broken-build/Dockerfile', progress: 'rawjson', tags: ['docker.io/library/broken:e2e'], problemMatcher: [] },
      { type: 'buildkit', label: goodLabel, file: 'good-build/Dockerfile', progress: 'rawjson', tags: [builtImage], problemMatcher: [] },
      // A buildkitd address where nothing listens: buildctl's dial error is a problem the doctor knows.
      { type: 'buildkit', label: noBuilderLabel, file: 'good-build/Dockerfile', backend: 'buildctl', buildkitHost: `unix://${join(fx.scratch, 'no-buildkitd', 'buildkitd.sock')}`, problemMatcher: [] },
      // Docker's builder here has no bridge network: RUN steps get none.
      { type: 'buildkit', label: buildxLabel, file: 'a-buildx-broken/Dockerfile', backend: 'buildx', network: 'none', progress: 'rawjson', problemMatcher: [] },
    ],
  }, null, 2));
}

/** Tasks: Run Task, then the task with this label (VS Code reads a new tasks.json when its watcher says so). */
export async function runTask(page: Page, taskLabel: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: taskLabel }).first();
  await waitFor(`Run Task to list "${taskLabel}"`, async () => {
    await runFromPalette(page, 'Tasks: Run Task');
    if (await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return true;
    await page.keyboard.press('Escape');
    return false;
  }, 60_000, 500);
  await row.click({ timeout: 10_000 });
}

/** The rows of the Problems panel, as text. */
async function problemRows(page: Page): Promise<string[]> {
  return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * Opens Problems from the status bar's counts, as a user clicks them, and waits for a row holding
 * each text on its line; returns the rows.
 */
export async function waitForProblems(page: Page, expected: readonly (readonly [text: string, line: number])[]): Promise<string[]> {
  const counts = page.locator('.statusbar-item#status\\.problems');
  await waitFor('the status bar to count problems', async () => /[1-9]/.test(await counts.innerText()), 120_000, 500);
  await counts.click();
  // The counts toggle the panel: a click that closed Problems (or left a task's terminal on top) is
  // followed by the view's own focus command.
  if (!(await page.locator('.markers-panel').first().isVisible().catch(() => false))) {
    await runFromPalette(page, 'Problems: Focus on Problems View');
  }
  let rows: string[] = [];
  const what = expected.map(([text, line]) => `${text} on line ${line}`).join(' and ');
  // A task's terminal can come to the front after that (a process task's reveal), and a narrow panel
  // hides its tabs in an overflow menu: the focus command brings Problems back while no row shows.
  let refocused = Date.now();
  await waitFor(`Problems to show ${what}`, async () => {
    rows = await problemRows(page);
    if (rows.length === 0 && Date.now() - refocused > 3_000) {
      refocused = Date.now();
      await runFromPalette(page, 'Problems: Focus on Problems View').catch(() => page.keyboard.press('Escape'));
    }
    return expected.every(([text, line]) => rows.some((r) => r.includes(text) && r.includes(`[Ln ${line}, `)));
  }, 30_000, 500).catch(async (error: unknown) => {
    const panel = await page.locator('.part.panel').innerText().catch(() => '');
    await screenshot(page, 'problems-not-shown.png').catch(() => undefined);
    throw new Error(`${(error as Error).message}; Problems shows ${JSON.stringify(rows)}; the panel says ${JSON.stringify(panel.slice(0, 600))}`);
  });
  return rows;
}

async function brokenBuild(page: Page, fx: Fixture): Promise<void> {
  writeBuilds(fx);
  await runTask(page, label);
  const rows = await waitForProblems(page, [['exited with code 3', 3], ['FromAsCasing', 1]]);
  const error = rows.find((r) => r.includes('exited with code 3')) ?? '';
  if (!error.includes('buildkit')) throw new Error(`the error does not name its source (buildkit): ${error}`);
  await screenshot(page, 'build-task-problems.png');
}

/** The same through docker buildx on a real dockerd: the task's route (docker buildx inspect, the plan, the argv) ends in the same Problems rows. */
async function brokenBuildx(page: Page, fx: Fixture): Promise<void> {
  writeBuilds(fx);
  // Earlier checks left problems counted: wait for the count to change before opening Problems,
  // or the task's terminal, opening after the click, covers them.
  const counts = page.locator('.statusbar-item#status\\.problems');
  const before = await counts.innerText();
  await runTask(page, buildxLabel);
  await waitFor('the status bar to count the buildx build\'s problems', async () => (await counts.innerText()) !== before, 120_000, 500);
  const rows = await waitForProblems(page, [['exited with code 4', 3], ['FromAsCasing', 1]]);
  const error = rows.find((r) => r.includes('exited with code 4')) ?? '';
  if (!error.includes('buildkit')) throw new Error(`the error does not name its source (buildkit): ${error}`);
  // Docker's builder ran it, not the buildkitd: dockerd's build history holds it (named after the context folder).
  const history = await fx.dockerd.docker(['buildx', 'history', 'ls', '--format', '{{.Name}} {{.Status}}']);
  if (history.exitCode !== 0 || !history.stdout.split('\n').includes('a-buildx-broken Error')) throw new Error(`dockerd's build history does not hold the failed build: ${history.stdout}${history.stderr}`);
  await screenshot(page, 'build-task-buildx-problems.png');
}

/** A build whose buildkitd is not there: the terminal names the doctor's finding and fix, the error offers the doctor, which opens with it. */
async function buildOffersDoctor(page: Page, fx: Fixture): Promise<void> {
  writeBuilds(fx);
  await clearNotifications(page);
  await runTask(page, noBuilderLabel);
  const socket = join(fx.scratch, 'no-buildkitd', 'buildkitd.sock');
  // The terminal wraps at its width (mid-word) and shows its last rows: its text is compared
  // without whitespace, and only the fix, which is printed last.
  const fix = 'Fix: Start buildkitd (sudo buildkitd, or systemctl start buildkit;'.replace(/\s+/g, '');
  await waitForTerminalText(page, 'the doctor\'s fix', (text) => text.replace(/\s+/g, '').includes(fix));
  const toast = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'The build failed' }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  await screenshot(page, 'build-offers-doctor.png');
  await toast.locator('.monaco-button').filter({ hasText: 'Open Doctor' }).first().click();
  const report = await activeEditor(page, 'containerd doctor.md');
  if (!report.text.includes(`## What the failed command showed\n\n- ❌ error (buildkitd): No buildkitd listens at ${socket}.`)) {
    throw new Error(`the report does not open with the build's finding:\n${report.text.slice(0, 800)}`);
  }
  await page.keyboard.press('Control+W');
}

/** A build that succeeds: its image is in the namespace (ctr) and selected in the Images view. */
async function goodBuild(page: Page, fx: Fixture): Promise<void> {
  writeBuilds(fx);
  try {
    await runTask(page, goodLabel);
    await waitFor(`ctr to list ${builtImage} in ${fx.facts.namespace}`, async () => (await ctrImages((args) => fx.daemon.ctr(args), fx.facts.namespace)).some((i) => i.name === builtImage), 120_000, 500);
    const selected = paneOf(page, 'Images').locator('.monaco-list-row.selected .label-name');
    let shown: string[] = [];
    await waitFor('the Images view to select the built image\'s tag', async () => (shown = await selected.allInnerTexts()).includes('task-built'), 60_000, 250)
      .catch((error: unknown) => { throw new Error(`${(error as Error).message}; selected rows: ${JSON.stringify(shown)}`); });
    await screenshot(page, 'build-task-selected.png');
  } finally {
    await fx.daemon.ctr(['--namespace', fx.facts.namespace, 'images', 'rm', builtImage]).catch(() => undefined);
  }
}

/** Check Dockerfile from the palette on the open Dockerfile: its findings in Problems, nothing built (ctr). */
async function checkDockerfile(page: Page, fx: Fixture): Promise<void> {
  writeBuilds(fx);
  const before = (await ctrImages((args) => fx.daemon.ctr(args), fx.facts.namespace)).map((i) => i.name).join(',');
  await openInEditor(page, 'checked-build/Dockerfile');
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await runFromPalette(page, 'containerd: Check Dockerfile (build checks, no build)');
  await waitForProblems(page, [['FromAsCasing', 1], ['JSONArgsRecommended', 3]]);
  // broken-build's own FromAsCasing is in Problems too: these two must be the checked Dockerfile's.
  await waitForMarkers(page, 'checked-build', 'checked-build/Dockerfile\'s two findings', (m) => m.some((r) => r.includes('FromAsCasing') && r.includes('[Ln 1, ')) && m.some((r) => r.includes('JSONArgsRecommended') && r.includes('[Ln 3, ')));
  const after = (await ctrImages((args) => fx.daemon.ctr(args), fx.facts.namespace)).map((i) => i.name).join(',');
  if (after !== before) throw new Error(`Check Dockerfile changed the images: [${before}] -> [${after}]`);
}

/**
 * The lightbulb on the FROM line of the checked Dockerfile (Check Dockerfile found FromAsCasing
 * there): its preferred fix rewrites the line, and the re-check of the unsaved text takes the
 * finding out of Problems while the other one stays. Reverted afterwards (the file on disk never changed).
 */
/** Problems lists each file's row, then its markers: a Dockerfile's are those up to the next file's row. */
async function markersOf(page: Page, folder: string): Promise<string[]> {
  const rows = await problemRows(page);
  const at = rows.findIndex((r) => /^Dockerfile/.test(r) && r.includes(folder));
  const next = rows.findIndex((r, i) => i > at && /^Dockerfile/.test(r));
  return at < 0 ? [] : rows.slice(at + 1, next < 0 ? undefined : next);
}

/** Waits until the markers of `folder`'s Dockerfile pass `test`; the error says what they were. */
async function waitForMarkers(page: Page, folder: string, what: string, test: (markers: readonly string[]) => boolean): Promise<void> {
  let shown: string[] = [];
  await waitFor(what, async () => test(shown = await markersOf(page, folder)), 60_000, 500)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; ${folder}/Dockerfile has ${JSON.stringify(shown)}`); });
}

async function quickFixFromLightbulb(page: Page): Promise<void> {
  await runFromPalette(page, 'Problems: Focus on Problems View');
  await waitForMarkers(page, 'checked-build', 'checked-build/Dockerfile to have FromAsCasing', (m) => m.some((r) => r.includes('FromAsCasing')));
  await openInEditor(page, 'checked-build/Dockerfile');
  await page.keyboard.press('Control+G');
  await page.keyboard.type('1');
  await page.keyboard.press('Enter');
  const title = 'Match the casing of AS to FROM (FromAsCasing)';
  const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
  await waitFor('the quick fixes of line 1', async () => {
    await page.keyboard.press('Control+.');
    if (await item.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) return true;
    await page.keyboard.press('Escape');
    return false;
  }, 30_000, 500);
  await screenshot(page, 'check-quick-fix.png');
  await item.click();
  const line = page.locator('.editor-group-container.active .monaco-editor .view-line').filter({ hasText: 'FROM scratch AS base' });
  await line.first().waitFor({ state: 'visible', timeout: 15_000 });
  await runFromPalette(page, 'Problems: Focus on Problems View');
  await waitForMarkers(page, 'checked-build', 'the re-check to take FromAsCasing out and keep JSONArgsRecommended', (m) => m.some((r) => r.includes('JSONArgsRecommended')) && !m.some((r) => r.includes('FromAsCasing')));
  await openInEditor(page, 'checked-build/Dockerfile');
  await runFromPalette(page, 'File: Revert File');
}

/** A process task running buildctl with `$buildkit` and `$buildkit-failure`: the failure's excerpt line in Problems. */
async function shellTaskMatcher(page: Page, fx: Fixture): Promise<void> {
  writeBuilds(fx);
  await runTask(page, shellLabel);
  await waitForProblems(page, [['Dockerfile:4', 4]]);
}

export function buildTaskChecks(fx: Fixture): PageCheck[] {
  return [
    {
      title: 'UI: a buildkit task from tasks.json run from the palette on a failing Dockerfile puts the failed RUN (line 3, error) and the build check (line 1, warning) in Problems',
      run: (page) => brokenBuild(page, fx),
    },
    {
      title: 'UI: a buildkit task that succeeds puts its image in the namespace (ctr), and the Images view selects it',
      run: (page) => goodBuild(page, fx),
    },
    {
      title: 'UI: Check Dockerfile from the palette puts the build checks of the open Dockerfile in Problems on their lines, and builds nothing (ctr)',
      run: (page) => checkDockerfile(page, fx),
    },
    {
      title: 'UI: the lightbulb on a build-check finding applies its fix to the line, and the re-check of the unsaved text takes the finding out of Problems',
      run: (page) => quickFixFromLightbulb(page),
    },
    {
      title: 'UI: a process task running buildctl with the $buildkit matchers puts the failed step\'s excerpt line (line 4) in Problems',
      run: (page) => shellTaskMatcher(page, fx),
    },
    {
      title: 'UI: a buildkit task whose buildkitd is not there names the doctor\'s finding in its terminal, and its error\'s Open Doctor opens the report with that finding first',
      run: (page) => buildOffersDoctor(page, fx),
    },
    {
      // Last: its rows would push the Check Dockerfile rows out of the Problems list's visible part.
      title: 'UI: a buildkit task with backend buildx on a real dockerd puts the failed RUN (line 3, error) and the build check (line 1, warning) in Problems',
      run: (page) => brokenBuildx(page, fx),
    },
  ];
}
