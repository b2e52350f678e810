// containerd addresses: users write `/run/containerd/containerd.sock` or `unix:///run/...`;
// grpc-js wants `unix:///abs/path`. Anything else is rejected with a reason, before any I/O.

export const defaultAddress = '/run/containerd/containerd.sock';

export type ParsedAddress = { ok: true; socketPath: string; grpcTarget: string } | { ok: false; error: string };

export function parseAddress(input: string): ParsedAddress {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'the address is empty' };
  let path = text;
  if (/^unix:/i.test(text)) {
    path = text.replace(/^unix:(\/\/)?/i, '');
    if (!path.startsWith('/')) {
      return { ok: false, error: `"${text}" is not absolute: write unix:///absolute/path/to/containerd.sock` };
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    const scheme = text.slice(0, text.indexOf(':'));
    return { ok: false, error: `"${scheme}:" addresses are not supported: containerd listens on a unix socket (give its absolute path)` };
  } else if (!text.startsWith('/')) {
    return { ok: false, error: `"${text}" is not an absolute path: give the socket's full path, such as ${defaultAddress}` };
  }
  if (/[\0\n\r]/.test(path)) return { ok: false, error: 'the address contains control characters' };
  const socketPath = path.replace(/\/{2,}/g, '/');
  return { ok: true, socketPath, grpcTarget: `unix://${socketPath}` };
}

/** The address in force when the user set none: CONTAINERD_ADDRESS, as ctr and nerdctl do. */
export function addressFromEnvironment(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const fromEnv = env.CONTAINERD_ADDRESS?.trim();
  return fromEnv ? fromEnv : undefined;
}
