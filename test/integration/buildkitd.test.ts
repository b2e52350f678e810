// The private buildkitd harness against a real containerd 2.x: it answers on its own socket with
// the worker it was asked for, runs arm64 through QEMU (setup mounts binfmt_misc), and what it
// builds lands in the containerd namespace the worker was given (ctr is the oracle).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents } from '../harness/components';
import { mountsUnder, startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';

/** What `buildctl debug workers --format '{{json .}}'` prints per worker (the fields read here). */
interface WorkerInfo {
  labels?: Record<string, string>;
  platforms?: { os?: string; architecture?: string; variant?: string }[];
}

async function workers(buildkitd: Buildkitd): Promise<WorkerInfo[]> {
  const answer = await buildkitd.buildctl(['debug', 'workers', '--format', '{{json .}}']);
  assert.equal(answer.exitCode, 0, answer.stderr);
  return JSON.parse(answer.stdout) as WorkerInfo[];
}

const platformsOf = (worker: WorkerInfo): string[] => (worker.platforms ?? []).map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`);

/** A context needing no registry: the host's static busybox on scratch, and `dockerfile` after it. */
function scratchContext(daemon: ContainerdDaemon, dockerfile: string): string {
  const context = join(daemon.dir, `build-context-${Date.now()}`);
  mkdirSync(context);
  copyFileSync(loadComponents().busybox.amd64, join(context, 'busybox'));
  writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY busybox /bin/busybox\n${dockerfile}`);
  return context;
}

function buildArgs(context: string, output: string): string[] {
  return ['build', '--frontend', 'dockerfile.v0', '--local', `context=${context}`, '--local', `dockerfile=${context}`, '--progress=plain', '--output', output];
}

describe('a private buildkitd on containerd 2.x', () => {
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;

  before(async () => {
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon);
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('answers on its own socket with the containerd worker, for amd64 and (through QEMU) arm64', async () => {
    assert.equal(buildkitd.address, `unix://${buildkitd.socket}`);
    assert.ok(buildkitd.socket.startsWith(`${buildkitd.dir}/`));
    const [worker, ...others] = await workers(buildkitd);
    assert.equal(others.length, 0, 'the OCI worker is off');
    assert.equal(worker?.labels?.['org.mobyproject.buildkit.worker.executor'], 'containerd');
    assert.equal(worker?.labels?.['org.mobyproject.buildkit.worker.containerd.namespace'], 'buildkit');
    const platforms = platformsOf(worker ?? {});
    assert.ok(platforms.includes('linux/amd64'), platforms.join(', '));
    assert.ok(platforms.includes('linux/arm64'), `no linux/arm64 (is qemu-aarch64 enabled in binfmt_misc? run setup): ${platforms.join(', ')}`);
  });

  it('builds FROM scratch without a registry into the worker namespace', async () => {
    const name = 'docker.io/library/harness:test';
    const build = await buildkitd.buildctl(buildArgs(scratchContext(daemon, ''), `type=image,name=${name}`));
    assert.equal(build.exitCode, 0, build.stderr);
    const images = (await daemon.ctr(['--namespace', 'buildkit', 'images', 'ls', '--quiet'])).split('\n');
    assert.ok(images.includes(name), images.join(', '));
  });
});

describe('a private buildkitd with the OCI worker', () => {
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;

  before(async () => {
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon, { worker: 'oci' });
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('runs its builds with runc itself, not through containerd', async () => {
    const [worker, ...others] = await workers(buildkitd);
    assert.equal(others.length, 0, 'the containerd worker is off');
    assert.equal(worker?.labels?.['org.mobyproject.buildkit.worker.executor'], 'oci');
    assert.ok(platformsOf(worker ?? {}).includes('linux/arm64'));
    const context = scratchContext(daemon, 'RUN ["/bin/busybox", "echo", "ran under runc"]\n');
    // No image store of its own to name an image in: the result goes nowhere but the cache.
    const build = await buildkitd.buildctl(buildArgs(context, `type=oci,dest=${join(context, 'image.tar')}`));
    assert.equal(build.exitCode, 0, build.stderr);
    assert.match(build.stderr, /ran under runc/);
  });

  it('stop() leaves no process, mount or folder behind', async () => {
    const { dir, pid } = buildkitd;
    await buildkitd.stop();
    assert.equal(existsSync(dir), false);
    assert.deepEqual(mountsUnder(dir), []);
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
