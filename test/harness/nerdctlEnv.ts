// nerdctl pointed at a private containerd without touching the host's nerdctl state: its own
// nerdctl.toml (data root, CNI config dir, hosts dir) and credentials inside the daemon's folder,
// Debian's CNI plugins.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Components } from './components';
import type { ContainerdDaemon } from './containerdDaemon';

export interface NerdctlHarness {
  /** The nerdctl binary that pairs with the daemon's version (1.7 -> nerdctl 1.7, 2.x -> 2.x). */
  readonly bin: string;
  /** The environment nerdctl runs with (NERDCTL_TOML names the private config). */
  readonly env: NodeJS.ProcessEnv;
  /** Where this nerdctl looks for registry certificates (hosts_dir): no host-wide /etc/containerd/certs.d. */
  readonly hostsDir: string;
  /** Its DOCKER_CONFIG: logins land here, not in the host's ~/.docker. */
  readonly dockerConfig: string;
}

export function nerdctlFor(daemon: ContainerdDaemon, components: Components): NerdctlHarness {
  const dir = join(daemon.dir, 'nerdctl');
  const hostsDir = join(dir, 'certs.d');
  const dockerConfig = join(dir, 'docker-config');
  for (const d of [join(dir, 'cni'), hostsDir, dockerConfig]) mkdirSync(d, { recursive: true });
  const toml = join(dir, 'nerdctl.toml');
  writeFileSync(toml, [
    `data_root = "${join(dir, 'data')}"`, `cni_path = "${components.cniBin}"`, `cni_netconfpath = "${join(dir, 'cni')}"`, `hosts_dir = ["${hostsDir}"]`, '',
  ].join('\n'));
  const bin = daemon.version === '2.x' ? components.tools.nerdctl['2.x'] : components.tools.nerdctl['1.7'];
  return { bin, env: { ...process.env, NERDCTL_TOML: toml, DOCKER_CONFIG: dockerConfig }, hostsDir, dockerConfig };
}
