// Which history step made which layer: the config's history lists every step, and the steps
// without `empty_layer` match the layers one to one, in order. Builders do not always keep the
// history (or keep it short); a layer with no step of its own says so rather than borrow one.
import type { HistoryStep } from '../images/imageManifests';

/** The step behind each of `layerCount` layers; undefined where the history does not tell. */
export function layerSteps(history: readonly HistoryStep[], layerCount: number): (HistoryStep | undefined)[] {
  const steps = history.filter((step) => !step.emptyLayer);
  // More or fewer steps than layers: the pairing is unknown, and a wrong instruction misleads.
  if (steps.length !== layerCount) return Array.from({ length: layerCount }, () => undefined);
  return steps;
}

/**
 * The instruction as a reader wants it: classic builders' `/bin/sh -c #(nop) ` before
 * non-RUN steps and BuildKit's trailing `# buildkit` comment dropped.
 */
export function instructionText(step: HistoryStep | undefined): string | undefined {
  if (!step) return undefined;
  const text = step.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s+/, '').replace(/\s+# buildkit$/, '').trim();
  return text || step.comment || undefined;
}
