// A build as the task runs it, on the real BuildKit: the argv our builders make, run through the
// one runner against a private buildkitd (containerd worker on a private containerd 2.x), its
// output drawn as it comes and read into diagnostics on the Dockerfile's lines; buildctl and
// nerdctl build; a multi-platform build failing only under QEMU's arm64; cancelling mid-RUN.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildctlArgs, buildctlLintArgs, buildctlSubrequestArgs, imageOutput, nerdctlBuildArgs, type ResolvedBuild } from '../../src/buildkit/backendArgs';
import { checkDiagnostics, lintDiagnostics } from '../../src/buildkit/lintResult';
import { runProcess } from '../../src/process/runner';
import { runBuild, type BuildRunResult } from '../../src/buildkit/buildRun';
import { readDefinition } from '../../src/buildkit/taskDefinition';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents, type Components } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { nerdctlFor } from '../harness/nerdctlEnv';
import { importBusybox } from '../harness/sampleImage';
import { processCommandLines } from '../harness/processTable';
import { waitFor } from '../harness/waitFor';

describe('build runs on the real BuildKit', () => {
  let components: Components;
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;

  before(async () => {
    components = loadComponents();
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon, { namespace: 'buildkit' });
    await importBusybox(daemon, components.busybox, 'docker.io/library/busybox:latest', 'buildkit');
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
  });

  function contextWith(name: string, dockerfile: string): { dir: string; file: string } {
    const dir = join(daemon.dir, `ctx-${name}-${Date.now()}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    return { dir, file: join(dir, 'Dockerfile') };
  }

  function resolved(raw: Record<string, unknown>, ctx: { dir: string; file: string }): ResolvedBuild {
    const result = readDefinition({ file: 'Dockerfile', ...raw });
    if (!result.ok) assert.fail(result.problems.join('; '));
    return { definition: result.definition, dockerfile: ctx.file, context: ctx.dir, buildkitHost: buildkitd.address };
  }

  async function withBuildctl(raw: Record<string, unknown>, dockerfile: string, signal?: AbortSignal): Promise<BuildRunResult & { shown: string[] }> {
    const ctx = contextWith('buildctl', dockerfile);
    const build = resolved(raw, ctx);
    const shown: string[] = [];
    // No registry here: base images come from the worker's namespace.
    const args = [...buildctlArgs(build, imageOutput(build.definition.tags, false)), '--opt=image-resolve-mode=local'];
    const result = await runBuild({ process: { file: components.tools.buildctl, args }, format: build.definition.progress, dockerfile: { path: ctx.file, text: dockerfile }, show: (l) => shown.push(l), ...(signal ? { signal } : {}) });
    return { ...result, shown };
  }

  it('buildctl, rawjson: a failing RUN lands on its line with its output; the terminal shows the steps as they ran', async () => {
    const dockerfile = 'FROM busybox\nWORKDIR /work\nRUN echo before && false\nRUN echo after\n';
    const result = await withBuildctl({ progress: 'rawjson' }, dockerfile);
    assert.equal(result.run.exitCode, 1, result.output.slice(-500));
    assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.range.startLine, d.message]), [['error', 2, 'The command `echo before && false` exited with code 1.\nLast output:\nbefore']]);
    // eslint-disable-next-line no-control-regex -- colours are what is removed
    const screen = result.shown.map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    assert.ok(screen.some((l) => /^#\d+ \[3\/4\] RUN echo before && false$/.test(l)), screen.join('\n'));
    assert.ok(screen.includes('error: failed to solve: process "/bin/sh -c echo before && false" did not complete successfully: exit code: 1'), screen.join('\n'));
    assert.ok(screen.some((l) => /failed at \[3\/4\] RUN echo before && false$/.test(l)), 'the summary names the failed step');
  });

  it('buildctl, rawjson: a COPY of a file not in the context and an instruction that does not parse land on their lines in the user\'s words', async () => {
    const copy = await withBuildctl({ progress: 'rawjson' }, 'FROM busybox\nWORKDIR /w\nCOPY missing.txt /w/\n');
    assert.notEqual(copy.run.exitCode, 0);
    assert.deepEqual(copy.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', 2]], JSON.stringify(copy.diagnostics));
    assert.match(copy.diagnostics[0]?.message ?? '', /^missing\.txt is not in the build context/);
    const parse = await withBuildctl({ progress: 'rawjson' }, 'FROM busybox\nRUNN echo hi\n');
    assert.notEqual(parse.run.exitCode, 0);
    assert.deepEqual(parse.diagnostics.map((d) => [d.severity, d.range.startLine, d.message]), [['error', 1, 'Unknown instruction: RUNN (did you mean RUN?).']]);
  });

  it('buildctl, rawjson: build checks on their lines with rule and page; the image lands in the worker\'s namespace (ctr)', async () => {
    const tag = `docker.io/library/checked:${Date.now().toString(36)}`;
    const dockerfile = 'FROM busybox as base\nENV greeting hello\nRUN echo "$greeting" > /greeting\nCMD cat /greeting\n';
    const result = await withBuildctl({ progress: 'rawjson', tags: [tag] }, dockerfile);
    assert.equal(result.run.exitCode, 0, result.output.slice(-500));
    assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.code, d.range.startLine]).sort(), [['warning', 'FromAsCasing', 0], ['warning', 'JSONArgsRecommended', 3], ['warning', 'LegacyKeyValueFormat', 1]]);
    assert.match(await daemon.ctr(['--namespace', 'buildkit', 'images', 'list', '--quiet']), new RegExp(`^${tag.replace(/[.:/]/g, '\\$&')}$`, 'm'));
  });

  it('Check Dockerfile: the lint request on the real buildkitd finds each check on its line, and builds nothing', async () => {
    const ctx = contextWith('lint', 'FROM busybox as base\nENV greeting hello\nRUN echo "$greeting" > /greeting\nCMD cat /greeting\n');
    const before = await daemon.ctr(['--namespace', 'buildkit', 'images', 'list', '--quiet']);
    const result = await runProcess({ file: components.tools.buildctl, args: [...buildctlLintArgs(buildkitd.address, undefined, ctx.file), '--opt=image-resolve-mode=local'] }, { timeoutMs: 120_000 });
    assert.equal(result.exitCode, 0, result.stderr);
    const found = lintDiagnostics(result.stdout, { path: ctx.file, text: readFileSync(ctx.file, 'utf8') });
    assert.deepEqual(found.map((d) => [d.code, d.range.startLine]).sort(), [['FromAsCasing', 0], ['JSONArgsRecommended', 3], ['LegacyKeyValueFormat', 1]]);
    assert.equal(await daemon.ctr(['--namespace', 'buildkit', 'images', 'list', '--quiet']), before, 'a check built an image');
  });

  it('Check Dockerfile on a file that does not parse: lint says nothing, the outline request\'s parse error lands on its line', async () => {
    const text = 'FROM busybox\nRUN echo ok\nRUNN echo hi\n';
    const ctx = contextWith('parse-check', text);
    const ask = (request: 'frontend.lint' | 'frontend.outline') => runProcess({ file: components.tools.buildctl, args: [...buildctlSubrequestArgs(buildkitd.address, undefined, ctx.file, request), '--opt=image-resolve-mode=local'] }, { timeoutMs: 120_000 });
    const [lint, outline] = await Promise.all([ask('frontend.lint'), ask('frontend.outline')]);
    assert.equal(lint.exitCode, 0, lint.stderr);
    assert.deepEqual(lintDiagnostics(lint.stdout, { path: ctx.file, text }), [], 'lint reports nothing for a parse error');
    const found = checkDiagnostics({ lintStdout: lint.stdout, outline }, { path: ctx.file, text });
    assert.deepEqual(found.map((d) => [d.severity, d.range.startLine, d.message]), [['error', 2, 'Unknown instruction: RUNN (did you mean RUN?).']]);
  });

  it('"network": none gives RUN only a loopback (the worker\'s default here is the host\'s network); host needs the daemon\'s grant', async () => {
    const interfaces = 'FROM busybox\nRUN test "$(ls /sys/class/net)" NOTEQ lo\n';
    const none = await withBuildctl({ progress: 'plain', network: 'none' }, interfaces.replace('NOTEQ', '='));
    assert.equal(none.run.exitCode, 0, none.output.slice(-800));
    const byDefault = await withBuildctl({ progress: 'plain' }, interfaces.replace('NOTEQ', '!='));
    assert.equal(byDefault.run.exitCode, 0, byDefault.output.slice(-800));
    // A buildkitd that does not grant network.host (the default) refuses the build, and the diagnostic says how to grant it.
    const host = await withBuildctl({ progress: 'plain', network: 'host' }, interfaces.replace('NOTEQ', '!='));
    assert.notEqual(host.run.exitCode, 0);
    assert.deepEqual(host.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', 0]]);
    assert.match(host.diagnostics[0]?.message ?? '', /--allow-insecure-entitlement network\.host/);
  });

  it('build checks set to error fail the build on them', async () => {
    const result = await withBuildctl({ progress: 'rawjson', check: 'error' }, 'FROM busybox as base\nRUN true\n');
    assert.notEqual(result.run.exitCode, 0);
    assert.ok(result.diagnostics.some((d) => d.code === 'FromAsCasing'), JSON.stringify(result.diagnostics));
    assert.ok(result.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(result.diagnostics));
  });

  it('nerdctl build cancelled mid-RUN leaves neither nerdctl nor the buildctl it started', async () => {
    const ctx = contextWith('nerdctl-cancel', `FROM busybox\nRUN echo nerdctl-${Date.now().toString(36)} && sleep 120\n`);
    const args = nerdctlBuildArgs(resolved({ tags: ['docker.io/library/never:built'] }, ctx));
    args.splice(args.indexOf('--'), 0, '--pull=false');
    const nerdctl = nerdctlFor(daemon, components);
    const env = { ...nerdctl.env, PATH: `${join(components.tools.buildctl, '..')}:${process.env.PATH ?? ''}` };
    const controller = new AbortController();
    const building = runBuild({
      process: { file: nerdctl.bin, args: ['--address', daemon.socket, '--namespace', 'buildkit', ...args] }, env, signal: controller.signal,
      format: 'plain', dockerfile: { path: ctx.file, text: readFileSync(ctx.file, 'utf8') }, show: () => undefined,
    });
    const ours = (): string[] => processCommandLines().filter((p) => p.includes(buildkitd.address) && (p.includes(' build ') || p.includes(ctx.dir)));
    await waitFor('nerdctl and its buildctl to run', () => ours().some((p) => p.includes('buildctl')), 30_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    controller.abort();
    const result = await building;
    assert.equal(result.run.cancelled, true);
    await waitFor('no nerdctl or buildctl left', () => ours().length === 0, 15_000, 100).catch(() => assert.fail(`left behind: ${ours().join(' | ')}`));
  });

  it('nerdctl build, plain, two platforms: the failure only arm64 has is named for arm64', async () => {
    const ctx = contextWith('nerdctl', 'FROM busybox\nRUN echo "on $(uname -m)"\nRUN test "$(uname -m)" != aarch64\n');
    const build = resolved({ platforms: ['linux/amd64', 'linux/arm64'], tags: ['docker.io/library/multi:fails'] }, ctx);
    const nerdctl = nerdctlFor(daemon, components);
    const args = nerdctlBuildArgs(build);
    args.splice(args.indexOf('--'), 0, '--pull=false');
    const shown: string[] = [];
    // nerdctl build runs the buildctl on its PATH: the set-up-built one.
    const env = { ...nerdctl.env, PATH: `${join(components.tools.buildctl, '..')}:${process.env.PATH ?? ''}` };
    const result = await runBuild({
      process: { file: nerdctl.bin, args: ['--address', daemon.socket, '--namespace', 'buildkit', ...args] }, env,
      format: 'plain', dockerfile: { path: ctx.file, text: readFileSync(ctx.file, 'utf8') }, show: (l) => shown.push(l),
    });
    assert.notEqual(result.run.exitCode, 0, result.output.slice(-500));
    const [error] = result.diagnostics;
    assert.equal(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));
    assert.equal(error?.range.startLine, 2);
    assert.equal(error?.platform, 'linux/arm64');
    assert.match(error?.message ?? '', /^linux\/arm64: The command `test "\$\(uname -m\)" != aarch64` exited with code 1\./);
  });

  it('cancelled mid-RUN: the build ends as cancelled, no build client is left, and buildkitd serves the next build', async () => {
    const controller = new AbortController();
    const marker = `sleepy-${Date.now().toString(36)}`;
    const building = withBuildctl({ progress: 'rawjson' }, `FROM busybox\nRUN echo ${marker} && sleep 120\n`, controller.signal);
    const clients = (): string[] => processCommandLines().filter((p) => p.includes(buildkitd.address) && p.includes(' build '));
    await waitFor('the build client to run', () => clients().length > 0, 30_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    controller.abort();
    const result = await building;
    assert.equal(result.run.cancelled, true);
    await waitFor('no build client left', () => clients().length === 0, 10_000, 100);
    const next = await withBuildctl({ progress: 'rawjson' }, 'FROM busybox\nRUN true\n');
    assert.equal(next.run.exitCode, 0, next.output.slice(-500));
  });
});
