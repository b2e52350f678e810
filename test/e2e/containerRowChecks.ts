// Container rows in the page, against ctr: CRI-labelled containers grouped under their pod,
// published ports in the row, the tooltip's id and pid, Copy Container ID, and Show Stats and
// Processes opening a JSON document with the task's pid.
import type { Page } from 'playwright-core';
import { readClipboard, writeClipboard } from '../harness/browser';
import { waitFor } from '../harness/waitFor';
import { ctrContainerLabels, ctrTasks, type Ctr, type CtrTask } from './ctrOracle';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import type { PortLabel, RowFacts } from './rowFixtures';
import { expectedContainerRows, expectedText, rowsWithLevels } from './viewOracle';
import { activeEditor, expandRows, hoverText, runFromContextMenu, treeRow } from './workbenchUi';

function ctrOf(fx: Fixture): Ctr {
  return (args) => fx.daemon.ctr(args);
}

async function runningTask(fx: Fixture, id: string): Promise<CtrTask> {
  const task = (await ctrTasks(ctrOf(fx), fx.facts.namespace)).get(id);
  if (task?.status !== 'RUNNING') throw new Error(`ctr does not report ${id} running: ${JSON.stringify(task)}`);
  return task;
}

async function podGrouping(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const ctr = ctrOf(fx);
  await chooseNamespace(page, rows.podNamespace);
  const podName = (await ctrContainerLabels(ctr, rows.podNamespace, rows.podContainers[0]?.id ?? ''))['io.kubernetes.pod.name'] ?? '';
  await expandRows(page, 'Containers', [podName]);
  const expected = expectedText(await expectedContainerRows(ctr, rows.podNamespace));
  const state = await settle(page, 'Containers', `[${expected.join(', ')}]`, (s) => rowsWithLevels(s).join(',') === expected.join(','));
  const labels = await ctrContainerLabels(ctr, rows.podNamespace, rows.podContainers[0]?.id ?? '');
  const workloads = rows.podContainers.filter((c) => c.labels['io.cri-containerd.kind'] === 'container').length;
  const podDescription = state.descriptions[state.rows.indexOf(podName)];
  const wanted = `pod · ${labels['io.kubernetes.pod.namespace'] ?? ''} · ${workloads} containers`;
  if (podDescription !== wanted) throw new Error(`the pod row says ${JSON.stringify(podDescription)}, expected ${JSON.stringify(wanted)}`);
  const tooltip = await hoverText(page, treeRow(page, 'Containers', podName, 1), podName);
  const uid = labels['io.kubernetes.pod.uid'] ?? '';
  if (!tooltip.includes(uid)) throw new Error(`the pod tooltip does not name its uid ${uid}: ${tooltip}`);
  await screenshot(page, 'containers-pod.png', 'Containers');
  await chooseNamespace(page, fx.facts.namespace);
}

async function publishedPorts(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const { id, name } = rows.published;
  const ports = JSON.parse((await ctrContainerLabels(ctrOf(fx), fx.facts.namespace, id))['nerdctl/ports'] ?? '[]') as PortLabel[];
  // As `nerdctl ps` shows them.
  const shown = ports.map((p) => `${p.HostIP}:${p.HostPort}->${p.ContainerPort}/${p.Protocol}`);
  if (shown.length < 2) throw new Error(`ctr's nerdctl/ports label of ${id} holds ${JSON.stringify(ports)}: expected the two mappings made`);
  await settle(page, 'Containers', `${name} with ${shown.join(' and ')}`, (s) => {
    const description = s.descriptions[s.rows.indexOf(name)] ?? '';
    return description.startsWith('Created') && shown.every((p) => description.includes(p));
  });
  await screenshot(page, 'container-ports.png', 'Containers');
}

async function containerTooltip(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const { id, name } = fx.facts.containers.api;
  const task = await runningTask(fx, id);
  const text = await hoverText(page, treeRow(page, 'Containers', name), id);
  if (!text.includes(`id: ${id}`) || !text.includes(`pid: ${task.pid}`)) throw new Error(`the tooltip of ${name} lacks "id: ${id}" or "pid: ${task.pid}": ${text}`);
  await screenshot(page, 'container-tooltip.png');
}

async function copyId(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const { id, name } = fx.facts.containers.api;
  const ids = (await fx.daemon.ctr(['--namespace', fx.facts.namespace, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim());
  if (!ids.includes(id)) throw new Error(`ctr does not list ${id}`);
  await writeClipboard(page, 'nothing copied yet');
  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Copy Container ID');
  let copied = '';
  await waitFor(`the clipboard to hold ${id}`, async () => (copied = await readClipboard(page)) === id, 10_000, 100)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; it holds ${JSON.stringify(copied)}`); });
}

async function stats(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const { id, name } = fx.facts.containers.api;
  const task = await runningTask(fx, id);
  await runFromContextMenu(page, treeRow(page, 'Containers', name), 'Show Stats and Processes');
  const { text, language } = await activeEditor(page, `stats ${id}.json`);
  if (language !== 'JSON') throw new Error(`the stats document opened as ${JSON.stringify(language)}, not JSON`);
  const doc = JSON.parse(text) as { container?: string; processes?: { pid: number }[]; metrics?: { pids?: number } };
  const pids = (doc.processes ?? []).map((p) => p.pid);
  if (doc.container !== id || !pids.includes(task.pid)) throw new Error(`the stats document names ${doc.container} with pids [${pids.join(', ')}]; ctr's task ${id} has pid ${task.pid}`);
  await screenshot(page, 'container-stats.png');
}

export function containerRowChecks(fx: Fixture, rows: () => Promise<RowFacts>): PageCheck[] {
  return [
    { title: 'UI: CRI-labelled containers show under their pod row', run: async (page) => podGrouping(page, fx, await rows()) },
    { title: 'UI: a container\'s nerdctl/ports label shows as 0.0.0.0:8080->80/tcp in its row', run: async (page) => publishedPorts(page, fx, await rows()) },
    { title: 'UI: the container tooltip shows ctr\'s id and pid', run: (page) => containerTooltip(page, fx) },
    { title: 'UI: Copy Container ID puts ctr\'s id on the clipboard', run: (page) => copyId(page, fx) },
    { title: 'UI: Show Stats and Processes opens a JSON document with the task\'s pid', run: (page) => stats(page, fx) },
  ];
}
