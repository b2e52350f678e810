// Checks of what users type before it becomes a nerdctl argument. Each returns undefined when the
// value is fine, or a message saying what is wrong and what is expected (the input boxes show it
// as typed). A value may never start with "-": nerdctl would read it as a flag.
import { isValidDigest, parseImageReference } from '../containerd/images/imageReference';

export type Check = (value: string) => string | undefined;

/** Control characters (newlines included) have no place in any argument we build. */
function controlCharacter(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding them is the point
  const found = /[\u0000-\u001f\u007f]/.exec(value);
  return found ? `contains a control character (U+${found[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})` : undefined;
}

function common(what: string, value: string): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  const control = controlCharacter(value);
  if (control) return `${what} ${control}`;
  if (value.startsWith('-')) return `${what} "${value}" starts with "-", which nerdctl would read as an option`;
  return undefined;
}

/** An image as nerdctl takes it: a reference (`busybox`, `reg:5000/a/b:tag`, `x@sha256:…`) or an id. */
export const imageReference: Check = (value) => {
  const problem = common('The image', value);
  if (problem) return problem;
  if (isValidDigest(value) || /^[a-f0-9]{64}$/.test(value) || parseImageReference(value).fullRepository) return undefined;
  return `"${value}" is not an image reference: expected [registry[:port]/]name[:tag][@sha256:digest], in lowercase, e.g. docker.io/library/busybox:1.36`;
};

/** A tag given as a full reference without a digest (`nerdctl tag SOURCE TARGET`). */
export const imageTag: Check = (value) => {
  const problem = imageReference(value);
  if (problem) return problem;
  const ref = parseImageReference(value);
  if (ref.digest !== undefined || ref.fullRepository === undefined) return `"${value}" names a digest or an id: a tag is [registry[:port]/]name[:tag]`;
  return undefined;
};

/**
 * A container name both nerdctl lines accept: Docker's rule (two characters or more) and
 * containerd's identifier rule, which nerdctl 1.7 enforces (one separator between alphanumerics).
 */
export const containerName: Check = (value) => {
  const problem = common('The container name', value);
  if (problem) return problem;
  if (value.length < 2 || value.length > 76 || !/^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/.test(value)) {
    return `"${value}" is not a valid container name: 2 to 76 letters and digits, with single "_", "." or "-" between them (not at either end, never two in a row)`;
  }
  return undefined;
};

/** A containerd namespace: containerd's identifier rule (1 to 76 characters). */
export const namespaceName: Check = (value) => {
  const problem = common('The namespace', value);
  if (problem) return problem;
  if (value.length > 76 || !/^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/.test(value)) {
    return `"${value}" is not a containerd namespace: up to 76 letters and digits, with single "_", "." or "-" between them (not at either end, never two in a row), e.g. k8s.io`;
  }
  return undefined;
};

const portNumber = (text: string): boolean => /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
const portRange = (text: string): boolean => {
  const [from = '', to, extra] = text.split('-');
  if (extra !== undefined || !portNumber(from)) return false;
  return to === undefined || (portNumber(to) && Number(to) >= Number(from));
};
/** IPv4, or IPv6 in brackets: what nerdctl accepts before the host port. */
const hostIp = (text: string): boolean => /^(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/.test(text) || /^\[[0-9a-fA-F:.]+\]$/.test(text);

/** `-p` as nerdctl reads it: [ip:][hostPort[-end]:]containerPort[-end][/tcp|udp|sctp]. */
export const portMapping: Check = (value) => {
  const problem = common('The port mapping', value);
  if (problem) return problem;
  const expected = `"${value}" is not a port mapping: expected [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. 8080:80 or 127.0.0.1:8080:80/tcp (ports 1-65535, ranges as 8000-8010)`;
  const slash = value.lastIndexOf('/');
  const protocol = slash === -1 ? 'tcp' : value.slice(slash + 1);
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) return expected;
  const body = slash === -1 ? value : value.slice(0, slash);
  const bracket = body.lastIndexOf(']');
  const ipEnd = bracket === -1 ? -1 : bracket + 1;
  const ip = ipEnd === -1 ? undefined : body.slice(0, ipEnd);
  const rest = ipEnd === -1 ? body.split(':') : body.slice(ipEnd + 1).split(':');
  if (ip !== undefined && (!hostIp(ip) || body[ipEnd] !== ':')) return expected;
  const parts = ip !== undefined ? [ip, ...rest] : rest;
  if (parts.length > 3) return expected;
  const [first = '', second, third] = parts;
  if (parts.length === 3 && !hostIp(first)) return expected;
  const host = parts.length === 3 ? second : parts.length === 2 ? first : undefined;
  const container = parts.length === 3 ? third : parts.length === 2 ? second : first;
  if (container === undefined || !portRange(container)) return expected;
  if (host !== undefined && host !== '' && !portRange(host)) return expected;
  const span = (text: string): number => { const [a = '0', b] = text.split('-'); return b === undefined ? 1 : Number(b) - Number(a) + 1; };
  // nerdctl's rule (pkg/portutil ParseFlagP, 1.7 to 2.x): one container port may take a host range
  // (2.x picks a free port from it), a container range needs a host range of its own length.
  if (host && span(host) !== span(container) && span(container) !== 1) return `"${value}": the host range and the container range have different lengths`;
  return undefined;
};

/** An environment entry: KEY=value, or KEY alone (passes the caller's value). */
export const environmentEntry: Check = (value) => {
  const problem = common('The environment entry', value);
  if (problem) return problem;
  const key = value.split('=', 1)[0] ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) return `"${key}" is not an environment variable name: letters, digits and "_" (also "." and "-"), not starting with a digit`;
  return undefined;
};

/** `-v`: a named volume or an absolute host path, a container path, and options. */
export const volumeMount: Check = (value) => {
  const problem = common('The volume', value);
  if (problem) return problem;
  const expected = `"${value}" is not a volume: expected SOURCE:/container/path[:ro|rw], where SOURCE is an absolute host path or a volume name`;
  const [source = '', target, options, extra] = value.split(':');
  if (extra !== undefined) return expected;
  if (target === undefined) return source.startsWith('/') ? undefined : expected;
  if (!(source.startsWith('/') || /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source))) return expected;
  if (!target.startsWith('/')) return `${expected} (the container path must be absolute)`;
  if (options !== undefined && !options.split(',').every((o) => ['ro', 'rw', 'rro', 'z', 'Z', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'].includes(o))) return `${expected}; unknown option in "${options}"`;
  return undefined;
};

/** os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7. */
export const platform: Check = (value) => {
  const problem = common('The platform', value);
  if (problem) return problem;
  if (!/^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_.]+)?$/.test(value)) return `"${value}" is not a platform: expected os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`;
  return undefined;
};

/** nerdctl's --restart values. */
export const restartPolicy: Check = (value) => {
  if (/^(?:no|always|unless-stopped|on-failure(?::[0-9]+)?)$/.test(value)) return undefined;
  return `"${value}" is not a restart policy: expected no, always, unless-stopped or on-failure[:max-retries]`;
};

/** A network as --network takes it: host, none, bridge, or a network's name or id. */
export const networkName: Check = (value) => {
  const problem = common('The network', value);
  if (problem) return problem;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(value)) return `"${value}" is not a network name: letters, digits, "_", "." and "-"`;
  return undefined;
};

/** A file on this machine, as save and load take it. */
export const absolutePath: Check = (value) => {
  const problem = common('The path', value);
  if (problem) return problem;
  return value.startsWith('/') ? undefined : `"${value}" is not an absolute path`;
};

/** Runs a check and throws its message: for values that reach a builder without an input box. */
export function assertValid(check: Check, value: string): void {
  const problem = check(value);
  if (problem) throw new Error(problem);
}
