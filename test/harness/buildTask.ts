// A buildkit task's definition run the way the task runs it, minus VS Code: checked, planned,
// routed through buildctl (which asks the workers where images go first), run in the task's
// folder with its output read into diagnostics. For the integration tier on a private buildkitd.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildctlRoute } from '../../src/buildkit/buildctlRoute';
import { planBuild } from '../../src/buildkit/buildPlan';
import { runBuild, type BuildRunResult } from '../../src/buildkit/buildRun';
import { readDefinition } from '../../src/buildkit/taskDefinition';
import type { Components } from './components';
import type { ContainerdDaemon } from './containerdDaemon';

export interface TaskRun extends BuildRunResult {
  readonly loadArchive: string | undefined;
  /** The task's folder, holding its Dockerfile (and whatever the build wrote there). */
  readonly folder: string;
  /** What the terminal showed, colours removed. */
  readonly screen: string[];
}

export interface TaskSetup {
  readonly components: Components;
  readonly daemon: ContainerdDaemon;
  /** The buildkitd address the host search found. */
  readonly host: string;
  /** Files to put in the task's folder beside the Dockerfile. */
  readonly files?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The folder to use instead of a new one (a second build of the same task). */
  readonly folder?: string;
}

/** Runs `raw` (buildctl and rawjson unless it says otherwise) on `dockerfile`; the worker's namespace is `buildkit`. */
export async function runTask(setup: TaskSetup, raw: Record<string, unknown>, dockerfile: string): Promise<TaskRun> {
  const folder = setup.folder ?? mkdtempSync(join(setup.daemon.dir, 'task-'));
  writeFileSync(join(folder, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(setup.files ?? {})) writeFileSync(join(folder, name), text);
  const read = readDefinition({ file: 'Dockerfile', progress: 'rawjson', backend: 'buildctl', ...raw });
  if (!read.ok) assert.fail(read.problems.join('; '));
  const plan = planBuild(read.definition, {
    folder, scope: { address: setup.daemon.socket, namespace: 'buildkit' }, host: setup.host, tried: [],
    installed: { nerdctl: true, buildctl: true, buildx: true },
  });
  if (!plan.ok) assert.fail(plan.reason);
  assert.equal(plan.backend, 'buildctl', 'the plan picks buildctl');
  const route = await buildctlRoute(plan.build, plan.target.namespace, [setup.components.tools.buildctl], join(folder, 'out.tar'));
  // No registry for base images: they come from the worker's namespace.
  const process = { ...route.process, args: [...route.process.args, '--opt=image-resolve-mode=local'] };
  const screen: string[] = [];
  const result = await runBuild({
    process, format: read.definition.progress, dockerfile: { path: plan.build.dockerfile, text: dockerfile }, cwd: folder,
    ...(setup.env ? { env: setup.env } : {}),
    // eslint-disable-next-line no-control-regex -- colours are what is removed
    show: (line) => screen.push(line.replace(/\u001b\[[0-9;]*m/g, '')),
  });
  return { ...result, loadArchive: route.loadArchive, folder, screen };
}

/** The image names ctr lists in the worker's namespace. */
export async function workerImages(daemon: ContainerdDaemon): Promise<string[]> {
  return (await daemon.ctr(['--namespace', 'buildkit', 'images', 'list', '--quiet'])).split('\n').filter(Boolean);
}
