// Runs a copy decided by copyImage.ts: nerdctl save at the source streamed into nerdctl load at
// the destination, then checks what landed (the same digest under the same name) and labels it
// for the CRI plugin in k8s.io. Processes come in ready-made (their invocation is per daemon).
import type { ContainerdApi } from '../containerd/connection/api';
import { getImage, setImageLabel } from '../containerd/images/images';
import { formatBytes, shortDigest } from '../model/format';
import { pipeThroughFifo } from '../process/fifoPipe';
import { outcomeText } from '../process/runner';
import { loadArgs, saveToStdoutArgs } from './containerArgs';
import { copyFailureAdvice, criManagedLabel, needsCriLabel, type ImageAt, type Place } from './copyImage';
import type { Process } from './invocation';

export interface CopyProgress {
  /** A line for the user (the copy's terminal). */
  readonly line: (text: string) => void;
  /** Bytes streamed so far. */
  readonly bytes?: (total: number) => void;
}

export type CopyOutcome =
  | { readonly kind: 'copied'; readonly bytes: number; readonly labelled: boolean }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string; readonly stderr: string };

/** `setpriv --reuid N ...`: the uid the load runs as, which must be able to open the FIFO. */
function readerUid(load: Process): number | undefined {
  const at = load.args.indexOf('--reuid');
  return load.file === 'setpriv' && at >= 0 ? Number(load.args[at + 1]) : undefined;
}

/** nerdctl's progress lines redraw constantly: errors, warnings and the final words only. */
const worthShowing = /level=(?:error|fatal|warn)|^Loaded image|^unpacking/i;

/**
 * Streams `source` into `destination`. `saveWith` and `loadWith` are the nerdctl argv prefixes
 * for the source and the destination daemon; `destinationApi` reads what landed.
 */
export async function copyImageStream(opts: {
  source: ImageAt; destination: Place; saveWith: Process; loadWith: Process; destinationApi: ContainerdApi;
  progress: CopyProgress; signal?: AbortSignal;
}): Promise<CopyOutcome> {
  const { source, destination, progress } = opts;
  const save = { file: opts.saveWith.file, args: [...opts.saveWith.args, ...saveToStdoutArgs(source.name)] };
  const load = (fifo: string): Process => ({ file: opts.loadWith.file, args: [...opts.loadWith.args, ...loadArgs(fifo, true)] });
  const uid = readerUid(opts.loadWith);
  const started = Date.now();
  const result = await pipeThroughFifo(save, load, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(uid === undefined ? {} : { readerUid: uid }),
    ...(progress.bytes ? { onBytes: progress.bytes } : {}),
    onStderrLine: (side, line) => {
      if (worthShowing.test(line)) progress.line(`  ${side === 'from' ? 'save' : 'load'}: ${line}`);
    },
  });
  progress.line(`  ${formatBytes(result.bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s (save: ${outcomeText(result.from)}, load: ${outcomeText(result.to)})`);
  if (opts.signal?.aborted) return { kind: 'cancelled' };
  if (result.from.exitCode !== 0 || result.to.exitCode !== 0) {
    const side = result.firstFailure ?? (result.from.exitCode !== 0 ? 'from' : 'to');
    const failed = side === 'to' ? result.to : result.from;
    const advice = copyFailureAdvice(source.name, failed.stderr);
    const message = `Copying ${source.name} failed in nerdctl ${side === 'to' ? 'load' : 'save'} (${outcomeText(failed)})${advice ? `: ${advice}` : `: ${lastLine(failed.stderr)}`}`;
    return { kind: 'failed', message, stderr: failed.stderr };
  }
  const landed = await getImage(opts.destinationApi, destination.namespace, source.name);
  if (landed?.target.digest !== source.digest) {
    return { kind: 'failed', message: `nerdctl load finished, but ${source.name} in namespace "${destination.namespace}" is ${landed ? shortDigest(landed.target.digest) : 'missing'}, not ${shortDigest(source.digest)}.`, stderr: result.to.stderr };
  }
  const labelled = await labelForCri(opts.destinationApi, destination, source.name);
  return { kind: 'copied', bytes: result.bytes, labelled };
}

/** In k8s.io, labels the image as the CRI plugin's own (it lists no other); true when it did. */
export async function labelForCri(api: ContainerdApi, destination: Place, name: string): Promise<boolean> {
  const record = await getImage(api, destination.namespace, name);
  if (!record || !needsCriLabel(destination, record.labels)) return false;
  await setImageLabel(api, destination.namespace, name, criManagedLabel.key, criManagedLabel.value);
  return true;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() || 'no message';
}
