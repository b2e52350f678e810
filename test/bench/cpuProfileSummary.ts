// Reads a V8 .cpuprofile and ranks functions by self time (and the extension's own files by the
// time spent inside them), the "where did the start go" table of the bench.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile { readonly nodes: readonly ProfileNode[]; readonly samples: readonly number[]; readonly timeDeltas: readonly number[] }

export interface SelfTime { readonly name: string; readonly where: string; readonly ms: number }

function shortUrl(url: string): string {
  const parts = url.split('/');
  return parts.slice(-2).join('/');
}

/** The `top` functions by self time, and the total sampled time (ms). */
export function selfTimes(file: string, top = 25): { totalMs: number; functions: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, SelfTime>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const prior = byFunction.get(key);
    byFunction.set(key, { name, where, ms: (prior?.ms ?? 0) + us / 1000 });
  }
  const functions = [...byFunction.values()].sort((a, b) => b.ms - a.ms);
  return { totalMs: functions.reduce((sum, f) => sum + f.ms, 0), functions: functions.slice(0, top) };
}
