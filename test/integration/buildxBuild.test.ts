// The `buildx` backend as the build task runs it, on a real dockerd (sid) whose images live in a
// private containerd 2.x (the containerd snapshotter, namespace `moby`): the task definition read,
// the build planned and its argv made by our code, run through runBuild with DOCKER_HOST and
// DOCKER_CONFIG as a user's shell would set them, and the output read into diagnostics. ctr is
// the oracle of what was stored.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildxArgs, buildxCheckArgs } from '../../src/buildkit/backendArgs';
import { planBuild } from '../../src/buildkit/buildPlan';
import { runBuild, type BuildRunResult } from '../../src/buildkit/buildRun';
import { checkJsonDiagnostics } from '../../src/buildkit/checkJson';
import { buildxInspectArgs, readBuildxInspect } from '../../src/buildkit/dockerBuilder';
import { readDefinition } from '../../src/buildkit/taskDefinition';
import { runProcess } from '../../src/process/runner';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { startDockerd, type Dockerd } from '../harness/dockerd';
import { importBusybox } from '../harness/sampleImage';

const checksDockerfile = 'FROM busybox as base\nENV greeting hello\nRUN echo "$greeting" > /greeting\nCMD cat /greeting\n';
const expectedChecks = [
  ['warning', 'FromAsCasing', 0, 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/'],
  ['warning', 'JSONArgsRecommended', 3, 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/'],
  ['warning', 'LegacyKeyValueFormat', 1, 'https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/'],
];

describe('build tasks with the buildx backend on a real dockerd', () => {
  let daemon: ContainerdDaemon;
  let dockerd: Dockerd;

  before(async () => {
    const components = loadComponents();
    daemon = await startContainerd('2.x');
    dockerd = await startDockerd(daemon);
    // dockerd resolves `FROM busybox` from its image store: the image in its containerd namespace.
    await importBusybox(daemon, components.busybox, 'docker.io/library/busybox:latest', dockerd.namespace);
  });
  after(async () => {
    await dockerd?.stop();
    await daemon?.stop();
  });

  function contextWith(name: string, dockerfile: string): string {
    const dir = join(daemon.dir, `ctx-${name}-${Date.now().toString(36)}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    return dir;
  }

  /** The task's path: definition, plan (backend buildx), argv, runBuild; `network: none` unless the test says otherwise. */
  async function build(raw: Record<string, unknown>, dockerfile: string): Promise<BuildRunResult & { args: string[] }> {
    const folder = contextWith('build', dockerfile);
    const read = readDefinition({ type: 'buildkit', file: 'Dockerfile', backend: 'buildx', network: 'none', ...raw });
    if (!read.ok) assert.fail(read.problems.join('; '));
    const plan = planBuild(read.definition, { folder, scope: undefined, installed: { nerdctl: false, buildctl: false, buildx: true }, host: undefined, tried: [] });
    if (!plan.ok) assert.fail(plan.reason);
    assert.equal(plan.backend, 'buildx');
    const args = buildxArgs(plan.build);
    const result = await runBuild({
      process: { file: dockerd.dockerBin, args }, env: dockerd.env, cwd: folder,
      format: plan.build.definition.progress, dockerfile: { path: plan.build.dockerfile, text: dockerfile }, show: () => undefined,
    });
    return { ...result, args };
  }

  const images = async (): Promise<string[]> => (await daemon.ctr(['--namespace', 'moby', 'images', 'list', '--quiet'])).split('\n').filter(Boolean);

  for (const progress of ['rawjson', 'plain'] as const) {
    it(`${progress}: a failing RUN lands on its Dockerfile line with its output`, async () => {
      const result = await build({ progress }, 'FROM busybox\nWORKDIR /work\nRUN echo before && false\nRUN echo after\n');
      assert.equal(result.run.exitCode, 1, result.output.slice(-800));
      assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.range.startLine, d.message]), [['error', 2, 'The command `echo before && false` exited with code 1.\nLast output:\nbefore']]);
    });

    it(`${progress}: build checks on their lines with rule and page; the image lands in dockerd's containerd, namespace moby`, async () => {
      const tag = `docker.io/library/buildx-checked:${progress}-${Date.now().toString(36)}`;
      const result = await build({ progress, tags: [tag] }, checksDockerfile);
      assert.equal(result.run.exitCode, 0, result.output.slice(-800));
      assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.code, d.range.startLine, d.url]).sort(), expectedChecks);
      assert.ok((await images()).includes(tag), `${tag} not in moby: ${(await images()).join(', ')}`);
    });
  }

  it('without "network": none a bridgeless dockerd fails the RUN, and the diagnostic says which attribute fixes it', async () => {
    const result = await build({ progress: 'rawjson', network: 'default' }, 'FROM busybox\nRUN echo hi\n');
    assert.notEqual(result.run.exitCode, 0);
    assert.ok(!result.args.some((a) => a.startsWith('--network')), result.args.join(' '));
    const [error] = result.diagnostics;
    assert.equal(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));
    assert.equal(error?.range.startLine, 1);
    assert.match(error?.message ?? '', /no bridge network.*"network": "none"/);
  });

  it('"network": none gives RUN only a loopback, "host" the host\'s interfaces', async () => {
    const interfaces = 'FROM busybox\nRUN ls /sys/class/net | tr "\\n" " " && echo\nRUN test "$(ls /sys/class/net)" NOTEQ lo\n';
    const none = await build({ progress: 'plain', network: 'none' }, interfaces.replace('NOTEQ', '='));
    assert.equal(none.run.exitCode, 0, none.output.slice(-800));
    const host = await build({ progress: 'plain', network: 'host' }, interfaces.replace('NOTEQ', '!='));
    assert.equal(host.run.exitCode, 0, host.output.slice(-800));
    assert.deepEqual(host.diagnostics, []);
  });

  it('two platforms: the failure only arm64 (QEMU) has is named for arm64 on its line', async () => {
    const result = await build({ progress: 'rawjson', platforms: ['linux/amd64', 'linux/arm64'] }, 'FROM busybox\nRUN echo "on $(uname -m)"\nRUN test "$(uname -m)" != aarch64\n');
    assert.notEqual(result.run.exitCode, 0, result.output.slice(-800));
    assert.equal(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));
    const [error] = result.diagnostics;
    assert.equal(error?.range.startLine, 2);
    assert.equal(error?.platform, 'linux/arm64');
    assert.match(error?.message ?? '', /^linux\/arm64: The command `test "\$\(uname -m\)" != aarch64` exited with code 1\./);
  });

  it('two platforms that build: one image in moby holding both', async () => {
    const tag = `docker.io/library/buildx-multi:${Date.now().toString(36)}`;
    const result = await build({ progress: 'plain', platforms: ['linux/amd64', 'linux/arm64'], tags: [tag] }, 'FROM busybox\nRUN echo "built on $(uname -m)"\n');
    assert.equal(result.run.exitCode, 0, result.output.slice(-800));
    assert.deepEqual(result.diagnostics, []);
    assert.match(result.output, /built on aarch64/);
    const listed = (await daemon.ctr(['--namespace', 'moby', 'images', 'list'])).split('\n').find((l) => l.startsWith(`${tag} `)) ?? '';
    assert.match(listed, /linux\/amd64,linux\/arm64/, listed || `${tag} not listed`);
  });

  it('Check Dockerfile through buildx --call=check: each check on its line, a parse error as an error, nothing built', async () => {
    const before = await images();
    const check = async (dockerfile: string): Promise<ReturnType<typeof checkJsonDiagnostics>> => {
      const file = join(contextWith('check', dockerfile), 'Dockerfile');
      const result = await runProcess({ file: dockerd.dockerBin, args: buildxCheckArgs(file) }, { env: dockerd.env, timeoutMs: 120_000 });
      assert.ok(result.exitCode === 0 || result.exitCode === 1, result.stderr);
      return checkJsonDiagnostics(result.stdout, { path: file, text: dockerfile });
    };
    const found = await check(checksDockerfile);
    assert.deepEqual(found?.map((d) => [d.severity, d.code, d.range.startLine, d.url]).sort(), expectedChecks);
    assert.deepEqual((await check('FROM busybox\nRUN echo ok\nRUNN echo hi\n'))?.map((d) => [d.severity, d.range.startLine, d.message]),
      [['error', 2, 'Unknown instruction: RUNN (did you mean RUN?).']]);
    assert.deepEqual(await check('FROM busybox\nRUN echo ok\n'), []);
    assert.deepEqual(await images(), before, 'a check built an image');
  });

  it('docker buildx inspect: ready with namespace moby here; not ready, with the reason, for a daemon that is gone or a CLI without the plugin', async () => {
    const inspect = async (env: Readonly<Record<string, string | undefined>>): Promise<ReturnType<typeof readBuildxInspect>> =>
      readBuildxInspect(await runProcess({ file: dockerd.dockerBin, args: buildxInspectArgs }, { env, timeoutMs: 60_000 }));
    const here = await inspect(dockerd.env);
    assert.ok(here.ready, JSON.stringify(here));
    assert.equal(here.namespace, 'moby');
    assert.ok(here.platforms.includes('linux/amd64') && here.platforms.includes('linux/arm64'), here.platforms.join(', '));
    const gone = await inspect({ ...dockerd.env, DOCKER_HOST: `unix://${join(daemon.dir, 'no-docker.sock')}` });
    assert.ok(!gone.ready && /Cannot connect to the Docker daemon/.test(gone.reason), JSON.stringify(gone));
    const emptyConfig = join(daemon.dir, `docker-config-empty-${Date.now().toString(36)}`);
    mkdirSync(emptyConfig);
    const noPlugin = await inspect({ ...dockerd.env, DOCKER_CONFIG: emptyConfig });
    assert.ok(!noPlugin.ready && /no buildx plugin/.test(noPlugin.reason), JSON.stringify(noPlugin));
    // What the planner does with it: auto without a buildkitd picks Docker's builder when it answers.
    const read = readDefinition({ file: 'Dockerfile' });
    if (!read.ok) assert.fail(read.problems.join('; '));
    const facts = { folder: daemon.dir, scope: { address: daemon.socket, namespace: 'default' }, installed: { nerdctl: true, buildctl: true, buildx: true }, host: undefined, tried: [] };
    const auto = planBuild(read.definition, { ...facts, docker: here });
    assert.ok(auto.ok && auto.backend === 'buildx', JSON.stringify(auto));
    const refused = planBuild(read.definition, { ...facts, docker: gone });
    assert.ok(!refused.ok && refused.reason.includes('Cannot connect to the Docker daemon'), JSON.stringify(refused));
  });

  it('a dockerd on the classic image store: inspect names no namespace, and a two-platform --load says what to do instead', async () => {
    const classic = await startDockerd(daemon, { containerdSnapshotter: false });
    try {
      const builder = readBuildxInspect(await runProcess({ file: classic.dockerBin, args: buildxInspectArgs }, { env: classic.env, timeoutMs: 60_000 }));
      assert.ok(builder.ready && builder.namespace === undefined, JSON.stringify(builder));
      const dockerfile = 'FROM busybox\nRUN true\n';
      const folder = contextWith('classic', dockerfile);
      const read = readDefinition({ file: 'Dockerfile', backend: 'buildx', network: 'none', platforms: ['linux/amd64', 'linux/arm64'] });
      if (!read.ok) assert.fail(read.problems.join('; '));
      const plan = planBuild(read.definition, { folder, scope: undefined, installed: { nerdctl: false, buildctl: false, buildx: true }, host: undefined, tried: [], docker: builder });
      if (!plan.ok) assert.fail(plan.reason);
      const result = await runBuild({ process: { file: classic.dockerBin, args: buildxArgs(plan.build) }, env: classic.env, format: 'plain', dockerfile: { path: plan.build.dockerfile, text: dockerfile }, show: () => undefined });
      assert.notEqual(result.run.exitCode, 0);
      assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', 0]]);
      assert.match(result.diagnostics[0]?.message ?? '', /^Docker's classic image store keeps one platform per image/);
    } finally {
      await classic.stop();
    }
  });
});
