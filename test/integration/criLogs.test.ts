// Kubernetes' containers, made through the CRI plugin of private containerd 1.7 and 2.x (a pause
// image the test builds, a host-network pod, nothing pulled): the explorer's reading of them as
// CRI containers, and their logs through crictl with the invocation and argv the extension builds
// (nerdctl logs does not find them: their log file is where the pod config put it).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crictlInvocation, crictlLogsArgs, isCriContainer } from '../../src/nerdctl/crictl';
import { runProcess, type RunResult } from '../../src/process/runner';
import { loadComponents, type Components, type ContainerdVersion } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { importBusybox } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

const versions: readonly ContainerdVersion[] = ['1.7', '2.x'];
const pauseImage = 'registry.k8s.io/pause:vscode-containerd';
const appImage = 'docker.io/library/busybox:cri';

for (const version of versions) {
  describe(`Kubernetes (CRI) containers on containerd ${version}`, () => {
    let components: Components;
    let daemon: ContainerdDaemon;
    let containerId = '';

    const crictl = (args: readonly string[]): Promise<RunResult> => {
      const invocation = crictlInvocation([components.tools.crictl], { address: daemon.socket, namespace: 'k8s.io', callerCanOpen: true }, { uid: 0 }, 'background');
      assert.ok(invocation.ok);
      return runProcess({ file: invocation.process.file, args: [...invocation.process.args, ...args] }, { timeoutMs: 60_000 });
    };
    const succeeded = async (args: readonly string[]): Promise<string> => {
      const result = await crictl(args);
      assert.equal(result.exitCode, 0, `${result.command}: ${result.stderr}`);
      return result.stdout.trim();
    };

    before(async () => {
      components = loadComponents();
      daemon = await startContainerd(version, { pauseImage, cniBin: components.cniBin });
      for (const [name, cmd] of [[pauseImage, ['sleep', '2147483647']], [appImage, ['sh']]] as const) {
        await importBusybox(daemon, components.busybox, name, 'k8s.io', [...cmd]);
      }
      const logs = join(daemon.dir, 'pods', 'web');
      mkdirSync(logs, { recursive: true });
      const pod = join(daemon.dir, 'pod.json');
      writeFileSync(pod, JSON.stringify({
        metadata: { name: 'web', namespace: 'shop', uid: `uid-${process.pid}`, attempt: 0 },
        log_directory: logs,
        linux: { security_context: { namespace_options: { network: 2 } } },
      }));
      const container = join(daemon.dir, 'container.json');
      writeFileSync(container, JSON.stringify({
        metadata: { name: 'app' },
        image: { image: appImage },
        command: ['sh', '-c', 'echo hello from the pod; echo to stderr >&2; while true; do sleep 1; done'],
        log_path: 'app/0.log',
      }));
      const podId = await succeeded(['runp', pod]);
      containerId = await succeeded(['create', podId, container, pod]);
      await succeeded(['start', containerId]);
    });
    after(async () => {
      await daemon?.stop();
    });

    it('the containers in k8s.io are CRI\'s by their labels: the app and its pod sandbox', async () => {
      const ids = (await daemon.ctr(['--namespace', 'k8s.io', 'containers', 'ls', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean);
      assert.equal(ids.length, 2, `the app and the sandbox: ${ids.join(', ')}`);
      for (const id of ids) {
        const info = JSON.parse(await daemon.ctr(['--namespace', 'k8s.io', 'containers', 'info', id])) as { Labels?: Record<string, string> };
        assert.equal(isCriContainer(info.Labels ?? {}), true, `${id}: ${JSON.stringify(info.Labels)}`);
      }
    });

    it('crictl logs, as the extension calls it, shows the container\'s stdout and stderr lines', async () => {
      const output = await waitFor('both log lines', async () => {
        const result = await crictl(crictlLogsArgs(containerId, { follow: false, tail: 50, timestamps: false }));
        const text = `${result.stdout}${result.stderr}`;
        return text.includes('hello from the pod') && text.includes('to stderr') ? text : undefined;
      }, 30_000, 500);
      assert.match(output, /hello from the pod/);
    });

    it('with --follow it keeps streaming until stopped (the terminal\'s case)', async () => {
      const result = await runProcess({ file: components.tools.crictl, args: [`--runtime-endpoint=unix://${daemon.socket}`, ...crictlLogsArgs(containerId, { follow: true, tail: 5, timestamps: true })] }, { timeoutMs: 3_000 });
      assert.equal(result.timedOut, true, result.stderr);
      assert.match(result.stdout, /^\d{4}-\d\d-\d\dT\S+ hello from the pod$/m);
    });
  });
}
