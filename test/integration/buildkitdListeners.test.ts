// Builders reached the ways our users run them, through the task's own route (plan, the buildctl
// route that asks the workers first, the run and its diagnostics): a remote buildkitd on tcp://
// that wants client certificates, and a socket-activated one that is not running until the first
// connection starts it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildctlLintArgs } from '../../src/buildkit/backendArgs';
import { findBuildkitHost } from '../../src/buildkit/buildkitHosts';
import { lintDiagnostics } from '../../src/buildkit/lintResult';
import { readDefinition } from '../../src/buildkit/taskDefinition';
import { hostFiles } from '../../src/containerd/connection/endpoints';
import { runProcess } from '../../src/process/runner';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { runTask, workerImages } from '../harness/buildTask';
import { loadComponents, type Components } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { importBusybox } from '../harness/sampleImage';

describe('a remote buildkitd on tcp:// with TLS and client certificates', () => {
  let components: Components;
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;
  let tls: Record<string, string>;

  before(async () => {
    components = loadComponents();
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon, { namespace: 'buildkit', listen: 'tcp-tls' });
    await importBusybox(daemon, components.busybox, 'docker.io/library/busybox:latest', 'buildkit');
    tls = { ...buildkitd.tls };
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('answers only a client with the certificates', async () => {
    const workers = (extra: string[]): Promise<{ exitCode: number | undefined }> =>
      runProcess({ file: components.tools.buildctl, args: ['--addr', buildkitd.address, ...extra, 'debug', 'workers'] }, { timeoutMs: 30_000 });
    assert.notEqual((await workers([])).exitCode, 0, 'no TLS at all');
    assert.notEqual((await workers([`--tlscacert=${tls.ca ?? ''}`])).exitCode, 0, 'the CA without a client certificate');
    assert.equal((await workers([`--tlscacert=${tls.ca ?? ''}`, `--tlscert=${tls.cert ?? ''}`, `--tlskey=${tls.key ?? ''}`])).exitCode, 0);
  });

  it('a task naming it and its certificates builds straight into the worker\'s namespace (the workers were asked over TLS)', async () => {
    const tag = `docker.io/library/over-tls:${Date.now().toString(36)}`;
    const result = await runTask({ components, daemon, host: buildkitd.address }, { backend: 'auto', buildkitHost: buildkitd.address, tls, tags: [tag] }, 'FROM busybox\nRUN echo built over TLS > /note\n');
    assert.equal(result.run.exitCode, 0, result.output.slice(-800));
    assert.equal(result.loadArchive, undefined, 'an archive to load means the workers did not answer');
    assert.ok((await workerImages(daemon)).includes(tag), `ctr lists ${tag}`);
  });

  it('a failing RUN lands on its line, and Check Dockerfile finds the checks, the same as on a local socket', async () => {
    const result = await runTask({ components, daemon, host: buildkitd.address }, { buildkitHost: buildkitd.address, tls }, 'FROM busybox\n\nRUN echo remote && false\n');
    assert.equal(result.run.exitCode, 1, result.output.slice(-800));
    assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', 2]]);
    assert.match(result.diagnostics[0]?.message ?? '', /^The command `echo remote && false` exited with code 1\./);

    const folder = mkdtempSync(join(daemon.dir, 'lint-'));
    const file = join(folder, 'Dockerfile');
    const text = 'FROM busybox as base\nCMD echo hi\n';
    writeFileSync(file, text);
    const read = readDefinition({ file: 'Dockerfile', tls });
    assert.ok(read.ok);
    const lint = await runProcess({ file: components.tools.buildctl, args: [...buildctlLintArgs(buildkitd.address, read.definition.tls, file), '--opt=image-resolve-mode=local'] }, { timeoutMs: 120_000 });
    assert.equal(lint.exitCode, 0, lint.stderr);
    assert.deepEqual(lintDiagnostics(lint.stdout, { path: file, text }).map((d) => [d.code, d.range.startLine]).sort(), [['FromAsCasing', 0], ['JSONArgsRecommended', 1]]);
  });
});

describe('a socket-activated buildkitd (buildkitd --addr fd:// behind systemd-socket-activate)', () => {
  let components: Components;
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;
  let runtimeDir: string;

  before(async () => {
    components = loadComponents();
    daemon = await startContainerd('2.x');
    // Where a rootless user's systemd socket unit puts it: $XDG_RUNTIME_DIR/buildkit/buildkitd.sock.
    runtimeDir = mkdtempSync(join(tmpdir(), 'vscc-runtime-'));
    mkdirSync(join(runtimeDir, 'buildkit'));
    buildkitd = await startBuildkitd(daemon, { namespace: 'buildkit', listen: 'socket-activated', socketPath: join(runtimeDir, 'buildkit', 'buildkitd.sock') });
    await importBusybox(daemon, components.busybox, 'docker.io/library/busybox:latest', 'buildkit');
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
    if (runtimeDir) rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('is found where nerdctl looks before it runs, and the first build starts it and succeeds', async () => {
    const program = (): string => readlinkSync(`/proc/${buildkitd.pid}/exe`);
    assert.match(program(), /systemd-socket-activate$/, 'nothing has connected yet, so buildkitd is not running');
    const found = await findBuildkitHost(undefined, { namespace: 'default', env: { XDG_RUNTIME_DIR: runtimeDir }, uid: 1000 }, hostFiles.isSocket);
    assert.equal(found.host, buildkitd.address);

    const tag = `docker.io/library/activated:${Date.now().toString(36)}`;
    const result = await runTask({ components, daemon, host: found.host ?? '' }, { tags: [tag] }, 'FROM busybox\nRUN echo started on demand > /note\n');
    assert.equal(result.run.exitCode, 0, result.output.slice(-800));
    assert.equal(result.loadArchive, undefined, 'the first connection (the workers question) waited for buildkitd to start');
    assert.match(program(), /buildkitd$/, 'systemd-socket-activate handed the socket to buildkitd');
    assert.ok((await workerImages(daemon)).includes(tag), `ctr lists ${tag}`);
  });
});
