// nerdctl compose with the argv the extension builds, against private containerd 1.7 and 2.x: up
// starts the file's services detached under the project name we derive (ctr sees the containers
// running with compose's project label), logs shows their output, down removes exactly them.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { composeArgs, composeProjectOf } from '../../src/nerdctl/compose';
import type { RunResult } from '../../src/process/runner';
import { loadComponents, type ContainerdVersion } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { nerdctlFor, type NerdctlHarness } from '../harness/nerdctlEnv';
import { importBusybox } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

const versions: readonly ContainerdVersion[] = ['1.7', '2.x'];
const image = 'docker.io/library/busybox:compose';

for (const version of versions) {
  describe(`nerdctl compose on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let nerdctl: NerdctlHarness;
    let file: string;
    // runc state and cgroups are host-global: a namespace of our own keeps the ids apart.
    const namespace = `compose-${process.pid}-${Date.now().toString(36)}`;
    const succeeded = (result: RunResult): void => assert.equal(result.exitCode, 0, `${result.command}: ${result.stderr}`);

    /** The containers of a compose project per ctr, with their task status. */
    const projectContainers = async (project: string): Promise<Map<string, string>> => {
      const found = new Map<string, string>();
      const tasks = new Map((await daemon.ctr(['--namespace', namespace, 'tasks', 'ls'])).split('\n').slice(1).map((l) => l.trim().split(/\s+/)).map((f): [string, string] => [f[0] ?? '', f[2] ?? '']));
      for (const id of (await daemon.ctr(['--namespace', namespace, 'containers', 'ls', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean)) {
        const info = JSON.parse(await daemon.ctr(['--namespace', namespace, 'containers', 'info', id])) as { Labels?: Record<string, string> };
        if (info.Labels?.['com.docker.compose.project'] === project) found.set(info.Labels['com.docker.compose.service'] ?? id, tasks.get(id) ?? 'no task');
      }
      return found;
    };

    before(async () => {
      const components = loadComponents();
      daemon = await startContainerd(version);
      nerdctl = nerdctlFor(daemon, components);
      await importBusybox(daemon, components.busybox, image, namespace);
      // A folder name compose must normalise: upper case and a dot go, the rest stays.
      const folder = join(daemon.dir, 'My.Shop_app');
      mkdirSync(folder, { recursive: true });
      file = join(folder, 'compose.yaml');
      writeFileSync(file, [
        'services:',
        '  web:',
        `    image: ${image}`,
        '    network_mode: none',
        '    command: ["sh", "-c", "trap \'exit 0\' TERM; echo hello from web; while true; do sleep 1; done"]',
        '  worker:',
        `    image: ${image}`,
        '    network_mode: none',
        '    command: ["sh", "-c", "trap \'exit 0\' TERM; echo hello from worker; while true; do sleep 1; done"]',
        '',
      ].join('\n'));
    });
    after(async () => {
      await daemon?.stop();
    });

    it('up starts every service detached, labelled with the project name we derive from the folder', async () => {
      assert.equal(composeProjectOf(file), 'myshop_app');
      succeeded(await nerdctl.run(namespace, composeArgs(file, 'up')));
      const containers = await waitFor('both services running per ctr', async () => {
        const found = await projectContainers('myshop_app');
        return [...found.values()].filter((s) => s === 'RUNNING').length === 2 ? found : undefined;
      });
      assert.deepEqual([...containers.keys()].sort(), ['web', 'worker']);
    });

    it('logs follows every service\'s output (the call runs until stopped)', async () => {
      const result = await nerdctl.run(namespace, composeArgs(file, 'logs'), { timeoutMs: 8_000 });
      assert.equal(result.timedOut, true, `logs --follow ended by itself: ${result.stderr}`);
      assert.match(result.stdout, /hello from web/);
      assert.match(result.stdout, /hello from worker/);
    });

    it('down removes the project\'s containers and nothing else', async () => {
      succeeded(await nerdctl.run(namespace, ['run', '--detach', '--network=none', '--name=bystander', '--', image, 'sleep', '600']));
      succeeded(await nerdctl.run(namespace, composeArgs(file, 'down')));
      assert.deepEqual([...(await projectContainers('myshop_app')).keys()], []);
      const left = await daemon.ctr(['--namespace', namespace, 'containers', 'ls', '--quiet']);
      assert.equal(left.split('\n').map((l) => l.trim()).filter(Boolean).length, 1, `only the bystander stays: ${left}`);
      succeeded(await nerdctl.run(namespace, ['rm', '--force', '--', 'bystander']));
    });
  });
}
