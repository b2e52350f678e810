// The doctor's findings about each containerd endpoint: can it be reached (and if not, why and
// what to do), which containerd it is and what it offers, what it warns is deprecated, and whether
// its overlayfs snapshotter sits on overlayfs (containerd in a container without a bind mount).
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import type { ServerInfo } from '../containerd/connection/serverInfo';
import { unreachableAdvice } from '../containerd/connection/unreachableAdvice';
import { ContainerdUnreachableError } from '../containerd/connection/errors';
import type { Snapshotter } from '../containerd/snapshots/snapshots';
import { isQuietAbsence } from '../model/endpointAttention';
import type { DoctorFinding } from './doctorCheck';
import { introspectionFix, overlayOnOverlayFix } from './knownProblems';
import { mountOf, type Mount } from './mountInfo';

/** What else was read from a reachable endpoint; each part may have failed on its own. */
export interface DaemonDetails {
  readonly server: ServerInfo | { readonly failed: string };
  readonly snapshotters: readonly Snapshotter[] | { readonly failed: string };
  /** The daemon's mounts, and where they were read from; undefined when they could not be read. */
  readonly mounts?: { readonly from: string; readonly list: readonly Mount[] };
}

export interface EndpointFacts {
  readonly status: EndpointStatus;
  /** Present for reachable endpoints. */
  readonly details?: DaemonDetails;
}

function named(status: EndpointStatus): string {
  const { endpoint } = status;
  return endpoint.label === endpoint.address ? endpoint.address : `${endpoint.label} (${endpoint.address})`;
}

function unreachable(status: Extract<EndpointStatus, { reachable: false }>, othersAnswer: boolean, isRoot: boolean): DoctorFinding {
  const { error, endpoint } = status;
  const reason = error instanceof ContainerdUnreachableError ? error.reason : undefined;
  // Only the built-in default was guessed, nothing is there, and another daemon answers: nothing to
  // fix. (The doctor does not know which addresses answered in earlier windows: none counts.)
  const quiet = othersAnswer && isQuietAbsence(status, new Set());
  return {
    check: 'endpoint',
    level: quiet ? 'info' : 'error',
    message: quiet ? `No containerd at the default address ${endpoint.address}; the explorer uses the daemons that answer.` : `${named(status)}: ${error.message}`,
    fix: quiet ? '' : reason ? unreachableAdvice(reason, endpoint.address, isRoot) : 'See the containerd output channel for the full error.',
    evidence: [error.message],
  };
}

function serverLine(server: DaemonDetails['server']): string {
  if ('failed' in server) return `Introspection.Server: failed (${server.failed})`;
  if (!server.implemented) return 'Introspection.Server: not implemented';
  return `Introspection.Server: yes${server.pid !== undefined ? ` (pid ${server.pid}${server.pidns !== undefined ? `, pid namespace ${server.pidns}` : ''})` : ''}`;
}

function snapshottersLine(snapshotters: DaemonDetails['snapshotters']): string {
  if ('failed' in snapshotters) return `snapshotters: unreadable (${snapshotters.failed})`;
  const ok = snapshotters.filter((s) => s.ok).map((s) => s.name);
  return `snapshotters: ${ok.length > 0 ? ok.join(', ') : 'none working'}`;
}

function reachable(status: Extract<EndpointStatus, { reachable: true }>, details: DaemonDetails | undefined): DoctorFinding {
  return {
    check: 'endpoint',
    level: 'ok',
    message: `${named(status)}: containerd ${status.version.version} answers, ${status.namespaces.length} namespace${status.namespaces.length === 1 ? '' : 's'}.`,
    fix: '',
    evidence: [`revision ${status.version.revision || 'unknown'}`, ...(details ? [serverLine(details.server), snapshottersLine(details.snapshotters)] : [])],
  };
}

function introspection(status: EndpointStatus, server: DaemonDetails['server']): DoctorFinding[] {
  if ('failed' in server || server.implemented) return [];
  return [{
    check: 'introspection',
    level: 'error',
    message: `${named(status)} does not implement Introspection.Server: nerdctl fails there with "unknown method Server: not implemented" (the explorer still works).`,
    fix: introspectionFix,
    evidence: [server.detail],
  }];
}

function deprecations(status: EndpointStatus, server: DaemonDetails['server']): DoctorFinding[] {
  if ('failed' in server || !server.implemented) return [];
  return server.deprecations.map((d) => ({
    check: 'deprecation', level: 'warning',
    message: `${named(status)} uses a deprecated feature: ${d.message}`,
    fix: 'Change the configuration the message names before a containerd upgrade removes the feature (containerd\'s RELEASES.md lists what replaces each).',
    evidence: [d.id],
  }));
}

/** The overlayfs snapshotter's directory must not be on overlayfs (the kernel refuses the mount). */
function overlay(status: Extract<EndpointStatus, { reachable: true }>, details: DaemonDetails): DoctorFinding[] {
  const wanted = status.endpoint.snapshotter ?? 'overlayfs';
  if (wanted !== 'overlayfs' || 'failed' in details.snapshotters) return [];
  const plugin = details.snapshotters.find((s) => s.name === 'overlayfs');
  if (!plugin) return [];
  const mount = plugin.root && details.mounts ? mountOf(plugin.root, details.mounts.list) : undefined;
  const where = mount && plugin.root ? [`${plugin.root} is on ${mount.fsType} (mounted at ${mount.mountPoint}, per ${details.mounts?.from ?? 'mountinfo'})`] : [];
  if (mount?.fsType === 'overlay') {
    return [{
      check: 'overlay', level: 'error',
      message: `${named(status)}: the overlayfs snapshotter keeps its layers on an overlayfs mount (containerd runs inside a container whose /var/lib/containerd is not a bind mount): containers fail to start with "failed to mount rootfs component: invalid argument".`,
      fix: overlayOnOverlayFix,
      evidence: [...where, ...(plugin.ok ? [] : [`overlayfs snapshotter: ${plugin.error || 'failed'}`])],
    }];
  }
  if (!plugin.ok) {
    return [{
      check: 'overlay', level: 'error',
      message: `${named(status)}: the overlayfs snapshotter did not start (${plugin.error || 'no reason given'}), so nothing can be unpacked or run with it.`,
      fix: 'Use another snapshotter: nerdctl --snapshotter=native (or fuse-overlayfs), or snapshotter = "native" in nerdctl.toml; the error says why the kernel or file system refused overlayfs.',
      evidence: where,
    }];
  }
  if (!mount) return [];
  return [{ check: 'overlay', level: 'ok', message: `${named(status)}: the overlayfs snapshotter's directory is on ${mount.fsType}, not on overlayfs.`, fix: '', evidence: where }];
}

/** Every endpoint's findings, in the order the endpoints were listed. */
export function endpointFindings(facts: readonly EndpointFacts[], isRoot: boolean): DoctorFinding[] {
  const othersAnswer = facts.some((f) => f.status.reachable);
  return facts.flatMap(({ status, details }): DoctorFinding[] => {
    if (!status.reachable) return [unreachable(status, othersAnswer, isRoot)];
    if (!details) return [reachable(status, undefined)];
    return [reachable(status, details), ...introspection(status, details.server), ...deprecations(status, details.server), ...overlay(status, details)];
  });
}
