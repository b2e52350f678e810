// The destructive row commands through their modal, in the page, with ctr as the judge: Cancel
// leaves the daemon as it was (a command that acted without asking fails here), confirming
// removes exactly the object named and nothing else.
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../harness/waitFor';
import { ctrImages, ctrSnapshotKeys, ctrTasks, type Ctr } from './ctrOracle';
import { chooseNamespace, screenshot, settle, showSnapshotter, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import type { RowFacts } from './rowFixtures';
import { activeEditor, expandRows, pressModalButton, readModal, type ModalText, runFromContextMenu, toastTexts, treeRow } from './workbenchUi';

export interface Destructive {
  readonly row?: () => Locator;
  /** The context-menu item, e.g. "Delete Image…" (or the title of what `open` clicks). */
  readonly command: string;
  /** How to start the command when it is not a row's context-menu item (a view's title button). */
  readonly open?: () => Promise<void>;
  /** Texts the modal's message and detail must hold (what goes, from which daemon). */
  readonly says: readonly string[];
  readonly confirm: string;
  /** ctr: the object is there as before. */
  readonly intact: () => Promise<boolean>;
  /** ctr: the command did what it said. */
  readonly done: () => Promise<boolean>;
  readonly screenshot: string;
}

async function openModal(page: Page, d: Destructive): Promise<void> {
  let modal: ModalText | undefined;
  for (let attempt = 1; !modal; attempt++) {
    if (d.open) await d.open();
    else if (d.row) await runFromContextMenu(page, d.row(), d.command);
    modal = await readModal(page, attempt === 1 ? 5_000 : 15_000).catch(async (error: unknown) => {
      if (!(await d.intact())) throw new Error(`no confirmation dialog after "${d.command}", and ctr says it already happened: the command acted without asking`);
      // Rarely (once in five runs, right after a kill, while the tree re-read its tasks) the
      // picked item opened no dialog and changed nothing: pick it once more. A command that acts
      // without asking still fails just above.
      if (attempt === 2) throw new Error(`no confirmation dialog after "${d.command}" (${(error as Error).message.split('\n')[0] ?? ''}); ctr still has it`);
      return undefined;
    });
  }
  const text = `${modal.message}\n${modal.detail}`;
  const missing = d.says.filter((part) => !text.includes(part));
  if (missing.length > 0) throw new Error(`the dialog does not say [${missing.join(', ')}]: ${text}`);
  if (!modal.buttons.includes('Cancel') || !modal.buttons.includes(d.confirm)) throw new Error(`the dialog offers [${modal.buttons.join(', ')}], expected Cancel and ${d.confirm}`);
}

/** Cancel first (nothing may change), then the same command confirmed (exactly its effect). */
export async function cancelThenConfirm(page: Page, d: Destructive): Promise<void> {
  if (!(await d.intact())) throw new Error(`before "${d.command}", ctr does not hold what it would act on`);
  await openModal(page, d);
  await screenshot(page, d.screenshot);
  await pressModalButton(page, 'Cancel');
  if (!(await d.intact())) throw new Error(`Cancel on "${d.command}" changed the daemon per ctr`);
  await openModal(page, d);
  // The menu and a second dialog took their time: whatever the Cancel had started is done by now.
  if (!(await d.intact())) throw new Error(`Cancel on "${d.command}" changed the daemon per ctr (seen before confirming)`);
  await pressModalButton(page, d.confirm);
  await waitFor(`ctr to show the effect of "${d.command}"`, d.done, 30_000, 200);
}

function ctrOf(fx: Fixture): Ctr {
  return (args) => fx.daemon.ctr(args);
}

async function deleteImage(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const { namespace, doomed, kept } = rows.actions;
  const names = async (): Promise<string[]> => (await ctrImages(ctrOf(fx), namespace)).map((i) => i.name);
  await chooseNamespace(page, namespace);
  await expandRows(page, 'Images', ['busybox']);
  const tag = doomed.slice(doomed.lastIndexOf(':') + 1);
  const digest = (await ctrImages(ctrOf(fx), namespace)).find((i) => i.name === doomed)?.digest ?? '?';
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Images', tag, 2), command: 'Delete Image…', confirm: 'Delete Image', screenshot: 'confirm-delete-image.png',
    says: [`Delete image ${doomed}?`, digest, `namespace "${namespace}"`, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await names()).includes(doomed),
    done: async () => !(await names()).includes(doomed),
  });
  const left = await names();
  if (!kept.every((k) => left.includes(k))) throw new Error(`deleting ${doomed} took other tags with it: ctr lists [${left.join(', ')}]`);
  const keptTags = kept.map((k) => k.slice(k.lastIndexOf(':') + 1));
  await settle(page, 'Images', `[${keptTags.join(', ')}] without ${tag}`, (s) => !s.rows.includes(tag) && keptTags.every((t) => s.rows.includes(t)), 30_000);
}

async function killThenDeleteTask(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const { namespace, victim } = rows.actions;
  const task = async (): Promise<string | undefined> => (await ctrTasks(ctrOf(fx), namespace)).get(victim.id)?.status;
  const containers = async (): Promise<string[]> => (await fx.daemon.ctr(['--namespace', namespace, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim());
  await chooseNamespace(page, namespace);
  const pid = (await ctrTasks(ctrOf(fx), namespace)).get(victim.id)?.pid;
  await settle(page, 'Containers', `${victim.name} running`, (s) => (s.descriptions[s.rows.indexOf(victim.name)] ?? '').startsWith('Running'));
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Containers', victim.name), command: 'Stop Task…', confirm: 'Send SIGKILL', screenshot: 'confirm-kill.png',
    says: [`Stop the task of container ${victim.name}?`, `Process ${pid} of ${victim.id}`, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await task()) === 'RUNNING',
    done: async () => (await task()) === 'STOPPED',
  });
  // The row turns Stopped, which is what offers Delete Stopped Task.
  await settle(page, 'Containers', `${victim.name} stopped`, (s) => (s.descriptions[s.rows.indexOf(victim.name)] ?? '').startsWith('Stopped'), 30_000);
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Containers', victim.name), command: 'Delete Stopped Task…', confirm: 'Delete Task', screenshot: 'confirm-delete-task.png',
    says: [`Delete the task of container ${victim.name}?`, victim.id, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await task()) === 'STOPPED',
    done: async () => (await task()) === undefined,
  });
  if (!(await containers()).includes(victim.id)) throw new Error(`deleting the task removed container ${victim.id} too, per ctr`);
  await settle(page, 'Containers', `${victim.name} without a task (Created)`, (s) => (s.descriptions[s.rows.indexOf(victim.name)] ?? '').startsWith('Created'), 30_000);
}

/** Inspect Snapshot on a container's snapshot: key, kind, parent and labels as `ctr snapshots info` has them. */
async function inspectSnapshot(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const { namespace, victim } = rows.actions;
  await chooseNamespace(page, namespace);
  await showSnapshotter(page, 'overlayfs');
  await runFromContextMenu(page, treeRow(page, 'Snapshots', victim.id), 'Inspect Snapshot');
  const { text, language } = await activeEditor(page, `snapshot ${victim.id}.json`);
  if (language !== 'JSON') throw new Error(`the snapshot document opened as ${JSON.stringify(language)}, not JSON`);
  const doc = JSON.parse(text) as { key?: string; kind?: string; parent?: string; labels?: Record<string, string>; usage?: { size?: number } };
  const info = JSON.parse(await fx.daemon.ctr(['--namespace', namespace, 'snapshots', 'info', victim.id])) as { Name: string; Kind: string; Parent?: string; Labels?: Record<string, string> };
  const sorted = (labels: Record<string, string> | undefined): [string, string][] => Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const shown = { key: doc.key, kind: doc.kind, parent: doc.parent, labels: sorted(doc.labels) };
  const expected = { key: info.Name, kind: info.Kind.toLowerCase(), parent: info.Parent, labels: sorted(info.Labels) };
  if (JSON.stringify(shown) !== JSON.stringify(expected) || typeof doc.usage?.size !== 'number') {
    throw new Error(`the snapshot document says ${JSON.stringify({ ...shown, usage: doc.usage })}, ctr says ${JSON.stringify(expected)}`);
  }
  await screenshot(page, 'inspect-snapshot.png');
}

async function removeSnapshots(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const { namespace, scratchSnapshot, victim } = rows.actions;
  const keys = (): Promise<string[]> => ctrSnapshotKeys(ctrOf(fx), namespace, 'overlayfs');
  await chooseNamespace(page, namespace);
  await showSnapshotter(page, 'overlayfs');
  await settle(page, 'Snapshots', `${scratchSnapshot} and ${victim.id}`, (s) => s.rows.includes(scratchSnapshot) && s.rows.includes(victim.id));
  await cancelThenConfirm(page, {
    row: () => treeRow(page, 'Snapshots', scratchSnapshot), command: 'Remove Snapshot…', confirm: 'Remove Snapshot', screenshot: 'confirm-remove-snapshot.png',
    says: [`Remove snapshot ${scratchSnapshot}?`, `namespace "${namespace}"`, `containerd at ${fx.daemon.socket}`],
    intact: async () => (await keys()).includes(scratchSnapshot),
    done: async () => !(await keys()).includes(scratchSnapshot),
  });
  if (!(await keys()).includes(victim.id)) throw new Error(`removing ${scratchSnapshot} took ${victim.id} with it, per ctr`);
  await settle(page, 'Snapshots', `no ${scratchSnapshot}`, (s) => !s.rows.includes(scratchSnapshot) && s.rows.includes(victim.id), 30_000);

  // The container's own snapshot: confirmed, still refused, with the reason in a notification.
  const victimPresent = async (): Promise<boolean> => (await keys()).includes(victim.id);
  await openModal(page, {
    row: () => treeRow(page, 'Snapshots', victim.id), command: 'Remove Snapshot…', confirm: 'Remove Snapshot', screenshot: 'confirm-remove-in-use.png',
    says: [`Remove snapshot ${victim.id}?`], intact: victimPresent, done: async () => !(await victimPresent()),
  });
  await pressModalButton(page, 'Remove Snapshot');
  const toast = await waitFor('a notification refusing the removal', async () => (await toastTexts(page)).find((t) => t.includes(victim.id)), 15_000, 100);
  if (!/root filesystem of container/.test(toast)) throw new Error(`the refusal does not say the container uses it: ${toast}`);
  await screenshot(page, 'remove-snapshot-refused.png');
  if (!(await keys()).includes(victim.id)) throw new Error(`the in-use snapshot ${victim.id} is gone per ctr although the removal was refused`);
}

export function confirmChecks(fx: Fixture, rows: () => Promise<RowFacts>): PageCheck[] {
  return [
    { title: 'UI: Delete Image… — Cancel keeps it, confirmed only that tag goes (ctr)', run: async (page) => deleteImage(page, fx, await rows()) },
    { title: 'UI: Stop Task… then Delete Stopped Task… — Cancel keeps the task, confirmed it stops, then goes while the container stays (ctr)', run: async (page) => killThenDeleteTask(page, fx, await rows()) },
    { title: 'UI: Inspect Snapshot opens a JSON document matching ctr snapshots info', run: async (page) => inspectSnapshot(page, fx, await rows()) },
    { title: 'UI: Remove Snapshot… — Cancel keeps it, confirmed an unused one goes, an in-use one is refused with a message (ctr)', run: async (page) => removeSnapshots(page, fx, await rows()) },
  ];
}
