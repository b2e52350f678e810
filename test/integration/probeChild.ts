// Child of probeAsNobody: prints what readEndpointStatus says about argv[2] as JSON.
import { Connections } from '../../src/containerd/connection/connections';
import { readEndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { MethodTable } from '../../src/containerd/proto/codec';

async function main(): Promise<void> {
  const address = process.argv[2] ?? '';
  const connections = new Connections({ methods: new MethodTable(), timeoutMs: 10_000 });
  const status = await readEndpointStatus({ address, label: address, source: 'configured' }, connections);
  connections.closeAll();
  const reason = !status.reachable && status.error instanceof ContainerdUnreachableError ? status.error.reason : undefined;
  process.stdout.write(JSON.stringify({ reachable: status.reachable, reason, message: status.reachable ? 'reachable' : status.error.message }));
}

void main();
