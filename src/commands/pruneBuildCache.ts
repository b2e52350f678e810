// Prune Build Cache…: the records `buildctl prune` would remove are read and shown first; what
// runs after the confirmation names exactly those records by id (src/buildkit/cachePrune.ts), so
// a record built meanwhile stays. The dialog says what goes, what stays and why.
import * as vscode from 'vscode';
import type { CacheRecord } from '../buildkit/builderInfo';
import { pruneExactly, readCache, type Buildctl } from '../buildkit/builderProbe';
import { keptSummary, prunePreview, type PruneOutcome } from '../buildkit/cachePrune';
import type { Ctx } from '../ctx';
import { formatBytes } from '../model/format';
import { previewLines } from '../nerdctl/prune';
import { runProcess } from '../process/runner';
import type { BuilderNode, BuildersTree } from '../views/buildersTree';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const sum = (records: readonly CacheRecord[]): number => records.reduce((n, r) => n + r.size, 0);

/** The builder row's address, else the only reachable builder, else the user's pick of them. */
async function builderAddress(tree: BuildersTree, node: BuilderNode | undefined): Promise<string | undefined> {
  if (node?.kind === 'builder') return node.state.address;
  const reachable = (await tree.builders()).filter((b) => b.state.reachable).map((b) => b.state.address);
  if (reachable.length === 0) throw new Error('No buildkitd is reachable: see the Builders view for where it looked.');
  if (reachable.length === 1) return reachable[0];
  return vscode.window.showQuickPick(reachable, { title: 'Prune the build cache of which buildkitd?' });
}

function recordLine(r: CacheRecord): string {
  return `${formatBytes(r.size)}  ${r.description || r.recordType || 'record'}  (${r.id})`;
}

function outcomeText(outcome: PruneOutcome, where: string): string {
  const kept = outcome.kept.length > 0
    ? ` Kept ${plural(outcome.kept.length, 'previewed record')} that ${outcome.kept.length === 1 ? 'was' : 'were'} in use, shared, or under a newer record by then.` : '';
  return `Pruned ${plural(outcome.removed.length, 'build cache record')} (${formatBytes(outcome.freedBytes)}) from ${where}.${kept}`;
}

export async function pruneBuildCache(ctx: Ctx, tree: BuildersTree, node?: BuilderNode): Promise<void> {
  const address = await builderAddress(tree, node);
  if (!address) return;
  const buildctl: Buildctl = { command: ctx.config().buildctlCommand, run: runProcess };
  const where = `buildkitd at ${address}`;
  const cache = await readCache(buildctl, address);
  if (!cache.ok) throw new Error(`Cannot read the build cache of ${where}: ${cache.problem}`);
  // The view shows the cache as the preview found it (nothing tells the view when builds change it).
  void tree.refresh();
  const { prunable, kept } = prunePreview(cache.value);
  const keptLine = kept.length > 0 ? `Not in this prune: ${keptSummary(kept)}.` : '';
  if (prunable.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to prune in the build cache of ${where}.${keptLine ? ` ${keptLine}` : ''}`);
    return;
  }
  const detail = [
    previewLines(prunable.map(recordLine)), '',
    `Exactly these ${plural(prunable.length, 'record')} are removed, each named by its id (buildctl prune --filter id==<id>, one per record, without --all). ` +
      'A record created after this preview stays. So does one of these that is in use or shared with a containerd image by then, or that a newer record is built on.',
    ...(keptLine ? ['', keptLine] : []),
  ].join('\n');
  const action = `Prune ${plural(prunable.length, 'Record')}`;
  const title = `Prune ${plural(prunable.length, 'build cache record')} (${formatBytes(sum(prunable))}) from ${where}?`;
  if ((await vscode.window.showWarningMessage(title, { modal: true, detail }, action)) !== action) return;
  try {
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pruning the build cache of ${where}` },
      () => pruneExactly(buildctl, address, prunable));
    if (outcome.unexpected.length > 0) {
      const ids = outcome.unexpected.map((r) => r.id).join(', ');
      ctx.log.error(`buildctl prune at ${address} reports removing records that were not previewed: ${ids}`);
      void vscode.window.showErrorMessage(`buildctl prune reports removing ${plural(outcome.unexpected.length, 'record')} that ${outcome.unexpected.length === 1 ? 'was' : 'were'} not in the preview: ${ids}.`);
    }
    void vscode.window.showInformationMessage(outcomeText(outcome, where));
  } finally {
    await tree.refresh();
  }
}
