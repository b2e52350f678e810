// Private registries: the registry an image lives in, the login/logout argv, the registries the
// user's credentials name, and what a failed registry call means with its fix. Most of our users'
// registries have certificates from their own CA; containerd trusts those only through its hosts
// directory (hosts.toml or the certs.d layout), never through the system's trust store alone.
import { domainAndPort, parseImageReference } from '../containerd/images/imageReference';
import type { Check } from './validate';

/** `registry.example`, `registry.example:5000`, `127.0.0.1:5000`, `[::1]:5000`, `localhost`. */
const hostPattern = new RegExp(`^${domainAndPort}$`);

export const registryHost: Check = (value) => {
  if (value.length === 0) return 'The registry is empty: expected a host with an optional port, e.g. registry.example:5000';
  if (value.startsWith('-')) return `The registry "${value}" starts with "-", which nerdctl would read as an option`;
  if (!hostPattern.test(value)) return `"${value}" is not a registry host: expected host[:port] without a scheme or path, e.g. registry.example:5000 or 127.0.0.1:5000`;
  const port = /:(\d+)$/.exec(value)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return `The port of "${value}" is ${port}: expected 1 to 65535`;
  return undefined;
};

function assertHost(host: string): string {
  const problem = registryHost(host);
  if (problem) throw new Error(problem);
  return host;
}

/** The registry of an image name as nerdctl resolves it (`busybox` is in docker.io). */
export function registryOfReference(name: string): string | undefined {
  const repository = parseImageReference(name).fullRepository;
  return repository?.slice(0, repository.indexOf('/'));
}

/**
 * Push the image as it is (`--all-platforms`: the same index digest, attestations kept) when every
 * platform's content is here; else nerdctl's default, a copy reduced to this machine's platform.
 */
export function pushesEveryPlatform(platforms: readonly { readonly available: boolean }[]): boolean {
  return platforms.length > 0 && platforms.every((p) => p.available);
}

/** The password goes through stdin: never an argument other users could read in /proc. */
export function loginArgs(host: string, username: string): string[] {
  if (username.length === 0) throw new Error('The user name is empty');
  // eslint-disable-next-line no-control-regex -- a control character would end the line nerdctl reads
  if (/[\u0000-\u001f\u007f]/.test(username)) throw new Error('The user name contains a control character');
  return ['login', `--username=${username}`, '--password-stdin', '--', assertHost(host)];
}

export function logoutArgs(host: string): string[] {
  return ['logout', '--', assertHost(host)];
}

/** The registries a docker config.json (where nerdctl login writes) holds credentials for. */
export function loggedInRegistries(configJson: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJson);
  } catch {
    return [];
  }
  const auths = typeof parsed === 'object' && parsed !== null ? (parsed as { auths?: unknown }).auths : undefined;
  if (typeof auths !== 'object' || auths === null) return [];
  return Object.keys(auths).map((key) => key.replace(/^https?:\/\//, '').replace(/\/.*$/, '')).filter((host) => registryHost(host) === undefined).sort();
}

/** Where nerdctl looks for a registry's certificates (its default hosts_dir). */
export function hostsDirectories(rootless: boolean, configHome: string): string[] {
  return rootless ? [`${configHome}/containerd/certs.d`] : ['/etc/containerd/certs.d', '/etc/docker/certs.d'];
}

interface Known {
  readonly pattern: RegExp;
  readonly advice: (host: string, hostsDir: string) => string;
}

const trustAdvice = (host: string, hostsDir: string): string =>
  `containerd does not trust the certificate of ${host}. Give it your registry's CA: copy the CA certificate to ${hostsDir}/${host}/ca.crt, or write ${hostsDir}/${host}/hosts.toml with\n` +
  `  server = "https://${host}"\n  [host."https://${host}"]\n    ca = "/path/to/ca.crt"\n` +
  'nerdctl reads that folder (its hosts_dir setting in nerdctl.toml says where); no daemon restart is needed.';

const known: readonly Known[] = [
  {
    pattern: /x509: certificate is valid for [^\n]*, not |certificate is not valid for any names/i,
    advice: (host) => `The certificate ${host} presents is not issued for that name: use the host name the certificate names, or have it reissued with ${host.replace(/:\d+$/, '')} in its subject alternative names.`,
  },
  { pattern: /x509: certificate signed by unknown authority|certificate is not trusted/i, advice: trustAdvice },
  {
    pattern: /server gave HTTP response to HTTPS client/i,
    advice: (host, hostsDir) => `${host} speaks plain HTTP. Prefer TLS; for a registry you trust on your own network, nerdctl accepts --insecure-registry, or write ${hostsDir}/${host}/hosts.toml with server = "http://${host}".`,
  },
  {
    // A wrong password (login: "too many 401"), no credentials at all, or a user without access.
    pattern: /\b401 Unauthorized\b|too many 401|unauthorized: authentication required|incorrect username or password|no basic auth credentials|(?:pull|push) access denied/i,
    advice: (host) => `${host} did not accept the request without a valid login: log in (containerd: Log In to Registry…) as the user that runs nerdctl, with an account that may access this repository.`,
  },
  {
    pattern: /connection refused|no such host|i\/o timeout|network is unreachable/i,
    advice: (host) => `${host} cannot be reached from this machine: check the host name, the port and that the registry is running.`,
  },
];

/** What a failed pull, push or login says about the registry, in words with its fix. */
export function registryFailureAdvice(host: string, stderr: string, hostsDir: string): string | undefined {
  return known.find((k) => k.pattern.test(stderr))?.advice(host, hostsDir);
}
