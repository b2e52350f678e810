// Gathers what the preflight judges, from this machine: which dlv and its version, the binary
// under the debugger (/proc/PID/exe for an attach), who may ptrace it, and where module sources
// are. The extension and the integration tests both come through here, so the tests check the
// facts the extension would act on.
import { readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findProgram, hostIsExecutable } from '../nerdctl/findProgram';
import { runProcess } from '../process/runner';
import { readBinaryFacts } from './binaryFacts';
import { withElf } from './elfSections';
import { statusUid, userNames } from './buildkitdProcesses';
import type { BuildkitdDebugConfig } from './debugConfig';
import { parseDlvVersion } from './dlvCompat';
import { runPreflight, type BinaryView, type PreflightInput, type PreflightResult } from './preflight';
import { hasCapSysPtrace, readPtraceScope, type PtraceFacts } from './ptraceCheck';
import { declaredModule, linkedFolderSubstitutions, moduleCacheCandidates, proposeSubstitutePath, type LinkedFolder, type SubstitutePathEntry } from './substitutePath';

export interface MachineFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Who runs the editor (and dlv, unless asRoot). */
  readonly uid: number;
  /** The dlv the settings name (containerd.debug.dlvPath); a configuration's dlvPath wins. */
  readonly dlvSetting: string;
  /** Workspace folders, whose go.mod may declare a module the binary uses. */
  readonly workspaceFolders: readonly string[];
  /** /proc; the tests may point elsewhere. */
  readonly procRoot: string;
  /** Yama's ptrace_scope file (the tests give their own). */
  readonly ptraceScopeFile: string;
}

export function hostMachine(dlvSetting: string, workspaceFolders: readonly string[]): MachineFacts {
  return { env: process.env, uid: process.getuid?.() ?? 0, dlvSetting, workspaceFolders, procRoot: '/proc', ptraceScopeFile: '/proc/sys/kernel/yama/ptrace_scope' };
}

export async function readDlv(file: string, pathVariable: string | undefined): Promise<PreflightInput['dlv']> {
  const found = await findProgram(file, pathVariable, hostIsExecutable);
  if (!found) return { missing: file.includes('/') ? `${file} is not an executable file` : `no ${file} on PATH` };
  const answer = await runProcess({ file: found, args: ['version'] }, { timeoutMs: 15_000 });
  return { path: found, version: answer.exitCode === 0 ? parseDlvVersion(answer.stdout) : undefined };
}

async function binaryView(path: string): Promise<BinaryView | { unreadable: string }> {
  try {
    const facts = await readBinaryFacts(path);
    return facts.kind === 'go' ? facts : { unreadable: facts.message };
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
}

async function statusOf(procRoot: string, pid: number | 'self'): Promise<string | undefined> {
  return readFile(join(procRoot, String(pid), 'status'), 'utf8').catch(() => undefined);
}

async function ptraceFacts(machine: MachineFacts, pid: number, asRoot: boolean): Promise<PtraceFacts | undefined> {
  const targetUid = statusUid(await statusOf(machine.procRoot, pid));
  if (targetUid === undefined) return undefined;
  const ours = (await statusOf(machine.procRoot, 'self')) ?? '';
  const targetUser = userNames(await readFile('/etc/passwd', 'utf8').catch(() => '')).get(targetUid) ?? String(targetUid);
  return {
    attacherUid: asRoot ? 0 : machine.uid,
    attacherCanPtraceAny: hasCapSysPtrace(ours, asRoot ? 'CapBnd' : 'CapEff'),
    targetUid,
    targetUser,
    scope: await readPtraceScope(machine.ptraceScopeFile),
    asRoot,
  };
}

async function workspaceModules(folders: readonly string[]): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const folder of folders) {
    const module = declaredModule(await readFile(join(folder, 'go.mod'), 'utf8').catch(() => ''));
    if (module && !modules.has(module)) modules.set(module, folder);
  }
  return modules;
}

const isFolder = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined))?.isDirectory() === true;

/** A Go binary's file table (.gopclntab) holds every source path it was built from, as text. */
const maxFileTableBytes = 256 * 1024 * 1024;

/** Source folders (workspace, module caches) reached through a symlink, mapped where the binary holds their real paths. */
async function linkedFolders(binary: string, folders: readonly string[]): Promise<SubstitutePathEntry[]> {
  const linked: LinkedFolder[] = [];
  for (const path of folders) {
    const real = await realpath(path).catch(() => path);
    if (real !== path) linked.push({ path, real });
  }
  if (linked.length === 0) return [];
  const table = await withElf(binary, async (elf) => {
    // Go before 1.18 kept it in .data.rel.ro.gopclntab in PIE builds.
    const section = elf.section('.gopclntab') ?? elf.section('.data.rel.ro.gopclntab');
    return section && elf.bytes(section, maxFileTableBytes);
  }).catch(() => undefined);
  // File names are NUL-terminated: a NUL before the prefix anchors it at the start of a path.
  return table ? linkedFolderSubstitutions(linked, (prefix) => table.includes(`\0${prefix}`)) : [];
}

/** The binary the configuration debugs: the process's executable, or the program to launch. */
export async function targetBinary(config: BuildkitdDebugConfig, machine: MachineFacts): Promise<string | undefined> {
  const { target } = config;
  if (target.kind === 'local') return join(machine.procRoot, String(target.processId), 'exe');
  if (target.kind === 'launch') return (await findProgram(target.program, machine.env.PATH, hostIsExecutable)) ?? target.program;
  return undefined;
}

/** A preflight's result with the dlv it judged (the one the session then runs). */
export type MachinePreflight = PreflightResult & { readonly dlv: PreflightInput['dlv'] };

/** The preflight of a checked configuration on this machine; undefined for a remote attach. */
export async function preflightOnMachine(config: BuildkitdDebugConfig, machine: MachineFacts): Promise<MachinePreflight | undefined> {
  const binary = await targetBinary(config, machine);
  if (!binary) return undefined;
  const { target } = config;
  const dlv = await readDlv(config.dlvPath ?? machine.dlvSetting, machine.env.PATH);
  if (target.kind === 'local' && (await statusOf(machine.procRoot, target.processId)) === undefined) {
    return { dlv, findings: [{ check: 'process', level: 'error', message: `There is no process ${target.processId} (it may have exited).`, fix: 'Pick a running buildkitd again: "processId": "${command:containerd.buildkitd.pickProcess}".' }], substitutePath: config.substitutePath };
  }
  const roots = { moduleCaches: moduleCacheCandidates(machine.env, machine.env.HOME ?? homedir()), workspaceModules: await workspaceModules(machine.workspaceFolders) };
  const result = await runPreflight({
    binary: target.kind === 'local' ? `buildkitd (pid ${target.processId})` : binary,
    dlv,
    facts: await binaryView(binary),
    ptrace: target.kind === 'local' ? await ptraceFacts(machine, target.processId, config.asRoot) : undefined,
    checkGoVersion: !config.dlvFlags.includes('--check-go-version=false'),
    givenSubstitutePath: config.substitutePath,
    proposeSubstitutePath: (modules) => proposeSubstitutePath(modules, roots, isFolder),
    proposeLinkedFolders: () => linkedFolders(binary, [...machine.workspaceFolders, ...roots.moduleCaches]),
  });
  return { ...result, dlv };
}
