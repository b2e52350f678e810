// Runs a copy decided by copyImage.ts: nerdctl save of every platform at the source into an
// archive in a private scratch folder, nerdctl load --all-platforms of it at the destination, then
// checks what landed (the same digest under the same name) and labels it for the CRI plugin in
// k8s.io. Not a pipe: a save streamed through this process into a FIFO or a file lost the
// archive's tail now and then ("short read ... unexpected EOF" at the load: 2 of 15 copies via a
// FIFO, 3 of 12 saves to a file through stdout); nerdctl's own --output lost nothing (0 of 12).
// Processes come in ready-made (their invocation is per daemon).
import { chmod, chown, mkdir, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ContainerdApi } from '../containerd/connection/api';
import { getImage, setImageLabel, type ImageRecord } from '../containerd/images/images';
import { formatBytes, shortDigest } from '../model/format';
import { lastStderrLine, outcomeText, runProcess, type RunResult } from '../process/runner';
import { loadArgs, saveArgs } from './containerArgs';
import { copyFailureAdvice, criManagedLabel, needsCriLabel, type ImageAt, type Place } from './copyImage';
import { programUnderSudo, type Process } from './invocation';

export interface CopyProgress {
  /** A line for the user (the copy's terminal). */
  readonly line: (text: string) => void;
  /** Bytes saved so far. */
  readonly bytes?: (total: number) => void;
}

export type CopyOutcome =
  | { readonly kind: 'copied'; readonly bytes: number; readonly labelled: boolean }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string; readonly stderr: string };

/** `setpriv --reuid N ...`: the uid the load runs as, which must be able to read the archive. */
function readerUid(load: Process): number | undefined {
  const at = load.args.indexOf('--reuid');
  return load.file === 'setpriv' && at >= 0 ? Number(load.args[at + 1]) : undefined;
}

/** nerdctl's progress lines redraw constantly: errors, warnings and the final words only. */
const worthShowing = /level=(?:error|fatal|warn)|^Loaded image|^unpacking/i;

/** Scratch folders a copy left behind when VS Code was killed under it (a day is long enough for any copy). */
const staleAfterMs = 24 * 60 * 60 * 1000;
const scratchPrefix = 'copy-';

async function removeStaleScratch(scratch: string): Promise<void> {
  const names = await readdir(scratch).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(scratchPrefix)).map(async (name) => {
    const info = await stat(join(scratch, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleAfterMs) await rm(join(scratch, name), { recursive: true, force: true });
  }));
}

function failure(name: string, step: 'save' | 'load', result: RunResult, ran: Process): CopyOutcome {
  const advice = copyFailureAdvice(name, result.stderr, { program: programUnderSudo(ran), user: userInfo().username });
  const last = lastStderrLine(result) || 'no message';
  return { kind: 'failed', message: `Copying ${name} failed in nerdctl ${step} (${outcomeText(result)}): ${advice ?? last}`, stderr: result.stderr };
}

/**
 * Copies `source` to `destination`. `saveWith` and `loadWith` are the nerdctl argv prefixes for
 * the source and the destination daemon; `scratch` is a folder on disk (not a RAM /tmp: an
 * archive is as big as the image) where the archive lives until the load is done.
 */
export async function runImageCopy(opts: {
  source: ImageAt; destination: Place; saveWith: Process; loadWith: Process; destinationApi: ContainerdApi;
  scratch: string; progress: CopyProgress; signal?: AbortSignal;
}): Promise<CopyOutcome> {
  const { source, destination, progress, signal } = opts;
  await mkdir(opts.scratch, { recursive: true, mode: 0o700 });
  await removeStaleScratch(opts.scratch);
  const dir = await mkdtemp(join(opts.scratch, scratchPrefix));
  try {
    const archive = join(dir, 'image.tar');
    const show = (step: string) => (line: string): void => {
      if (worthShowing.test(line)) progress.line(`  ${step}: ${line}`);
    };
    const started = Date.now();
    // nerdctl writes the archive itself (--output): its stdout read here lost the archive's last
    // kilobytes now and then. The file is made first, for this user only.
    await (await open(archive, 'wx', 0o600)).close();
    // A failed save removes its output.
    const size = (): Promise<number> => stat(archive).then((info) => info.size, () => 0);
    const reportSize = progress.bytes;
    const ticker = reportSize && setInterval(() => { void size().then(reportSize); }, 250);
    const saved = await runProcess({ file: opts.saveWith.file, args: [...opts.saveWith.args, ...saveArgs([source.name], archive)] }, {
      ...(signal ? { signal } : {}), onStderrLine: show('save'),
    }).finally(() => { if (ticker) clearInterval(ticker); });
    const bytes = await size();
    progress.line(`  saved ${formatBytes(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (signal?.aborted) return { kind: 'cancelled' };
    if (saved.exitCode !== 0) return failure(source.name, 'save', saved, opts.saveWith);
    const uid = readerUid(opts.loadWith);
    if (uid !== undefined) {
      await chown(archive, uid, -1);
      await chmod(dir, 0o711);
    }
    const loaded = await runProcess({ file: opts.loadWith.file, args: [...opts.loadWith.args, ...loadArgs(archive, true)] }, {
      ...(signal ? { signal } : {}), onStderrLine: show('load'),
    });
    progress.line(`  loaded in ${((Date.now() - started) / 1000).toFixed(1)} s (${outcomeText(loaded)})`);
    if (signal?.aborted) return { kind: 'cancelled' };
    if (loaded.exitCode !== 0) return failure(source.name, 'load', loaded, opts.loadWith);
    const landed = await getImage(opts.destinationApi, destination.namespace, source.name);
    if (landed?.target.digest !== source.digest) {
      return { kind: 'failed', message: `nerdctl load finished, but ${source.name} in namespace "${destination.namespace}" is ${landed ? shortDigest(landed.target.digest) : 'missing'}, not ${shortDigest(source.digest)}.`, stderr: loaded.stderr };
    }
    return { kind: 'copied', bytes, labelled: await labelForCri(opts.destinationApi, destination, landed) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** In k8s.io, labels the image as the CRI plugin's own (it lists no other); true when it did. */
export async function labelForCri(api: ContainerdApi, destination: Place, record: ImageRecord): Promise<boolean> {
  if (!needsCriLabel(destination, record.labels)) return false;
  await setImageLabel(api, destination.namespace, record, criManagedLabel.key, criManagedLabel.value);
  return true;
}
