// Build tasks: a `buildkit` task per Dockerfile or Containerfile of the workspace (and any the
// user writes in tasks.json), run in a pseudoterminal that shows the build as it goes and puts
// its failures and build-check warnings on the Dockerfile's lines in Problems. The decisions are
// in src/buildkit (pure); this file gathers the machine's facts and talks to VS Code.
import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { buildxArgs, nerdctlBuildArgs } from '../buildkit/backendArgs';
import { binfmtProblems, nativePlatform, readBinfmt } from '../buildkit/binfmt';
import { unixSocketPath } from '../buildkit/buildkitHosts';
import { planBuild, type BuildPlan, type ChosenBackend } from '../buildkit/buildPlan';
import { buildctlRoute } from '../buildkit/buildctlRoute';
import { runBuild } from '../buildkit/buildRun';
import { buildxInspectArgs, readBuildxInspect, type DockerBuilder } from '../buildkit/dockerBuilder';
import type { BuildDiagnostic } from '../buildkit/diagnostics';
import { readDefinition, type BuildDefinition } from '../buildkit/taskDefinition';
import { isKnownEndpoint } from '../model/scopeChoice';
import type { ImagesTree } from '../views/imagesTree';
import { nerdctlProcess } from '../commands/nerdctlTarget';
import type { Ctx } from '../ctx';
import { offerFinding, seenProblem } from './doctorOffer';
import { findProgram, hostIsExecutable } from '../nerdctl/findProgram';
import type { Process } from '../nerdctl/invocation';
import { runProcess } from '../process/runner';
import { findHost } from './buildkitHostSearch';

const dockerfileGlob = '**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*,*.containerfile,*.Containerfile}';
const red = (text: string): string => `\u001b[31m${text}\u001b[0m`;
const dim = (text: string): string => `\u001b[2m${text}\u001b[0m`;

export function toDiagnostic(d: BuildDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.startLine, d.range.startCharacter, d.range.endLine, d.range.endCharacter);
  const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'buildkit';
  if (d.code) diagnostic.code = d.url ? { value: d.code, target: vscode.Uri.parse(d.url) } : d.code;
  return diagnostic;
}


export async function installed(command: readonly string[]): Promise<boolean> {
  return (await findProgram(command[0] ?? '', process.env.PATH, hostIsExecutable)) !== undefined;
}

/** PATH with the configured buildctl's folder first: nerdctl build runs the buildctl it finds on PATH. */
function pathWithBuildctl(buildctl: readonly string[]): Record<string, string | undefined> {
  const program = buildctl[0] ?? '';
  return program.includes('/') ? { ...process.env, PATH: `${dirname(program)}:${process.env.PATH ?? ''}` } : { ...process.env };
}

class BuildTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly ended = new vscode.EventEmitter<number>();
  private readonly stop = new AbortController();
  /** What docker buildx inspect said while planning (a buildx build, or auto without a buildkitd). */
  private docker: DockerBuilder | undefined;
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.ended.event;

  constructor(private readonly ctx: Ctx, private readonly images: ImagesTree, private readonly problems: vscode.DiagnosticCollection,
    private readonly folder: vscode.WorkspaceFolder, private readonly raw: unknown) {}

  open(): void {
    this.build().then((code) => this.ended.fire(code), (error: unknown) => {
      this.line(red(error instanceof Error ? error.message : String(error)));
      this.ended.fire(1);
    });
  }

  /** Closing the terminal (or Terminate Task) cancels the build: the runner ends its process. */
  close(): void {
    this.stop.abort();
  }

  private line(text: string): void {
    this.written.fire(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  }

  private async build(): Promise<number> {
    if (!vscode.workspace.isTrusted) {
      this.line(red('Build tasks do not run in Restricted Mode: a task from an untrusted folder would run its build tools. Trust the folder (Manage Workspace Trust) to build.'));
      return 1;
    }
    const read = readDefinition(this.raw);
    if (!read.ok) {
      this.line(red('This buildkit task cannot run:'));
      for (const problem of read.problems) this.line(red(`  ${problem}`));
      return 2;
    }
    const plan = await this.plan(read.definition);
    if (!plan.ok) {
      this.line(red(plan.reason));
      return 1;
    }
    for (const problem of await this.preflight(plan)) this.line(`\u001b[33m${problem}\u001b[0m`);
    const uri = vscode.Uri.file(plan.build.dockerfile);
    this.problems.delete(uri);
    const text = await readFile(plan.build.dockerfile, 'utf8');
    const { process: buildProcess, loadArchive } = await this.processFor(plan);
    this.line(dim(`$ ${[buildProcess.file, ...buildProcess.args].join(' ')}`));
    const result = await runBuild({
      // In the task's folder, as VS Code runs shell tasks: relative secret, ssh and cache paths are the folder's.
      process: buildProcess, format: plan.build.definition.progress, dockerfile: { path: plan.build.dockerfile, text }, cwd: this.folder.uri.fsPath,
      env: pathWithBuildctl(this.ctx.config().buildctlCommand), signal: this.stop.signal, show: (l) => this.line(l),
    });
    this.problems.set(uri, result.diagnostics.map(toDiagnostic));
    if (result.run.cancelled) {
      this.line(red('Build cancelled.'));
      return 130;
    }
    if (result.run.exitCode !== 0) {
      if (result.run.failedToStart) this.line(red(`Could not start ${buildProcess.file}: ${result.run.failedToStart}`));
      this.recognise(`${result.run.stderr}\n${result.run.stdout}`);
      return result.run.exitCode ?? 1;
    }
    return this.afterBuild(plan, loadArchive);
  }

  /** A failure the doctor knows: its fix in the terminal, and the doctor offered. */
  private recognise(output: string): void {
    const seen = seenProblem('', output);
    if (!seen) return;
    this.line(`\u001b[33mThe doctor recognises this: ${seen.message}\u001b[0m`);
    if (seen.fix) this.line(`\u001b[33mFix: ${seen.fix}\u001b[0m`);
    offerFinding('The build failed', seen);
  }

  /** Platforms this machine cannot run, for a builder on this machine (a remote one has its own). */
  private async preflight(plan: Extract<BuildPlan, { ok: true }>): Promise<string[]> {
    const local = plan.backend === 'buildx' || unixSocketPath(plan.build.buildkitHost) !== undefined;
    if (!local || plan.build.definition.platforms.length === 0) return [];
    return binfmtProblems(plan.build.definition.platforms, nativePlatform(process.arch), await readBinfmt('/proc/sys/fs/binfmt_misc'));
  }

  private async plan(definition: BuildDefinition): Promise<BuildPlan> {
    const config = this.ctx.config();
    // The explorer's namespace (default when it shows them all).
    const shown = this.ctx.scope.get();
    const scope = shown ? { address: shown.address, namespace: shown.namespace ?? 'default' } : undefined;
    const namespace = definition.namespace ?? scope?.namespace ?? 'default';
    const [{ host, tried }, nerdctl, buildctl, docker] = await Promise.all([
      findHost(this.ctx, definition.buildkitHost, namespace), installed(config.nerdctlCommand), installed(config.buildctlCommand), installed(config.dockerCommand),
    ]);
    // Docker's builder is asked only when it may be the one: a buildx task, or auto with no buildkitd.
    const askDocker = docker && (definition.backend === 'buildx' || (definition.backend === 'auto' && host === undefined));
    const dockerBuilder = askDocker ? await this.dockerBuilder() : undefined;
    this.docker = dockerBuilder;
    const facts = { folder: this.folder.uri.fsPath, scope, installed: { nerdctl, buildctl, buildx: docker } satisfies Record<ChosenBackend, boolean>, host, tried, ...(dockerBuilder ? { docker: dockerBuilder } : {}) };
    return planBuild(definition, facts);
  }

  private async dockerBuilder(): Promise<DockerBuilder> {
    const [file = 'docker', ...prefix] = this.ctx.config().dockerCommand;
    return readBuildxInspect(await runProcess({ file, args: [...prefix, ...buildxInspectArgs] }, { timeoutMs: 20_000, signal: this.stop.signal }));
  }

  private async processFor(plan: Extract<BuildPlan, { ok: true }>): Promise<{ process: Process; loadArchive: string | undefined }> {
    const config = this.ctx.config();
    if (plan.backend === 'nerdctl') return { process: await nerdctlProcess(this.ctx, plan.target.address, plan.target.namespace, nerdctlBuildArgs(plan.build), 'background'), loadArchive: undefined };
    if (plan.backend === 'buildx') {
      const [file = '', ...prefix] = config.dockerCommand;
      return { process: { file, args: [...prefix, ...buildxArgs(plan.build)] }, loadArchive: undefined };
    }
    // The extension's storage folder does not exist before its first use: buildctl would fail to
    // open the archive it writes (a first build in a fresh profile did).
    await mkdir(this.ctx.scratchFolder, { recursive: true });
    const archive = join(this.ctx.scratchFolder, `build-${Date.now().toString(36)}.tar`);
    return buildctlRoute(plan.build, plan.target.namespace, config.buildctlCommand, archive, this.stop.signal);
  }

  /** The image into the target namespace (an archive buildctl wrote), pushed when asked, then announced. */
  private async afterBuild(plan: Extract<BuildPlan, { ok: true }>, loadArchive: string | undefined): Promise<number> {
    const { definition } = plan.build;
    const nerdctl = (args: readonly string[]): Promise<Process> => nerdctlProcess(this.ctx, plan.target.address, plan.target.namespace, args, 'background');
    const steps: Process[] = [
      ...(loadArchive ? [await nerdctl(['load', '--all-platforms', `--input=${loadArchive}`])] : []),
      // nerdctl build and an archive loaded by nerdctl have no push of their own.
      ...(definition.push && (plan.backend === 'nerdctl' || loadArchive) ? await Promise.all(definition.tags.map((tag) => nerdctl(['push', '--all-platforms', '--', tag]))) : []),
    ];
    for (const step of steps) {
      this.line(dim(`$ ${[step.file, ...step.args].join(' ')}`));
      const result = await runProcess(step, { signal: this.stop.signal, onStderrLine: (l) => this.line(l) });
      for (const l of result.stdout.split('\n')) if (l.trim()) this.line(l);
      if (result.exitCode !== 0) return result.exitCode ?? 1;
    }
    if (plan.backend === 'buildx' && !definition.output && !definition.push) {
      // dockerd's containerd is the explorer's only when it is one of its endpoints: say where to look.
      const store = this.docker?.ready && this.docker.namespace ? `Docker's image store (containerd namespace ${this.docker.namespace})` : 'Docker\'s image store';
      this.line(`\u001b[32m${definition.tags.length > 0 ? definition.tags.join(', ') : 'The image (untagged)'} built into ${store}.\u001b[0m`);
    }
    if (plan.backend !== 'buildx' && !definition.output) {
      this.ctx.events.changedByUs(plan.target.address, 'images', plan.target.namespace);
      const names = definition.tags.length > 0 ? definition.tags.join(', ') : 'The image (untagged)';
      this.line(`\u001b[32m${names} built into namespace ${plan.target.namespace} of ${plan.target.address}.\u001b[0m`);
      // Hand over to the explorer: the image selected in its namespace, ready to run from its menu.
      if (definition.tags.length > 0 && isKnownEndpoint(this.ctx.endpoints.latest, plan.target.address)) {
        await this.ctx.scope.choose({ address: plan.target.address, namespace: plan.target.namespace });
        await this.images.reveal((node) => node.kind === 'image' && definition.tags.includes(node.image.record.name));
      }
    }
    return 0;
  }
}

interface TaskParts { readonly ctx: Ctx; readonly images: ImagesTree; readonly problems: vscode.DiagnosticCollection }

function buildTask(parts: TaskParts, folder: vscode.WorkspaceFolder, definition: vscode.TaskDefinition, name: string): vscode.Task {
  const execution = new vscode.CustomExecution(() => Promise.resolve(new BuildTerminal(parts.ctx, parts.images, parts.problems, folder, definition)));
  const task = new vscode.Task(definition, folder, name, 'buildkit', execution, []);
  task.group = vscode.TaskGroup.Build;
  return task;
}

/**
 * A task from a .code-workspace file belongs to no folder: its `file` is read in the folder that
 * holds it (an absolute path, or the one folder where the relative path exists), else the first.
 */
function folderOfWorkspaceTask(definition: vscode.TaskDefinition): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const file = typeof definition.file === 'string' ? definition.file : '';
  const holding = folders.filter((f) => (isAbsolute(file) ? !relative(f.uri.fsPath, file).startsWith('..') : existsSync(join(f.uri.fsPath, file))));
  return holding.length === 1 ? holding[0] : folders[0];
}

/** Registers the task provider; returns the diagnostics collection builds and checks share. */
export function registerBuildTasks(ctx: Ctx, images: ImagesTree): vscode.DiagnosticCollection {
  const problems = ctx.own(vscode.languages.createDiagnosticCollection('buildkit'));
  const parts: TaskParts = { ctx, images, problems };
  // A Dockerfile edited since its build: the lines no longer say what the diagnostics say.
  ctx.own(vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length > 0 && problems.has(e.document.uri)) problems.delete(e.document.uri);
  }));
  ctx.own(vscode.tasks.registerTaskProvider('buildkit', {
    provideTasks: async () => {
      const files = await vscode.workspace.findFiles(dockerfileGlob);
      return files.flatMap((uri) => {
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        if (!folder) return [];
        const file = relative(folder.uri.fsPath, uri.fsPath);
        return [
          buildTask(parts, folder, { type: 'buildkit', file }, `build ${file}`),
          buildTask(parts, folder, { type: 'buildkit', file, platforms: ['linux/amd64', 'linux/arm64'] }, `build ${file} (linux/amd64, linux/arm64)`),
        ];
      });
    },
    resolveTask: (task) => {
      if (task.definition.type !== 'buildkit') return undefined;
      const folder = typeof task.scope === 'object' ? task.scope : folderOfWorkspaceTask(task.definition);
      return folder ? buildTask(parts, folder, task.definition, task.name) : undefined;
    },
  }));
  return problems;
}
