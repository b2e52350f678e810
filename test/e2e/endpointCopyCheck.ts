// Copy to Namespace or Endpoint… across daemons: a second containerd (1.7, empty) added through
// containerd.additionalAddresses in the workspace settings shows in the Namespaces view, and the
// sample image copies into its k8s.io with both platforms, the same index digest and the label
// CRI expects (ctr on that daemon judges). The settings go back as they were after.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ctrImages } from './ctrOracle';
import { screenshot, settle, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import { imageRow } from './nerdctlChecks';
import { waitFor } from '../harness/waitFor';
import { pickWithDescription, revealRow, runFromContextMenu, treeRow, waitForTerminalText } from './workbenchUi';

async function copyToEndpoint(page: Page, fx: Fixture): Promise<void> {
  const other = fx.otherDaemon;
  const settingsFile = join(fx.folder, '.vscode', 'settings.json');
  const saved = readFileSync(settingsFile, 'utf8');
  writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(saved) as object, 'containerd.additionalAddresses': [other.socket] }, null, 2));
  try {
    // The second daemon's row comes after the first's namespaces: scrolled to, as a user would.
    await waitFor(`the Namespaces view to list ${other.socket} after ${fx.daemon.socket}`, async () => {
      await revealRow(page, 'Namespaces', other.socket);
      return (await treeRow(page, 'Namespaces', other.socket).count()) > 0;
    }, 90_000, 500);
    await runFromContextMenu(page, await imageRow(page, fx), 'Copy to Namespace or Endpoint…');
    await pickWithDescription(page, 'k8s.io', other.socket);
    await waitForTerminalText(page, 'the copy done', (text) => text.replace(/\n/g, '').includes(`Done: ${fx.facts.image.name} is in namespace k8s.io`));
    await screenshot(page, 'copy-to-endpoint.png');
    const copied = (await ctrImages((args) => other.ctr(args), 'k8s.io')).find((i) => i.name === fx.facts.image.name);
    if (copied?.digest !== fx.facts.image.digest) throw new Error(`ctr on ${other.socket} lists ${fx.facts.image.name} in k8s.io at ${copied?.digest ?? 'nothing'}, not ${fx.facts.image.digest}`);
    if (copied.platforms.join(',') !== fx.facts.image.platforms.join(',')) throw new Error(`the copy has platforms ${copied.platforms.join(',')}, not ${fx.facts.image.platforms.join(',')}`);
    const listed = (await other.ctr(['--namespace', 'k8s.io', 'images', 'list'])).split('\n').find((l) => l.startsWith(`${fx.facts.image.name} `)) ?? '';
    if (!listed.includes('io.cri-containerd.image=managed')) throw new Error(`the copy in k8s.io lacks the label CRI lists images by: ${listed}`);
  } finally {
    writeFileSync(settingsFile, saved);
    await settle(page, 'Namespaces', 'one daemon again (its namespaces at the top)', (s) => !s.rows.includes(other.socket) && s.rows.includes(fx.facts.namespace));
  }
}

export function endpointCopyCheck(fx: Fixture): PageCheck {
  return {
    title: 'UI: Copy to Namespace or Endpoint… copies into k8s.io of a second containerd (1.7) added in containerd.additionalAddresses: same index, both platforms, CRI\'s label (ctr there)',
    run: (page) => copyToEndpoint(page, fx),
  };
}
