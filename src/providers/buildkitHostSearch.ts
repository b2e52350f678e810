// Where this window looks for buildkitd: the `containerd.buildkit.host` setting, BUILDKIT_HOST,
// then nerdctl's sockets for a namespace (src/buildkit/buildkitHosts.ts), each with whether its
// socket exists. Build tasks take the first present one; the Builders view asks every present one.
import { stat } from 'node:fs/promises';
import { buildkitHostCandidates, locateHosts, type LocatedHost } from '../buildkit/buildkitHosts';
import type { Ctx } from '../ctx';

export async function isSocket(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isSocket(), () => false);
}

export function locateBuildkitHosts(ctx: Ctx, namespace: string): Promise<LocatedHost[]> {
  const configured = ctx.config().buildkitHost;
  const candidates = buildkitHostCandidates({ namespace, env: process.env, uid: process.getuid?.() ?? 0, ...(configured ? { configured } : {}) });
  return locateHosts(candidates, isSocket);
}
