// Which Go versions a Delve release can debug. dlv refuses a binary outside its range only once it
// attaches; the preflight says so before, with the dlv that would fit. The ranges are Delve's own
// (pkg/goversion, per release); a release newer than the table is not judged.
export interface GoMinorRange {
  readonly min: number;
  readonly max: number;
}

/** Delve release -> the Go 1.x minors it supports, from the first release each range held. */
const rangesSince: readonly (readonly [string, GoMinorRange])[] = [
  ['1.20.0', { min: 18, max: 20 }],
  ['1.21.0', { min: 18, max: 21 }],
  ['1.21.1', { min: 19, max: 21 }],
  ['1.22.0', { min: 19, max: 22 }],
  ['1.23.0', { min: 21, max: 23 }],
  ['1.24.0', { min: 21, max: 24 }],
  ['1.25.1', { min: 22, max: 25 }],
  ['1.26.0', { min: 24, max: 26 }],
  ['1.27.0', { min: 25, max: 27 }],
];
/** The newest release line the table knows; later lines may support newer Go. */
const newestKnownLine = '1.27';

export function parseDlvVersion(output: string): string | undefined {
  return /^Version:\s*v?(\d+\.\d+\.\d+)/m.exec(output)?.[1];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The Go minors this dlv supports, or undefined for a release the table does not cover. */
export function goRangeOfDlv(dlvVersion: string): GoMinorRange | undefined {
  if (compareVersions(dlvVersion, `${newestKnownLine}.999`) > 0) return undefined;
  let found: GoMinorRange | undefined;
  for (const [since, range] of rangesSince) if (compareVersions(dlvVersion, since) >= 0) found = range;
  return found;
}

/** The minor of a Go version as build info records it ("go1.26.8", "go1.19.8", "go1.22rc1"). */
export function goMinor(goVersion: string): number | undefined {
  const match = /^go1\.(\d+)/.exec(goVersion);
  return match ? Number(match[1]) : undefined;
}

export type GoFit = { readonly fits: true } | { readonly fits: false; readonly reason: 'too-old-go' | 'too-old-dlv'; readonly range: GoMinorRange } | { readonly fits: 'unknown' };

export function goFitsDlv(dlvVersion: string, goVersion: string): GoFit {
  const range = goRangeOfDlv(dlvVersion);
  const minor = goMinor(goVersion);
  if (!range || minor === undefined) return { fits: 'unknown' };
  if (minor < range.min) return { fits: false, reason: 'too-old-go', range };
  if (minor > range.max) return { fits: false, reason: 'too-old-dlv', range };
  return { fits: true };
}
