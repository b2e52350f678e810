// Child of the rootless tests, run as the rootless daemon's own user with that user's session
// environment: the extension's pure layers as they run for that user. It discovers the endpoints,
// lists namespaces, images and containers (with ports) through the client, reads the daemon facts, builds the
// nerdctl argv and runs nerdctl with it; it prints one JSON line with what each step saw.
// argv[2]: {namespace, nerdctl, nerdctlArgs: string[][]} (nerdctl subcommands to run, in order).
import { ContainerdClient } from '../../src/containerd/connection/client';
import { discoverEndpoints, hostFiles } from '../../src/containerd/connection/endpoints';
import { listContainerEntries } from '../../src/containerd/containers/containers';
import { listImages } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { daemonFacts, hostFactsInput } from '../../src/nerdctl/daemonFacts';
import { nerdctlInvocation } from '../../src/nerdctl/invocation';
import { runProcess } from '../../src/process/runner';

interface Input { readonly namespace: string; readonly nerdctl: string; readonly nerdctlArgs: readonly (readonly string[])[] }

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as Input;
  const uid = process.getuid?.() ?? -1;
  const endpoints = await discoverEndpoints({ configuredAddress: undefined, discovery: true, env: process.env, ...hostFiles });
  const rootless = endpoints.find((e) => e.source === 'rootless');
  if (!rootless) throw new Error(`no rootless endpoint among ${JSON.stringify(endpoints)}`);
  const client = new ContainerdClient(rootless.address, { methods: new MethodTable(), timeoutMs: 10_000 });
  try {
    const namespaces = (await client.listNamespaces()).map((n) => n.name);
    const images = (await listImages(client, input.namespace)).map((i) => i.name);
    // With the ports as the explorer shows them: nerdctl keeps them in the user's own data root.
    const containers = (await listContainerEntries(client, input.namespace)).map((c) => ({ id: c.id, name: c.name, ports: c.ports }));
    const facts = await daemonFacts(rootless.address, input.namespace, hostFactsInput);
    const invocation = nerdctlInvocation([input.nerdctl], facts, { uid }, 'background');
    if (!invocation.ok) throw new Error(invocation.reason);
    const runs = [];
    for (const args of input.nerdctlArgs) {
      const result = await runProcess({ file: invocation.process.file, args: [...invocation.process.args, ...args] }, { env: process.env, timeoutMs: 120_000 });
      runs.push({ args, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr });
    }
    process.stdout.write(`${JSON.stringify({ uid, endpoints, address: rootless.address, namespaces, images, containers, facts, argv: [invocation.process.file, ...invocation.process.args], runs })}\n`);
  } finally {
    client.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
