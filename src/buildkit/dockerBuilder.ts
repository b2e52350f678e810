// Whether `docker buildx build` can build here, from what `docker buildx inspect` says: the CLI
// has its buildx plugin, the daemon answers, and its builder runs; and, when it does, which
// containerd namespace its images go to (dockerd with the containerd image store says so in the
// worker's labels). buildx inspect exits 0 even when the daemon is unreachable: its `Error:` line
// says so. Without the plugin the docker CLI exits 1 ("unknown command").

export type DockerBuilder =
  | { readonly ready: true; readonly namespace: string | undefined; readonly platforms: readonly string[] }
  | { readonly ready: false; readonly reason: string };

/** The argv after the docker command prefix. */
export const buildxInspectArgs: readonly string[] = ['buildx', 'inspect'];

interface Outcome { readonly exitCode: number | undefined; readonly stdout: string; readonly stderr: string; readonly failedToStart?: string }

/** `Key: value` of buildx inspect's text, first occurrence (the builder's lines come before its nodes'). */
function field(lines: readonly string[], key: string): string | undefined {
  const prefix = `${key}:`;
  const line = lines.find((l) => l.trimStart().startsWith(prefix));
  return line === undefined ? undefined : line.trimStart().slice(prefix.length).trim();
}

function lastLine(text: string): string {
  return text.trim().split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
}

export function readBuildxInspect(outcome: Outcome): DockerBuilder {
  if (outcome.failedToStart) return { ready: false, reason: `docker could not start: ${outcome.failedToStart}` };
  if (outcome.exitCode !== 0) {
    const said = `${outcome.stderr}\n${outcome.stdout}`;
    if (/unknown command: docker buildx|'buildx' is not a docker command/.test(said)) {
      return { ready: false, reason: 'docker has no buildx plugin: install it (Debian: docker-buildx) or put docker-buildx in ~/.docker/cli-plugins.' };
    }
    return { ready: false, reason: `docker buildx inspect failed: ${lastLine(said) || `exit ${outcome.exitCode ?? 'by a signal'}`}` };
  }
  const lines = outcome.stdout.split('\n');
  const error = field(lines, 'Error');
  if (error) return { ready: false, reason: `docker buildx cannot build: ${error}` };
  const status = field(lines, 'Status');
  if (status !== 'running') return { ready: false, reason: `docker's builder is ${status ? `"${status}"` : 'in an unknown state'}, not running.` };
  const namespace = field(lines, 'org.mobyproject.buildkit.worker.containerd.namespace');
  const platforms = (field(lines, 'Platforms') ?? '').split(',').map((p) => p.trim().replace(/\*$/, '')).filter(Boolean);
  return { ready: true, namespace: namespace || undefined, platforms };
}
