// What the row checks need on the daemon besides the runner's sample: made with ctr after the
// extension-host suite ran (it asserts the namespaces as they were), before the pages open.
//   default      a digest-only (dangling) name of the sample, a container with published ports
//   k8s.io       a pod as the CRI plugin labels one (sandbox + two workloads) and a lone container
//   e2e-actions  tags to delete and keep, a running container, an unused prepared snapshot
//   e2e-beta     stays empty (the counts check fills it while watching), but carries a label
//   e2e-attested an image as BuildKit writes it with provenance: two platforms, each with its attestation manifest
import { join } from 'node:path';
import { writeAttestedOciArchive, type AttestedImage } from '../harness/attestedImage';
import type { Fixture } from './fixture';
import { e2eImage, e2eNamespace, sampleArchive } from './fixture';

export interface PortLabel { readonly HostPort: number; readonly ContainerPort: number; readonly Protocol: string; readonly HostIP: string }

export interface PodContainer { readonly id: string; readonly labels: Readonly<Record<string, string>> }

export interface RowFacts {
  readonly dangling: string;
  readonly published: { readonly id: string; readonly name: string; readonly ports: readonly PortLabel[] };
  readonly podNamespace: string;
  readonly podContainers: readonly PodContainer[];
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

const cri = {
  podName: 'io.kubernetes.pod.name', podNamespace: 'io.kubernetes.pod.namespace', podUid: 'io.kubernetes.pod.uid',
  kind: 'io.cri-containerd.kind', containerName: 'io.kubernetes.container.name',
};

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
  const pod = { [cri.podName]: 'web-0', [cri.podNamespace]: 'shop', [cri.podUid]: `uid-${suffix}` };
  const podContainers: PodContainer[] = [
    { id: `e2e-sandbox-${suffix}`, labels: { ...pod, [cri.kind]: 'sandbox' } },
    { id: `e2e-nginx-${suffix}`, labels: { ...pod, [cri.kind]: 'container', [cri.containerName]: 'nginx' } },
    { id: `e2e-sidecar-${suffix}`, labels: { ...pod, [cri.kind]: 'container', [cri.containerName]: 'sidecar' } },
    { id: `e2e-loner-${suffix}`, labels: { 'nerdctl/name': 'loner' } },
  ];
  for (const c of podContainers) await ctr(['--namespace', podNamespace, 'containers', 'create', ...labelArgs(c.labels), e2eImage, c.id]);

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
    dangling, published, podNamespace, podContainers,
    actions: { namespace: 'e2e-actions', doomed, kept, victim, scratchSnapshot },
    counted,
    attested: { ...attested, written },
  };
}
