// Runs inside the real extension host: containerd.doctor.run reads the same endpoints, settings and
// buildkitd the explorer uses and opens its report as a read-only Markdown document; run for a
// failure a command saw, it opens with that finding; a failed command whose error is a known
// problem offers the doctor instead of a bare error.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { waitFor } from '../../harness/waitFor';
import { activateExtension, ctrOf, readFacts } from './facts';

describe('The doctor (extension host, containerd 2.x)', () => {
  const facts = readFacts();
  let api: ExtensionApi;

  before(async () => {
    api = await activateExtension();
    await waitFor('the explorer scope', () => api.scope.get(), 30_000);
  });

  it('reports the daemon under test as ctr sees it and the Builders view\'s buildkitd, in a Markdown document of its own scheme', async () => {
    const report = await api.doctor.run();
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'containerd-doctor');
    assert.equal(editor.document.languageId, 'markdown');
    const text = editor.document.getText();
    const version = /Server:\s*\n\s*Version:\s*(\S+)/.exec(await ctrOf(facts)(['version']))?.[1] ?? 'unknown';
    const namespaces = (await ctrOf(facts)(['namespaces', 'list', '--quiet'])).split('\n').filter((l) => l.trim()).length;
    const daemon = report.findings.find((f) => f.check === 'endpoint' && f.message.startsWith(facts.socket));
    assert.equal(daemon?.level, 'ok');
    assert.equal(daemon?.message, `${facts.socket}: containerd ${version} answers, ${namespaces} namespace${namespaces === 1 ? '' : 's'}.`);
    assert.ok(text.includes(`- ✅ ok (endpoint): ${daemon.message}`));
    const builder = report.findings.find((f) => f.check === 'buildkitd');
    assert.equal(builder?.level, 'ok', JSON.stringify(builder));
    assert.ok(builder.message.includes(`answers at ${facts.debug.buildkitdAddress} (setting)`), builder.message);
  });

  it('opens with what a failed command showed when run for it, and copies the report', async () => {
    const seen = { check: 'overlay', level: 'error', message: 'overlay on overlay seen.', fix: 'bind-mount it', evidence: ['failed to mount rootfs component: invalid argument'] };
    await vscode.commands.executeCommand('containerd.doctor.run', { seen });
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /\n## What the failed command showed\n\n- ❌ error \(overlay\): overlay on overlay seen\.\n {2}- seen: `failed to mount rootfs component: invalid argument`\n {2}- fix: bind-mount it\n/);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('containerd.doctor.copyReport');
    assert.equal(await vscode.env.clipboard.readText(), text);
    // Anything else as the argument is ignored: the report has no such section.
    await vscode.commands.executeCommand('containerd.doctor.run', { seen: { check: 1 } });
    assert.doesNotMatch(vscode.window.activeTextEditor?.document.getText() ?? '', /What the failed command showed/);
  });
});
