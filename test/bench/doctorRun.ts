// What the doctor costs from the command to its report: every endpoint's status, the daemon's
// Introspection and mountinfo, the rootless facts, buildkitd asked through buildctl, four tools'
// versions (processes), binfmt and CNI folders. Target < 2 s: a person waits for it.
import { readAllEndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { Connections } from '../../src/containerd/connection/connections';
import { MethodTable } from '../../src/containerd/proto/codec';
import { hostDoctorSources } from '../../src/doctor/hostSources';
import { runDoctor } from '../../src/doctor/runDoctor';
import { startBuildkitd } from '../harness/buildkitd';
import type { Components } from '../harness/components';
import { startContainerd } from '../harness/containerdDaemon';
import { medianMs } from './stats';

export interface DoctorFigures {
  readonly totalMs: number;
  readonly findings: number;
}

export async function measureDoctor(components: Components, runs: number): Promise<DoctorFigures> {
  const daemon = await startContainerd('2.x');
  const buildkitd = await startBuildkitd(daemon).catch(async (error: unknown) => {
    await daemon.stop();
    throw error;
  });
  const connections = new Connections({ methods: new MethodTable(), timeoutMs: 10_000 });
  try {
    const tools = { nerdctl: [components.tools.nerdctl['2.x']], buildctl: [components.tools.buildctl], dlv: [components.tools.dlv], crictl: [components.tools.crictl] };
    const once = async (): Promise<number> => {
      const statuses = await readAllEndpointStatus([{ address: daemon.socket, label: daemon.socket, source: 'configured' }], connections);
      const report = await runDoctor(await hostDoctorSources({ env: process.env, statuses, apiOf: (a) => connections.get(a), namespace: 'default', tools, buildkitHost: buildkitd.address, platforms: ['linux/amd64', 'linux/arm64'] }));
      if (!report.findings.some((f) => f.check === 'buildkitd' && f.level === 'ok')) throw new Error(`the doctor did not reach the bench's buildkitd: ${JSON.stringify(report.findings.filter((f) => f.check === 'buildkitd'))}`);
      return report.findings.length;
    };
    const findings = await once();
    return { totalMs: await medianMs(runs, once), findings };
  } finally {
    connections.closeAll();
    await buildkitd.stop();
    await daemon.stop();
  }
}
