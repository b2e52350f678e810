// Published ports read from JSON that nerdctl did not necessarily write: entries with missing or
// mistyped fields are skipped or defaulted one by one, never failing the whole listing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPort, parseNerdctlNetworkConfig, parseNerdctlPortsLabel, readNerdctlPorts } from '../../src/nerdctl/ports';

const fromLabel = (json: string): unknown => parseNerdctlPortsLabel({ 'nerdctl/ports': json });

describe('port entries in the nerdctl/ports label and network-config.json', () => {
  it('skips entries that are not objects, and those without both ports as numbers', () => {
    const entries = ['null', '5', '"8080:80"', '[8080, 80]', '{"ContainerPort":80}', '{"HostPort":8080}', '{"HostPort":"8080","ContainerPort":80}', '{"HostPort":8080,"ContainerPort":"80"}', '{"HostPort":8080,"ContainerPort":80,"HostIP":"0.0.0.0"}'];
    const kept = [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }];
    assert.deepEqual(fromLabel(`[${entries.join(',')}]`), kept);
    assert.deepEqual(parseNerdctlNetworkConfig(`{"portMappings":[${entries.join(',')}]}`), kept);
  });

  it('reads an absent, empty or non-string protocol as tcp, and any other in lowercase', () => {
    const protocols = ['', ',"Protocol":""', ',"Protocol":17', ',"Protocol":null', ',"Protocol":"UDP"', ',"Protocol":"sctp"'];
    const json = `[${protocols.map((p, i) => `{"HostPort":${8000 + i},"ContainerPort":80${p}}`).join(',')}]`;
    assert.deepEqual((fromLabel(json) as { protocol: string }[]).map((port) => port.protocol), ['tcp', 'tcp', 'tcp', 'tcp', 'udp', 'sctp']);
  });

  it('leaves the host address empty when it is absent or not a string, and shows no address then', () => {
    const ports = parseNerdctlNetworkConfig('{"portMappings":[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp"},{"HostPort":8081,"ContainerPort":81,"HostIP":0}]}');
    assert.deepEqual(ports, [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostIp: '', hostPort: 8081, containerPort: 81, protocol: 'tcp' }]);
    assert.deepEqual(ports.map(formatPort), ['8080->80/tcp', '8081->81/tcp']);
  });

  it('finds no ports in a network-config.json that is null or not an object', () => {
    for (const text of ['null', '[]', '"x"', '42']) assert.deepEqual(parseNerdctlNetworkConfig(text), [], text);
  });

  it('reads no file for a container without a state-dir label', async () => {
    const asked: string[] = [];
    const reads = { read: (path: string): Promise<string> => { asked.push(path); return Promise.resolve('{"portMappings":[{"HostPort":9999,"ContainerPort":99}]}'); } };
    const labels = { 'nerdctl/ports': '[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]' };
    const ports = await readNerdctlPorts({ namespace: 'default', id: 'web-1', labels }, { dataRoots: ['/var/lib/nerdctl'], reads });
    assert.deepEqual(ports, [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    assert.deepEqual(asked, []);
  });
});
