// Runs inside the real extension host: what settings changes and Refresh cost. Refresh re-reads
// without re-subscribing; a display setting repaints from what was read, with no call at all;
// only an address change opens a new event stream. The extension's own request counts (every
// call it makes, per endpoint and method) are the witness, the trees what the user sees.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { ContainerNode } from '../../../src/views/containersTree';
import { waitFor } from '../../harness/waitFor';
import { activateExtension, ctrOf, readFacts, walk } from './facts';

const subscribe = '/containerd.services.events.v1.Events/Subscribe';
const listImages = '/containerd.services.images.v1.Images/List';
const listContainers = '/containerd.services.containers.v1.Containers/ListStream';
const listTasks = '/containerd.services.tasks.v1.Tasks/List';

describe('Settings and Refresh (extension host, containerd 2.x)', () => {
  const facts = readFacts();
  const ctr = ctrOf(facts);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const older = { id: `e2e-older-${suffix}`, name: `zz-older-${suffix}` };
  const newer = { id: `e2e-newer-${suffix}`, name: `aa-newer-${suffix}` };
  let api: ExtensionApi;
  let address: string;

  const calls = (path: string): number => api.requests.snapshot(address)[path] ?? 0;
  const labels = async (): Promise<string[]> => (await walk<ContainerNode>(api.containers)).filter((r) => r.node.kind === 'container').map((r) => r.label);
  const setting = vscode.workspace.getConfiguration('containerd');
  /** Waits until no call was made for 2 s (longer than the re-read that follows a task exit). */
  const quiet = async (): Promise<void> => {
    let last = JSON.stringify(api.requests.snapshot(address));
    let since = Date.now();
    await waitFor('the extension to go quiet', () => {
      const now = JSON.stringify(api.requests.snapshot(address));
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= 2000;
    }, 30_000);
  };

  before(async () => {
    api = await activateExtension();
    address = (await waitFor('the explorer scope', () => api.scope.get(), 30_000)).address;
    await waitFor('the event stream to connect', () => api.events.state(address)?.kind === 'connected', 30_000);
    for (const c of [older, newer]) {
      await ctr(['--namespace', facts.namespace, 'containers', 'create', '--label', `nerdctl/name=${c.name}`, facts.image.name, c.id]);
      // Distinct creation times at second precision.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    await waitFor('both new containers in the tree', async () => {
      const shown = await labels();
      return shown.includes(older.name) && shown.includes(newer.name);
    }, 30_000);
  });

  after(async () => {
    await setting.update('containers.sortBy', undefined, vscode.ConfigurationTarget.Global);
    for (const c of [older, newer]) await ctr(['--namespace', facts.namespace, 'containers', 'delete', c.id]).catch(() => undefined);
  });

  it('Refresh re-reads every view over the same event stream', async () => {
    const before = { subscribe: calls(subscribe), images: calls(listImages) };
    await vscode.commands.executeCommand('containerd.namespaces.refresh');
    await waitFor('the Images view to re-read', () => calls(listImages) > before.images, 30_000);
    assert.equal(calls(subscribe), before.subscribe, 'Refresh closed and reopened the event stream');
    assert.equal(api.events.state(address)?.kind, 'connected');
  });

  it('a new sort order repaints the Containers view without asking the daemon', async () => {
    const byName = await labels();
    assert.ok(byName.indexOf(newer.name) < byName.indexOf(older.name), `by name, ${newer.name} comes first: ${byName.join(', ')}`);
    await quiet();
    const before = { containers: calls(listContainers), tasks: calls(listTasks), images: calls(listImages), subscribe: calls(subscribe) };
    await setting.update('containers.sortBy', 'created', vscode.ConfigurationTarget.Global);
    const byCreated = await waitFor('the rows in creation order', async () => {
      const shown = await labels();
      return shown.indexOf(older.name) > shown.indexOf(newer.name) && shown.indexOf(newer.name) === 0 ? shown : undefined;
    }, 15_000);
    assert.equal(byCreated[0], newer.name, `newest first: ${byCreated.join(', ')}`);
    assert.deepEqual(
      { containers: calls(listContainers), tasks: calls(listTasks), images: calls(listImages), subscribe: calls(subscribe) },
      before, 'a display setting made calls to the daemon');
  });

  it('only an address change opens a new event stream; rows read before keep their own endpoint', async () => {
    const alias = `unix://${facts.socket}`;
    // A snapshotter row read under the first address: its chains must stay on that endpoint.
    const snapshotter = (await api.snapshots.getChildren()).find((n) => n.kind === 'snapshotter');
    assert.ok(snapshotter, 'no snapshotter row in the Snapshots view');
    await setting.update('address', alias, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('a stream to the new address', () => (api.requests.snapshot(alias)[subscribe] ?? 0) >= 1 && api.events.state(alias)?.kind === 'connected', 30_000);
      assert.equal(api.events.state(address), undefined, 'the old address keeps its event stream');
      // The views follow: the old address is no longer an endpoint, so the scope falls back to a live one.
      await waitFor('the views to show the new address', () => api.scope.get()?.address === alias, 30_000);
      const chains = await api.snapshots.getChildren(snapshotter);
      assert.ok(chains.length > 0);
      assert.deepEqual([...new Set(chains.map((n) => (n.kind === 'snapshot' ? n.address : n.kind)))], [address], 'a row acts on the daemon it was read from, not the current scope');
    } finally {
      await setting.update('address', facts.socket, vscode.ConfigurationTarget.Workspace);
      await waitFor('the stream back on the original address', () => api.events.state(address)?.kind === 'connected', 30_000);
    }
  });
});
