// A private registry as our users have one: Debian's docker-registry (distribution 2.8) on this
// machine's own address (not loopback) with TLS from a CA the test makes and htpasswd logins. Clients trust it only when told
// to: `trustIn(hostsDir)` writes the CA where containerd's hosts loader looks
// (<hosts dir>/<host:port>/ca.crt, the certs.d layout nerdctl reads through hosts_dir).
import bcrypt from 'bcryptjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Components } from './components';
import { issueCertificate, makeCa } from './testCertificates';
import { waitFor } from './waitFor';
import { freePort } from './freePort';

export interface RegistryManifest {
  /** The registry's Docker-Content-Digest for it. */
  readonly digest: string;
  readonly mediaType: string;
  /** An index's entries. */
  readonly manifests?: readonly { readonly digest: string; readonly platform?: { readonly os: string; readonly architecture: string } }[];
}

export interface Registry {
  /** `IP:PORT`, the registry part of image references. */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  /** The test CA's certificate (PEM). */
  readonly caFile: string;
  /** The manifest or index `repository:reference` is, as the registry serves it (logged in). */
  manifest(repository: string, reference: string): Promise<RegistryManifest>;
  /** Makes `hostsDir` trust this registry's CA. */
  trustIn(hostsDir: string): void;
  stop(): Promise<void>;
}

/**
 * The machine's first non-loopback IPv4 address: nerdctl treats loopback registries as insecure
 * (it falls back to plain HTTP there), which would hide the certificate errors our users meet.
 */
function outwardAddress(): string {
  const found = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
  if (!found) throw new Error('the registry fixture needs a non-loopback IPv4 address (nerdctl does not check TLS on loopback registries), and this machine has none');
  return found.address;
}

export async function startRegistry(components: Components, dir: string): Promise<Registry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const ip = outwardAddress();
  const authority = await makeCa(components.openssl, dir);
  const ca = authority.cert;
  const { cert, key } = await issueCertificate(components.openssl, authority, dir, { name: 'server', commonName: ip, subjectAltName: `IP:${ip}`, usage: 'serverAuth' });
  const username = 'tester';
  const password = `pw-${process.pid}-${Date.now().toString(36)}`;
  const htpasswd = join(dir, 'htpasswd');
  writeFileSync(htpasswd, `${username}:${bcrypt.hashSync(password, 8)}\n`);
  const port = await freePort(ip);
  const host = `${ip}:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    '  tls:',
    `    certificate: ${cert}`,
    `    key: ${key}`,
    'auth:',
    '  htpasswd:',
    '    realm: vscode-containerd-tests',
    `    path: ${htpasswd}`,
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(components.registry, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => { log = `${log}${chunk.toString()}`.slice(-8_000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Up when its TLS port answers /v2/ (401 without credentials), trusted through the test CA.
  const caPem = readFileSync(ca);
  const answers = (): Promise<number | undefined> => new Promise((resolve) => {
    const request = https.get(`https://${host}/v2/`, { ca: caPem, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => request.destroy());
  });
  await waitFor(`docker-registry on ${host}`, async () => {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${log}`);
    return (await answers()) === 401 ? true : undefined;
  }, 20_000);
  return {
    host, username, password, caFile: ca,
    manifest: (repository, reference) => new Promise((resolve, reject) => {
      const accept = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
      const request = https.get(`https://${host}/v2/${repository}/manifests/${reference}`, { ca: caPem, auth: `${username}:${password}`, headers: { accept }, timeout: 10_000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { body += chunk; });
        response.on('end', () => (response.statusCode === 200 ? resolve({ ...(JSON.parse(body) as Omit<RegistryManifest, 'digest'>), digest: String(response.headers['docker-content-digest'] ?? '') }) : reject(new Error(`the registry answered ${response.statusCode ?? '?'} for ${repository}:${reference}: ${body.slice(0, 300)}`))));
      });
      request.on('error', reject);
      request.on('timeout', () => request.destroy(new Error(`no answer from the registry for ${repository}:${reference}`)));
    }),
    trustIn: (hostsDir) => {
      mkdirSync(join(hostsDir, host), { recursive: true });
      copyFileSync(ca, join(hostsDir, host, 'ca.crt'));
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
