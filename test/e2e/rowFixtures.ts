// What the row checks need on the daemon besides the runner's sample: made with ctr after the
// extension-host suite ran (it asserts the namespaces as they were), before the pages open.
//   default      a digest-only (dangling) name of the sample, a container with published ports
//   k8s.io       a real pod made through the CRI plugin (sandbox + two workloads) and a lone container
//   e2e-actions  tags to delete and keep, a running container, an unused prepared snapshot
//   e2e-beta     stays empty (the counts check fills it while watching), but carries a label
//   e2e-attested an image as BuildKit writes it with provenance: two platforms, each with its attestation manifest
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeAttestedOciArchive, type AttestedImage } from '../harness/attestedImage';
import { loadComponents } from '../harness/components';
import { importBusybox } from '../harness/sampleImage';
import { ctrContainerLabels } from './ctrOracle';
import type { Fixture } from './fixture';
import { e2eImage, e2eNamespace, e2ePauseImage, sampleArchive } from './fixture';

export interface PortLabel { readonly HostPort: number; readonly ContainerPort: number; readonly Protocol: string; readonly HostIP: string }

export interface PodContainer { readonly id: string; readonly labels: Readonly<Record<string, string>> }

export interface RowFacts {
  readonly dangling: string;
  readonly published: { readonly id: string; readonly name: string; readonly ports: readonly PortLabel[] };
  readonly podNamespace: string;
  /** The real pod's containers (sandbox first), then a lone one made with ctr. */
  readonly podContainers: readonly PodContainer[];
  /** What the pod's sidecar prints to its log (which crictl reads). */
  readonly podLogLine: string;
  readonly actions: {
    readonly namespace: string;
    readonly doomed: string;
    readonly kept: readonly string[];
    readonly victim: { readonly id: string; readonly name: string };
    readonly scratchSnapshot: string;
  };
  readonly counted: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly attested: { readonly namespace: string; readonly name: string; readonly written: AttestedImage };
}

/**
 * A pod as the kubelet makes one, through the daemon's CRI plugin with crictl (host network, the
 * pause image the tests build): pod web-0 of namespace shop, its containers nginx and sidecar,
 * labelled as the kubelet labels them.
 * Their logs are where the pod config puts them, so only crictl (not nerdctl logs) reads them.
 */
async function runCriPod(fx: Fixture, suffix: string): Promise<{ ids: string[]; logLine: string }> {
  const components = loadComponents();
  await importBusybox(fx.daemon, components.busybox, e2ePauseImage, 'k8s.io', ['sleep', '2147483647']);
  const crictl = async (args: readonly string[]): Promise<string> => (await promisify(execFile)(components.tools.crictl, [`--runtime-endpoint=unix://${fx.daemon.socket}`, '--timeout=60s', ...args])).stdout.trim();
  const dir = join(fx.daemon.dir, 'e2e-pod');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const podConfig = join(dir, 'pod.json');
  // The kubelet labels what it asks for with the pod's identity (crictl alone would not): the
  // CRI plugin copies those labels onto the containers, where the explorer reads them.
  const podLabels = { 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': `uid-${suffix}` };
  writeFileSync(podConfig, JSON.stringify({
    metadata: { name: 'web-0', namespace: 'shop', uid: `uid-${suffix}`, attempt: 0 },
    labels: podLabels,
    log_directory: join(dir, 'logs'),
    linux: { security_context: { namespace_options: { network: 2 } } },
  }));
  const logLine = `sidecar-says-${suffix}`;
  const podId = await crictl(['runp', podConfig]);
  const ids = [podId];
  for (const [name, script] of [['nginx', 'while true; do sleep 5; done'], ['sidecar', `echo ${logLine}; while true; do sleep 5; done`]] as const) {
    const config = join(dir, `${name}.json`);
    writeFileSync(config, JSON.stringify({ metadata: { name }, labels: { ...podLabels, 'io.kubernetes.container.name': name }, image: { image: e2eImage }, command: ['sh', '-c', script], log_path: `${name}/0.log` }));
    const id = await crictl(['create', podId, config, podConfig]);
    await crictl(['start', id]);
    ids.push(id);
  }
  return { ids, logLine };
}

function labelArgs(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}

export async function prepareRowFixtures(fx: Fixture): Promise<RowFacts> {
  const ctr = (args: readonly string[]): Promise<string> => fx.daemon.ctr(args);
  // Unique ids: runc state and cgroup paths are host-global.
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const archive = sampleArchive(fx.scratch);
  const inDefault = ['--namespace', e2eNamespace];

  const dangling = `docker.io/library/busybox@${fx.facts.image.digest}`;
  await ctr([...inDefault, 'images', 'tag', e2eImage, dangling]);
  const ports: PortLabel[] = [
    { HostPort: 8080, ContainerPort: 80, Protocol: 'tcp', HostIP: '0.0.0.0' },
    { HostPort: 5353, ContainerPort: 53, Protocol: 'udp', HostIP: '127.0.0.1' },
  ];
  const published = { id: `e2e-published-${suffix}`, name: 'published', ports };
  await ctr([...inDefault, 'containers', 'create', ...labelArgs({ 'nerdctl/name': published.name, 'nerdctl/ports': JSON.stringify(ports) }), e2eImage, published.id]);

  const podNamespace = 'k8s.io';
  await ctr(['--namespace', podNamespace, 'images', 'import', '--all-platforms', archive]);
  const pod = await runCriPod(fx, suffix);
  const loner = `e2e-loner-${suffix}`;
  await ctr(['--namespace', podNamespace, 'containers', 'create', ...labelArgs({ 'nerdctl/name': 'loner' }), e2eImage, loner]);
  const podContainers: PodContainer[] = [];
  for (const id of [...pod.ids, loner]) podContainers.push({ id, labels: await ctrContainerLabels(ctr, podNamespace, id) });

  const actionsNs = ['--namespace', 'e2e-actions'];
  await ctr(['namespaces', 'create', 'e2e-actions']);
  await ctr([...actionsNs, 'images', 'import', '--all-platforms', archive]);
  const doomed = 'docker.io/library/busybox:doomed';
  const kept = [e2eImage, 'docker.io/library/busybox:keep'];
  for (const name of [doomed, 'docker.io/library/busybox:keep']) await ctr([...actionsNs, 'images', 'tag', e2eImage, name]);
  const victim = { id: `e2e-victim-${suffix}`, name: 'victim' };
  await ctr([...actionsNs, 'run', '--detach', '--runc-root', fx.daemon.runcRoot, ...labelArgs({ 'nerdctl/name': victim.name }), e2eImage, victim.id, 'sh', '-c', 'while true; do sleep 5; done']);
  const scratchSnapshot = `e2e-scratch-${suffix}`;
  await ctr([...actionsNs, 'snapshots', 'prepare', scratchSnapshot]);

  const counted = { namespace: 'e2e-beta', labels: { purpose: 'counts' } };
  await ctr(['namespaces', 'label', counted.namespace, ...Object.entries(counted.labels).map(([k, v]) => `${k}=${v}`)]);

  const attested = { namespace: 'e2e-attested', name: 'docker.io/library/attested:provenance' };
  const attestedArchive = join(fx.scratch, 'attested.oci.tar');
  const written = await writeAttestedOciArchive({ imageName: attested.name, workDir: join(fx.scratch, 'attested-build'), outFile: attestedArchive });
  await ctr(['--namespace', attested.namespace, 'images', 'import', '--all-platforms', attestedArchive]);
  return {
    dangling, published, podNamespace, podContainers, podLogLine: pod.logLine,
    actions: { namespace: 'e2e-actions', doomed, kept, victim, scratchSnapshot },
    counted,
    attested: { ...attested, written },
  };
}
