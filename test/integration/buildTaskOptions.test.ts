// What a buildkit task's options do on a real buildkitd, judged by what they leave behind:
// secrets reach RUN steps (their relative paths are the task folder's), a cache exported by one
// build makes another build's steps cached after buildkitd forgot them, and a two-platform image
// pushed to a registry with TLS from a CA of its own arrives there with both platforms, the same
// index our client lists in the worker's namespace.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { listImages } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { runTask, type TaskRun } from '../harness/buildTask';
import { loadComponents, type Components } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { startRegistry, type Registry } from '../harness/registry';
import { importBusybox } from '../harness/sampleImage';

/** The step numbers the terminal showed as CACHED, by the step's name. */
function cachedSteps(run: TaskRun): string[] {
  const names = new Map<string, string>();
  for (const line of run.screen) {
    const step = /^#(\d+) (\[.+)$/.exec(line);
    if (step?.[1] && step[2]) names.set(step[1], step[2]);
  }
  return run.screen.flatMap((line) => {
    const cached = /^#(\d+) CACHED$/.exec(line)?.[1];
    const name = cached === undefined ? undefined : names.get(cached);
    return name === undefined ? [] : [name];
  });
}

describe('buildkit task options on a real buildkitd', () => {
  let components: Components;
  let daemon: ContainerdDaemon;
  let registry: Registry;
  let buildkitd: Buildkitd;
  let dockerConfig: string;

  before(async () => {
    components = loadComponents();
    daemon = await startContainerd('2.x');
    registry = await startRegistry(components, mkdtempSync(join(daemon.dir, 'registry-')));
    buildkitd = await startBuildkitd(daemon, { namespace: 'buildkit', registries: [{ host: registry.host, ca: registry.caFile }] });
    await importBusybox(daemon, components.busybox, 'docker.io/library/busybox:latest', 'buildkit');
    // buildctl sends the credentials of the client's Docker config, as `nerdctl login` writes it.
    dockerConfig = mkdtempSync(join(daemon.dir, 'docker-config-'));
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
  });
  after(async () => {
    await buildkitd?.stop();
    await registry?.stop();
    await daemon?.stop();
  });

  const setup = (extra: { files?: Record<string, string>; env?: Record<string, string | undefined>; folder?: string } = {}): Parameters<typeof runTask>[0] =>
    ({ components, daemon, host: buildkitd.address, ...extra });

  it('a secret from a file named relative to the task folder reaches its RUN step; a task without it fails on that line', async () => {
    const dockerfile = 'FROM busybox\nRUN --mount=type=secret,id=token,required=true test "$(cat /run/secrets/token)" = s3cret-value\n';
    const given = await runTask(setup({ files: { 'token.txt': 's3cret-value' } }), { secrets: ['id=token,src=token.txt'] }, dockerfile);
    assert.equal(given.run.exitCode, 0, given.output.slice(-800));
    // noCache: the step's cache key leaves secrets out, so the first build's result would do.
    const missing = await runTask(setup(), { noCache: true }, dockerfile);
    assert.notEqual(missing.run.exitCode, 0);
    assert.deepEqual(missing.diagnostics.map((d) => [d.severity, d.range.startLine]), [['error', 1]], JSON.stringify(missing.diagnostics));
    assert.match(missing.diagnostics[0]?.message ?? '', /secret token/, 'the message names the missing secret');
  });

  it('cacheTo exports the cache to a folder; after buildkitd forgets everything, cacheFrom makes the RUN step cached again', async () => {
    const dockerfile = `FROM busybox\nRUN echo cache-${Date.now().toString(36)} > /made\n`;
    const first = await runTask(setup(), { cacheTo: ['type=local,dest=exported-cache'] }, dockerfile);
    assert.equal(first.run.exitCode, 0, first.output.slice(-800));
    assert.ok(existsSync(join(first.folder, 'exported-cache', 'index.json')), 'the cache export wrote an OCI layout in the task folder');
    const forget = async (): Promise<void> => assert.equal((await buildkitd.buildctl(['prune', '--all'])).exitCode, 0);

    await forget();
    const imported = await runTask(setup({ folder: first.folder }), { cacheFrom: ['type=local,src=exported-cache'] }, dockerfile);
    assert.equal(imported.run.exitCode, 0, imported.output.slice(-800));
    assert.ok(cachedSteps(imported).some((name) => name.includes('RUN echo cache-')), `the RUN step was not cached: ${imported.screen.join('\n')}`);

    await forget();
    const cold = await runTask(setup({ folder: first.folder }), {}, dockerfile);
    assert.equal(cold.run.exitCode, 0, cold.output.slice(-800));
    assert.ok(!cachedSteps(cold).some((name) => name.includes('RUN echo cache-')), 'without cacheFrom, a forgotten step is built again');
  });

  it('push: a linux/amd64 + linux/arm64 image reaches the TLS registry with both platforms, and stays in the worker\'s namespace', async () => {
    const tag = `${registry.host}/team/multi:${Date.now().toString(36)}`;
    const result = await runTask(setup({ env: { ...process.env, DOCKER_CONFIG: dockerConfig } }),
      { platforms: ['linux/amd64', 'linux/arm64'], tags: [tag], push: true }, 'FROM busybox\nRUN uname -m > /arch\n');
    assert.equal(result.run.exitCode, 0, result.output.slice(-800));
    const reference = tag.slice(tag.lastIndexOf(':') + 1);
    const index = await registry.manifest('team/multi', reference);
    const platforms = (index.manifests ?? []).flatMap((m) => (m.platform && m.platform.os !== 'unknown' ? [`${m.platform.os}/${m.platform.architecture}`] : [])).sort();
    assert.deepEqual(platforms, ['linux/amd64', 'linux/arm64'], JSON.stringify(index));
    // The namespace holds the very index the registry serves, as the explorer's client reads it.
    const client = new ContainerdClient(daemon.socket, { methods: new MethodTable(), timeoutMs: 30_000 });
    try {
      const record = (await listImages(client, 'buildkit')).find((image) => image.name === tag);
      assert.equal(record?.target.digest, index.digest, `our client lists ${tag} at the registry's digest`);
    } finally {
      client.close();
    }
  });
});
