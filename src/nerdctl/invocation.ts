// How to call nerdctl for one daemon: the argv prefix and global flags. nerdctl decides rootless
// mode from the uid that runs it, not from the address, so three facts decide the argv: the
// daemon's kind (rootful, or rootless and whose), who the caller is, and whether the caller can
// open the socket. Background calls never prompt: sudo gets -n there.
import { basename } from 'node:path';

export interface Process {
  readonly file: string;
  readonly args: readonly string[];
}

export interface DaemonFacts {
  readonly address: string;
  readonly namespace: string;
  /** A rootless daemon (RootlessKit): the uid that owns it. Undefined for a rootful daemon. */
  readonly rootlessOwner?: number;
  /** The caller can connect to the socket itself (no sudo needed for a rootful daemon). */
  readonly callerCanOpen: boolean;
}

export interface Caller {
  readonly uid: number;
}

/** A terminal can ask for a sudo password; a background call must fail instead. */
export type Mode = 'terminal' | 'background';

export type Invocation = { readonly ok: true; readonly process: Process } | { readonly ok: false; readonly reason: string };

/**
 * The nerdctl argv for a daemon, before the subcommand. `command` is the configured argv prefix
 * (`['nerdctl']`, `['sudo', 'nerdctl']`, `['lima', 'nerdctl']`, a full path).
 */
export function nerdctlInvocation(command: readonly string[], daemon: DaemonFacts, caller: Caller, mode: Mode): Invocation {
  const [file, ...rest] = command;
  if (!file) return { ok: false, reason: 'The nerdctl command (setting containerd.nerdctl.command) is empty: set it to e.g. ["nerdctl"].' };
  const namespace = ['--namespace', daemon.namespace];
  if (daemon.rootlessOwner !== undefined) {
    // nerdctl run by the owner finds its rootless daemon itself (XDG_RUNTIME_DIR); the host-side
    // /proc/PID/root/... path would be wrong inside RootlessKit's namespaces.
    if (daemon.rootlessOwner === caller.uid) return { ok: true, process: withSudoPolicy({ file, args: [...rest, ...namespace] }, mode) };
    if (caller.uid === 0) {
      const runtimeDir = `/run/user/${daemon.rootlessOwner}`;
      // --reset-env gives the owner's HOME, USER and a standard PATH: with root's HOME, nerdctl as
      // the owner dies reading /root/.config/nerdctl/nerdctl.toml ("permission denied").
      return {
        ok: true,
        process: { file: 'setpriv', args: ['--reuid', String(daemon.rootlessOwner), '--regid', String(daemon.rootlessOwner), '--init-groups', '--reset-env', '--', 'env', `XDG_RUNTIME_DIR=${runtimeDir}`, file, ...rest, ...namespace] },
      };
    }
    return { ok: false, reason: `containerd at ${daemon.address} is the rootless daemon of uid ${daemon.rootlessOwner}: nerdctl can drive it only as that user (or as root), and VS Code runs as uid ${caller.uid}.` };
  }
  // nerdctl itself, run by a non-root user, drives that user's rootless daemon whatever --address
  // says ("rootless containerd not running?"), even when the user may open the socket: a rootful
  // daemon needs it run as root. A wrapper (lima nerdctl) decides for itself.
  const asRoot = caller.uid !== 0 && basename(file) === 'nerdctl';
  return { ok: true, process: rootfulProcess(file, [...rest, '--address', daemon.address, ...namespace], asRoot ? { ...daemon, callerCanOpen: false } : daemon, caller, mode) };
}

/** A tool on a rootful daemon's socket: through sudo when the caller is not root and cannot open it. */
export function rootfulProcess(file: string, args: readonly string[], daemon: DaemonFacts, caller: Caller, mode: Mode): Process {
  if (caller.uid !== 0 && !daemon.callerCanOpen && file !== 'sudo') return withSudoPolicy({ file: 'sudo', args: [file, ...args] }, mode);
  return withSudoPolicy({ file, args }, mode);
}

/** sudo in a background call gets -n (never prompt: fail with a message instead). */
function withSudoPolicy(process: Process, mode: Mode): Process {
  if (process.file !== 'sudo' || mode === 'terminal' || process.args[0] === '-n') return process;
  return { file: 'sudo', args: ['-n', ...process.args] };
}

/** The program sudo runs (what a sudoers entry must allow): the first argument that is no option. */
export function programUnderSudo(process: Process): string {
  if (process.file !== 'sudo') return process.file;
  return process.args.find((a) => !a.startsWith('-')) ?? 'sudo';
}

/**
 * What to do when a background call's sudo wanted a password (sudo -n refuses to ask): the fix
 * names the program to allow and the user to allow it for.
 */
export function sudoPasswordAdvice(stderr: string, program: string, user: string): string | undefined {
  if (!/sudo: (?:a terminal is required|a password is required)/i.test(stderr)) return undefined;
  return `sudo wanted a password, and this runs in the background where none can be typed. Allow it without one, e.g. a file in /etc/sudoers.d with "${user} ALL=(root) NOPASSWD: ${program}", or give your user access to the containerd socket (a group with read/write on it).`;
}

