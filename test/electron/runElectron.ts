// `npm run test:electron`: the same extension-host suite as the e2e tier, in a desktop VS Code
// downloaded by @vscode/test-electron, for machines that can download it (these cannot: the
// e2e tier uses code-server instead). Same private containerd 2.x and -N -l buildkitd, same
// workspace, same facts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { loadComponents } from '../harness/components';
import { startContainerd } from '../harness/containerdDaemon';
import { debugFacts, e2eNamespace, prepareDaemonWorkspace, repo } from '../e2e/fixture';
import { startBuildkitd } from '../harness/buildkitd';

async function main(): Promise<void> {
  const components = loadComponents();
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-electron-'));
  const daemon = await startContainerd('2.x');
  const buildkitd = await startBuildkitd(daemon, { namespace: e2eNamespace, binary: components.tools.buildkitdDebug });
  try {
    const { folder, factsFile } = await prepareDaemonWorkspace(daemon, components, scratch, debugFacts(buildkitd, components));
    await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust'],
      // The debug checks' dlv, found on PATH as a user's would be (code-server's run names it in settings).
      extensionTestsEnv: { VSCODE_CONTAINERD_E2E: factsFile, PATH: `${dirname(components.tools.dlv)}:${process.env.PATH ?? ''}` },
    });
    console.log('electron suite passed');
  } finally {
    await buildkitd.stop();
    await daemon.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
