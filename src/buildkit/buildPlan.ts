// A checked task definition plus what this machine has, turned into one decided build: which
// backend, which buildkitd, which Dockerfile and context (absolute), and which containerd
// endpoint and namespace the image lands in. Everything it cannot decide is a refusal saying
// what is missing and how to fix it, before any process starts.
import { dirname, isAbsolute, join } from 'node:path';
import { csvField, imageOutput, type ResolvedBuild } from './backendArgs';
import { parseWorkers } from './builderInfo';
import type { DockerBuilder } from './dockerBuilder';
import type { BuildDefinition } from './taskDefinition';

export type ChosenBackend = 'nerdctl' | 'buildctl' | 'buildx';

export interface PlanFacts {
  /** The folder of the task (its workspace folder), absolute. */
  readonly folder: string;
  /** The endpoint and namespace the explorer shows, the default target. */
  readonly scope: { readonly address: string; readonly namespace: string } | undefined;
  /** Which backends' programs were found. */
  readonly installed: Readonly<Record<ChosenBackend, boolean>>;
  /** The buildkitd to use: the definition's, the setting's, or the first candidate that exists. */
  readonly host: string | undefined;
  /** The candidates looked at when none was found, for the message. */
  readonly tried: readonly string[];
  /** What `docker buildx inspect` said, when it was asked (a buildx task, or auto without a buildkitd). */
  readonly docker?: DockerBuilder;
}

export type BuildPlan =
  | { readonly ok: true; readonly backend: ChosenBackend; readonly build: ResolvedBuild; readonly target: { readonly address: string; readonly namespace: string } }
  | { readonly ok: false; readonly reason: string };

const install: Readonly<Record<ChosenBackend, string>> = {
  nerdctl: 'install nerdctl (https://github.com/containerd/nerdctl/releases) or set containerd.nerdctl.command',
  buildctl: 'install BuildKit (https://github.com/moby/buildkit/releases) or set containerd.buildctl.command',
  buildx: 'install Docker with its buildx plugin or set containerd.docker.command',
};

function absolute(folder: string, path: string): string {
  return isAbsolute(path) ? path : join(folder, path);
}

/** Which backends can take the definition's builder: only buildctl passes TLS certificates to buildkitd; docker buildx builds on Docker's builder. */
function suitable(definition: BuildDefinition, backend: ChosenBackend): string | undefined {
  if (definition.tls && backend !== 'buildctl') {
    return `${backend === 'nerdctl' ? 'nerdctl build' : 'docker buildx'} cannot give buildkitd the task's TLS certificates ("tls"): use "backend": "buildctl".`;
  }
  if (definition.buildkitHost && backend === 'buildx') {
    return 'docker buildx builds on a Docker builder, not on a "buildkitHost": use "backend": "buildctl" or "nerdctl", or make the address a buildx builder (docker buildx create --driver remote).';
  }
  return undefined;
}

/**
 * auto: a buildkitd-backed tool when a buildkitd was found (nerdctl first: it loads the result into
 * the namespace itself; then buildctl); else Docker's builder when it answered; else whatever is
 * installed, in that order, for the refusal that says what is missing. Only backends that can take
 * the task's builder (its TLS certificates, its buildkitHost) are candidates.
 */
function chooseBackend(definition: BuildDefinition, facts: PlanFacts): { backend: ChosenBackend } | { missing: string } {
  const { installed } = facts;
  if (definition.backend !== 'auto') {
    const unsuitable = suitable(definition, definition.backend);
    if (unsuitable) return { missing: unsuitable };
    return installed[definition.backend] ? { backend: definition.backend } : { missing: `${definition.backend} was not found: ${install[definition.backend]}.` };
  }
  const candidates = (['nerdctl', 'buildctl', 'buildx'] as const).filter((b) => suitable(definition, b) === undefined);
  const withHost = facts.host !== undefined ? candidates.find((b) => b !== 'buildx' && installed[b]) : undefined;
  if (withHost) return { backend: withHost };
  if (candidates.includes('buildx') && installed.buildx && facts.docker?.ready === true) return { backend: 'buildx' };
  const found = candidates.find((b) => installed[b]);
  if (found) return { backend: found };
  if (candidates.length === 1) return { missing: `${candidates[0] ?? ''} was not found, and only it can build this task: ${install[candidates[0] ?? 'buildctl']}.` };
  return { missing: `No build tool was found (nerdctl, buildctl or docker buildx): ${install.nerdctl}, or ${install.buildctl}.` };
}

export function planBuild(definition: BuildDefinition, facts: PlanFacts): BuildPlan {
  const chosen = chooseBackend(definition, facts);
  if ('missing' in chosen) return { ok: false, reason: chosen.missing };
  const { backend } = chosen;
  if (backend === 'buildx' && facts.docker?.ready === false) return { ok: false, reason: facts.docker.reason };
  const address = definition.address ?? facts.scope?.address;
  const namespace = definition.namespace ?? facts.scope?.namespace ?? 'default';
  if (backend !== 'buildx' && address === undefined) {
    return { ok: false, reason: 'No containerd endpoint to put the image in: open the containerd explorer and connect, or give the task an "address".' };
  }
  // docker buildx builds with Docker's own builder; the others need a buildkitd.
  if (backend !== 'buildx' && facts.host === undefined) {
    // auto looked at Docker's builder too: say why it was no way out either.
    const docker = definition.backend === 'auto' && facts.docker?.ready === false ? ` Docker's builder cannot build either: ${facts.docker.reason}` : '';
    return {
      ok: false,
      reason: `No buildkitd was found${facts.tried.length > 0 ? ` (looked for ${facts.tried.join(', ')})` : ''}: start one (buildkitd, or systemctl start buildkit), or name it in containerd.buildkit.host or the task's "buildkitHost".${docker}`,
    };
  }
  const dockerfile = absolute(facts.folder, definition.file);
  const context = definition.context === undefined ? dirname(dockerfile) : absolute(facts.folder, definition.context);
  return { ok: true, backend, build: { definition, dockerfile, context, buildkitHost: facts.host ?? '' }, target: { address: address ?? '', namespace } };
}

/** What `buildctl debug workers --format '{{json .}}'` says of where the first worker keeps images. */
export interface WorkerStore { readonly executor: string | undefined; readonly namespace: string | undefined }

export function workerStore(json: string): WorkerStore | undefined {
  const workers = parseWorkers(json);
  const labels = workers.ok ? workers.value[0]?.labels : undefined;
  if (!labels) return undefined;
  return { executor: labels['org.mobyproject.buildkit.worker.executor'], namespace: labels['org.mobyproject.buildkit.worker.containerd.namespace'] };
}

/**
 * Where buildctl puts the result: the user's own output; straight into containerd when the
 * worker stores images in the target namespace; else an OCI archive for `nerdctl load` there.
 */
export function buildctlDestination(definition: BuildDefinition, worker: WorkerStore | undefined, targetNamespace: string, archive: string): { readonly output: string; readonly loadArchive: string | undefined } {
  if (definition.output) return { output: definition.output, loadArchive: undefined };
  if (worker?.executor === 'containerd' && worker.namespace === targetNamespace) return { output: imageOutput(definition.tags, definition.push), loadArchive: undefined };
  const name = definition.tags.length > 0 ? [csvField(`name=${definition.tags.join(',')}`)] : [];
  return { output: ['type=oci', `dest=${archive}`, ...name].join(','), loadArchive: archive };
}
