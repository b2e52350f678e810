// Where Docker's Engine socket is, next to Docker's containerd: the containerd.docker.host setting,
// else DOCKER_HOST when it is a unix socket, else Docker's default. A tcp:// or ssh:// Docker is
// not asked (its containers are not in a containerd here).

export type DockerSocket = { readonly socket: string; readonly source: 'setting' | 'DOCKER_HOST' | 'default' } | { readonly problem: string };

function unixPath(address: string): string | undefined {
  if (address.startsWith('unix://')) return address.slice('unix://'.length) || undefined;
  return address.startsWith('/') ? address : undefined;
}

export function dockerSocket(setting: string | undefined, env: Readonly<Record<string, string | undefined>>): DockerSocket {
  const configured = setting?.trim();
  if (configured) {
    const socket = unixPath(configured);
    return socket ? { socket, source: 'setting' } : { problem: `containerd.docker.host is "${configured}": give Docker's unix socket (unix:///var/run/docker.sock or a path)` };
  }
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) {
    const socket = unixPath(fromEnv);
    return socket ? { socket, source: 'DOCKER_HOST' } : { problem: `DOCKER_HOST is ${fromEnv}, not a unix socket: set containerd.docker.host to the socket of the Docker whose containerd this is` };
  }
  return { socket: '/var/run/docker.sock', source: 'default' };
}
