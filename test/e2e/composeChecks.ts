// nerdctl compose in the page, on the real nerdctl: with a compose file open in the editor, Compose
// Up from the palette starts its services (ctr, and the Containers view from the events), Compose
// Logs shows their output in a terminal, Compose Down… asks, naming the project, then removes them.
import type { Page } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../harness/waitFor';
import { cancelThenConfirm } from './confirmChecks';
import { ctrContainers } from './ctrOracle';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import { openInEditor, runFromPalette, waitForTerminalText } from './workbenchUi';

const project = 'shop';
const services = ['shop-web-1', 'shop-worker-1'];

/** Runs a compose command from the palette with the compose file's editor focused (it is the file used). */
async function composeCommand(page: Page, title: string): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await runFromPalette(page, `containerd: ${title}`);
}

async function composeUpLogsDown(page: Page, fx: Fixture): Promise<void> {
  const folder = join(fx.folder, project);
  mkdirSync(folder, { recursive: true });
  const service = (name: string): string[] => [
    `  ${name}:`, `    image: ${fx.facts.image.name}`, '    network_mode: none',
    `    command: ["sh", "-c", "trap 'exit 0' TERM; echo hello from ${name}; while true; do sleep 1; done"]`,
  ];
  writeFileSync(join(folder, 'compose.yaml'), ['services:', ...service('web'), ...service('worker'), ''].join('\n'));
  const states = async (): Promise<string[]> => {
    const all = await ctrContainers((args) => fx.daemon.ctr(args), fx.facts.namespace);
    return services.map((name) => all.find((c) => c.name === name)?.state ?? 'absent');
  };
  try {
    await chooseNamespace(page, fx.facts.namespace);
    await openInEditor(page, `${project}/compose.yaml`);
    await composeCommand(page, 'Compose Up');
    await waitFor('ctr to list both services running', async () => (await states()).every((s) => s === 'Running'), 90_000, 500);
    await settle(page, 'Containers', services.join(' and '), (s) => services.every((n) => s.rows.includes(n)), 30_000);

    await composeCommand(page, 'Compose Logs');
    await waitForTerminalText(page, 'both services\' output', (text) => text.includes('hello from web') && text.includes('hello from worker'));
    await screenshot(page, 'compose-logs.png');

    await cancelThenConfirm(page, {
      command: 'Compose Down…', open: () => composeCommand(page, 'Compose Down…'),
      confirm: 'Compose Down', screenshot: 'confirm-compose-down.png',
      says: [`Stop and remove compose project "${project}"?`, `${project}/compose.yaml`, `namespace "${fx.facts.namespace}"`, 'Volumes and images stay'],
      intact: async () => (await states()).every((s) => s === 'Running'),
      done: async () => (await states()).every((s) => s === 'absent'),
    });
    await settle(page, 'Containers', `no ${project} containers`, (s) => services.every((n) => !s.rows.includes(n)), 30_000);
  } finally {
    await fx.nerdctl.run(fx.facts.namespace, ['compose', `--file=${join(folder, 'compose.yaml')}`, `--project-name=${project}`, 'down']).catch(() => undefined);
  }
}

export function composeChecks(fx: Fixture): PageCheck[] {
  return [
    { title: 'UI: Compose Up / Compose Logs / Compose Down… from the palette on the open compose file: services run (ctr, Containers view), logs show, down asks then removes them', run: (page) => composeUpLogsDown(page, fx) },
  ];
}
