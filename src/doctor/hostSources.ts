// The machine as the doctor reads it: file reads that never throw, this process's user, PID
// namespace, nerdctl.toml and tools. The caller adds what only it knows: the endpoints, the
// settings and the build tasks' platforms. The extension and the tests (run as any user) share it.
import { readFile, readlink, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { nerdctlTomlPath, parseNerdctlToml } from '../nerdctl/toml';
import { runProcess } from '../process/runner';
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

/** What only the caller knows. */
export type CallerSources = Pick<DoctorSources, 'env' | 'statuses' | 'apiOf' | 'namespace' | 'tools' | 'buildkitHost' | 'platforms'> & { readonly binfmtDir?: string };

export async function hostDoctorSources(caller: CallerSources): Promise<DoctorSources> {
  const info = userInfo();
  const user = { name: info.username, uid: info.uid, home: caller.env.HOME ?? info.homedir };
  const tomlPath = nerdctlTomlPath(caller.env, user.uid === 0);
  const [tomlText, pidLink] = await Promise.all([hostDoctorFiles.readText(tomlPath), readlink('/proc/self/ns/pid').catch(() => undefined)]);
  return {
    ...caller,
    user,
    arch: process.arch,
    ourPidNamespace: namespaceInode(pidLink),
    run: runProcess,
    files: hostDoctorFiles,
    binfmtDir: caller.binfmtDir ?? '/proc/sys/fs/binfmt_misc',
    nerdctlToml: { path: tomlPath, config: tomlText === undefined ? undefined : parseNerdctlToml(tomlText) },
    now: () => new Date(),
  };
}
