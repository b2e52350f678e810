// Naming, pods, ports and task states of containers, and the ListStream + Tasks.List join, on
// labels and answers shaped exactly as containerd and nerdctl produce them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { protoDate } from '../../src/containerd/connection/api';
import { containerName, groupByPod, podOf } from '../../src/nerdctl/containerNames';
import { getContainerSpec, listContainerEntries } from '../../src/containerd/containers/containers';
import { SerialFileReads } from '../../src/nerdctl/serialFileReads';
import { listContainers } from '../harness/listContainers';
import { formatPort, parseNerdctlNetworkConfig, parseNerdctlPortsLabel, readNerdctlPorts } from '../../src/nerdctl/ports';
import { MethodTable } from '../../src/containerd/proto/codec';
import { signalNumber, taskState } from '../../src/containerd/tasks/tasks';
import { exactly, FakeApi } from './fakeApi';

const methods = new MethodTable();

/** Labels the CRI plugin puts on a pod's sandbox and on one of its containers. */
const criSandbox = {
  'io.cri-containerd.kind': 'sandbox',
  'io.kubernetes.pod.name': 'nginx-7c5ddbdf54-x2x9q',
  'io.kubernetes.pod.namespace': 'default',
  'io.kubernetes.pod.uid': 'f1d1c7a4-0d59-4f6e-9a57-2c1f0c8f1e11',
};
const criContainer = { ...criSandbox, 'io.cri-containerd.kind': 'container', 'io.kubernetes.container.name': 'nginx' };

describe('container names', () => {
  it('prefers nerdctl/name', () => {
    assert.deepEqual(containerName('0123abcd', { 'nerdctl/name': 'web' }), { name: 'web', nameSource: 'nerdctl' });
  });

  it('names a CRI container by its Kubernetes container name and knows its pod', () => {
    assert.deepEqual(containerName('c1', criContainer), {
      name: 'nginx', nameSource: 'kubernetes',
      pod: { name: 'nginx-7c5ddbdf54-x2x9q', namespace: 'default', uid: 'f1d1c7a4-0d59-4f6e-9a57-2c1f0c8f1e11', sandbox: false },
    });
  });

  it('names a pod sandbox by its pod', () => {
    const named = containerName('s1', criSandbox);
    assert.equal(named.name, 'nginx-7c5ddbdf54-x2x9q');
    assert.equal(named.pod?.sandbox, true);
  });

  it('tells sandbox from workload without the CRI kind label, and needs both pod name and namespace', () => {
    const { 'io.cri-containerd.kind': _kind, ...noKind } = criContainer;
    assert.equal(podOf(noKind)?.sandbox, false);
    assert.equal(podOf({ 'io.kubernetes.pod.name': 'p' }), undefined);
    assert.equal(podOf({ 'io.kubernetes.pod.name': 'p', 'io.kubernetes.pod.namespace': 'n' })?.uid, '');
  });

  it('falls back to the id', () => {
    assert.deepEqual(containerName('0123abcd', { 'io.containerd.image.config.stop-signal': 'SIGTERM' }), { name: '0123abcd', nameSource: 'id' });
  });
});

describe('groupByPod', () => {
  it('groups sandboxes and workloads per pod uid, keeps the rest standalone, orders pods', () => {
    const items = [
      { id: 'a', ...containerName('a', criContainer) },
      { id: 'b', ...containerName('b', { 'nerdctl/name': 'web' }) },
      { id: 'c', ...containerName('c', criSandbox) },
      { id: 'd', ...containerName('d', { ...criContainer, 'io.kubernetes.pod.name': 'api-0', 'io.kubernetes.pod.uid': 'u2', 'io.kubernetes.container.name': 'api' }) },
      { id: 'e', ...containerName('e', { ...criContainer, 'io.kubernetes.container.name': 'sidecar' }) },
    ];
    const grouped = groupByPod(items);
    assert.deepEqual(grouped.standalone.map((c) => c.id), ['b']);
    assert.deepEqual(grouped.pods.map((p) => p.pod.name), ['api-0', 'nginx-7c5ddbdf54-x2x9q']);
    const nginx = grouped.pods[1];
    assert.equal(nginx?.key, 'f1d1c7a4-0d59-4f6e-9a57-2c1f0c8f1e11');
    assert.deepEqual(nginx?.sandboxes.map((c) => c.id), ['c']);
    assert.deepEqual(nginx?.containers.map((c) => c.id), ['a', 'e']);
  });
});

describe('nerdctl ports', () => {
  // Verbatim shape nerdctl <= 2.1.2 wrote (json.Marshal of []go-cni.PortMapping, Go field names).
  const label = '[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"},{"HostPort":5353,"ContainerPort":53,"Protocol":"udp","HostIP":"127.0.0.1"}]';
  // nerdctl >= 2.1.3: <state-dir>/network-config.json (networkstore.NetworkConfig).
  const networkConfig = '{"portMappings":[{"HostPort":8443,"ContainerPort":443,"Protocol":"tcp","HostIP":"::"}]}';

  it('parses the legacy nerdctl/ports label', () => {
    assert.deepEqual(parseNerdctlPortsLabel({ 'nerdctl/ports': label }), [
      { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ]);
  });

  it('parses network-config.json, and nothing from what is malformed or absent', () => {
    assert.deepEqual(parseNerdctlNetworkConfig(networkConfig), [{ hostIp: '::', hostPort: 8443, containerPort: 443, protocol: 'tcp' }]);
    assert.deepEqual(parseNerdctlNetworkConfig('{}'), []);
    assert.deepEqual(parseNerdctlNetworkConfig('not json'), []);
    assert.deepEqual(parseNerdctlPortsLabel({ 'nerdctl/ports': '{"HostPort":1}' }), []);
    assert.deepEqual(parseNerdctlPortsLabel({}), []);
  });

  it('reads the state file first and falls back to the label, as nerdctl does', async () => {
    const dataRoot = '/var/lib/nerdctl';
    const stateDir = `${dataRoot}/1935db59/containers/default/0123abcd`;
    const files = new Map([[`${stateDir}/network-config.json`, networkConfig]]);
    const reads = { read: (path: string): Promise<string | undefined> => Promise.resolve(files.get(path)) };
    const container = (labels: Record<string, string>) => ({ namespace: 'default', id: '0123abcd', labels });
    const ports = (labels: Record<string, string>) => readNerdctlPorts(container(labels), { dataRoots: [dataRoot], reads });
    assert.equal((await ports({ 'nerdctl/state-dir': stateDir, 'nerdctl/ports': label }))[0]?.hostPort, 8443);
    assert.equal((await ports({ 'nerdctl/state-dir': `${dataRoot}/1935db59/containers/default/other`, 'nerdctl/ports': label })).length, 2);
    assert.deepEqual(await ports({ 'nerdctl/state-dir': `${dataRoot}/1935db59/containers/default/other` }), []);
  });

  it('formats like nerdctl ps', () => {
    assert.equal(formatPort({ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }), '0.0.0.0:8080->80/tcp');
    assert.equal(formatPort({ hostIp: '::', hostPort: 8443, containerPort: 443, protocol: 'tcp' }), ':::8443->443/tcp');
  });
});

describe('task states and signals', () => {
  it('maps every containerd.v1.types.Status', () => {
    assert.deepEqual(['UNKNOWN', 'CREATED', 'RUNNING', 'STOPPED', 'PAUSED', 'PAUSING', 'NEW_ONE'].map(taskState),
      ['unknown', 'created', 'running', 'stopped', 'paused', 'pausing', 'unknown']);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(taskState), ['unknown', 'created', 'running', 'stopped', 'paused', 'pausing', 'unknown']);
  });

  it('turns signal names into Linux numbers', () => {
    assert.equal(signalNumber('SIGKILL'), 9);
    assert.equal(signalNumber('term'), 15);
    assert.equal(signalNumber(2), 2);
    assert.equal(signalNumber('SIGUSR1'), 10);
    assert.equal(signalNumber('9'), 9);
    assert.throws(() => signalNumber('SIGNOPE'), /unknown signal/);
  });

  it('reads Go zero time (a running task\'s exited_at) as no time', () => {
    assert.equal(protoDate({ seconds: -62135596800, nanos: 0 }), undefined);
    assert.equal(protoDate(null), undefined);
    assert.equal(protoDate({ seconds: 1795335200, nanos: 602619207 })?.toISOString(), '2026-11-22T08:13:20.602Z');
  });
});

describe('listContainers', () => {
  const created = { seconds: 1795335200, nanos: 602619207 };
  const container = (id: string, labels: Record<string, string>) => ({
    container: { id, labels, image: 'docker.io/library/busybox:sample', runtime: { name: 'io.containerd.runc.v2', options: null }, snapshotter: 'overlayfs', snapshot_key: id, created_at: created, updated_at: created, sandbox: '' },
  });
  const goZero = { seconds: -62135596800, nanos: 0 };

  // Answers as the codec decoded them from a real containerd 1.6.
  it('joins each container with its task, names it and reads its ports', async (t) => {
    const api = new FakeApi(t, { unary: {
      '/containerd.services.tasks.v1.Tasks/List': exactly({}, { tasks: [
        { container_id: '', id: 'web-1', pid: 32242, status: 'RUNNING', exit_status: 0, exited_at: goZero },
        { container_id: '', id: 'job-1', pid: 4100, status: 'STOPPED', exit_status: 137, exited_at: { seconds: 1795335300, nanos: 0 } },
      ] }, 'default'),
    }, stream: {
      '/containerd.services.containers.v1.Containers/ListStream': exactly({}, [
        container('web-1', { 'nerdctl/name': 'web', 'nerdctl/ports': '[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]' }),
        container('job-1', {}),
        container('new-1', criContainer),
      ], 'default'),
    } }, methods);
    const list = await listContainers(api, 'default', { portsFiles: false });
    assert.deepEqual(list.map((c) => [c.id, c.name, c.nameSource, c.task?.state, c.task?.pid]), [
      ['web-1', 'web', 'nerdctl', 'running', 32242], ['job-1', 'job-1', 'id', 'stopped', 4100], ['new-1', 'nginx', 'kubernetes', undefined, undefined]]);
    const [web, job] = list;
    assert.equal(web?.task?.exitStatus, undefined);
    assert.equal(web?.task?.exitedAt, undefined);
    assert.equal(job?.task?.exitStatus, 137);
    assert.equal(job?.task?.exitedAt?.toISOString(), '2026-11-22T08:15:00.000Z');
    assert.deepEqual(web?.ports, [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    assert.equal(web?.runtime, 'io.containerd.runc.v2');
    assert.equal(web?.snapshotKey, 'web-1');
    assert.equal(web?.createdAt.toISOString(), '2026-11-22T08:13:20.602Z');
    assert.equal(web?.sandbox, undefined);
    assert.equal(list[2]?.pod?.name, 'nginx-7c5ddbdf54-x2x9q');
  });

  it('asks where nerdctl keeps its state only when a container has a nerdctl state dir, and then once', async (t) => {
    const listing = (labels: Record<string, string>) => new FakeApi(t, { stream: {
      '/containerd.services.containers.v1.Containers/ListStream': exactly({}, [container('a-1', labels), container('b-1', {})], 'default'),
    } }, methods);
    let asked = 0;
    const portsFiles = () => { asked++; return Promise.resolve({ dataRoots: ['/nonexistent-data-root'], reads: new SerialFileReads() }); };
    const plain = await listContainerEntries(listing({ 'nerdctl/ports': '[{"HostPort":80,"ContainerPort":80,"Protocol":"tcp","HostIP":""}]' }), 'default', { portsFiles });
    assert.equal(asked, 0, 'no state dir: the ports come from the label, nothing to locate');
    assert.deepEqual(plain[0]?.ports, [{ hostIp: '', hostPort: 80, containerPort: 80, protocol: 'tcp' }]);
    const stateful = await listContainerEntries(listing({ 'nerdctl/state-dir': '/var/lib/nerdctl/1935db59/containers/default/a-1', 'nerdctl/ports': '[{"HostPort":81,"ContainerPort":80,"Protocol":"tcp","HostIP":""}]' }), 'default', { portsFiles });
    assert.equal(asked, 1);
    assert.deepEqual(stateful[0]?.ports, [{ hostIp: '', hostPort: 81, containerPort: 80, protocol: 'tcp' }], 'no file under the data roots: the label still answers');
  });

  it('decodes the OCI spec JSON of Get', async (t) => {
    const spec = { ociVersion: '1.0.2-dev', process: { args: ['sh'] } };
    const api = new FakeApi(t, { unary: {
      '/containerd.services.containers.v1.Containers/Get': exactly({ id: 'web-1' }, { container: {
        ...container('web-1', {}).container,
        spec: { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: Buffer.from(JSON.stringify(spec)) },
        extensions: {},
      } }, 'default'),
    } }, methods);
    const got = await getContainerSpec(api, 'default', 'web-1');
    assert.deepEqual(got.spec, spec);
    assert.equal(got.specType, 'types.containerd.io/opencontainers/runtime-spec/1/Spec');
    assert.equal(got.record.id, 'web-1');
  });
});

describe('the container wire messages', () => {
  it('decodes a ListStream message and skips the spec and extensions it does not declare', () => {
    const listStream = methods.method<object, { container: Record<string, unknown> }>('containerd.services.containers.v1.Containers', 'ListStream');
    // Hand-assembled with containerd's field numbers: Container{id=1, spec=5{type_url=1, value=2}, snapshot_key=7, extensions=10, sandbox=11}.
    const tag = (field: number): number => (field << 3) | 2;
    const c = protobuf.Writer.create();
    c.uint32(tag(1)).string('web-1');
    c.uint32(tag(5)).fork().uint32(tag(1)).string('types.containerd.io/opencontainers/runtime-spec/1/Spec').uint32(tag(2)).bytes(Buffer.from('{"ociVersion":"1.0.2"}')).ldelim();
    c.uint32(tag(7)).string('web-1-snap');
    c.uint32(tag(10)).fork().uint32(tag(1)).string('ext').uint32(tag(2)).fork().uint32(tag(1)).string('t').ldelim().ldelim();
    c.uint32(tag(11)).string('sb-1');
    const bytes = Buffer.from(protobuf.Writer.create().uint32(tag(1)).bytes(c.finish()).finish());
    const decoded = listStream.deserialize(bytes).container;
    assert.equal(decoded.id, 'web-1');
    assert.equal(decoded.snapshot_key, 'web-1-snap');
    assert.equal(decoded.sandbox, 'sb-1');
    assert.equal('spec' in decoded, false);
    assert.equal('extensions' in decoded, false);
  });
});
