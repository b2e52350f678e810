// Published ports of containers nerdctl created. nerdctl up to v2.1.2 kept them in the container
// label `nerdctl/ports`; from v2.1.3 (containerd/nerdctl#4290) in
// `<state-dir>/network-config.json`, where `<state-dir>` is the `nerdctl/state-dir` label
// (/var/lib/nerdctl/<addrhash>/containers/<namespace>/<id>), and the label is only read as a
// fallback for older containers. Both hold go-cni PortMapping values, JSON with Go's field names:
//   label: [{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]
//   file:  {"portMappings":[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]}
import { homedir } from 'node:os';
import { SerialFileReads } from './serialFileReads';
import { nerdctlDataRoots, networkConfigPath, type StateDirOwner } from './stateDir';

export const nerdctlPortsLabel = 'nerdctl/ports';

export interface PortMapping {
  /** As nerdctl stored it: "0.0.0.0", "127.0.0.1", "::"; empty when nerdctl left it unset. */
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  /** "tcp", "udp" or "sctp" (lowercase, as nerdctl writes it). */
  readonly protocol: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** go-cni's PortMapping entries; anything malformed is skipped rather than failing the listing. */
function toPortMappings(value: unknown): PortMapping[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((entry) => {
    const hostPort = entry.HostPort;
    const containerPort = entry.ContainerPort;
    if (typeof containerPort !== 'number' || typeof hostPort !== 'number') return [];
    const protocol = typeof entry.Protocol === 'string' && entry.Protocol ? entry.Protocol.toLowerCase() : 'tcp';
    const hostIp = typeof entry.HostIP === 'string' ? entry.HostIP : '';
    return [{ hostIp, hostPort, containerPort, protocol }];
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Ports from the legacy `nerdctl/ports` label (a JSON array); [] when absent or malformed. */
export function parseNerdctlPortsLabel(labels: Readonly<Record<string, string>>): PortMapping[] {
  const text = labels[nerdctlPortsLabel];
  return text ? toPortMappings(parseJson(text)) : [];
}

/** Ports from the text of nerdctl's network-config.json; [] when it has none. */
export function parseNerdctlNetworkConfig(text: string): PortMapping[] {
  const parsed = parseJson(text);
  return isRecord(parsed) ? toPortMappings(parsed.portMappings) : [];
}

/** Where network-config.json files may be read from, and the queue that reads them. */
export interface PortsFiles {
  readonly dataRoots: readonly string[];
  readonly reads: Pick<SerialFileReads, 'read'>;
}

/** This host's nerdctl data roots with a queue of its own (one listing's worth of reads). */
export function localPortsFiles(): PortsFiles {
  return { dataRoots: nerdctlDataRoots(process.env, homedir()), reads: new SerialFileReads() };
}

/**
 * A container's ports the way nerdctl itself resolves them: the state file when it lists any,
 * else the label. A state dir we do not accept (see stateDir.ts), cannot read (another user's
 * rootful nerdctl, a remote daemon whose files are not here) or that does not answer in time
 * falls back to the label.
 */
export async function readNerdctlPorts(container: StateDirOwner, files: PortsFiles): Promise<PortMapping[]> {
  const path = networkConfigPath(container, files.dataRoots);
  const text = path === undefined ? undefined : await files.reads.read(path);
  const fromFile = text === undefined ? [] : parseNerdctlNetworkConfig(text);
  return fromFile.length > 0 ? fromFile : parseNerdctlPortsLabel(container.labels);
}

/** As `nerdctl ps` shows one: "0.0.0.0:8080->80/tcp" (":::8080->80/tcp" for IPv6, like Docker). */
export function formatPort(port: PortMapping): string {
  return `${port.hostIp ? `${port.hostIp}:` : ''}${port.hostPort}->${port.containerPort}/${port.protocol}`;
}
