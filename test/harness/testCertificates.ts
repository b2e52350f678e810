// A throwaway CA and the certificates it signs, made with the openssl CLI, for the daemons the
// tests serve over TLS (the registry, a tcp:// buildkitd) and the clients that must prove who
// they are to them.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export async function makeCa(openssl: string, dir: string): Promise<KeyPair> {
  const cert = join(dir, 'ca.crt');
  const key = join(dir, 'ca.key');
  await exec(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=vscode-containerd test CA', '-keyout', key, '-out', cert]);
  return { cert, key };
}

export interface CertificateRequest {
  /** The file names' stem in `dir`. */
  readonly name: string;
  readonly commonName: string;
  /** e.g. `IP:127.0.0.1`; a client certificate needs none. */
  readonly subjectAltName?: string;
  readonly usage: 'serverAuth' | 'clientAuth';
}

export async function issueCertificate(openssl: string, ca: KeyPair, dir: string, request: CertificateRequest): Promise<KeyPair> {
  const key = join(dir, `${request.name}.key`);
  const csr = join(dir, `${request.name}.csr`);
  const cert = join(dir, `${request.name}.crt`);
  const extensions = join(dir, `${request.name}.ext`);
  writeFileSync(extensions, `${request.subjectAltName ? `subjectAltName=${request.subjectAltName}\n` : ''}extendedKeyUsage=${request.usage}\n`);
  await exec(openssl, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${request.commonName}`, '-keyout', key, '-out', csr]);
  await exec(openssl, ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-extfile', extensions, '-out', cert]);
  return { cert, key };
}
