// The Namespaces view in the page: its counts follow changes made with ctr while it is open,
// clicking a namespace changes what Images and Containers show, Show All Namespaces groups them
// by namespace, and Inspect Namespace opens a document of what ctr says the namespace holds.
import type { Page } from 'playwright-core';
import { waitFor } from '../harness/waitFor';
import { ctrCounts, ctrImages, ctrNamespaceLabels, ctrSnapshotKeys, ctrSnapshotters, type Ctr, type CtrCounts } from './ctrOracle';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import { e2eImage, sampleArchive, type Fixture } from './fixture';
import type { RowFacts } from './rowFixtures';
import { expectedContainerRows, expectedImageRows, expectedText, parentLabels, rowsWithLevels } from './viewOracle';
import { activeEditor, clickViewAction, expandRows, paneDescription, runFromContextMenu, treeRow } from './workbenchUi';

/** How a person reads the counts: "1 image · 2 containers · 3 snapshots". */
function countsText(c: CtrCounts): string {
  const part = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${part(c.images, 'image')} · ${part(c.containers, 'container')} · ${part(c.snapshots, 'snapshot')}`;
}

async function namespacesWith(ctr: Ctr, what: 'images' | 'containers'): Promise<string[]> {
  const names = (await ctr(['namespaces', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean);
  const counts = await Promise.all(names.map(async (n) => [n, (await ctrCounts(ctr, n))[what]] as const));
  return counts.filter(([, n]) => n > 0).map(([n]) => n).sort();
}

/** Each ctr change in the namespace shows in its row's counts, without a refresh. */
async function countsFollowCtr(page: Page, fx: Fixture, namespace: string): Promise<void> {
  const ctr: Ctr = (args) => fx.daemon.ctr(args);
  const ns = ['--namespace', namespace];
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const changes: [string, string[]][] = [
    ['ctr images import', [...ns, 'images', 'import', '--all-platforms', sampleArchive(fx.scratch)]],
    ['ctr images tag', [...ns, 'images', 'tag', e2eImage, 'docker.io/library/busybox:counted']],
    ['ctr containers create', [...ns, 'containers', 'create', e2eImage, `e2e-counted-${suffix}`]],
  ];
  let before = countsText(await ctrCounts(ctr, namespace));
  await settle(page, 'Namespaces', `${namespace} with "${before}"`, (s) => s.descriptions[s.rows.indexOf(namespace)] === before);
  for (const [what, args] of changes) {
    await ctr(args);
    const after = countsText(await ctrCounts(ctr, namespace));
    if (after === before) throw new Error(`${what} did not change ctr's counts of ${namespace} (${after}): the check would prove nothing`);
    await settle(page, 'Namespaces', `${namespace} with "${after}" after ${what}`, (s) => s.descriptions[s.rows.indexOf(namespace)] === after, 30_000);
    before = after;
  }
  await screenshot(page, 'namespace-counts.png', 'Namespaces');
}

/** Clicking k8s.io, then the empty e2e-alpha, changes Images and Containers to what ctr has there. */
async function clickChangesScope(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const ctr: Ctr = (args) => fx.daemon.ctr(args);
  for (const namespace of [rows.podNamespace, 'e2e-alpha']) {
    await chooseNamespace(page, namespace);
    const imageRows = await expectedImageRows(ctr, namespace);
    const containerRows = await expectedContainerRows(ctr, namespace);
    await expandRows(page, 'Images', parentLabels(imageRows));
    await expandRows(page, 'Containers', parentLabels(containerRows));
    const images = expectedText(imageRows);
    const containers = expectedText(containerRows);
    await settle(page, 'Images', `namespace ${namespace}'s images [${images.join(', ')}]`, (s) => rowsWithLevels(s).join(',') === images.join(',') && !s.message);
    await settle(page, 'Containers', `namespace ${namespace}'s containers [${containers.join(', ')}]`, (s) => rowsWithLevels(s).join(',') === containers.join(',') && !s.message);
    const label = await treeRow(page, 'Namespaces', namespace).getAttribute('aria-label');
    if (label !== `${namespace}, shown in the explorer`) throw new Error(`the chosen namespace's row is not marked as shown: aria-label ${JSON.stringify(label)}`);
    await screenshot(page, `namespace-chosen-${namespace.replace(/\W/g, '_')}.png`);
  }
  await chooseNamespace(page, fx.facts.namespace);
}

/** Show All Namespaces: Images and Containers hold one group row per namespace that has any. */
async function showAllGroups(page: Page, fx: Fixture): Promise<void> {
  const ctr: Ctr = (args) => fx.daemon.ctr(args);
  await clickViewAction(page, 'Namespaces', 'Show All Namespaces');
  await waitFor('Images to show all namespaces', async () => (await paneDescription(page, 'Images')) === 'all namespaces', 30_000, 100);
  for (const [view, what] of [['Images', 'images'], ['Containers', 'containers']] as const) {
    const groups = await namespacesWith(ctr, what);
    // Collapsed, only the group rows remain: all of them fit on screen.
    await settle(page, view, `a group per namespace with ${what}`, (s) => s.rows.length > 0);
    await clickViewAction(page, view, 'Collapse All');
    await settle(page, view, `the group rows [${groups.join(', ')}]`, (s) => rowsWithLevels(s).join(',') === groups.map((g) => `${g}@1`).join(','));
  }
  await screenshot(page, 'show-all-namespaces.png');
  await chooseNamespace(page, fx.facts.namespace);
}

/** Inspect Namespace: name, labels, image names, container ids and snapshot counts as ctr has them. */
async function inspectNamespace(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const ctr: Ctr = (args) => fx.daemon.ctr(args);
  const { namespace } = rows.counted;
  await runFromContextMenu(page, treeRow(page, 'Namespaces', namespace), 'Inspect Namespace');
  const { text, language } = await activeEditor(page, `namespace ${namespace}.json`);
  if (language !== 'JSON') throw new Error(`the namespace document opened as ${JSON.stringify(language)}, not JSON`);
  const doc = JSON.parse(text) as { name?: string; labels?: unknown; images?: string[]; containers?: { id: string }[]; snapshots?: Record<string, number> };
  const snapshotters = await ctrSnapshotters(ctr);
  const expected = {
    name: namespace,
    labels: await ctrNamespaceLabels(ctr, namespace),
    images: (await ctrImages(ctr, namespace)).map((i) => i.name),
    containers: (await ctr(['--namespace', namespace, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort(),
    snapshots: Object.fromEntries(await Promise.all(snapshotters.map(async (s) => [s, (await ctrSnapshotKeys(ctr, namespace, s)).length] as const))),
  };
  const shown = {
    name: doc.name,
    labels: doc.labels,
    images: [...(doc.images ?? [])].sort(),
    containers: (doc.containers ?? []).map((c) => c.id).sort(),
    snapshots: Object.fromEntries(Object.entries(doc.snapshots ?? {}).sort(([a], [b]) => a.localeCompare(b))),
  };
  if (JSON.stringify(shown) !== JSON.stringify(expected)) throw new Error(`the namespace document says ${JSON.stringify(shown)}, ctr says ${JSON.stringify(expected)}`);
  await screenshot(page, 'inspect-namespace.png');
}

export function namespaceChecks(fx: Fixture, rows: () => Promise<RowFacts>): PageCheck[] {
  return [
    { title: 'UI: namespace counts follow ctr images import / images tag / containers create', run: (page) => countsFollowCtr(page, fx, 'e2e-beta') },
    { title: 'UI: Inspect Namespace opens a JSON document of what ctr says the namespace holds', run: async (page) => inspectNamespace(page, fx, await rows()) },
    { title: 'UI: clicking a namespace row changes what Images and Containers show', run: async (page) => clickChangesScope(page, fx, await rows()) },
    { title: 'UI: Show All Namespaces shows one group row per namespace in Images and Containers', run: (page) => showAllGroups(page, fx) },
  ];
}
