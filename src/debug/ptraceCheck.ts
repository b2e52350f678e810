// Whether dlv, running as a given user, may ptrace a given process: the kernel's ownership rule
// and Yama's ptrace_scope, checked before dlv meets them as a bare "operation not permitted".
import { readFile } from 'node:fs/promises';
import type { Finding } from './finding';

/** Linux capability number of CAP_SYS_PTRACE. */
const capSysPtrace = 19n;

export interface PtraceFacts {
  /** Who dlv runs as (0 with asRoot). */
  readonly attacherUid: number;
  /** Whether dlv has CAP_SYS_PTRACE (root in a container often does not). */
  readonly attacherCanPtraceAny: boolean;
  readonly targetUid: number;
  readonly targetUser: string;
  /** Yama's kernel.yama.ptrace_scope; undefined where Yama is absent. */
  readonly scope: number | undefined;
  readonly asRoot: boolean;
}

/**
 * Whether a /proc/PID/status grants CAP_SYS_PTRACE: in its effective set, or (for a root dlv that
 * sudo starts) in the bounding set, the most any process under it can have.
 */
export function hasCapSysPtrace(statusText: string, set: 'CapEff' | 'CapBnd' = 'CapEff'): boolean {
  const hex = new RegExp(`^${set}:\\s*([0-9a-f]+)`, 'm').exec(statusText)?.[1];
  return hex !== undefined && ((BigInt(`0x${hex}`) >> capSysPtrace) & 1n) === 1n;
}

/** ptrace_scope from its file: undefined when Yama is not in the kernel (no file). */
export async function readPtraceScope(path = '/proc/sys/kernel/yama/ptrace_scope'): Promise<number | undefined> {
  try {
    const value = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const sudoFix = 'Set "asRoot": true in the launch configuration: the extension then starts dlv with sudo.';

export function ptraceFinding(facts: PtraceFacts): Finding | undefined {
  if (facts.scope === 3) {
    return { check: 'ptrace', level: 'error', message: 'kernel.yama.ptrace_scope is 3: this kernel refuses every ptrace attach, even root\'s, until it reboots.', fix: 'Set kernel.yama.ptrace_scope to 0 or 1 at boot (sysctl.d), reboot, or launch buildkitd under dlv instead of attaching.' };
  }
  if (facts.attacherCanPtraceAny) return undefined;
  if (facts.attacherUid === 0) {
    // Root without CAP_SYS_PTRACE: a container started without --cap-add=SYS_PTRACE.
    return facts.targetUid === 0 && facts.scope !== 2
      ? undefined
      : { check: 'ptrace', level: 'error', message: 'dlv runs as root but without CAP_SYS_PTRACE (common inside a container), so the kernel refuses to attach.', fix: 'Run the container with --cap-add=SYS_PTRACE (and, under Docker, --security-opt seccomp=unconfined), or debug from the host.' };
  }
  if (facts.targetUid !== facts.attacherUid) {
    return { check: 'ptrace', level: 'error', message: `buildkitd runs as ${facts.targetUser} (uid ${facts.targetUid}) and dlv would run as uid ${facts.attacherUid}: the kernel lets only the same user or root attach.`, fix: facts.asRoot ? 'sudo did not make dlv root: check the sudoers entry for dlv.' : sudoFix };
  }
  if (facts.scope === 2) {
    return { check: 'ptrace', level: 'error', message: 'kernel.yama.ptrace_scope is 2: only processes with CAP_SYS_PTRACE may attach.', fix: sudoFix };
  }
  if (facts.scope === 1) {
    return { check: 'ptrace', level: 'error', message: 'kernel.yama.ptrace_scope is 1: a process may attach only to its own descendants, and buildkitd is not dlv\'s.', fix: `${sudoFix} Or allow it for this boot: sudo sysctl kernel.yama.ptrace_scope=0.` };
  }
  return undefined;
}
