// The Files view in the page: Browse Files on an image row of an image the check imports (two
// layers: the second rewrites /etc/motd and deletes /etc/removed), its merged tree (a symlink to a
// folder expands into it), a file opened read-only with the bytes the layer holds, the layers named after their history steps
// with their changes, a deleted file opened as the layer below had it, and Compare with the
// other layer in the diff editor.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { collapseView, expandView } from '../harness/browser';
import { gzipLayerOf, importLayers } from '../harness/layeredArchive';
import { waitFor } from '../harness/waitFor';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import { dropNamespace, type Fixture } from './fixture';
import { activeEditor, expandRows, pick, runFromContextMenu, treeRow } from './workbenchUi';

const namespace = 'e2e-files';
const repository = 'e2e.local/files';
const motd = { one: 'hello from layer one\n', two: 'hello from layer two, a longer line\n' };
const removed = 'this file is deleted by layer two\n';
/** The views folded while the Files view works, unfolded after. */
const roomyViews = ['Namespaces', 'Images', 'Containers'];
const steps = ['COPY rootfs / # buildkit', 'RUN echo two > /etc/motd && rm /etc/removed # buildkit'];

async function importTwoLayers(fx: Fixture): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'e2e-files-'));
  try {
    const one = join(work, 'one');
    mkdirSync(join(one, 'etc'), { recursive: true });
    mkdirSync(join(one, 'usr', 'bin'), { recursive: true });
    writeFileSync(join(one, 'etc', 'motd'), motd.one);
    writeFileSync(join(one, 'etc', 'removed'), removed);
    writeFileSync(join(one, 'usr', 'bin', 'tool'), Buffer.alloc(3000, 1));
    symlinkSync('usr/bin', join(one, 'bin'));
    const two = join(work, 'two');
    mkdirSync(join(two, 'etc'), { recursive: true });
    writeFileSync(join(two, 'etc', 'motd'), motd.two);
    writeFileSync(join(two, 'etc', '.wh.removed'), '');
    await importLayers(fx.daemon, namespace, `${repository}:two-layers`, [await gzipLayerOf(one, ['.'], steps[0] ?? ''), await gzipLayerOf(two, ['./etc'], steps[1] ?? '')]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The editor's text once it is the file the check expects (the tab's title is the file name). */
async function editorShows(page: Page, title: string, text: string): Promise<void> {
  let shown = '';
  await waitFor(`the editor to show ${JSON.stringify(text)}`, async () => (shown = (await activeEditor(page, title)).text) === text, 30_000, 500)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; it shows ${JSON.stringify(shown)}`); });
}

async function browseFiles(page: Page, fx: Fixture): Promise<void> {
  await importTwoLayers(fx);
  try {
    await chooseNamespace(page, namespace);
    await expandRows(page, 'Images', [repository]);
    await runFromContextMenu(page, treeRow(page, 'Images', 'two-layers', 2), 'Browse Files');
    // One platform: no question asked. The merged tree: motd is layer two's, removed is gone.
    await settle(page, 'Files', 'the image with its merged folders', (s) => s.rows.includes(`${repository}:two-layers`) && s.rows.includes('etc') && s.rows.includes('usr'));
    // Room for the Files view's rows: the other views fold away until the check ends.
    for (const view of roomyViews) await collapseView(page, view);
    await expandRows(page, 'Files', ['etc'], 3);
    const merged = await settle(page, 'Files', 'etc/motd of layer two, no etc/removed', (s) => s.rows.includes('motd'));
    if (merged.rows.includes('removed')) throw new Error(`the merged tree still lists etc/removed: [${merged.rows.join(', ')}]`);
    const motdSize = merged.descriptions[merged.rows.indexOf('motd')];
    if (motdSize !== `${motd.two.length} B`) throw new Error(`etc/motd shows "${motdSize ?? ''}", expected ${motd.two.length} B`);
    await treeRow(page, 'Files', 'motd', 4).click();
    await editorShows(page, 'motd', motd.two);
    // /bin is a symlink to usr/bin: it expands into that folder (usr itself stays folded).
    await expandRows(page, 'Files', ['bin'], 3);
    await settle(page, 'Files', 'usr/bin/tool under the /bin symlink', (s) => s.rows.includes('tool') && s.descriptions[s.rows.indexOf('bin')] === '→ usr/bin');

    // The layers, named after the history steps, with what each changed.
    await expandRows(page, 'Files', ['Layers'], 2);
    const layers = await settle(page, 'Files', 'both layers with their steps', (s) => s.rows.some((r) => r.startsWith('2  RUN echo two')));
    const second = layers.rows.findIndex((r) => r.startsWith('2  RUN echo two'));
    if (!(layers.descriptions[second] ?? '').endsWith('~1 −1')) throw new Error(`layer 2 reads "${layers.descriptions[second] ?? ''}": expected one modified and one deleted file`);
    if (!layers.rows.includes('1  COPY rootfs /')) throw new Error(`no row for layer 1's step: [${layers.rows.join(', ')}]`);
    await expandRows(page, 'Files', [layers.rows[second] ?? ''], 3);
    await expandRows(page, 'Files', ['etc'], 4);
    await settle(page, 'Files', 'layer 2\'s etc/removed as deleted', (s) => s.rows.includes('removed') && s.descriptions[s.rows.indexOf('removed')] === `deleted · ${removed.length} B`);
    await screenshot(page, 'files-view.png', 'Files');
    // A deleted file opens as the layer below held it.
    await treeRow(page, 'Files', 'removed', 5).click();
    await editorShows(page, 'removed', removed);

    // Compare layer two's motd with layer one's: the diff editor opens with both sides.
    await runFromContextMenu(page, treeRow(page, 'Files', 'motd', 5), 'Compare with…');
    await pick(page, 'Layer 1');
    const tab = page.locator('.editor-group-container.active .tab.active');
    await waitFor('the diff editor of /etc/motd', async () => (await tab.innerText()).includes('/etc/motd (layer 1 ↔ layer 2)'), 30_000, 250);
    // Side by side or inline (a narrow editor): either way both versions are in the diff editor.
    const diffEditor = page.locator('.editor-group-container.active .monaco-diff-editor').first();
    let shown = '';
    await waitFor('both versions in the diff editor', async () => {
      shown = (await diffEditor.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
      return shown.includes('hello from layer one') && shown.includes('hello from layer two');
    }, 30_000, 250).catch((error: unknown) => { throw new Error(`${(error as Error).message}; it shows ${JSON.stringify(shown.slice(0, 300))}`); });
    await screenshot(page, 'files-compare.png');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('W');
  } finally {
    await runFromContextMenu(page, treeRow(page, 'Files', `${repository}:two-layers`, 1), 'Close').catch(() => undefined);
    await collapseView(page, 'Files');
    for (const view of roomyViews) await expandView(page, view);
    await dropNamespace(fx.daemon, namespace);
  }
}

export function filesChecks(fx: Fixture): PageCheck[] {
  return [{ title: 'UI: Browse Files on an image shows its merged tree and its layers by history step; files open read-only with the layer\'s bytes, a deleted one as the layer below had it; Compare with… diffs two layers', run: (page) => browseFiles(page, fx) }];
}
