// Where the real components live on this machine, as scripts/setup.sh resolved them. A missing
// component is a loud failure naming what is missing and how to get it, never a skip.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ContainerdVersion = '1.6' | '1.7' | '2.x';
export const containerdVersions: readonly ContainerdVersion[] = ['1.6', '1.7', '2.x'];

export interface Components {
  readonly containerd: Readonly<Record<ContainerdVersion, string>>;
  readonly runc: string;
  /** Debian's CNI plugins. */
  readonly cniBin: string;
  readonly busybox: { readonly amd64: string; readonly arm64: string };
  readonly chromium: string;
  /** Debian's docker-registry (distribution 2.8): the private registry with TLS and htpasswd. */
  readonly registry: string;
  /** The openssl CLI that makes the registry's test CA and certificate. */
  readonly openssl: string;
  readonly codeServer: string;
  /** systemd's socket activator (Debian's systemd): holds a socket and starts a daemon on its first connection. */
  readonly socketActivate: string;
  /** dockerd, the docker CLI and its buildx plugin, from sid: the `buildx` build backend. */
  readonly docker: DockerComponents;
  /** The Go-built tools (scripts/goTools.sh). */
  readonly tools: GoTools;
}

export interface DockerComponents {
  readonly dockerd: string;
  readonly docker: string;
  /** The folder holding `docker-buildx` (Debian's /usr/libexec/docker/cli-plugins). */
  readonly cliPlugins: string;
  /** tini, what dockerd runs as docker-init for `--init` containers. */
  readonly init: string;
}

export interface GoTools {
  readonly nerdctl: { readonly '2.x': string; readonly '1.7': string };
  readonly buildkitd: string;
  readonly buildctl: string;
  /** buildkitd built with -N -l, for the debugger. */
  readonly buildkitdDebug: string;
  /** buildkitd built with -N -l and -trimpath: its sources are module paths. */
  readonly buildkitdTrimpath: string;
  /** buildkitd linked with -s -w: no DWARF. */
  readonly buildkitdStripped: string;
  readonly dlv: string;
  readonly crictl: string;
  /** nerdctl's extras/rootless/containerd-rootless.sh, from the pinned nerdctl 2.x module. */
  readonly containerdRootless: string;
}

/** What a rootless containerd needs besides containerd and runc (loadRootlessComponents). */
export interface RootlessComponents {
  /** nerdctl's containerd-rootless.sh: RootlessKit around containerd, as users start it. */
  readonly script: string;
  readonly rootlesskit: string;
  readonly slirp4netns: string;
  /** The setuid helpers that map the user's /etc/subuid and /etc/subgid ranges. */
  readonly newuidmap: string;
  readonly newgidmap: string;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VSCODE_CONTAINERD_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vscode-containerd');
}

export class MissingComponentError extends Error {}

/** The first executable `name` on PATH, or where it was expected (for the error). */
function onPath(name: string): string {
  const folders = (process.env.PATH ?? '').split(':').filter(Boolean);
  return folders.map((folder) => join(folder, name)).find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }) ?? `/usr/bin/${name}`;
}

function requireExecutable(path: string, what: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new MissingComponentError(`${what} is missing: ${path} is not an executable file. Run \`npm run setup\` (scripts/setup.sh) to install it.`);
  }
  return path;
}

export function loadComponents(): Components {
  const file = join(cacheDir(), 'components.json');
  let parsed: Components;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Components;
  } catch (error) {
    throw new MissingComponentError(`${file} cannot be read (${(error as Error).message}): run \`npm run setup\` first.`);
  }
  for (const version of containerdVersions) {
    requireExecutable(join(parsed.containerd[version], 'containerd'), `containerd ${version}`);
    requireExecutable(join(parsed.containerd[version], 'ctr'), `ctr ${version}`);
  }
  requireExecutable(parsed.runc, 'runc');
  requireExecutable(parsed.busybox.amd64, 'busybox (amd64)');
  requireExecutable(parsed.busybox.arm64, 'busybox (arm64)');
  requireExecutable(parsed.chromium, 'chromium');
  requireExecutable(parsed.registry, 'docker-registry');
  requireExecutable(parsed.openssl, 'openssl');
  // On PATH, from Debian's systemd (set-up installs it), rather than in components.json.
  const socketActivate = requireExecutable(onPath('systemd-socket-activate'), 'systemd-socket-activate (Debian package systemd)');
  if (!parsed.docker) throw new MissingComponentError(`${file} names no dockerd, docker CLI or buildx: run \`npm run setup\` again.`);
  requireExecutable(parsed.docker.dockerd, 'dockerd');
  requireExecutable(parsed.docker.docker, 'docker CLI');
  requireExecutable(join(parsed.docker.cliPlugins, 'docker-buildx'), 'docker-buildx (the CLI plugin)');
  requireExecutable(parsed.docker.init, 'docker-init (tini)');
  if (!parsed.tools) throw new MissingComponentError(`${file} names no Go tools (nerdctl, BuildKit, Delve, crictl): run \`npm run setup\` again.`);
  const { tools } = parsed;
  requireExecutable(tools.nerdctl['2.x'], 'nerdctl 2.x');
  requireExecutable(tools.nerdctl['1.7'], 'nerdctl 1.7');
  requireExecutable(tools.buildkitd, 'buildkitd');
  requireExecutable(tools.buildctl, 'buildctl');
  requireExecutable(tools.buildkitdDebug, 'buildkitd (debug build)');
  requireExecutable(tools.buildkitdTrimpath, 'buildkitd (debug build with -trimpath)');
  requireExecutable(tools.buildkitdStripped, 'buildkitd (stripped)');
  requireExecutable(tools.dlv, 'dlv');
  requireExecutable(tools.crictl, 'crictl');
  return { ...parsed, socketActivate };
}

/**
 * The rootless pieces, checked only by the tests that start a rootless containerd (a machine set up
 * before they existed still runs the others). Each missing one names the Debian package.
 */
export function loadRootlessComponents(components: Components = loadComponents()): RootlessComponents {
  const script = components.tools.containerdRootless;
  if (!script) throw new MissingComponentError('components.json names no containerd-rootless.sh (nerdctl\'s extras/rootless): run `npm run setup` again.');
  try {
    accessSync(script, constants.R_OK);
  } catch {
    throw new MissingComponentError(`containerd-rootless.sh is missing: ${script} cannot be read (the nerdctl module left the Go module cache?). Run \`npm run setup\` (scripts/setup.sh) again.`);
  }
  const setuidRoot = (name: string): string => {
    const path = requireExecutable(onPath(name), `${name} (Debian package uidmap)`);
    const { mode, uid } = statSync(path);
    if (uid !== 0 || (mode & 0o4000) === 0) { // S_ISUID
      throw new MissingComponentError(`${path} is not setuid root, so it cannot map a user's subordinate ids: reinstall the Debian package uidmap.`);
    }
    return path;
  };
  return {
    script,
    rootlesskit: requireExecutable(onPath('rootlesskit'), 'rootlesskit (Debian package rootlesskit)'),
    slirp4netns: requireExecutable(onPath('slirp4netns'), 'slirp4netns (Debian package slirp4netns)'),
    newuidmap: setuidRoot('newuidmap'),
    newgidmap: setuidRoot('newgidmap'),
  };
}
