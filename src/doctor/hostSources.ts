// The machine as the doctor reads it: file reads that never throw, this process's user and PID
// namespace. The vscode layer adds the settings, endpoints and build tasks.
import { readFile, readlink, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { namespaceInode } from './endpointFacts';
import type { DoctorSources } from './runDoctor';

export const hostDoctorFiles: DoctorSources['files'] = {
  readText: (path) => readFile(path, 'utf8').catch(() => undefined),
  executableMode: async (path) => {
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() && (info.mode & 0o111) !== 0 ? info.mode : undefined;
  },
  exists: async (path) => (await stat(path).catch(() => undefined)) !== undefined,
  isDirectory: async (path) => (await stat(path).catch(() => undefined))?.isDirectory() ?? false,
  isSocket: async (path) => (await stat(path).catch(() => undefined))?.isSocket() ?? false,
};

export function hostUser(env: Readonly<Record<string, string | undefined>>): DoctorSources['user'] {
  const info = userInfo();
  return { name: info.username, uid: info.uid, home: env.HOME ?? info.homedir };
}

export async function hostPidNamespace(): Promise<number | undefined> {
  return namespaceInode(await readlink('/proc/self/ns/pid').catch(() => undefined));
}
