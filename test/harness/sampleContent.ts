// Seeds a containerd with what a user would have: a multi-arch busybox image (made from Debian's
// busybox-static, no registry) in two namespaces, one running and one stopped container.
import { join } from 'node:path';
import type { Components } from './components';
import type { ContainerdDaemon } from './containerdDaemon';
import { writeBusyboxOciArchive } from './sampleImage';

export const sampleImage = 'docker.io/library/busybox:sample';
export const sampleNamespaces = ['default', 'team-a'] as const;

export interface SampleContent {
  readonly image: string;
  readonly namespaces: readonly string[];
  readonly running: { readonly namespace: string; readonly id: string };
  readonly stopped: { readonly namespace: string; readonly id: string };
}

export async function seedSampleContent(daemon: ContainerdDaemon, components: Components, workDir: string): Promise<SampleContent> {
  const archive = join(workDir, 'busybox-sample.oci.tar');
  await writeBusyboxOciArchive({ busybox: components.busybox, imageName: sampleImage, outFile: archive, workDir: join(workDir, 'image-build') });
  for (const namespace of sampleNamespaces) {
    await daemon.ctr(['--namespace', namespace, 'images', 'import', '--all-platforms', archive]);
  }
  // Unique ids: runc state and cgroup paths are host-global, and another daemon may run beside us.
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const running = { namespace: 'default', id: `sample-web-${suffix}` };
  const stopped = { namespace: 'team-a', id: `sample-job-${suffix}` };
  await daemon.ctr(['--namespace', running.namespace, 'run', '--detach', '--runc-root', daemon.runcRoot,
    '--label', 'nerdctl/name=web', sampleImage, running.id, 'sh', '-c', 'while true; do sleep 5; done']);
  // Runs to completion: the container stays, its task is gone (what `nerdctl ps -a` calls Exited).
  await daemon.ctr(['--namespace', stopped.namespace, 'run', '--runc-root', daemon.runcRoot,
    '--label', 'nerdctl/name=job', sampleImage, stopped.id, 'sh', '-c', 'echo done']);
  return { image: sampleImage, namespaces: [...sampleNamespaces], running, stopped };
}
