// `nerdctl run` from what the Run flow collected. Every value is checked first (validate.ts) and
// travels in `--flag=value` form, and the image comes after `--`: nothing a user typed can become
// a flag, and a value holding "," or "=" stays one value.
import { assertValid, containerName, environmentEntry, imageReference, networkName, platform, portMapping, restartPolicy, volumeMount } from './validate';

export interface RunSpec {
  readonly image: string;
  readonly name?: string;
  readonly ports?: readonly string[];
  readonly env?: readonly string[];
  readonly volumes?: readonly string[];
  readonly restart?: string;
  /** Detached (-d), or attached with a terminal and stdin (-it). */
  readonly mode: 'detached' | 'interactive';
  /** --rm: the container goes when it exits. */
  readonly remove?: boolean;
  readonly platform?: string;
  readonly network?: string;
  /** The container's command and its arguments, after the image: passed as they are. */
  readonly command?: readonly string[];
}

export function runArgs(spec: RunSpec): string[] {
  assertValid(imageReference, spec.image);
  const args = ['run', spec.mode === 'detached' ? '--detach' : '--interactive', ...(spec.mode === 'interactive' ? ['--tty'] : [])];
  if (spec.remove) {
    if (spec.restart !== undefined && spec.restart !== 'no') throw new Error(`--rm and the restart policy "${spec.restart}" contradict each other: a removed container cannot restart`);
    args.push('--rm');
  }
  if (spec.name !== undefined) {
    assertValid(containerName, spec.name);
    args.push(`--name=${spec.name}`);
  }
  for (const port of spec.ports ?? []) {
    assertValid(portMapping, port);
    args.push(`--publish=${port}`);
  }
  for (const entry of spec.env ?? []) {
    assertValid(environmentEntry, entry);
    args.push(`--env=${entry}`);
  }
  for (const volume of spec.volumes ?? []) {
    assertValid(volumeMount, volume);
    args.push(`--volume=${volume}`);
  }
  if (spec.restart !== undefined) {
    assertValid(restartPolicy, spec.restart);
    args.push(`--restart=${spec.restart}`);
  }
  if (spec.platform !== undefined) {
    assertValid(platform, spec.platform);
    args.push(`--platform=${spec.platform}`);
  }
  if (spec.network !== undefined) {
    assertValid(networkName, spec.network);
    args.push(`--network=${spec.network}`);
  }
  return [...args, '--', spec.image, ...(spec.command ?? [])];
}
