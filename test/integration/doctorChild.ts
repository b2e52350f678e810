// Child of the doctor tests: runs the doctor as the extension does (endpoint discovery, every
// endpoint's status, then every check) as whichever user started it, and prints the report as
// JSON. argv[2]: DoctorChildInput. The environment is the child's own (the test sets it).
import { readAllEndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { Connections } from '../../src/containerd/connection/connections';
import { discoverEndpoints, hostFiles } from '../../src/containerd/connection/endpoints';
import { MethodTable } from '../../src/containerd/proto/codec';
import { hostDoctorSources } from '../../src/doctor/hostSources';
import { runDoctor } from '../../src/doctor/runDoctor';
import type { ToolName } from '../../src/doctor/toolChecks';

export interface DoctorChildInput {
  /** containerd.address, then containerd.additionalAddresses. */
  readonly addresses: readonly string[];
  readonly discovery: boolean;
  readonly tools: Readonly<Record<ToolName, readonly string[]>>;
  readonly buildkitHost?: string;
  readonly namespace: string;
  readonly platforms: readonly string[];
  readonly binfmtDir: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as DoctorChildInput;
  const [configuredAddress, ...additionalAddresses] = input.addresses;
  const endpoints = await discoverEndpoints({ configuredAddress, additionalAddresses, discovery: input.discovery, env: process.env, ...hostFiles });
  const connections = new Connections({ methods: new MethodTable(), timeoutMs: 10_000 });
  const statuses = await readAllEndpointStatus(endpoints, connections);
  const report = await runDoctor(await hostDoctorSources({
    env: process.env, statuses, apiOf: (address) => connections.get(address),
    namespace: input.namespace, tools: input.tools, buildkitHost: input.buildkitHost, platforms: input.platforms, binfmtDir: input.binfmtDir,
  }));
  connections.closeAll();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
