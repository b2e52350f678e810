// nerdctl pointed at a private containerd without touching the host's nerdctl state: its own
// nerdctl.toml (data root, CNI config dir, hosts dir) and credentials inside the daemon's folder,
// Debian's CNI plugins.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nerdctlInvocation } from '../../src/nerdctl/invocation';
import { runProcess, type RunResult } from '../../src/process/runner';
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
  /** Runs nerdctl as the extension would for this daemon (its background invocation, as root). */
  run(namespace: string, args: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
}

/**
 * nerdctl's default network ("bridge": the host-wide bridge nerdctl0 on 10.4.0.0/24, host-local
 * IPAM), written into a private CNI config dir before nerdctl would write it. nerdctl only writes
 * it when the dir lacks it, and then refuses once an earlier nerdctl's nerdctl0 holds that subnet
 * ("subnet 10.4.0.0/24 overlaps with other one on this address space"). With the same config in
 * every dir, the tests' nerdctls share nerdctl0 as one nerdctl installation's runs would.
 */
function writeDefaultNetwork(cniDir: string): void {
  const network = {
    cniVersion: '1.0.0',
    name: 'bridge',
    // nerdctl identifies a network by the sha256 of its name, and its default one by this label.
    nerdctlID: createHash('sha256').update('bridge').digest('hex'),
    nerdctlLabels: { 'nerdctl/default-network': 'true' },
    plugins: [
      {
        type: 'bridge', bridge: 'nerdctl0', isGateway: true, ipMasq: true, hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.4.0.0/24', gateway: '10.4.0.1' }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'firewall', ingressPolicy: 'same-bridge' },
      { type: 'tuning' },
    ],
  };
  writeFileSync(join(cniDir, 'nerdctl-bridge.conflist'), `${JSON.stringify(network, null, 2)}\n`);
}

export function nerdctlFor(daemon: ContainerdDaemon, components: Components): NerdctlHarness {
  const dir = join(daemon.dir, 'nerdctl');
  const hostsDir = join(dir, 'certs.d');
  const dockerConfig = join(dir, 'docker-config');
  for (const d of [join(dir, 'cni'), hostsDir, dockerConfig]) mkdirSync(d, { recursive: true });
  writeDefaultNetwork(join(dir, 'cni'));
  const toml = join(dir, 'nerdctl.toml');
  writeFileSync(toml, [
    `data_root = "${join(dir, 'data')}"`, `cni_path = "${components.cniBin}"`, `cni_netconfpath = "${join(dir, 'cni')}"`, `hosts_dir = ["${hostsDir}"]`, '',
  ].join('\n'));
  const bin = daemon.version === '2.x' ? components.tools.nerdctl['2.x'] : components.tools.nerdctl['1.7'];
  const env = { ...process.env, NERDCTL_TOML: toml, DOCKER_CONFIG: dockerConfig };
  const run = (namespace: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> => {
    const invocation = nerdctlInvocation([bin], { address: daemon.socket, namespace, callerCanOpen: true }, { uid: 0 }, 'background');
    if (!invocation.ok) throw new Error(invocation.reason);
    return runProcess({ file: invocation.process.file, args: [...invocation.process.args, ...args] }, { env, timeoutMs: options.timeoutMs ?? 120_000, ...(options.input !== undefined ? { input: options.input } : {}) });
  };
  return { bin, env, hostsDir, dockerConfig, run };
}
