// Which unreachable endpoints deserve the activity bar's error badge. The built-in default address
// is only a guess: nothing there, while nobody configured it and it never answered, is how most
// machines with a rootless, Docker or k3s containerd look, not a problem. An endpoint the user
// chose (setting, environment, nerdctl.toml), one discovery found a socket for, or one that
// answered before is worth the badge when it fails.
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../containerd/connection/errors';

/** The guessed default with no socket at all, never seen answering: listed, but quietly. */
export function isQuietAbsence(status: EndpointStatus, answeredBefore: ReadonlySet<string>): boolean {
  return !status.reachable
    && status.endpoint.source === 'default'
    && status.error instanceof ContainerdUnreachableError && status.error.reason === 'notFound'
    && !answeredBefore.has(status.endpoint.address);
}

/** The unreachable endpoints the badge counts. */
export function needingAttention(statuses: readonly EndpointStatus[], answeredBefore: ReadonlySet<string>): EndpointStatus[] {
  return statuses.filter((s) => !s.reachable && !isQuietAbsence(s, answeredBefore));
}

/** The addresses known to have answered, with this answer's added (kept across windows). */
export function rememberAnswered(known: readonly string[], statuses: readonly EndpointStatus[]): string[] {
  return [...new Set([...known, ...statuses.filter((s) => s.reachable).map((s) => s.endpoint.address)])].sort();
}
