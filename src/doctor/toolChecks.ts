// The command-line tools the extension drives: found or not, and which version, each with what a
// missing one costs and how to get it.
import type { Process } from '../nerdctl/invocation';
import { nerdctlTooOld, parseNerdctlVersion, versionProcess } from '../nerdctl/toolVersion';
import { outcomeText, type RunOptions, type RunResult } from '../process/runner';
import type { DoctorFinding } from './doctorCheck';

export type ToolName = 'nerdctl' | 'buildctl' | 'dlv' | 'crictl';

export interface ToolFacts {
  readonly name: ToolName;
  /** The argv prefix the settings give. */
  readonly command: readonly string[];
  /** The first line the tool printed for its version, or why it could not be asked. */
  readonly answer: { readonly version: string } | { readonly failed: string };
}

/** What each tool is for, its setting, and how to install it. */
const roles: Readonly<Record<ToolName, { level: 'warning' | 'info'; usedFor: string; setting: string; install: string }>> = {
  nerdctl: { level: 'warning', usedFor: 'the run, logs, exec, image and compose commands', setting: 'containerd.nerdctl.command', install: 'Install nerdctl (github.com/containerd/nerdctl releases; the "full" archive brings CNI plugins and BuildKit too)' },
  buildctl: { level: 'warning', usedFor: 'the Builders view and build tasks with the buildctl backend', setting: 'containerd.buildctl.command', install: 'Install BuildKit (github.com/moby/buildkit releases), which brings buildctl and buildkitd' },
  dlv: { level: 'info', usedFor: 'debugging buildkitd', setting: 'containerd.debug.dlvPath', install: 'Build it with go install github.com/go-delve/delve/cmd/dlv@latest, or install your distribution\'s delve package' },
  crictl: { level: 'info', usedFor: 'logs of Kubernetes (CRI) containers', setting: 'containerd.crictl.command', install: 'Install crictl (github.com/kubernetes-sigs/cri-tools releases)' },
};

/** The words that make each tool print its version. */
export const versionArgs: Readonly<Record<ToolName, readonly string[]>> = { nerdctl: ['--version'], buildctl: ['--version'], dlv: ['version'], crictl: ['--version'] };

export type Run = (process: Process, options?: RunOptions) => Promise<RunResult>;

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}

export async function readTool(name: ToolName, command: readonly string[], run: Run): Promise<ToolFacts> {
  const asked = versionProcess(command, versionArgs[name]);
  if (!asked) return { name, command, answer: { failed: 'the setting is empty' } };
  const result = await run(asked, { timeoutMs: 10_000 });
  if (result.exitCode === 0) {
    // dlv prints "Delve Debugger" before its "Version: 1.27.2" line.
    const line = name === 'dlv' ? firstLine(result.stdout.replace(/^Delve Debugger\s*/, '')) : firstLine(result.stdout);
    return { name, command, answer: { version: line || 'unknown version' } };
  }
  return { name, command, answer: { failed: result.failedToStart !== undefined ? `not found (${result.failedToStart})` : `${outcomeText(result)}: ${firstLine(result.stderr)}` } };
}

export function toolFindings(tools: readonly ToolFacts[]): DoctorFinding[] {
  return tools.map(({ name, command, answer }): DoctorFinding => {
    const role = roles[name];
    if ('failed' in answer) {
      return { check: 'tools', level: role.level, message: `${name} (${command.join(' ')}) cannot be run: ${answer.failed}. It is needed for ${role.usedFor}.`, fix: `${role.install}, or set ${role.setting} to where it is.` };
    }
    const nerdctlVersion = name === 'nerdctl' ? parseNerdctlVersion(answer.version) : undefined;
    const tooOld = nerdctlVersion ? nerdctlTooOld(nerdctlVersion, role.setting) : undefined;
    if (tooOld) return { check: 'tools', level: 'warning', message: tooOld, fix: '', evidence: [answer.version] };
    return { check: 'tools', level: 'ok', message: `${name}: ${answer.version} (${command.join(' ')}).`, fix: '' };
  });
}
