// UI checks of the Images, Containers and Snapshots views: read from the rendered workbench,
// compared with what ctr says, screenshotted; and the Containers view while containerd is
// SIGKILLed and after it restarts (driven from here: the runner owns the daemon process).
import type { Page } from 'playwright-core';
import { collapseView, type TreeViewState } from '../harness/browser';
import { ctrContainers, type CtrContainer } from './ctrOracle';
import { chooseNamespace, describeState, screenshot, settle, showSnapshotter, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';

/** Each of ctr's containers has its row (by name) in the state ctr reports, and no other row is there. */
function agrees(state: TreeViewState, oracle: readonly CtrContainer[]): boolean {
  return state.rows.length === oracle.length && oracle.every((c) => {
    const i = state.rows.indexOf(c.name);
    return i >= 0 && (state.descriptions[i] ?? '').startsWith(c.state);
  });
}

function daemonContainers(fx: Fixture): Promise<CtrContainer[]> {
  return ctrContainers((args) => fx.daemon.ctr(args), fx.facts.namespace);
}

/** Images (both platforms), Containers (as ctr has them, `api` running) and Snapshots (expanded), each screenshotted. */
async function checkExplorerViews(page: Page, fx: Fixture): Promise<void> {
  const { image, containers } = fx.facts;
  await chooseNamespace(page, fx.facts.namespace);
  const tag = image.name.slice(image.name.lastIndexOf(':') + 1);
  await settle(page, 'Images', `${image.name} with ${image.platforms.join(' and ')}`, (s) => {
    const description = s.descriptions[s.rows.indexOf(tag)] ?? '';
    return s.rows.some((r) => r.endsWith('busybox')) && image.platforms.every((p) => description.includes(p));
  });
  await screenshot(page, 'images-view.png', 'Images');

  const oracle = await daemonContainers(fx);
  const api = oracle.find((c) => c.id === containers.api.id);
  if (api?.state !== 'Running') throw new Error(`ctr does not report ${containers.api.id} running: ${JSON.stringify(oracle)}`);
  await settle(page, 'Containers', `ctr's containers ${JSON.stringify(oracle)}`, (s) => agrees(s, oracle) && !s.message);
  await screenshot(page, 'containers-view.png', 'Containers');

  await showSnapshotter(page, 'overlayfs');
  // ctr run names a container's active snapshot after the container.
  const keys = oracle.map((c) => c.id);
  await settle(page, 'Snapshots', `the active snapshots ${keys.join(', ')}`, (s) => keys.every((k) => s.rows.includes(k)));
  await screenshot(page, 'snapshots-view.png', 'Snapshots');
  // Back as it was: the checks after this one share the page.
  await collapseView(page, 'Snapshots');
}

/** containerd SIGKILLed: the Containers view says "Disconnected" and keeps its rows; restarted: it recovers by itself. */
async function checkDisconnected(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const oracle = await daemonContainers(fx);
  await settle(page, 'Containers', `ctr's containers ${JSON.stringify(oracle)}`, (s) => agrees(s, oracle) && !s.message);
  await fx.daemon.crash();
  try {
    const down = await settle(page, 'Containers', '"Disconnected: …"', (s) => (s.message ?? '').startsWith('Disconnected:'), 30_000);
    if (!agrees(down, oracle)) throw new Error(`the rows did not stay while disconnected: ${describeState('Containers', down)}`);
    await screenshot(page, 'containers-disconnected.png');
  } finally {
    // Later checks need the daemon, whatever failed above.
    await fx.daemon.restart();
  }
  await settle(page, 'Containers', 'ctr\'s containers again, without a message', async (s) => !s.message && agrees(s, await daemonContainers(fx)));
  await screenshot(page, 'containers-recovered.png');
}

export function explorerViewsCheck(fx: Fixture): PageCheck {
  return { title: 'UI: Images shows both platforms, Containers and Snapshots agree with ctr (screenshots)', run: (page) => checkExplorerViews(page, fx) };
}

/** Crashes and restarts the daemon: what runs after it must find it back on the same socket. */
export function disconnectedCheck(fx: Fixture): PageCheck {
  return { title: 'UI: containerd SIGKILLed shows "Disconnected" in Containers; restarted, the rows come back', run: (page) => checkDisconnected(page, fx) };
}
