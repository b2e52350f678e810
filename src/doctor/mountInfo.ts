// /proc/PID/mountinfo: which file system holds a path, as a process sees it. The doctor asks it of
// containerd's own mount namespace, where the snapshotter's directory is.

export interface Mount {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Each line: id parent major:minor root mount-point options [optional fields...] - type source super-options. */
export function parseMountInfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    const mountPoint = fields[4];
    const fsType = fields[separator + 1];
    if (separator < 0 || mountPoint === undefined || fsType === undefined) continue;
    mounts.push({ mountPoint: unescapeOctal(mountPoint), fsType, source: unescapeOctal(fields[separator + 2] ?? '') });
  }
  return mounts;
}

function contains(mountPoint: string, path: string): boolean {
  return mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);
}

/** The mount holding `path`: the deepest mount point above it; of equal ones the last (it covers the others). */
export function mountOf(path: string, mounts: readonly Mount[]): Mount | undefined {
  let found: Mount | undefined;
  for (const mount of mounts) {
    if (!contains(mount.mountPoint, path)) continue;
    if (found === undefined || mount.mountPoint.length >= found.mountPoint.length) found = mount;
  }
  return found;
}
