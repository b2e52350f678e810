// What to do about an endpoint that cannot be reached, per reason: shown next to the error.
import { parseAddress } from './address';
import { ContainerdUnreachableError, type UnreachableReason } from './errors';

export function unreachableAdvice(reason: UnreachableReason, address: string, isRoot: boolean): string {
  const parsed = parseAddress(address);
  const socketPath = parsed.ok ? parsed.socketPath : address;
  switch (reason) {
    case 'notFound':
      return 'Nothing listens there: start containerd (sudo systemctl start containerd), or set containerd.address to where your daemon listens.';
    case 'permissionDenied':
      return isRoot
        ? `Even root may not open ${socketPath}: check the socket's mode and any security module (SELinux, AppArmor).`
        : `The socket belongs to root. Run containerd rootless for your user (containerd-rootless-setuptool.sh install), or give a group of yours access: sudo chgrp <group> ${socketPath} && sudo chmod g+rw ${socketPath} (a containerd [grpc] gid setting makes it last across restarts).`;
    case 'refused':
      return 'The daemon stopped and left its socket behind: start containerd again; the explorer reconnects by itself.';
    case 'notContainerd':
      return "Something else listens there (Docker's API socket, for example). Docker's own containerd is /run/docker/containerd/containerd.sock.";
    case 'timeout':
      return 'The daemon accepted the connection but did not answer in time: it may be overloaded or stuck; a VM forwarding the socket may be paused.';
    case 'invalidAddress':
      return 'Use an absolute socket path such as /run/containerd/containerd.sock, or unix:///path.';
    case 'unknown':
      return 'See the containerd output channel for the full error.';
  }
}

/** What went wrong at an endpoint and, for an unreachable one, what to do: the error, then the fix. */
export function errorWithAdvice(error: Error, address: string, isRoot: boolean, separator = ' '): string {
  if (!(error instanceof ContainerdUnreachableError)) return error.message;
  return `${error.message}.${separator}${unreachableAdvice(error.reason, address, isRoot)}`;
}
