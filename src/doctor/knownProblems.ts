// Known environment problems recognised in a tool's own output (a build task's log, a failed
// nerdctl or buildctl call): each becomes the doctor's finding for it, so the user is offered the
// fix at the moment the problem shows, not only when they think of running the doctor.
import { unreachableAdvice } from '../containerd/connection/unreachableAdvice';
import type { DoctorFinding } from './doctorCheck';

export const buildkitOffFix = 'Turn BuildKit on: remove DOCKER_BUILDKIT=0 from the environment (or set DOCKER_BUILDKIT=1), build with docker buildx build, or set "features": {"buildkit": true} in /etc/docker/daemon.json; this extension\'s nerdctl and buildctl backends always use BuildKit.';

export const overlayOnOverlayFix = 'Give containerd a directory that is not overlayfs: bind-mount a host directory at /var/lib/containerd (docker run -v /var/lib/containerd:/var/lib/containerd ...) or a volume there; or use another snapshotter: nerdctl --snapshotter=native (or fuse-overlayfs), or snapshotter = "native" in nerdctl.toml.';

export const introspectionFix = 'This containerd is too old for nerdctl (1.4.13 already answers Introspection.Server; older ones do not). Point nerdctl at a current containerd (1.6 or later), or upgrade the daemon; Docker\'s own containerd comes with Docker, so upgrade Docker, or use the docker CLI for it.';

export const binfmtFix = 'Register QEMU for the other platforms with binfmt_misc: sudo apt install qemu-user-static binfmt-support (Debian, Ubuntu), or docker run --privileged --rm tonistiigi/binfmt --install all; or build each platform on a machine of that platform.';

export const buildkitdFix = 'Start buildkitd (sudo buildkitd, or systemctl start buildkit; rootless: containerd-rootless-setuptool.sh install-buildkit), or point the containerd.buildkit.host setting (or BUILDKIT_HOST) at the one you run.';

interface Pattern {
  readonly test: RegExp;
  readonly finding: (line: string, match: RegExpExecArray, isRoot: boolean) => DoctorFinding;
}

/** The socket a Go "dial unix PATH: connect: ..." names, its leading slashes folded. */
function dialedSocket(match: RegExpExecArray): string {
  return `/${(match[1] ?? '').replace(/^\/+/, '')}`;
}

function isBuildkitSocket(path: string): boolean {
  return /buildkit/.test(path);
}

const patterns: readonly Pattern[] = [
  {
    // A containerd (grpc-go) says "unknown method Server for service ..."; a gRPC server of another
    // make (grpc-js) "The server does not implement the method /...Introspection/Server".
    test: /unknown method Server for service containerd\.services\.introspection\.v1\.Introspection|unknown method Server\b|does not implement the method \/containerd\.services\.introspection\.v1\.Introspection\/Server\b/,
    finding: (line) => ({ check: 'introspection', level: 'error', message: 'The containerd answering has no Introspection.Server method, which nerdctl calls first ("unknown method Server").', fix: introspectionFix, evidence: [line] }),
  },
  {
    // nerdctl run, ctr run: the shim's rootfs mount. A build's RUN step: BuildKit mounts the
    // snapshot itself and says only the mount and EINVAL (quotes escaped inside nerdctl's msg="...").
    test: /failed to mount rootfs component|fstype: overlay, flags: \d+, data: \\?"[^"\\]*upperdir=[^"\\]*\\?", err: invalid argument/,
    finding: (line) => ({ check: 'overlay', level: 'error', message: 'A container\'s root file system could not be mounted. Inside a container, this is overlayfs on overlayfs: containerd\'s overlayfs snapshotter keeps its layers on the container\'s own overlay file system, and the kernel refuses that mount ("invalid argument").', fix: overlayOnOverlayFix, evidence: [line] }),
  },
  {
    test: /--mount option requires BuildKit/,
    finding: (line) => ({ check: 'dockerBuilder', level: 'error', message: 'Docker\'s classic builder ran this build: BuildKit is off, and the classic builder does not know RUN --mount (nor other BuildKit syntax).', fix: buildkitOffFix, evidence: [line] }),
  },
  {
    test: /no buildkit host is available/,
    finding: (line) => ({ check: 'buildkitd', level: 'error', message: 'nerdctl found no buildkitd at any of the addresses it tries.', fix: buildkitdFix, evidence: [line] }),
  },
  {
    // gRPC's dial, or nerdctl's own check before it: cannot access containerd socket \"PATH\": ...
    test: /(?:dial unix |cannot access containerd socket \\?")(\/[^\s:"\\]+)\\?"?(?: \(hint: [^)]*\))?: (?:connect: )?permission denied/,
    finding: (line, match, isRoot) => {
      const socket = dialedSocket(match);
      return isBuildkitSocket(socket)
        ? { check: 'buildkitd', level: 'error', message: `Permission denied on buildkitd's socket ${socket}.`, fix: `The socket belongs to another user: run buildkitd rootless for your user (containerd-rootless-setuptool.sh install-buildkit), or use sudo, or give a group of yours access to ${socket}.`, evidence: [line] }
        : { check: 'endpoint', level: 'error', message: `Permission denied on containerd's socket ${socket}.`, fix: unreachableAdvice('permissionDenied', socket, isRoot), evidence: [line] };
    },
  },
  {
    // nerdctl run by a non-root user: rootless mode, whatever --address says (the uid decides).
    test: /rootless containerd not running\?/,
    finding: (line) => ({ check: 'rootless', level: 'error', message: 'nerdctl run as a non-root user drives only that user\'s rootless containerd (it never opens the system\'s socket, whatever --address says), and none is running.', fix: 'For the system\'s containerd, run nerdctl as root: set containerd.nerdctl.command to ["sudo", "nerdctl"] (a sudoers entry lets background calls run without a password). For a containerd of your own: containerd-rootless-setuptool.sh install.', evidence: [line] }),
  },
  {
    test: /(?:dial unix |cannot access containerd socket \\?")(\/[^\s:"\\]+)\\?"?(?: \(hint: [^)]*\))?: (?:connect: )?(?:no such file or directory|connection refused)/,
    finding: (line, match, isRoot) => {
      const socket = dialedSocket(match);
      const refused = /connection refused/.test(line);
      return isBuildkitSocket(socket)
        ? { check: 'buildkitd', level: 'error', message: `No buildkitd listens at ${socket}.`, fix: buildkitdFix, evidence: [line] }
        : { check: 'endpoint', level: 'error', message: `No containerd listens at ${socket}.`, fix: unreachableAdvice(refused ? 'refused' : 'notFound', socket, isRoot), evidence: [line] };
    },
  },
  {
    test: /exec format error/,
    finding: (line) => ({ check: 'binfmt', level: 'error', message: 'A program built for another platform could not run here ("exec format error"): no emulator is registered for it.', fix: binfmtFix, evidence: [line] }),
  },
];

/** The findings a tool's output shows, one per kind of problem (its first line as evidence). */
export function knownProblems(output: string, isRoot: boolean): DoctorFinding[] {
  const found: DoctorFinding[] = [];
  const seen = new Set<Pattern>();
  for (const line of output.split(/\r?\n|\r/)) {
    for (const pattern of patterns) {
      if (seen.has(pattern)) continue;
      const match = pattern.test.exec(line);
      if (!match) continue;
      seen.add(pattern);
      found.push(pattern.finding(line.trim(), match, isRoot));
    }
  }
  return found;
}
