// buildctl's build in two steps: ask the buildkitd where its worker keeps images, then build
// straight into containerd when that is the target namespace, else into an OCI archive that
// `nerdctl load` brings into the target. The question goes with the task's TLS certificates,
// like the build: a tcp+TLS buildkitd answers nobody else.
import type { Process } from '../nerdctl/invocation';
import { runProcess } from '../process/runner';
import { buildctlArgs, buildctlWorkersArgs, type ResolvedBuild } from './backendArgs';
import { buildctlDestination, workerStore } from './buildPlan';

export interface BuildctlRoute {
  readonly process: Process;
  /** The archive to load into the target namespace after the build, when the worker keeps images elsewhere. */
  readonly loadArchive: string | undefined;
}

/** `command`: the configured buildctl argv prefix; `archive`: where an OCI archive may go. */
export async function buildctlRoute(build: ResolvedBuild, targetNamespace: string, command: readonly string[], archive: string, signal?: AbortSignal): Promise<BuildctlRoute> {
  const [file = '', ...prefix] = command;
  const workers = await runProcess({ file, args: [...prefix, ...buildctlWorkersArgs(build.buildkitHost, build.definition.tls)] }, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  const destination = buildctlDestination(build.definition, workers.exitCode === 0 ? workerStore(workers.stdout) : undefined, targetNamespace, archive);
  return { process: { file, args: [...prefix, ...buildctlArgs(build, destination.output)] }, loadArchive: destination.loadArchive };
}
