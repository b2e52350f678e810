// Whether docker buildx can build, read from `docker buildx inspect` as the real buildx 0.29.1 printed
// it against dockerd 28.5.2 (the integration tier asks a real daemon the same), and what the build
// planner does with the answer when the task says `auto` or `buildx`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBuild, type PlanFacts } from '../../src/buildkit/buildPlan';
import { readBuildxInspect } from '../../src/buildkit/dockerBuilder';
import { readDefinition, type BuildDefinition } from '../../src/buildkit/taskDefinition';

const running = [
  'Name:          default', 'Driver:        docker', 'Last Activity: 2026-11-30 18:24:07 +0000 UTC', '', 'Nodes:',
  'Name:             default', 'Endpoint:         default', 'Status:           running', 'BuildKit version: v0.0.0+unknown',
  'Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/arm64', 'Labels:',
  ' org.mobyproject.buildkit.worker.containerd.namespace: moby',
  ' org.mobyproject.buildkit.worker.executor:             containerd',
  ' org.mobyproject.buildkit.worker.network:              host',
  'GC Policy rule#0:', ' All:            false', '',
].join('\n');
const unreachable = [
  'Name:          default', 'Driver:        ', 'Last Activity: 2026-11-30 18:24:07 +0000 UTC',
  'Error:         Cannot connect to the Docker daemon at unix:///tmp/nonexist.sock. Is the docker daemon running?', '',
].join('\n');

describe('docker buildx inspect read', () => {
  it('a running builder: ready, its containerd namespace and platforms', () => {
    assert.deepEqual(readBuildxInspect({ exitCode: 0, stdout: running, stderr: '' }), {
      ready: true, namespace: 'moby', platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/arm64'],
    });
    // A builder on the classic image store names no namespace.
    const classic = running.split('\n').filter((l) => !l.includes('containerd.namespace')).join('\n');
    assert.deepEqual(readBuildxInspect({ exitCode: 0, stdout: classic, stderr: '' }), { ready: true, namespace: undefined, platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/arm64'] });
  });

  it('exit 0 with an Error line: not ready, and the daemon\'s own words', () => {
    const said = readBuildxInspect({ exitCode: 0, stdout: unreachable, stderr: '' });
    assert.deepEqual(said, { ready: false, reason: 'docker buildx cannot build: Cannot connect to the Docker daemon at unix:///tmp/nonexist.sock. Is the docker daemon running?' });
  });

  it('no plugin, a failed run, a CLI that does not start, a builder not running', () => {
    const noPlugin = readBuildxInspect({ exitCode: 1, stdout: '', stderr: 'docker: unknown command: docker buildx\n\nRun \'docker --help\' for more information\n' });
    assert.ok(!noPlugin.ready && /no buildx plugin/.test(noPlugin.reason));
    assert.deepEqual(readBuildxInspect({ exitCode: 2, stdout: '', stderr: 'ERROR: something\n' }), { ready: false, reason: 'docker buildx inspect failed: ERROR: something' });
    assert.deepEqual(readBuildxInspect({ exitCode: undefined, stdout: '', stderr: '', failedToStart: 'spawn docker ENOENT' }), { ready: false, reason: 'docker could not start: spawn docker ENOENT' });
    const stopped = readBuildxInspect({ exitCode: 0, stdout: running.replace('running', 'inactive'), stderr: '' });
    assert.deepEqual(stopped, { ready: false, reason: 'docker\'s builder is "inactive", not running.' });
    assert.ok(!readBuildxInspect({ exitCode: 0, stdout: '', stderr: '' }).ready);
  });
});

function definition(raw: Record<string, unknown>): BuildDefinition {
  const read = readDefinition({ file: 'Dockerfile', ...raw });
  if (!read.ok) assert.fail(read.problems.join('; '));
  return read.definition;
}

const facts: PlanFacts = {
  folder: '/work/repo', scope: { address: '/run/containerd/containerd.sock', namespace: 'team' },
  installed: { nerdctl: true, buildctl: true, buildx: true }, host: undefined, tried: ['unix:///run/buildkit/buildkitd.sock'],
};
const ready = { ready: true, namespace: 'moby', platforms: ['linux/amd64'] } as const;
const down = { ready: false, reason: 'docker buildx cannot build: Cannot connect to the Docker daemon' } as const;

describe('auto and buildx, with what Docker said', () => {
  it('auto without a buildkitd builds with Docker when its builder answers; with a buildkitd, nerdctl still goes first', () => {
    const plan = planBuild(definition({}), { ...facts, docker: ready });
    assert.ok(plan.ok && plan.backend === 'buildx', JSON.stringify(plan));
    const withHost = planBuild(definition({}), { ...facts, host: 'unix:///run/buildkit/buildkitd.sock', docker: ready });
    assert.ok(withHost.ok && withHost.backend === 'nerdctl');
  });

  it('auto with neither a buildkitd nor a Docker that answers says both', () => {
    const plan = planBuild(definition({}), { ...facts, docker: down });
    assert.ok(!plan.ok);
    assert.match(plan.reason, /^No buildkitd was found \(looked for unix:\/\/\/run\/buildkit\/buildkitd\.sock\)/);
    assert.match(plan.reason, /Docker's builder cannot build either: docker buildx cannot build: Cannot connect to the Docker daemon$/);
  });

  it('buildx (asked, or the only tool there) refuses with Docker\'s reason before any build starts', () => {
    assert.deepEqual(planBuild(definition({ backend: 'buildx' }), { ...facts, docker: down }), { ok: false, reason: down.reason });
    assert.deepEqual(planBuild(definition({}), { ...facts, installed: { nerdctl: false, buildctl: false, buildx: true }, docker: down }), { ok: false, reason: down.reason });
    assert.ok(planBuild(definition({ backend: 'buildx' }), { ...facts, docker: ready }).ok);
  });
});
