// Where a program named by a setting lives: a path is checked as it is, a bare name is looked up
// on PATH, as execve would. Pure: the executable check is injected.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export type IsExecutable = (path: string) => Promise<boolean>;

export async function findProgram(file: string, pathVariable: string | undefined, isExecutable: IsExecutable): Promise<string | undefined> {
  if (file.includes('/')) return (await isExecutable(file)) ? file : undefined;
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, file);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export const hostIsExecutable: IsExecutable = async (path) => {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
