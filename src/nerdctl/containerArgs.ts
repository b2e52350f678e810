// nerdctl subcommands on containers and images, as argv after the invocation's global flags.
// Positional values (ids, names, references) come after `--`, so none can be read as a flag.
import { absolutePath, assertValid, imageReference, imageTag } from './validate';

export interface LogOptions {
  readonly follow: boolean;
  /** Lines from the end; undefined: all. */
  readonly tail?: number;
  readonly timestamps: boolean;
}

/** What Show Logs and Compose Logs print unless the user's settings say otherwise. */
export const defaultLogOptions: LogOptions = { follow: true, tail: 500, timestamps: false };

function isLineCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

/**
 * The containerd.logs.* settings as log options: `tail` null means every line; a value of the
 * wrong type (a hand-edited settings.json) falls back to the default rather than failing the command.
 */
export function logOptionsFrom(raw: { readonly follow?: unknown; readonly tail?: unknown; readonly timestamps?: unknown }): LogOptions {
  const tail = raw.tail === null ? undefined : isLineCount(raw.tail) ? raw.tail : defaultLogOptions.tail;
  return {
    follow: typeof raw.follow === 'boolean' ? raw.follow : defaultLogOptions.follow,
    timestamps: typeof raw.timestamps === 'boolean' ? raw.timestamps : defaultLogOptions.timestamps,
    ...(tail === undefined ? {} : { tail }),
  };
}

/** A containerd id or a nerdctl name: never empty, never an option. */
export function containerRef(id: string): string {
  if (id.length === 0 || id.startsWith('-')) throw new Error(`"${id}" is not a container id or name`);
  return id;
}

/** The flags `nerdctl logs` and `crictl logs` share. */
export function logFlags(options: LogOptions): string[] {
  const tail = options.tail;
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new Error(`the number of lines must be a whole number of 0 or more, not ${tail}`);
  return [...(options.follow ? ['--follow'] : []), ...(options.timestamps ? ['--timestamps'] : []), ...(tail !== undefined ? [`--tail=${tail}`] : [])];
}

export function logsArgs(id: string, options: LogOptions): string[] {
  return ['logs', ...logFlags(options), '--', containerRef(id)];
}

/**
 * A shell in a running container. 'auto' runs bash where the image has it, else sh (busybox and
 * distroless-like images have only sh); the probe runs inside the container, our constant text.
 */
export function shellArgs(id: string, shell: string): string[] {
  const command = shell === 'auto' ? ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'] : [shell];
  if (shell.length === 0 || shell.startsWith('-')) throw new Error(`"${shell}" is not a shell: set containerd.containers.shell to auto or a path such as /bin/sh`);
  return ['exec', '--interactive', '--tty', '--', containerRef(id), ...command];
}

export type Lifecycle = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill';

export function lifecycleArgs(verb: Lifecycle, ids: readonly string[]): string[] {
  if (ids.length === 0) throw new Error(`nothing to ${verb}: no container was given`);
  return [verb, '--', ...ids.map(containerRef)];
}

/** Live CPU, memory, network and block I/O of running containers (`stream`: refreshed until closed). */
export function statsArgs(ids: readonly string[], stream: boolean): string[] {
  if (ids.length === 0) throw new Error('nothing to watch: no container was given');
  return ['stats', ...(stream ? [] : ['--no-stream']), '--', ...ids.map(containerRef)];
}

/** Removes containers; `force` stops running ones first (nerdctl rm -f). */
export function removeArgs(ids: readonly string[], force: boolean): string[] {
  if (ids.length === 0) throw new Error('nothing to remove: no container was given');
  return ['rm', ...(force ? ['--force'] : []), '--', ...ids.map(containerRef)];
}

/** `nerdctl cp` from this machine into a container (a running one, or a stopped one on nerdctl 2). */
export function copyIntoArgs(id: string, localPath: string, containerPath: string): string[] {
  assertValid(absolutePath, localPath);
  assertValid(absolutePath, containerPath);
  return ['cp', '--', localPath, `${containerRef(id)}:${containerPath}`];
}

/** `nerdctl cp` from a container to this machine. */
export function copyFromArgs(id: string, containerPath: string, localPath: string): string[] {
  assertValid(absolutePath, containerPath);
  assertValid(absolutePath, localPath);
  return ['cp', '--', `${containerRef(id)}:${containerPath}`, localPath];
}

export function pullArgs(reference: string, platform?: string): string[] {
  assertValid(imageReference, reference);
  return ['pull', ...(platform ? [`--platform=${platform}`] : []), '--', reference];
}

/**
 * Without allPlatforms nerdctl pushes a copy reduced to this machine's platform (another digest);
 * with it, the image as it is, which needs every platform's content here.
 */
export function pushArgs(reference: string, allPlatforms = false): string[] {
  assertValid(imageTag, reference);
  return ['push', ...(allPlatforms ? ['--all-platforms'] : []), '--', reference];
}

export function tagArgs(source: string, target: string): string[] {
  assertValid(imageReference, source);
  assertValid(imageTag, target);
  return ['tag', '--', source, target];
}

export function removeImageArgs(references: readonly string[]): string[] {
  if (references.length === 0) throw new Error('nothing to remove: no image was given');
  for (const r of references) assertValid(imageReference, r);
  return ['rmi', '--', ...references];
}

function archivePath(path: string): string {
  assertValid(absolutePath, path);
  return path;
}

/** All platforms: the archive moves the whole image to another machine. */
export function saveArgs(references: readonly string[], outFile: string): string[] {
  if (references.length === 0) throw new Error('nothing to save: no image was given');
  for (const r of references) assertValid(imageReference, r);
  return ['save', '--all-platforms', `--output=${archivePath(outFile)}`, '--', ...references];
}

/** Without allPlatforms nerdctl keeps only this machine's platform of a multi-platform archive. */
export function loadArgs(inFile: string, allPlatforms = false): string[] {
  return ['load', ...(allPlatforms ? ['--all-platforms'] : []), `--input=${archivePath(inFile)}`];
}

