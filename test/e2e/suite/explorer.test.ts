// Runs inside the real extension host: the Images and Containers trees against the private
// containerd 2.x, read through the ExtensionApi exactly as VS Code reads them (getChildren,
// getTreeItem) and never refreshed by hand: what changes must arrive through containerd's events.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { ContainerNode } from '../../../src/views/containersTree';
import type { ImageNode } from '../../../src/views/imagesTree';
import { waitFor } from '../../harness/waitFor';
import { ctrContainers, type CtrContainer } from '../ctrOracle';
import { askRunner } from '../requestChannel';
import { activateExtension, ctrOf, readFacts, walk } from './facts';

interface ContainerRow { readonly id: string; readonly label: string; readonly description: string; readonly state: string }


describe('Explorer views (extension host, containerd 2.x)', () => {
  const facts = readFacts();
  const ctr = ctrOf(facts);
  let api: ExtensionApi;
  let address: string;

  const containerRows = async (): Promise<ContainerRow[]> => (await walk<ContainerNode>(api.containers))
    .flatMap(({ node, label, description }) => (node.kind === 'container'
      ? [{ id: node.container.id, label, description, state: description.split(' · ')[0] ?? '' }]
      : []))
    .sort((a, b) => a.id.localeCompare(b.id));
  const rowOf = async (id: string): Promise<ContainerRow | undefined> => (await containerRows()).find((r) => r.id === id);
  /** The rows as ctr would have them: same ids, names and state words (the exit code aside). */
  const agreesWithCtr = (rows: readonly ContainerRow[], oracle: readonly CtrContainer[]): boolean =>
    JSON.stringify(rows.map((r) => [r.id, r.label, r.state.split(' ')[0]])) === JSON.stringify(oracle.map((c) => [c.id, c.name, c.state]));
  const describeRows = (rows: readonly ContainerRow[]): string => `[${rows.map((r) => `${r.label} (${r.id}): ${r.description}`).join('; ')}]`;

  before(async () => {
    api = await activateExtension();
    // The views load only while shown (a hidden view marks itself stale instead): open the
    // containerd container as a user would, so Images and Containers are visible.
    await vscode.commands.executeCommand('workbench.view.extension.containerd');
    const scope = await waitFor(`the explorer to show namespace ${facts.namespace}`, () => {
      const current = api.scope.get();
      return current?.namespace === facts.namespace ? current : undefined;
    }, 30_000);
    address = scope.address;
  });

  it('shows the multi-arch sample image with both platforms', async () => {
    const rows = await waitFor('the Images tree to list the sample image', async () => {
      const all = await walk<ImageNode>(api.images);
      return all.some((r) => r.node.kind === 'image' && r.node.image.record.name === facts.image.name && r.node.image.resolved) ? all : undefined;
    }, 30_000);
    const row = rows.find((r) => r.node.kind === 'image' && r.node.image.record.name === facts.image.name);
    assert.ok(row);
    assert.equal(row.label, 'e2e', 'the image row is not labelled by its tag');
    assert.match(row.parent ?? '', /busybox$/, 'the image is not under its repository');
    for (const platform of facts.image.platforms) assert.ok(row.description.includes(platform), `"${row.description}" lacks ${platform}`);
    assert.deepEqual([...facts.image.platforms].sort(), ['linux/amd64', 'linux/arm64']);
    assert.ok(!row.description.includes('not pulled'), `all platforms were imported, yet: "${row.description}"`);
    assert.ok(row.description.startsWith(facts.image.digest.slice('sha256:'.length, 'sha256:'.length + 12)), `"${row.description}" does not start with the index digest`);
  });

  it('flips a container from Running to Stopped (137) when ctr kills its task, without a refresh', async () => {
    const { web } = facts.containers;
    const running = await waitFor(`${web.id} to show Running`, async () => {
      const row = await rowOf(web.id);
      return row?.state === 'Running' ? row : undefined;
    }, 30_000).catch(async (error: unknown) => { throw new Error(`${(error as Error).message}: ${describeRows(await containerRows())}`); });
    assert.equal(running.label, web.name, 'the row is not labelled by its nerdctl/name');
    assert.ok(running.description.includes(facts.image.name), `"${running.description}" does not name the image`);
    await ctr(['--namespace', facts.namespace, 'tasks', 'kill', '--signal', 'SIGKILL', web.id]);
    await waitFor(`${web.id} to show Stopped (137)`, async () => (await rowOf(web.id))?.state === 'Stopped (137)', 60_000)
      .catch(async (error: unknown) => { throw new Error(`${(error as Error).message}: ${describeRows(await containerRows())}`); });
  }).timeout(120_000);

  it('says "disconnected" while containerd is down and comes back by itself after a restart', async () => {
    const shown = await waitFor('the Containers tree to agree with ctr', async () => {
      const rows = await containerRows();
      return agreesWithCtr(rows, await ctrContainers(ctr, facts.namespace)) ? rows : undefined;
    }, 30_000);
    assert.equal(api.events.state(address)?.kind, 'connected');
    await askRunner(facts.requestsDir, 'crashDaemon', 30_000);
    try {
      await waitFor('the event stream to report the daemon gone', () => api.events.state(address)?.kind === 'disconnected', 30_000);
      assert.match(api.containers.message ?? '', /^Disconnected: .+ Reconnecting in \d+ s…$/);
      assert.deepEqual(await containerRows(), shown, 'the rows did not stay on screen while disconnected');
      // A refresh while everything is down must not lose the scope nor blank the views.
      await vscode.commands.executeCommand('containerd.namespaces.refresh');
      assert.equal(api.scope.get()?.namespace, facts.namespace, 'a refresh while down lost the chosen namespace');
      assert.deepEqual(await containerRows(), shown, 'a refresh while down blanked the Containers view');
    } finally {
      // Whatever failed above, later tests and UI checks need the daemon back.
      await askRunner(facts.requestsDir, 'restartDaemon', 90_000);
    }
    let rows: ContainerRow[] = [];
    await waitFor('the Containers tree to come back and agree with ctr', async () => {
      rows = await containerRows();
      return api.events.state(address)?.kind === 'connected' && api.containers.message === undefined
        && agreesWithCtr(rows, await ctrContainers(ctr, facts.namespace));
    }, 90_000).catch(async (error: unknown) => {
      const state = api.events.state(address);
      throw new Error(`${(error as Error).message}: stream ${state?.kind ?? 'none'}, message ${JSON.stringify(api.containers.message)}, rows ${describeRows(rows)}, ctr ${JSON.stringify(await ctrContainers(ctr, facts.namespace))}`);
    });
    assert.equal(rows.find((r) => r.id === facts.containers.api.id)?.state, 'Running', 'the running container did not survive the daemon restart');
  }).timeout(240_000);

  it('opens a container and an image as read-only JSON documents', async () => {
    const rows = await walk<ContainerNode>(api.containers);
    const apiRow = rows.find((r) => r.node.kind === 'container' && r.node.container.id === facts.containers.api.id);
    assert.ok(apiRow, 'the api container is not in the tree');
    await vscode.commands.executeCommand('containerd.containers.inspect', apiRow.node);
    const containerDoc = vscode.window.activeTextEditor?.document;
    assert.equal(containerDoc?.uri.scheme, 'containerd-inspect');
    const container = JSON.parse(containerDoc.getText()) as { id?: string; spec?: { process?: { args?: string[] } }; task?: { state?: string } };
    assert.equal(container.id, facts.containers.api.id);
    assert.ok(Array.isArray(container.spec?.process?.args), 'the inspect document holds no OCI spec');
    assert.equal(container.task?.state, 'running');

    const images = await walk<ImageNode>(api.images);
    const imageRow = images.find((r) => r.node.kind === 'image' && r.node.image.record.name === facts.image.name);
    assert.ok(imageRow, 'the sample image is not in the tree');
    await vscode.commands.executeCommand('containerd.images.inspect', imageRow.node);
    const imageDoc = vscode.window.activeTextEditor?.document;
    assert.equal(imageDoc?.uri.scheme, 'containerd-inspect');
    const image = JSON.parse(imageDoc.getText()) as { name?: string; index?: { manifests?: unknown[] }; platforms?: { platform: string; config?: { architecture?: string } }[] };
    assert.equal(image.name, facts.image.name);
    assert.ok(Array.isArray(image.index?.manifests), 'the image document holds no index');
    assert.deepEqual(image.platforms?.map((p) => [p.platform, p.config?.architecture]).sort(), [['linux/amd64', 'amd64'], ['linux/arm64', 'arm64']]);
  });
});
