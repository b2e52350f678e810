// The extension's pure layers on a real rootless containerd: nerdctl's containerd-rootless.sh run by
// a test user (RootlessKit 1.1, containerd 2.x, cgroup v1, no systemd). Discovery from the user's
// environment, the client and the event feed as root and as the user, the daemon facts, the nerdctl
// argv for the user's own daemon and real nerdctl run with it. ctr on the socket, the daemon's
// processes and the user's files are the oracle.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connections } from '../../src/containerd/connection/connections';
import { discoverEndpoints, hostFiles, type Endpoint } from '../../src/containerd/connection/endpoints';
import { listContainerEntries, listContainerRecords } from '../../src/containerd/containers/containers';
import { containerStats } from '../../src/containerd/inspect';
import { EventFeed } from '../../src/containerd/events/eventFeed';
import type { ContainerdEvent } from '../../src/containerd/events/events';
import { listImages } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { killTask, listTasks } from '../../src/containerd/tasks/tasks';
import { runProcess } from '../../src/process/runner';
import { daemonFacts, hostFactsInput } from '../../src/nerdctl/daemonFacts';
import { nerdctlInvocation } from '../../src/nerdctl/invocation';
import { SerialFileReads } from '../../src/nerdctl/serialFileReads';
import { nerdctlDataRoots, rootlessOwnerDataRoots } from '../../src/nerdctl/stateDir';
import { runScriptAs } from '../harness/asUser';
import { loadComponents } from '../harness/components';
import { freePort } from '../harness/freePort';
import { startRootlessContainerd, testUserWithoutSubIds, type RootlessContainerd } from '../harness/rootlessContainerd';
import { writeBusyboxOciArchive } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

const methods = new MethodTable();
const image = 'docker.io/library/busybox:rootless';
const child = join(__dirname, 'rootlessChild.js');

interface ChildReport {
  readonly uid: number;
  readonly endpoints: Endpoint[];
  readonly address: string;
  readonly namespaces: string[];
  readonly images: string[];
  readonly containers: { id: string; name: string; ports: { hostIp: string; hostPort: number; containerPort: number; protocol: string }[] }[];
  readonly facts: { rootlessOwner?: number; callerCanOpen: boolean };
  readonly argv: string[];
  readonly runs: { args: string[]; exitCode: number | undefined; stdout: string; stderr: string }[];
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean).sort();

describe('a rootless containerd run by a test user (RootlessKit, containerd 2.x)', () => {
  let rootless: RootlessContainerd;
  let connections: Connections;
  let workDir = '';
  let archive = '';
  const suffix = `${process.pid}-${Date.now().toString(36)}`;

  /** The child script as the daemon's user, in that user's session environment. */
  const asUser = (namespace: string, nerdctlArgs: string[][] = []): Promise<ChildReport> =>
    runScriptAs<ChildReport>(rootless.user, child, [JSON.stringify({ namespace, nerdctl: rootless.nerdctl, nerdctlArgs })], rootless.env);

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'vscc-rootless-test-'));
    chmodSync(workDir, 0o755); // the user's nerdctl reads the archive
    archive = join(workDir, 'busybox.oci.tar');
    await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: image, outFile: archive, workDir: join(workDir, 'build') });
    chmodSync(archive, 0o644);
    rootless = await startRootlessContainerd();
    connections = new Connections({ methods, timeoutMs: 10_000 });
  });
  after(async () => {
    connections?.closeAll();
    await rootless?.stop();
    if (rootless) {
      assert.ok(!statSafe(rootless.runtimeDir) && !statSafe(rootless.home), 'stop() removed the runtime dir and the home');
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs containerd 2.x as the user, in a user namespace of its own, answering on the child\'s /proc root', async (t) => {
    t.diagnostic(`rootless containerd answered ${rootless.startMs} ms after containerd-rootless.sh started`);
    assert.equal(readFileSync(join(rootless.runtimeDir, 'containerd-rootless', 'child_pid'), 'utf8').trim(), String(rootless.childPid));
    // The daemon's own word: its version, on the socket the host reaches through the child.
    assert.match(await rootless.ctr(['version']), /Server:\s+Version:\s+v?2\./);
    assert.equal(statSync(rootless.address).uid, rootless.user.uid, 'the socket belongs to the user');
    const status = readFileSync(`/proc/${rootless.childPid}/status`, 'utf8');
    assert.match(status, new RegExp(`^Uid:\\s+${rootless.user.uid}\\s`, 'm'), 'the child runs as the user on the host');
    assert.notEqual(statSync(`/proc/${rootless.childPid}/ns/user`).ino, statSync('/proc/self/ns/user').ino, 'in a user namespace of its own');
  });

  it('discovery, given the user\'s environment, finds the rootless endpoint; without XDG_RUNTIME_DIR it does not', async () => {
    const found = await discoverEndpoints({ configuredAddress: undefined, discovery: true, env: rootless.env, ...hostFiles });
    assert.deepEqual(found.filter((e) => e.source === 'rootless'), [{ address: rootless.address, label: 'rootless', source: 'rootless' }]);
    const withoutRuntimeDir = await discoverEndpoints({ configuredAddress: undefined, discovery: true, env: { HOME: rootless.home }, ...hostFiles });
    assert.equal(withoutRuntimeDir.some((e) => e.source === 'rootless'), false);
  });

  it('the client lists its namespaces, images and containers, as root and as the user, exactly as ctr does', async () => {
    const namespace = `rl-list-${suffix}`;
    const id = `rl-created-${suffix}`;
    await rootless.ctr(['namespaces', 'create', namespace, 'owner=rootless-test']);
    await rootless.ctr(['--namespace', namespace, 'images', 'import', archive]);
    // Inside RootlessKit's namespaces: creating mounts the image (for its /etc/passwd), which the host side cannot.
    await rootless.ctrInside(['--namespace', namespace, 'containers', 'create', '--label', 'nerdctl/name=listed', image, id]);
    const oracle = {
      namespaces: lines(await rootless.ctr(['namespaces', 'list', '--quiet'])),
      images: lines(await rootless.ctr(['--namespace', namespace, 'images', 'list', '--quiet'])),
      containers: lines(await rootless.ctr(['--namespace', namespace, 'containers', 'list', '--quiet'])),
    };
    assert.deepEqual(oracle.images, [image]);
    assert.deepEqual(oracle.containers, [id]);

    const api = connections.get(rootless.address);
    assert.deepEqual((await api.listNamespaces()).map((n) => n.name).sort(), oracle.namespaces);
    assert.deepEqual((await api.listNamespaces()).find((n) => n.name === namespace)?.labels, { 'owner': 'rootless-test' });
    assert.deepEqual((await listImages(api, namespace)).map((i) => i.name).sort(), oracle.images);
    const records = await listContainerRecords(api, namespace);
    assert.deepEqual(records.map((c) => c.id).sort(), oracle.containers);
    assert.equal(records[0]?.name, 'listed');
    assert.equal(records[0]?.image, image);

    const mine = await asUser(namespace);
    assert.equal(mine.uid, rootless.user.uid);
    assert.equal(mine.address, rootless.address, 'the user discovers the same socket');
    assert.deepEqual([...mine.namespaces].sort(), oracle.namespaces);
    assert.deepEqual([...mine.images].sort(), oracle.images);
    assert.deepEqual(mine.containers.map((c) => [c.id, c.name]), [[id, 'listed']]);
  });

  it('the event feed sees an image and a container created meanwhile', async () => {
    const namespace = `rl-events-${suffix}`;
    const id = `rl-event-${suffix}`;
    const events: ContainerdEvent[] = [];
    let connected = false;
    const feed = new EventFeed({
      client: () => connections.get(rootless.address),
      resetChannel: () => connections.reset(rootless.address),
      methods,
      onBatch: (batch) => events.push(...batch),
      onState: (state) => { connected = state.kind === 'connected'; },
    });
    feed.start();
    try {
      await waitFor('the feed to connect to the rootless daemon', () => connected, 30_000);
      await rootless.ctr(['--namespace', namespace, 'images', 'import', archive]);
      await rootless.ctrInside(['--namespace', namespace, 'containers', 'create', image, id]);
      const inNs = (e: ContainerdEvent): boolean => e.namespace === namespace;
      const imageCreated = await waitFor('/images/create', () => events.find((e) => inNs(e) && e.topic === '/images/create'), 30_000);
      const containerCreated = await waitFor('/containers/create', () => events.find((e) => inNs(e) && e.topic === '/containers/create'), 30_000);
      // What the events name is what the daemon holds.
      assert.deepEqual(lines(await rootless.ctr(['--namespace', namespace, 'images', 'list', '--quiet'])), [imageCreated.payload?.name]);
      assert.deepEqual(lines(await rootless.ctr(['--namespace', namespace, 'containers', 'list', '--quiet'])), [containerCreated.payload?.id]);
      assert.equal(containerCreated.payload?.id, id);
    } finally {
      feed.dispose();
    }
  });

  it('daemonFacts names the user as the owner; for root the argv goes through setpriv, for the user it has no --address', async () => {
    const namespace = `rl-facts-${suffix}`;
    const facts = await daemonFacts(rootless.address, namespace, hostFactsInput);
    // The oracle: the uid the daemon's RootlessKit child really runs as on the host.
    const hostUid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${rootless.childPid}/status`, 'utf8'))?.[1]);
    assert.equal(hostUid, rootless.user.uid);
    assert.deepEqual(facts, { address: rootless.address, namespace, rootlessOwner: hostUid, callerCanOpen: true });
    const asRoot = nerdctlInvocation([rootless.nerdctl], facts, { uid: 0 }, 'background');
    assert.ok(asRoot.ok);
    assert.deepEqual([asRoot.process.file, ...asRoot.process.args.slice(0, 7)], ['setpriv', '--reuid', String(hostUid), '--regid', String(hostUid), '--init-groups', '--reset-env', '--']);
    assert.ok(asRoot.process.args.includes(`XDG_RUNTIME_DIR=${rootless.runtimeDir}`));
    assert.ok(!asRoot.process.args.includes('--address'));
    // Root really drives the user's daemon with it: nerdctl sees the namespaces ctr sees.
    const listed = await runProcess({ file: asRoot.process.file, args: [...asRoot.process.args, 'namespace', 'ls', '-q'] }, { timeoutMs: 30_000 });
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.deepEqual(lines(listed.stdout), lines(await rootless.ctr(['namespaces', 'ls', '-q'])));

    const mine = await asUser(namespace);
    assert.equal(mine.facts.rootlessOwner, rootless.user.uid);
    assert.equal(mine.facts.callerCanOpen, true);
    assert.deepEqual(mine.argv, [rootless.nerdctl, '--namespace', namespace]);
  });

  it('nerdctl as the user, with the argv the invocation builds, loads an image, creates a container and lists both there', async () => {
    const namespace = `rl-nerdctl-${suffix}`;
    const name = `rl-made-${suffix}`;
    const report = await asUser(namespace, [
      ['load', '--input', archive],
      ['create', '--name', name, image, 'sh', '-c', 'exit 0'],
      ['images', '--format', '{{.Repository}}:{{.Tag}}'],
      ['ps', '--all', '--format', '{{.Names}}'],
    ]);
    assert.ok(!report.argv.includes('--address'), report.argv.join(' '));
    for (const run of report.runs) assert.equal(run.exitCode, 0, `nerdctl ${run.args.join(' ')}: ${run.stderr}`);
    const [, created, images, ps] = report.runs;
    // nerdctl shows Docker Hub's library images by their short name.
    assert.ok(lines(images?.stdout ?? '').includes(image.replace(/^docker\.io\/library\//, '')), images?.stdout);
    assert.deepEqual(lines(ps?.stdout ?? ''), [name]);
    // The daemon holds them (not some other daemon nerdctl could have found).
    assert.deepEqual(lines(await rootless.ctr(['--namespace', namespace, 'images', 'list', '--quiet'])), [image]);
    const id = (created?.stdout ?? '').trim();
    assert.deepEqual(lines(await rootless.ctr(['--namespace', namespace, 'containers', 'list', '--quiet'])), [id]);
    const info = JSON.parse(await rootless.ctr(['--namespace', namespace, 'containers', 'info', id])) as { Labels: Record<string, string> };
    assert.equal(info.Labels['nerdctl/name'], name);
  });

  it('nerdctl run as the user works on cgroup v1: no cgroup path in the spec, the container runs as the user on the host, its published port is listed; root sees its task and kills it', async () => {
    const namespace = `rl-run-${suffix}`;
    const name = `rl-web-${suffix}`;
    const port = await freePort();
    const report = await asUser(namespace, [
      ['load', '--input', archive],
      ['run', '--rm', image, 'sh', '-c', 'echo hello from rootless; id -u'],
      ['run', '--detach', '--name', name, '--publish', `127.0.0.1:${port}:80`, image, 'sleep', '600'],
    ]);
    for (const run of report.runs) assert.equal(run.exitCode, 0, `nerdctl ${run.args.join(' ')}: ${run.stderr}`);
    // Root inside the user namespace.
    assert.deepEqual(report.runs[1]?.stdout.trim().split('\n'), ['hello from rootless', '0']);
    const id = report.runs[2]?.stdout.trim() ?? '';
    const task = (await rootless.ctr(['--namespace', namespace, 'tasks', 'list'])).split('\n').find((l) => l.startsWith(`${id} `));
    assert.match(task ?? '', /\sRUNNING\s*$/, `task of ${id}: ${task}`);
    const pid = Number(task?.trim().split(/\s+/)[1]);
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), new RegExp(`^Uid:\\s+${rootless.user.uid}\\s`, 'm'), 'the container process is the user\'s on the host');
    const info = JSON.parse(await rootless.ctr(['--namespace', namespace, 'containers', 'info', id])) as { Spec: { linux?: { cgroupsPath?: string } } };
    assert.equal(info.Spec.linux?.cgroupsPath, undefined, 'nerdctl asks for no cgroup on cgroup v1 rootless');
    // The ports live in nerdctl's state file in the user's data root: the user's own listing reads them.
    const listed = await asUser(namespace);
    assert.deepEqual(listed.containers.find((c) => c.id === id)?.ports, [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80, protocol: 'tcp' }]);
    // Root's listing finds them too, in the owner's data root read from RootlessKit's child's environment.
    const ownerRoots = await rootlessOwnerDataRoots(rootless.address, (path) => readFile(path, 'utf8').catch(() => undefined));
    assert.deepEqual(ownerRoots, [join(rootless.home, '.local', 'share', 'nerdctl')]);
    const asRootListing = await listContainerEntries(connections.get(rootless.address), namespace, { portsFiles: { dataRoots: [...nerdctlDataRoots(process.env, homedir()), ...ownerRoots], reads: new SerialFileReads() } });
    assert.deepEqual(asRootListing.find((c) => c.id === id)?.ports, [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80, protocol: 'tcp' }]);

    // The explorer's task state and its Kill, as root over the socket.
    const api = connections.get(rootless.address);
    assert.deepEqual((await listTasks(api, namespace)).get(id), { pid, state: 'running' });
    // Show Stats says there is no cgroup rather than showing the host's numbers as the container's.
    const stats = await containerStats(api, namespace, id) as { metrics: unknown; processes: unknown; note?: string };
    assert.deepEqual([stats.metrics, stats.processes], [null, null]);
    assert.match(stats.note ?? '', /no cgroup of its own/);
    await killTask(api, namespace, id, 'SIGKILL');
    await waitFor('the task to stop', async () => /\sSTOPPED\s*$/.test((await rootless.ctr(['--namespace', namespace, 'tasks', 'list'])).split('\n').find((l) => l.startsWith(`${id} `)) ?? ''), 20_000);
    assert.equal((await listTasks(api, namespace)).get(id)?.exitStatus, 137);
  });
});

describe('a test user without subordinate ids', () => {
  it('has no /etc/subuid or /etc/subgid line, and RootlessKit refuses to start for it, saying why', async () => {
    const user = await testUserWithoutSubIds('vscc-nosubid-test');
    for (const file of ['/etc/subuid', '/etc/subgid']) {
      const entries = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`${user.name}:`) || l.startsWith(`${user.uid}:`));
      assert.deepEqual(entries, [], file);
    }
    await assert.rejects(startRootlessContainerd(user.name), (error: Error) => {
      assert.match(error.message, new RegExp(`No subuid ranges found for user ${user.uid} \\("${user.name}"\\)`));
      return true;
    });
    assert.equal(statSafe(`/run/user/${user.uid}`), false, 'the failed start removed its runtime dir');
  });
});

function statSafe(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
