// `npm start`: a private containerd 2.x with sample content, a second (1.7, empty) to copy images
// to, and code-server with the freshly packaged extension installed, opened on a sample workspace
// pointed at both.
// Prints the URL; Ctrl-C (or SIGTERM) stops every process it started and removes their folders.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { goFitsDlv, parseDlvVersion } from '../../src/debug/dlvCompat';
import { startBuildkitd, type Buildkitd } from './buildkitd';
import { startCodeServer, type CodeServer } from './codeServer';
import { loadComponents } from './components';
import { startContainerd, type ContainerdDaemon } from './containerdDaemon';
import { nerdctlFor } from './nerdctlEnv';
import { seedSampleContent } from './sampleContent';

const repo = resolve(__dirname, '..', '..', '..');

/** The user's own nerdctl when it is on PATH and a 2.x (the line the extension targets first). */
function usersNerdctl(): string | undefined {
  const found = spawnSync('nerdctl', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = /nerdctl version v?(\d+)\./.exec(found.stdout ?? '')?.[1];
  return found.status === 0 && Number(version) >= 2 ? 'nerdctl' : undefined;
}

/** Your dlv when it can read the sandbox's buildkitd (built with Go 1.26), else the one setup built. */
function usersDlv(built: string): string {
  const found = spawnSync('dlv', ['version'], { encoding: 'utf8', timeout: 10_000 });
  const version = found.status === 0 ? parseDlvVersion(found.stdout) : undefined;
  return version && goFitsDlv(version, 'go1.26').fits === true ? 'dlv' : built;
}

function writeSampleWorkspace(folder: string, socket: string, second: string): void {
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  const settings = { 'containerd.address': socket, 'containerd.additionalAddresses': [second], 'containerd.discovery.enabled': false };
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(join(folder, 'Dockerfile'), [
    '# syntax=docker/dockerfile:1',
    'FROM docker.io/library/busybox:sample',
    'WORKDIR /app',
    'COPY hello.sh .',
    'RUN chmod +x hello.sh',
    'CMD ["./hello.sh"]',
    '',
  ].join('\n'));
  writeFileSync(join(folder, 'hello.sh'), '#!/bin/sh\necho "hello from $(uname -m)"\n');
}

async function main(): Promise<void> {
  const components = loadComponents();
  const work = mkdtempSync(join(tmpdir(), 'vscc-start-'));
  let daemon: ContainerdDaemon | undefined;
  let second: ContainerdDaemon | undefined;
  let codeServer: CodeServer | undefined;
  let buildkitd: Buildkitd | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server and containerd…');
    await codeServer?.stop().catch((e: unknown) => console.error(e));
    await buildkitd?.stop().catch((e: unknown) => console.error(e));
    await daemon?.stop().catch((e: unknown) => console.error(e));
    await second?.stop().catch((e: unknown) => console.error(e));
    rmSync(work, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    const [main, other] = await Promise.allSettled([startContainerd('2.x'), startContainerd('1.7')]);
    if (main.status === 'fulfilled') daemon = main.value;
    if (other.status === 'fulfilled') second = other.value;
    if (main.status === 'rejected') throw main.reason;
    if (other.status === 'rejected') throw other.reason;
    if (!daemon || !second) throw new Error('a containerd did not start');
    const content = await seedSampleContent(daemon, components, work);
    const folder = join(work, 'sample-workspace');
    writeSampleWorkspace(folder, daemon.socket, second.socket);
    const port = Number(process.env.PORT ?? '') || undefined;
    // Run, logs and the rest work on the first click: nerdctl (yours when it fits, else the one
    // setup built) with a nerdctl.toml of the sandbox's own, so nothing lands in your nerdctl state.
    const nerdctl = nerdctlFor(daemon, components);
    const nerdctlCommand = usersNerdctl() ?? nerdctl.bin;
    // A buildkitd built for debugging: the Builders view shows it, build tasks use it, and
    // "Attach to buildkitd" (F5) stops in its source.
    buildkitd = await startBuildkitd(daemon, { namespace: 'default', binary: components.tools.buildkitdDebug });
    const dlv = usersDlv(components.tools.dlv);
    codeServer = await startCodeServer({
      trust: false, folder, installVsix: join(repo, 'dist', 'vscode-containerd.vsix'), port,
      env: { NERDCTL_TOML: nerdctl.env.NERDCTL_TOML ?? '', DOCKER_CONFIG: nerdctl.dockerConfig },
      userSettings: { 'containerd.nerdctl.command': [nerdctlCommand], 'containerd.crictl.command': [components.tools.crictl],
        'containerd.buildctl.command': [components.tools.buildctl], 'containerd.buildkit.host': buildkitd.address, 'containerd.debug.dlvPath': dlv },
    });
    console.log([
      '',
      `containerd 2.x    ${daemon.socket}  (ctr --address ${daemon.socket} ...)`,
      `containerd 1.7    ${second.socket}  (empty: Copy to Namespace or Endpoint… on an image copies it here)`,
      `sample image      ${content.image} (linux/amd64, linux/arm64) in namespaces ${content.namespaces.join(', ')}`,
      `containers        ${content.running.id} (running, ${content.running.namespace}), ${content.stopped.id} (stopped, ${content.stopped.namespace})`,
      `workspace         ${folder}`,
      `nerdctl           ${nerdctlCommand === 'nerdctl' ? 'yours (on PATH)' : nerdctlCommand}`,
      `buildkitd         ${buildkitd.address} (pid ${buildkitd.pid}, built -N -l: F5 attaches Delve)`,
      `dlv               ${dlv === 'dlv' ? 'yours (on PATH)' : dlv}`,
      '',
      `Open VS Code:     ${codeServer.workbenchUrl([])}`,
      '',
      'Press Ctrl-C to stop everything.',
    ].join('\n'));
  } catch (error) {
    console.error(`npm start failed: ${(error as Error).stack ?? String(error)}`);
    await stop(1);
  }
}

void main();
