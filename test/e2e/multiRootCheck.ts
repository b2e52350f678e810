// A multi-root workspace (a .code-workspace file with two folders, each with its own Dockerfile
// and tasks.json) in its own window: each folder's task builds its own folder's Dockerfile and
// its failure lands on that file, and the other folder's diagnostics stay.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openViewContainer, openWorkbench } from '../harness/browser';
import { runTask, waitForProblems, writeBuild } from './buildTaskCheck';
import { screenshot } from './explorerPage';
import { message, repo, type Fixture } from './fixture';

function writeFolder(dir: string, label: string, steps: readonly string[]): void {
  writeBuild(dir, steps);
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'tasks.json'), JSON.stringify({
    version: '2.0.0',
    tasks: [{ type: 'buildkit', label, file: 'Dockerfile', progress: 'rawjson', problemMatcher: [] }],
  }, null, 2));
}

export async function checkMultiRoot(fx: Fixture): Promise<void> {
  const root = join(fx.scratch, 'multi-root');
  // Both Dockerfiles are `Dockerfile` at their folder's top: only the task's folder tells them apart.
  writeFolder(join(root, 'alpha'), 'alpha: build', ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "sh", "-c", "exit 5"]']);
  writeFolder(join(root, 'beta'), 'beta: build', ['FROM scratch', 'COPY busybox /bin/busybox', 'WORKDIR /beta', 'RUN ["/bin/busybox", "sh", "-c", "exit 6"]']);
  const workspaceFile = join(root, 'e2e.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({
    folders: [{ path: 'alpha' }, { path: 'beta' }],
    settings: { 'containerd.address': fx.daemon.socket, 'containerd.discovery.enabled': false },
  }, null, 2));
  const workbench = await openWorkbench(fx.browser, fx.codeServer.workspaceUrl([['extensionDevelopmentPath', fx.codeServer.remoteUri(repo)]], workspaceFile));
  try {
    const { page } = workbench;
    await openViewContainer(page, 'containerd');
    await runTask(page, 'beta: build');
    await waitForProblems(page, [['exited with code 6', 4]]);
    await runTask(page, 'alpha: build');
    const rows = await waitForProblems(page, [['exited with code 5', 3], ['exited with code 6', 4]]);
    // Each failure under its own folder's Dockerfile, not both under one.
    const files = rows.filter((r) => /^Dockerfile/.test(r));
    if (files.length !== 2 || !files.some((r) => r.includes('alpha')) || !files.some((r) => r.includes('beta'))) {
      throw new Error(`Problems does not show one Dockerfile per folder: ${JSON.stringify(rows)}`);
    }
    await screenshot(page, 'multi-root-problems.png');
  } catch (error) {
    // What the window showed (a Run Task list that never held the task, once in fresh-clone CI).
    await screenshot(workbench.page, 'failed-multi-root.png').catch(() => undefined);
    throw new Error(`${message(error)}\n--- code-server log tail ---\n${fx.codeServer.logTail()}`);
  } finally {
    await workbench.close();
  }
}
