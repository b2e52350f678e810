// Rootless containerd's prerequisites for the user running VS Code, each with its fix:
// newuidmap/newgidmap, subordinate id ranges, cgroup v2 with delegated controllers, systemd and
// lingering, and whether RootlessKit's child (hence the daemon) runs.
import type { DoctorFinding } from './doctorCheck';

export interface IdMapTool { readonly path: string; readonly setuid: boolean }

export interface RootlessFacts {
  readonly user: { readonly name: string; readonly uid: number };
  /** Undefined when not found on PATH (nor in /usr/bin, /usr/sbin). */
  readonly newuidmap: IdMapTool | undefined;
  readonly newgidmap: IdMapTool | undefined;
  /** /etc/subuid and /etc/subgid; undefined when absent. */
  readonly subuid: string | undefined;
  readonly subgid: string | undefined;
  readonly cgroup: { readonly version: 'v1' | 'v2' | 'none'; readonly controllers?: readonly string[]; readonly controllersFrom?: string };
  /** PID 1's name (/proc/1/comm). */
  readonly init: string | undefined;
  readonly runtimeDir: string | undefined;
  /** RootlessKit's child_pid file: undefined when absent. */
  readonly child: { readonly pid: number; readonly alive: boolean } | { readonly unreadable: string } | undefined;
  /** /var/lib/systemd/linger/NAME exists. */
  readonly lingering: boolean;
}

/** The controllers a rootless container's limits need (cpuset is optional). */
export const neededControllers = ['cpu', 'io', 'memory', 'pids'] as const;

/** Sum of the counts of subuid/subgid lines for a user, by name or uid. */
export function subordinateCount(text: string | undefined, user: RootlessFacts['user']): number {
  let count = 0;
  for (const line of (text ?? '').split('\n')) {
    const [owner, start, size] = line.trim().split(':');
    if ((owner === user.name || owner === String(user.uid)) && /^\d+$/.test(start ?? '') && /^\d+$/.test(size ?? '')) count += Number(size);
  }
  return count;
}

/** The next 65536 ids above every range in the file (from 100000, as useradd starts): free by construction. */
export function freeRange(text: string | undefined): { readonly first: number; readonly last: number } {
  let first = 100000;
  for (const line of (text ?? '').split('\n')) {
    const [, start, size] = line.trim().split(':');
    if (/^\d+$/.test(start ?? '') && /^\d+$/.test(size ?? '')) first = Math.max(first, Number(start) + Number(size));
  }
  return { first, last: first + 65535 };
}

function idMapTool(name: 'newuidmap' | 'newgidmap', tool: IdMapTool | undefined): DoctorFinding {
  if (!tool) {
    return { check: 'rootless', level: 'error', message: `${name} is missing: RootlessKit needs it to map your subordinate ids into the user namespace.`, fix: 'Install it: sudo apt install uidmap (Debian, Ubuntu), sudo dnf install shadow-utils (Fedora).' };
  }
  const capability = name === 'newuidmap' ? 'cap_setuid' : 'cap_setgid';
  if (!tool.setuid) {
    return { check: 'rootless', level: 'warning', message: `${tool.path} is not setuid root: unless it carries the ${capability} file capability (getcap ${tool.path}), it cannot map other ids.`, fix: `sudo chmod u+s ${tool.path}, or sudo setcap ${capability}+ep ${tool.path}.`, evidence: [tool.path] };
  }
  return { check: 'rootless', level: 'ok', message: `${name}: ${tool.path} (setuid).`, fix: '' };
}

function subordinateIds(file: '/etc/subuid' | '/etc/subgid', text: string | undefined, user: RootlessFacts['user']): DoctorFinding {
  const count = subordinateCount(text, user);
  const flag = file === '/etc/subuid' ? '--add-subuids' : '--add-subgids';
  const range = freeRange(text);
  const fix = `Give ${user.name} a range no other user has: sudo usermod ${flag} ${range.first}-${range.last} ${user.name} (then restart rootless containerd).`;
  if (count === 0) return { check: 'rootless', level: 'error', message: `${file} has no range for ${user.name}: RootlessKit cannot map any id but yours, so images with other owners cannot be unpacked.`, fix, evidence: [text === undefined ? `${file} does not exist` : `no line for ${user.name} or ${user.uid}`] };
  if (count < 65536) return { check: 'rootless', level: 'warning', message: `${file} gives ${user.name} only ${count} ids: files owned by ids above that (common in images) cannot be unpacked.`, fix, evidence: [`${count} ids`] };
  return { check: 'rootless', level: 'ok', message: `${file}: ${count} ids for ${user.name}.`, fix: '' };
}

function cgroups(facts: RootlessFacts): DoctorFinding {
  const { cgroup } = facts;
  if (cgroup.version !== 'v2') {
    return {
      check: 'rootless', level: 'warning',
      message: `cgroup ${cgroup.version === 'v1' ? 'v1' : 'is not mounted'}: a rootless runc cannot create cgroups, so rootless containers get no limits (--memory, --cpus, --pids-limit) and need --cgroup-manager=none (or a spec without cgroups) to start.`,
      fix: 'Boot with cgroup v2 (the unified hierarchy): add systemd.unified_cgroup_hierarchy=1 to the kernel command line; current distributions default to it.',
      evidence: [`/sys/fs/cgroup: ${cgroup.version === 'v1' ? 'cgroup v1 hierarchies' : 'no cgroup file system'}`],
    };
  }
  const missing = neededControllers.filter((c) => !cgroup.controllers?.includes(c));
  if (missing.length > 0) {
    return {
      check: 'rootless', level: 'warning',
      message: `cgroup v2, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not delegated to ${facts.user.name}: rootless containers cannot be limited in ${missing.length === 1 ? 'it' : 'them'}.`,
      fix: 'Delegate them: sudo mkdir -p /etc/systemd/system/user@.service.d && printf \'[Service]\\nDelegate=cpu cpuset io memory pids\\n\' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload; then log in again.',
      evidence: [`${cgroup.controllersFrom ?? 'cgroup.controllers'}: ${cgroup.controllers?.join(' ') || '(empty)'}`],
    };
  }
  return { check: 'rootless', level: 'ok', message: `cgroup v2 with ${neededControllers.join(', ')} delegated.`, fix: '', evidence: cgroup.controllersFrom ? [cgroup.controllersFrom] : [] };
}

function systemd(facts: RootlessFacts): DoctorFinding[] {
  if (facts.init !== 'systemd') {
    return [
      {
        check: 'rootless', level: 'warning',
        message: `PID 1 is ${facts.init ?? 'unknown'}, not systemd: containerd-rootless-setuptool.sh cannot install your user service, nothing restarts rootless containerd, and nobody delegates cgroups to you.`,
        fix: 'Start rootless containerd yourself: containerd-rootless.sh (from nerdctl\'s extras/rootless) with XDG_RUNTIME_DIR set, from your shell profile or a supervisor.',
        evidence: [`/proc/1/comm: ${facts.init ?? 'unreadable'}`],
      },
      { check: 'rootless', level: 'info', message: 'Lingering is systemd-logind\'s: it does not apply without systemd.', fix: '' },
    ];
  }
  return [facts.lingering
    ? { check: 'rootless', level: 'ok', message: `Lingering is on for ${facts.user.name}: rootless containerd keeps running after you log out.`, fix: '' }
    : { check: 'rootless', level: 'warning', message: `Lingering is off for ${facts.user.name}: your user services, rootless containerd among them, stop when your last session ends and start only at your next login.`, fix: `sudo loginctl enable-linger ${facts.user.name}`, evidence: [`no /var/lib/systemd/linger/${facts.user.name}`] }];
}

function daemon(facts: RootlessFacts): DoctorFinding {
  if (!facts.runtimeDir) {
    return { check: 'rootless', level: 'error', message: 'XDG_RUNTIME_DIR is not set: rootless containerd, buildkitd and nerdctl keep their sockets and RootlessKit\'s state there.', fix: `Log in through a PAM session (systemd-logind sets it), or create /run/user/${facts.user.uid} (owned by you, mode 0700) and export XDG_RUNTIME_DIR=/run/user/${facts.user.uid} before starting VS Code.` };
  }
  const file = `${facts.runtimeDir}/containerd-rootless/child_pid`;
  const { child } = facts;
  if (child === undefined) {
    return { check: 'rootless', level: 'info', message: `No rootless containerd runs for ${facts.user.name} (${file} does not exist).`, fix: 'To run one: containerd-rootless-setuptool.sh install (with systemd), or containerd-rootless.sh; the explorer finds it by itself.' };
  }
  if ('unreadable' in child) return { check: 'rootless', level: 'error', message: `${file} cannot be read: ${child.unreadable}.`, fix: 'Check the file\'s owner and mode (RootlessKit writes it as you).' };
  if (!child.alive) {
    return { check: 'rootless', level: 'error', message: `${file} names PID ${child.pid}, which no longer runs: rootless containerd stopped and left its state behind.`, fix: 'Start it again: systemctl --user restart containerd, or containerd-rootless.sh.', evidence: [file] };
  }
  return { check: 'rootless', level: 'ok', message: `Rootless containerd runs: RootlessKit's child is PID ${child.pid}; its socket is /proc/${child.pid}/root/run/containerd/containerd.sock.`, fix: '', evidence: [file] };
}

export function rootlessFindings(facts: RootlessFacts): DoctorFinding[] {
  if (facts.user.uid === 0) {
    return [{ check: 'rootless', level: 'info', message: 'VS Code runs as root: rootless containerd is for normal users, so its prerequisites are not checked here.', fix: '' }];
  }
  return [
    daemon(facts),
    idMapTool('newuidmap', facts.newuidmap),
    idMapTool('newgidmap', facts.newgidmap),
    subordinateIds('/etc/subuid', facts.subuid, facts.user),
    subordinateIds('/etc/subgid', facts.subgid, facts.user),
    cgroups(facts),
    ...systemd(facts),
  ];
}
