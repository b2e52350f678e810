// Where this window looks for buildkitd: the `containerd.buildkit.host` setting, BUILDKIT_HOST,
// then nerdctl's sockets for a namespace (src/buildkit/buildkitHosts.ts), each with whether its
// socket exists. Build tasks take the first present one; the Builders view asks every present one.
import { buildkitHostCandidates, findBuildkitHost, locateHosts, type FoundHost, type HostSearch, type LocatedHost } from '../buildkit/buildkitHosts';
import { hostFiles } from '../containerd/connection/endpoints';
import type { Ctx } from '../ctx';

function hostSearch(ctx: Ctx, namespace: string): HostSearch {
  const configured = ctx.config().buildkitHost;
  return { namespace, env: process.env, uid: process.getuid?.() ?? 0, ...(configured ? { configured } : {}) };
}

export function locateBuildkitHosts(ctx: Ctx, namespace: string): Promise<LocatedHost[]> {
  return locateHosts(buildkitHostCandidates(hostSearch(ctx, namespace)), hostFiles.isSocket);
}

/** The buildkitd: the task's, the setting's, else the first of nerdctl's candidates whose socket exists. */
export function findHost(ctx: Ctx, taskHost: string | undefined, namespace: string): Promise<FoundHost> {
  return findBuildkitHost(taskHost, hostSearch(ctx, namespace), hostFiles.isSocket);
}
