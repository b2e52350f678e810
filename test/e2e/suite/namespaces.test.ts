// Runs inside the real extension host: the Namespaces tree against a private containerd 2.x the
// runner started. The runner's facts arrive as a JSON file named by VSCODE_CONTAINERD_E2E; ctr
// itself is the oracle for what the daemon holds.
import * as assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { E2EFacts } from '../fixture';
import { waitFor } from '../../harness/waitFor';
import { activateExtension, ctrOf, labelOf, readFacts } from './facts';

async function ctrNamespaces(facts: E2EFacts): Promise<string[]> {
  const stdout = await ctrOf(facts)(['namespaces', 'list', '--quiet']);
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

async function treeLabels(api: ExtensionApi): Promise<string[]> {
  const nodes = await api.namespaces.getChildren();
  return nodes.map((node) => labelOf(api.namespaces.getTreeItem(node))).sort();
}

describe('Namespaces view (extension host, containerd 2.x)', () => {
  const facts = readFacts();
  let api: ExtensionApi;

  before(async () => {
    api = await activateExtension();
  });

  it('lists exactly the daemon\'s namespaces', async () => {
    const oracle = await ctrNamespaces(facts);
    assert.deepEqual(oracle, [...facts.namespaces].sort(), 'ctr disagrees with the runner about the namespaces');
    assert.deepEqual(await treeLabels(api), oracle);
  });

  it('shows a namespace created with ctr after activation once refreshed', async () => {
    const name = `e2e-late-${process.pid}`;
    await ctrOf(facts)(['namespaces', 'create', name]);
    try {
      await vscode.commands.executeCommand('containerd.namespaces.refresh');
      const labels = await treeLabels(api);
      assert.ok(labels.includes(name), `tree shows [${labels.join(', ')}], without ${name}`);
      assert.deepEqual(labels, await ctrNamespaces(facts));
    } finally {
      await ctrOf(facts)(['namespaces', 'remove', name]);
      await vscode.commands.executeCommand('containerd.namespaces.refresh');
    }
  });

  describe('when containerd.address points at a missing socket', () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('containerd');
    let original: string | undefined;
    let changed = false;
    const missing = join(dirname(facts.socket), 'no-such-dir', 'containerd.sock');

    before(async () => {
      original = config().inspect<string>('address')?.workspaceValue;
      assert.equal(original, facts.socket, 'the workspace settings do not pin the private daemon');
      changed = true;
      await config().update('address', missing, vscode.ConfigurationTarget.Workspace);
    });

    // The UI checks after this suite open the same folder: its settings must be as they were.
    after(async () => {
      if (changed) await config().update('address', original, vscode.ConfigurationTarget.Workspace);
    });

    it('reports it unreachable (notFound) with an empty tree', async () => {
      // The settings change reaches the extension asynchronously; wait for the reload it causes.
      const statuses = await waitFor('the tree to load the new address', async () => {
        const current = await api.namespaces.statuses();
        return current.length === 1 && current[0]?.endpoint.address === missing ? current : undefined;
      }, 20_000);
      const only = statuses[0];
      assert.ok(only && !only.reachable, 'the missing socket is reported reachable');
      assert.equal((only.error as { reason?: unknown }).reason, 'notFound', only.error.message);
      assert.match(only.error.message, /^Cannot reach containerd at /);
      assert.deepEqual(await api.namespaces.getChildren(), []);
    });

    it('lists the namespaces again once the address is put back', async () => {
      await config().update('address', original, vscode.ConfigurationTarget.Workspace);
      const oracle = await ctrNamespaces(facts);
      await waitFor('the namespaces to come back', async () => {
        const labels = await treeLabels(api);
        return labels.join(',') === oracle.join(',') ? labels : undefined;
      }, 20_000);
    });
  });
});
