// What the e2e steps share: the running pieces and small helpers to read the daemon and the view.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { TreeViewState } from '../harness/browser';
import type { Buildkitd } from '../harness/buildkitd';
import type { CodeServer } from '../harness/codeServer';
import type { Components } from '../harness/components';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import type { Dockerd } from '../harness/dockerd';
import type { NerdctlHarness } from '../harness/nerdctlEnv';
import type { Registry } from '../harness/registry';
import { buildkitSourceDir } from '../harness/dlvSession';
import { writeBusyboxOciArchive } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

export interface E2EFailure { title: string; error: string }
export interface E2EResult { passed: number; failed: number; failures: E2EFailure[] }

export const repo = resolve(__dirname, '..', '..', '..');

export interface Fixture {
  daemon: ContainerdDaemon;
  /** A second, empty containerd (1.7) the extension learns of only when a check adds it. */
  otherDaemon: ContainerdDaemon;
  folder: string; factsFile: string; facts: E2EFacts; browser: Browser; codeServer: CodeServer; scratch: string;
  /** The nerdctl the page's extension runs (its nerdctl.toml, hosts dir and DOCKER_CONFIG). */
  nerdctl: NerdctlHarness;
  /** A private TLS registry the nerdctl above does not trust until a check says so. */
  registry: Registry;
  /** The buildkitd of the user's containerd.buildkit.host setting: build tasks and the Builders view use it (containerd worker, the e2e namespace). */
  buildkitd: Buildkitd;
  /**
   * The dockerd buildx tasks build on (DOCKER_HOST of the page's extension host), over a containerd
   * of its own so its namespaces (moby, moby_history) stay out of the explorer's.
   */
  dockerd: Dockerd;
  /** The containerd under that dockerd (its images and containers in namespace moby), not an explorer endpoint until a check adds it. */
  dockerDaemon: ContainerdDaemon;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Removes a namespace a check made, with what it holds (images and their content, synchronously
 * collected, then containers): the Namespaces view must stay short enough for later checks to
 * find their rows in it.
 */
export async function dropNamespace(daemon: ContainerdDaemon, namespace: string): Promise<void> {
  const ns = ['--namespace', namespace];
  const images = (await daemon.ctr([...ns, 'images', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean);
  if (images.length > 0) await daemon.ctr([...ns, 'images', 'rm', '--sync', ...images]);
  for (const id of (await daemon.ctr([...ns, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean)) {
    await daemon.ctr([...ns, 'tasks', 'delete', '--force', id]).catch(() => undefined);
    await daemon.ctr([...ns, 'containers', 'delete', id]);
  }
  // Content and snapshots go with the garbage collection the last delete triggered.
  await waitFor(`namespace ${namespace} to be removable`, () => daemon.ctr(['namespaces', 'remove', namespace]).then(() => true, () => false), 20_000, 250);
}

export async function daemonNamespaces(daemon: ContainerdDaemon): Promise<string[]> {
  return (await daemon.ctr(['namespaces', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

export function describeView(state: TreeViewState | undefined): string {
  if (!state) return 'the Namespaces view is not in the sidebar';
  return `rows [${state.rows.join(', ')}], message ${JSON.stringify(state.message)}, welcome ${JSON.stringify(state.welcome)}`;
}

/** A workspace folder whose settings pin exactly one containerd address. */
export function makeWorkspace(dir: string, socket: string, name = 'workspace'): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify({ 'containerd.address': socket, 'containerd.discovery.enabled': false }, null, 2)}\n`);
  writeFileSync(join(folder, 'Dockerfile'), 'FROM busybox\nRUN echo hello\n');
  return folder;
}

/** The namespaces the suite creates; no other daemon on the machine has them. */
export const privateNamespaces = ['e2e-alpha', 'e2e-beta'] as const;
export const e2eImage = 'docker.io/library/busybox:e2e';
/** The CRI plugin's sandbox image: busybox sleeping, built by the tests (nothing is pulled). */
export const e2ePauseImage = 'registry.k8s.io/pause:vscode-containerd';
/** Where the image and containers live: the namespace a fresh workspace shows. */
export const e2eNamespace = 'default';

/** The debug facts of a buildkitd the runner started from the -N -l build. */
export function debugFacts(buildkitd: Buildkitd, components: Components): E2EDebugFacts {
  return {
    buildkitdPid: buildkitd.pid,
    buildkitdAddress: buildkitd.address,
    buildctl: components.tools.buildctl,
    dlv: components.tools.dlv,
    controlGo: join(buildkitSourceDir(), 'control', 'control.go'),
  };
}

/** The OCI archive of the sample image; later checks import it into namespaces of their own. */
export function sampleArchive(scratch: string): string {
  return join(scratch, 'busybox-e2e.oci.tar');
}

export interface E2EContainer { readonly id: string; readonly name: string }

/** What the extension-host suite learns from the runner (the JSON file VSCODE_CONTAINERD_E2E names). */
export interface E2EFacts {
  readonly socket: string;
  readonly ctr: string;
  readonly namespaces: readonly string[];
  readonly namespace: string;
  readonly image: { readonly name: string; readonly digest: string; readonly platforms: readonly string[] };
  /** `web` is the suite's to kill; `api` keeps running for the UI checks. */
  readonly containers: { readonly web: E2EContainer; readonly api: E2EContainer };
  /** Where the suite asks the runner to crash and restart the daemon (see requestChannel.ts). */
  readonly requestsDir: string;
  /** The -N -l buildkitd the debugger attaches to, and what the debug checks need beside it. */
  readonly debug: E2EDebugFacts;
}

export interface E2EDebugFacts {
  readonly buildkitdPid: number;
  readonly buildkitdAddress: string;
  readonly buildctl: string;
  readonly dlv: string;
  /** BuildKit's control/control.go in the Go module cache the set-up built buildkitd from. */
  readonly controlGo: string;
}

/**
 * Gives the daemon two namespaces of the suite's own, the multi-arch sample image and two running
 * containers in `default`, a workspace pinned to it, and the facts file for the extension host
 * (with the debuggable buildkitd's facts, `debug`).
 */
export async function prepareDaemonWorkspace(daemon: ContainerdDaemon, components: Components, scratch: string, debug: E2EDebugFacts): Promise<{ folder: string; factsFile: string; facts: E2EFacts }> {
  for (const name of privateNamespaces) await daemon.ctr(['namespaces', 'create', name]);
  const archive = sampleArchive(scratch);
  const built = await writeBusyboxOciArchive({ busybox: components.busybox, imageName: e2eImage, outFile: archive, workDir: join(scratch, 'image-build') });
  await daemon.ctr(['--namespace', e2eNamespace, 'images', 'import', '--all-platforms', archive]);
  // Unique ids: runc state and cgroup paths are host-global, and another daemon may run beside us.
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const containers = { web: { id: `e2e-web-${suffix}`, name: 'web' }, api: { id: `e2e-api-${suffix}`, name: 'api' } };
  for (const { id, name } of Object.values(containers)) {
    await daemon.ctr(['--namespace', e2eNamespace, 'run', '--detach', '--runc-root', daemon.runcRoot,
      '--label', `nerdctl/name=${name}`, e2eImage, id, 'sh', '-c', 'while true; do sleep 5; done']);
  }
  const requestsDir = join(scratch, 'requests');
  mkdirSync(requestsDir);
  const folder = makeWorkspace(scratch, daemon.socket);
  const factsFile = join(scratch, 'facts.json');
  const facts: E2EFacts = {
    socket: daemon.socket,
    ctr: join(components.containerd[daemon.version], 'ctr'),
    namespaces: await daemonNamespaces(daemon),
    namespace: e2eNamespace,
    image: { name: e2eImage, digest: built.indexDigest, platforms: built.manifests.map((m) => m.platform) },
    containers,
    requestsDir,
    debug,
  };
  writeFileSync(factsFile, JSON.stringify(facts));
  return { folder, factsFile, facts };
}
