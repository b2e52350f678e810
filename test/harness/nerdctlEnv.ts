// nerdctl pointed at a private containerd without touching the host's nerdctl state: its own
// nerdctl.toml (data root, CNI config dir) inside the daemon's folder, Debian's CNI plugins.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Components } from './components';
import type { ContainerdDaemon } from './containerdDaemon';

export interface NerdctlHarness {
  /** The nerdctl binary that pairs with the daemon's version (1.7 -> nerdctl 1.7, 2.x -> 2.x). */
  readonly bin: string;
  /** The environment nerdctl runs with (NERDCTL_TOML names the private config). */
  readonly env: NodeJS.ProcessEnv;
}

export function nerdctlFor(daemon: ContainerdDaemon, components: Components): NerdctlHarness {
  const dir = join(daemon.dir, 'nerdctl');
  mkdirSync(join(dir, 'cni'), { recursive: true });
  const toml = join(dir, 'nerdctl.toml');
  writeFileSync(toml, [`data_root = "${join(dir, 'data')}"`, `cni_path = "${components.cniBin}"`, `cni_netconfpath = "${join(dir, 'cni')}"`, ''].join('\n'));
  const bin = daemon.version === '2.x' ? components.tools.nerdctl['2.x'] : components.tools.nerdctl['1.7'];
  return { bin, env: { ...process.env, NERDCTL_TOML: toml } };
}
