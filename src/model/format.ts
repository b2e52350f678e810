// Short, stable text for tree rows and tooltips. Free of vscode so it is unit-tested.

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB": binary units, as ctr and nerdctl print them. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const amount = unit === 0 ? String(value) : value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${amount} ${units[unit]}`;
}

/** "sha256:0123456789ab…" -> "0123456789ab" (12 hex digits, as nerdctl shows ids). */
export function shortDigest(digest: string): string {
  // Without an algorithm prefix indexOf gives -1: the slice then starts at 0.
  return digest.slice(digest.indexOf(':') + 1).slice(0, 12);
}

/** "3 minutes ago"-style age of a date relative to `now`. */
export function formatAge(date: Date | undefined, now: Date): string {
  if (!date) return '';
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  const steps: [number, string][] = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
  let value = seconds;
  for (const [size, name] of steps) {
    if (value < size) return value <= 1 && name === 'second' ? 'just now' : `${value} ${name}${value === 1 ? '' : 's'} ago`;
    value = Math.floor(value / size);
  }
  return '';
}
