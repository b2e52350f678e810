// Which nerdctl the user's command runs, from what `--version` prints ("nerdctl version 2.3.5"),
// and whether it is new enough for the argv the extension builds. Read once per command line
// (the cache lives in the extension's context); a version that cannot be read is no reason to
// refuse: sudo that would ask for a password, a wrapper that prints something else.
import { runProcess } from '../process/runner';
import type { Process } from './invocation';

export interface ToolVersion { readonly major: number; readonly minor: number; readonly patch: number }

export function parseNerdctlVersion(output: string): ToolVersion | undefined {
  const match = /^nerdctl version v?(\d+)\.(\d+)\.(\d+)/m.exec(output);
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

function text(v: ToolVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/**
 * Why this nerdctl cannot run the extension's commands, or undefined. Before 1.0 the flags the
 * commands use (`load --all-platforms`, `cp`, `compose --project-name`) are missing or differ.
 */
export function nerdctlTooOld(version: ToolVersion, setting: string): string | undefined {
  if (version.major >= 1) return undefined;
  return `nerdctl ${text(version)} is too old for these commands (they need nerdctl 1.0 or later; the extension is tested with 1.7 and 2.x): install a current nerdctl (https://github.com/containerd/nerdctl/releases), or set ${setting} in your user settings to a newer one.`;
}

/** A note for the log when the version is older than the oldest the extension is tested with. */
export function nerdctlUntested(version: ToolVersion): string | undefined {
  return version.major === 1 && version.minor < 7 ? `nerdctl ${text(version)} is older than 1.7, the oldest the extension is tested with: a command may fail on a flag it lacks.` : undefined;
}

/** `<command> --version` (or the tool's own version words) without ever prompting: sudo gets -n. Undefined for an empty command. */
export function versionProcess(command: readonly string[], versionArgs: readonly string[] = ['--version']): Process | undefined {
  const [file, ...rest] = command;
  if (!file) return undefined;
  return { file, args: file === 'sudo' && rest[0] !== '-n' ? ['-n', ...rest, ...versionArgs] : [...rest, ...versionArgs] };
}

/** The version `command` reports; undefined when it cannot be read. */
export async function readNerdctlVersion(command: readonly string[]): Promise<ToolVersion | undefined> {
  const asked = versionProcess(command);
  if (!asked) return undefined;
  const result = await runProcess(asked, { timeoutMs: 10_000 }).catch(() => undefined);
  return result?.exitCode === 0 ? parseNerdctlVersion(result.stdout) : undefined;
}

/** One read per command line for the extension's lifetime; a failed read is tried again next time. */
export class VersionCache {
  private readonly known = new Map<string, Promise<ToolVersion | undefined>>();

  constructor(private readonly read: (command: readonly string[]) => Promise<ToolVersion | undefined>) {}

  get(command: readonly string[]): Promise<ToolVersion | undefined> {
    const key = command.join('\0');
    const cached = this.known.get(key);
    if (cached) return cached;
    const reading = this.read(command).then((version) => {
      if (!version) this.known.delete(key);
      return version;
    });
    this.known.set(key, reading);
    return reading;
  }
}
