// Runs inside the real extension host: commands and inspect documents can be invoked by anyone
// (a command: link, another extension) with any arguments. They act only on the endpoints the
// extension itself knows; a socket named by a caller is never dialled.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { waitFor } from '../../harness/waitFor';
import { activateExtension, readFacts } from './facts';

const stranger = '/tmp/vscode-containerd-e2e-stranger.sock';

describe('Only known endpoints (extension host, containerd 2.x)', () => {
  const facts = readFacts();
  let api: ExtensionApi;

  before(async () => {
    api = await activateExtension();
    await waitFor('the explorer scope', () => api.scope.get(), 30_000);
  });

  it('refuses to show a namespace of an unknown socket', async () => {
    const before = api.scope.get();
    await vscode.commands.executeCommand('containerd.namespaces.select', stranger, 'default');
    assert.deepEqual(api.scope.get(), before);
    assert.deepEqual(api.requests.snapshot(stranger), {});
  });

  it('opens no connection for an inspect document naming an unknown socket, and says why', async () => {
    const uri = vscode.Uri.from({ scheme: 'containerd-inspect', path: '/namespace default.json', query: JSON.stringify({ kind: 'namespace', address: stranger, namespace: 'default', labels: {} }) });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.getText(), /is not a containerd endpoint this extension knows/);
    const garbage = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'containerd-inspect', path: '/x.json', query: '{not json' }));
    assert.match(garbage.getText(), /does not name a containerd object/);
    assert.deepEqual(api.requests.snapshot(stranger), {});
  });

  it('acts on no row whose endpoint it does not know', async () => {
    const image = { kind: 'image', image: { address: stranger, namespace: 'default', record: { name: facts.image.name, target: { digest: facts.image.digest } } } };
    await vscode.commands.executeCommand('containerd.images.delete', image);
    const container = { kind: 'container', address: stranger, container: { id: facts.containers.api.id, namespace: facts.namespace, name: 'api' } };
    await vscode.commands.executeCommand('containerd.containers.kill', container);
    assert.deepEqual(api.requests.snapshot(stranger), {});
  });
});
