import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildctlDestination, planBuild, workerStore, type PlanFacts } from '../../src/buildkit/buildPlan';
import { readDefinition, type BuildDefinition } from '../../src/buildkit/taskDefinition';

function definition(raw: Record<string, unknown>): BuildDefinition {
  const read = readDefinition({ file: 'app/Dockerfile', ...raw });
  if (!read.ok) assert.fail(read.problems.join('; '));
  return read.definition;
}

const facts: PlanFacts = {
  folder: '/work/repo', scope: { address: '/run/containerd/containerd.sock', namespace: 'team' },
  installed: { nerdctl: true, buildctl: true, buildx: true }, host: 'unix:///run/buildkit/buildkitd.sock', tried: [],
};

describe('planning a build', () => {
  it('auto takes nerdctl, then buildctl, then buildx, as installed; paths resolved against the folder', () => {
    const plan = planBuild(definition({ context: '.' }), facts);
    assert.ok(plan.ok);
    assert.equal(plan.backend, 'nerdctl');
    assert.deepEqual([plan.build.dockerfile, plan.build.context, plan.build.buildkitHost], ['/work/repo/app/Dockerfile', '/work/repo', 'unix:///run/buildkit/buildkitd.sock']);
    assert.deepEqual(plan.target, { address: '/run/containerd/containerd.sock', namespace: 'team' });
    const buildctlOnly = planBuild(definition({}), { ...facts, installed: { nerdctl: false, buildctl: true, buildx: true } });
    assert.ok(buildctlOnly.ok && buildctlOnly.backend === 'buildctl' && buildctlOnly.build.context === '/work/repo/app');
    const dockerOnly = planBuild(definition({ file: '/abs/Containerfile' }), { ...facts, installed: { nerdctl: false, buildctl: false, buildx: true }, host: undefined });
    assert.ok(dockerOnly.ok && dockerOnly.backend === 'buildx' && dockerOnly.build.dockerfile === '/abs/Containerfile');
  });

  it('the task\'s endpoint and namespace win over the explorer\'s', () => {
    const plan = planBuild(definition({ address: '/run/k3s/containerd/containerd.sock', namespace: 'k8s.io' }), facts);
    assert.ok(plan.ok);
    assert.deepEqual(plan.target, { address: '/run/k3s/containerd/containerd.sock', namespace: 'k8s.io' });
  });

  it('refuses with what is missing and how to fix it', () => {
    const none = planBuild(definition({}), { ...facts, installed: { nerdctl: false, buildctl: false, buildx: false } });
    assert.deepEqual(none, { ok: false, reason: 'No build tool was found (nerdctl, buildctl or docker buildx): install nerdctl (https://github.com/containerd/nerdctl/releases) or set containerd.nerdctl.command, or install BuildKit (https://github.com/moby/buildkit/releases) or set containerd.buildctl.command.' });
    const chosen = planBuild(definition({ backend: 'buildctl' }), { ...facts, installed: { nerdctl: true, buildctl: false, buildx: true } });
    assert.deepEqual(chosen, { ok: false, reason: 'buildctl was not found: install BuildKit (https://github.com/moby/buildkit/releases) or set containerd.buildctl.command.' });
    const noHost = planBuild(definition({}), { ...facts, host: undefined, tried: ['unix:///run/buildkit-team/buildkitd.sock', 'unix:///run/buildkit/buildkitd.sock'] });
    assert.ok(!noHost.ok && noHost.reason.startsWith('No buildkitd was found (looked for unix:///run/buildkit-team/buildkitd.sock, unix:///run/buildkit/buildkitd.sock): start one'));
    const noEndpoint = planBuild(definition({}), { ...facts, scope: undefined });
    assert.ok(!noEndpoint.ok && noEndpoint.reason.startsWith('No containerd endpoint to put the image in'));
    // Docker's builder needs neither.
    assert.ok(planBuild(definition({ backend: 'buildx' }), { ...facts, scope: undefined, host: undefined }).ok);
  });

  it('buildctl stores into containerd only when the worker keeps images in the target namespace; else an archive to load', () => {
    const tagged = definition({ tags: ['app:1', 'app:latest'], push: true });
    assert.deepEqual(buildctlDestination(tagged, { executor: 'containerd', namespace: 'team' }, 'team', '/tmp/b.tar'), { output: 'type=image,"name=app:1,app:latest",push=true', loadArchive: undefined });
    assert.deepEqual(buildctlDestination(tagged, { executor: 'containerd', namespace: 'buildkit' }, 'team', '/tmp/b.tar'), { output: 'type=oci,dest=/tmp/b.tar,"name=app:1,app:latest"', loadArchive: '/tmp/b.tar' });
    assert.deepEqual(buildctlDestination(definition({}), { executor: 'oci', namespace: undefined }, 'team', '/tmp/b.tar'), { output: 'type=oci,dest=/tmp/b.tar', loadArchive: '/tmp/b.tar' });
    assert.deepEqual(buildctlDestination(definition({ output: 'type=local,dest=out' }), undefined, 'team', '/tmp/b.tar'), { output: 'type=local,dest=out', loadArchive: undefined });
  });

  it('reads the first worker\'s executor and namespace from buildctl debug workers', () => {
    const json = JSON.stringify([{ id: 'w', labels: { 'org.mobyproject.buildkit.worker.executor': 'containerd', 'org.mobyproject.buildkit.worker.containerd.namespace': 'buildkit' } }]);
    assert.deepEqual(workerStore(json), { executor: 'containerd', namespace: 'buildkit' });
    assert.deepEqual(workerStore(JSON.stringify([{ labels: { 'org.mobyproject.buildkit.worker.executor': 'oci' } }])), { executor: 'oci', namespace: undefined });
    for (const bad of ['', 'null', '[]', '{"labels":1}', '[{"labels":{"org.mobyproject.buildkit.worker.executor":3}}]']) {
      const store = workerStore(bad);
      assert.ok(store === undefined || store.executor === undefined, bad);
    }
  });
});

describe('planning a build, the rest of what is said', () => {
  it('names Docker\'s buildx when it is the missing one, and no candidates when none were tried', () => {
    assert.deepEqual(planBuild(definition({ backend: 'buildx' }), { ...facts, installed: { nerdctl: true, buildctl: true, buildx: false } }), { ok: false, reason: 'buildx was not found: install Docker with its buildx plugin or set containerd.docker.command.' });
    assert.deepEqual(planBuild(definition({}), { ...facts, host: undefined, tried: [] }), { ok: false, reason: 'No buildkitd was found: start one (buildkitd, or systemctl start buildkit), or name it in containerd.buildkit.host or the task\'s "buildkitHost".' });
  });

  it('the default namespace when neither the task nor the explorer names one; buildx gets no invented host or endpoint', () => {
    const plan = planBuild(definition({ address: '/run/c.sock' }), { ...facts, scope: undefined });
    assert.ok(plan.ok);
    assert.deepEqual(plan.target, { address: '/run/c.sock', namespace: 'default' });
    const buildx = planBuild(definition({ backend: 'buildx' }), { ...facts, scope: undefined, host: undefined });
    assert.ok(buildx.ok);
    assert.deepEqual([buildx.build.buildkitHost, buildx.target.address], ['', '']);
  });

  it('an archive unless the worker is containerd\'s in the target namespace, whatever else it says', () => {
    assert.deepEqual(buildctlDestination(definition({ tags: ['app:1'] }), { executor: 'oci', namespace: 'team' }, 'team', '/tmp/b.tar'), { output: 'type=oci,dest=/tmp/b.tar,name=app:1', loadArchive: '/tmp/b.tar' });
    assert.deepEqual(buildctlDestination(definition({}), undefined, 'team', '/tmp/b.tar'), { output: 'type=oci,dest=/tmp/b.tar', loadArchive: '/tmp/b.tar' });
  });

  it('TLS certificates only go through buildctl; a buildkitHost is not for docker buildx', () => {
    const tls = { buildkitHost: 'tcp://builder:1234', tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' } };
    const auto = planBuild(definition(tls), { ...facts, host: 'tcp://builder:1234' });
    assert.ok(auto.ok && auto.backend === 'buildctl');
    assert.deepEqual(planBuild(definition({ ...tls, backend: 'nerdctl' }), facts), { ok: false, reason: 'nerdctl build cannot give buildkitd the task\'s TLS certificates ("tls"): use "backend": "buildctl".' });
    assert.deepEqual(planBuild(definition({ ...tls, backend: 'buildx' }), facts), { ok: false, reason: 'docker buildx cannot give buildkitd the task\'s TLS certificates ("tls"): use "backend": "buildctl".' });
    assert.deepEqual(planBuild(definition(tls), { ...facts, installed: { nerdctl: true, buildctl: false, buildx: true } }),
      { ok: false, reason: 'buildctl was not found, and only it can build this task: install BuildKit (https://github.com/moby/buildkit/releases) or set containerd.buildctl.command.' });
    const hostOnly = { buildkitHost: 'tcp://builder:1234' };
    const buildx = planBuild(definition({ ...hostOnly, backend: 'buildx' }), facts);
    assert.ok(!buildx.ok && buildx.reason.startsWith('docker buildx builds on a Docker builder, not on a "buildkitHost"'));
    const noNerdctl = planBuild(definition(hostOnly), { ...facts, installed: { nerdctl: false, buildctl: false, buildx: true } });
    assert.ok(!noNerdctl.ok && noNerdctl.reason.startsWith('No build tool was found'), 'auto never falls back to buildx for a buildkitHost');
  });
});
