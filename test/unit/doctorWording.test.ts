// What the doctor says, word for word, for the real tools' output of each known problem and for
// rootless set-ups and tools in every state: a person reads these lines and copies their fixes,
// so a changed word must be a decision (change the expectation below with it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binfmtFindings } from '../../src/doctor/binfmtChecks';
import { buildkitdFindings } from '../../src/doctor/buildkitdChecks';
import { cniFindings } from '../../src/doctor/cniChecks';
import { configurationFindings } from '../../src/doctor/configurationChecks';
import { endpointFindings } from '../../src/doctor/endpointChecks';
import { knownProblems } from '../../src/doctor/knownProblems';
import { rootlessFindings } from '../../src/doctor/rootlessChecks';
import { toolFindings } from '../../src/doctor/toolChecks';
import { binfmtCases, buildkitdCases, cniCases, configurationCases, endpointCases, rootlessCases, toolCases, toolLines } from './doctorWordingCases';

const expectedProblems = [
  [{"check":"endpoint","level":"error","message":"No containerd listens at /tmp/x/missing/containerd.sock.","fix":"Nothing listens there: start containerd (sudo systemctl start containerd), or set containerd.address to where your daemon listens.","evidence":["time=\"2026-12-01T02:00:00Z\" level=fatal msg=\"cannot access containerd socket \\\"/tmp/x/missing/containerd.sock\\\": no such file or directory\""]}],
  [{"check":"endpoint","level":"error","message":"Permission denied on containerd's socket /run/containerd/containerd.sock.","fix":"The socket belongs to root. Run containerd rootless for your user (containerd-rootless-setuptool.sh install), or give a group of yours access: sudo chgrp <group> /run/containerd/containerd.sock && sudo chmod g+rw /run/containerd/containerd.sock (a containerd [grpc] gid setting makes it last across restarts).","evidence":["time=\"2026-12-01T02:00:00Z\" level=fatal msg=\"cannot access containerd socket \\\"/run/containerd/containerd.sock\\\" (hint: try running with `--address /var/run/docker/containerd/containerd.sock` to connect to Docker-managed containerd): permission denied\""]}],
  [{"check":"endpoint","level":"error","message":"No containerd listens at /tmp/x/containerd.sock.","fix":"The daemon stopped and left its socket behind: start containerd again; the explorer reconnects by itself.","evidence":["ctr: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial unix /tmp/x/containerd.sock: connect: connection refused\""]}],
  [{"check":"rootless","level":"error","message":"nerdctl run as a non-root user drives only that user's rootless containerd (it never opens the system's socket, whatever --address says), and none is running.","fix":"For the system's containerd, run nerdctl as root: set containerd.nerdctl.command to [\"sudo\", \"nerdctl\"] (a sudoers entry lets background calls run without a password). For a containerd of your own: containerd-rootless-setuptool.sh install.","evidence":["time=\"x\" level=fatal msg=\"rootless containerd not running? (hint: use `containerd-rootless-setuptool.sh install` to start rootless containerd): stat /run/user/1004/containerd-rootless: no such file or directory\""]}],
  [{"check":"introspection","level":"error","message":"The containerd answering has no Introspection.Server method, which nerdctl calls first (\"unknown method Server\").","fix":"This containerd is too old for nerdctl (1.4.13 already answers Introspection.Server; older ones do not). Point nerdctl at a current containerd (1.6 or later), or upgrade the daemon; Docker's own containerd comes with Docker, so upgrade Docker, or use the docker CLI for it.","evidence":["time=\"x\" level=fatal msg=\"The server does not implement the method /containerd.services.introspection.v1.Introspection/Server\""]}],
  [{"check":"introspection","level":"error","message":"The containerd answering has no Introspection.Server method, which nerdctl calls first (\"unknown method Server\").","fix":"This containerd is too old for nerdctl (1.4.13 already answers Introspection.Server; older ones do not). Point nerdctl at a current containerd (1.6 or later), or upgrade the daemon; Docker's own containerd comes with Docker, so upgrade Docker, or use the docker CLI for it.","evidence":["FATA[0000] rpc error: code = Unimplemented desc = unknown method Server for service containerd.services.introspection.v1.Introspection"]}],
  [{"check":"overlay","level":"error","message":"A container's root file system could not be mounted. Inside a container, this is overlayfs on overlayfs: containerd's overlayfs snapshotter keeps its layers on the container's own overlay file system, and the kernel refuses that mount (\"invalid argument\").","fix":"Give containerd a directory that is not overlayfs: bind-mount a host directory at /var/lib/containerd (docker run -v /var/lib/containerd:/var/lib/containerd ...) or a volume there; or use another snapshotter: nerdctl --snapshotter=native (or fuse-overlayfs), or snapshotter = \"native\" in nerdctl.toml.","evidence":["#5 ERROR: process \"/bin/sh -c echo built\" did not complete successfully: mount source: \"overlay\", target: \"/x/cachemounts/buildkit1\", fstype: overlay, flags: 0, data: \"workdir=/w,upperdir=/u,lowerdir=/l,index=off,redirect_dir=off\", err: invalid argument"]}],
  [{"check":"overlay","level":"error","message":"A container's root file system could not be mounted. Inside a container, this is overlayfs on overlayfs: containerd's overlayfs snapshotter keeps its layers on the container's own overlay file system, and the kernel refuses that mount (\"invalid argument\").","fix":"Give containerd a directory that is not overlayfs: bind-mount a host directory at /var/lib/containerd (docker run -v /var/lib/containerd:/var/lib/containerd ...) or a volume there; or use another snapshotter: nerdctl --snapshotter=native (or fuse-overlayfs), or snapshotter = \"native\" in nerdctl.toml.","evidence":["time=\"x\" level=fatal msg=\"failed to create shim task: failed to mount rootfs component: mount source: \\\"overlay\\\", target: \\\"/r\\\", fstype: overlay, flags: 0, data: \\\"workdir=/w,upperdir=/u,lowerdir=/l,index=off\\\", err: invalid argument\""]}],
  [{"check":"dockerBuilder","level":"error","message":"Docker's classic builder ran this build: BuildKit is off, and the classic builder does not know RUN --mount (nor other BuildKit syntax).","fix":"Turn BuildKit on: remove DOCKER_BUILDKIT=0 from the environment (or set DOCKER_BUILDKIT=1), build with docker buildx build, or set \"features\": {\"buildkit\": true} in /etc/docker/daemon.json; this extension's nerdctl and buildctl backends always use BuildKit.","evidence":["the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"]}],
  [{"check":"buildkitd","level":"error","message":"nerdctl found no buildkitd at any of the addresses it tries.","fix":"Start buildkitd (sudo buildkitd, or systemctl start buildkit; rootless: containerd-rootless-setuptool.sh install-buildkit), or point the containerd.buildkit.host setting (or BUILDKIT_HOST) at the one you run.","evidence":["time=\"x\" level=fatal msg=\"no buildkit host is available, tried 3 candidates: failed to ping to host unix:///run/buildkit-x/buildkitd.sock: exit status 1\\n\""]}],
  [{"check":"buildkitd","level":"error","message":"Permission denied on buildkitd's socket /run/buildkit/buildkitd.sock.","fix":"The socket belongs to another user: run buildkitd rootless for your user (containerd-rootless-setuptool.sh install-buildkit), or use sudo, or give a group of yours access to /run/buildkit/buildkitd.sock.","evidence":["error: failed to list workers: Unavailable: connection error: desc = \"transport: Error while dialing: dial unix /run/buildkit/buildkitd.sock: connect: permission denied\""]}],
  [{"check":"buildkitd","level":"error","message":"No buildkitd listens at /run/buildkit/buildkitd.sock.","fix":"Start buildkitd (sudo buildkitd, or systemctl start buildkit; rootless: containerd-rootless-setuptool.sh install-buildkit), or point the containerd.buildkit.host setting (or BUILDKIT_HOST) at the one you run.","evidence":["error: failed to list workers: Unavailable: connection error: desc = \"transport: Error while dialing: dial unix ///run/buildkit/buildkitd.sock: connect: no such file or directory\""]}],
  [{"check":"binfmt","level":"error","message":"A program built for another platform could not run here (\"exec format error\"): no emulator is registered for it.","fix":"Register QEMU for the other platforms with binfmt_misc: sudo apt install qemu-user-static binfmt-support (Debian, Ubuntu), or docker run --privileged --rm tonistiigi/binfmt --install all; or build each platform on a machine of that platform.","evidence":["#5 0.160 exec /hello: exec format error"]}],
  [],
  [],
  [],
  [],
];
const expectedRootless = [
  [
    {"check":"rootless","level":"ok","message":"Rootless containerd runs: RootlessKit's child is PID 42; its socket is /proc/42/root/run/containerd/containerd.sock.","fix":"","evidence":["/run/user/1000/containerd-rootless/child_pid"]},
    {"check":"rootless","level":"ok","message":"newuidmap: /usr/bin/newuidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"newgidmap: /usr/bin/newgidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subuid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subgid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"ok","message":"cgroup v2 with cpu, io, memory, pids delegated.","fix":"","evidence":["/c"]},
    {"check":"rootless","level":"ok","message":"Lingering is on for alice: rootless containerd keeps running after you log out.","fix":""},
  ],
  [
    {"check":"rootless","level":"error","message":"XDG_RUNTIME_DIR is not set: rootless containerd, buildkitd and nerdctl keep their sockets and RootlessKit's state there.","fix":"Log in through a PAM session (systemd-logind sets it), or create /run/user/1000 (owned by you, mode 0700) and export XDG_RUNTIME_DIR=/run/user/1000 before starting VS Code."},
    {"check":"rootless","level":"error","message":"newuidmap is missing: RootlessKit needs it to map your subordinate ids into the user namespace.","fix":"Install it: sudo apt install uidmap (Debian, Ubuntu), sudo dnf install shadow-utils (Fedora)."},
    {"check":"rootless","level":"warning","message":"/usr/sbin/newgidmap is not setuid root: unless it carries the cap_setgid file capability (getcap /usr/sbin/newgidmap), it cannot map other ids.","fix":"sudo chmod u+s /usr/sbin/newgidmap, or sudo setcap cap_setgid+ep /usr/sbin/newgidmap.","evidence":["/usr/sbin/newgidmap"]},
    {"check":"rootless","level":"error","message":"/etc/subuid has no range for alice: RootlessKit cannot map any id but yours, so images with other owners cannot be unpacked.","fix":"Give alice a range no other user has: sudo usermod --add-subuids 165536-231071 alice (then restart rootless containerd).","evidence":["no line for alice or 1000"]},
    {"check":"rootless","level":"warning","message":"/etc/subgid gives alice only 10 ids: files owned by ids above that (common in images) cannot be unpacked.","fix":"Give alice a range no other user has: sudo usermod --add-subgids 100010-165545 alice (then restart rootless containerd).","evidence":["10 ids"]},
    {"check":"rootless","level":"warning","message":"cgroup v1: a rootless runc cannot create cgroups, so rootless containers get no limits (--memory, --cpus, --pids-limit) and need --cgroup-manager=none (or a spec without cgroups) to start.","fix":"Boot with cgroup v2 (the unified hierarchy): add systemd.unified_cgroup_hierarchy=1 to the kernel command line; current distributions default to it.","evidence":["/sys/fs/cgroup: cgroup v1 hierarchies"]},
    {"check":"rootless","level":"warning","message":"PID 1 is unknown, not systemd: containerd-rootless-setuptool.sh cannot install your user service, nothing restarts rootless containerd, and nobody delegates cgroups to you.","fix":"Start rootless containerd yourself: containerd-rootless.sh (from nerdctl's extras/rootless) with XDG_RUNTIME_DIR set, from your shell profile or a supervisor.","evidence":["/proc/1/comm: unreadable"]},
    {"check":"rootless","level":"info","message":"Lingering is systemd-logind's: it does not apply without systemd.","fix":""},
  ],
  [
    {"check":"rootless","level":"error","message":"/run/user/1000/containerd-rootless/child_pid cannot be read: denied.","fix":"Check the file's owner and mode (RootlessKit writes it as you)."},
    {"check":"rootless","level":"warning","message":"/opt/newuidmap is not setuid root: unless it carries the cap_setuid file capability (getcap /opt/newuidmap), it cannot map other ids.","fix":"sudo chmod u+s /opt/newuidmap, or sudo setcap cap_setuid+ep /opt/newuidmap.","evidence":["/opt/newuidmap"]},
    {"check":"rootless","level":"ok","message":"newgidmap: /usr/bin/newgidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subuid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subgid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"warning","message":"cgroup v2, but cpu, io, memory, pids are not delegated to alice: rootless containers cannot be limited in them.","fix":"Delegate them: sudo mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload; then log in again.","evidence":["cgroup.controllers: (empty)"]},
    {"check":"rootless","level":"warning","message":"Lingering is off for alice: your user services, rootless containerd among them, stop when your last session ends and start only at your next login.","fix":"sudo loginctl enable-linger alice","evidence":["no /var/lib/systemd/linger/alice"]},
  ],
  [
    {"check":"rootless","level":"error","message":"/run/user/1000/containerd-rootless/child_pid names PID 9, which no longer runs: rootless containerd stopped and left its state behind.","fix":"Start it again: systemctl --user restart containerd, or containerd-rootless.sh.","evidence":["/run/user/1000/containerd-rootless/child_pid"]},
    {"check":"rootless","level":"ok","message":"newuidmap: /usr/bin/newuidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"newgidmap: /usr/bin/newgidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subuid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subgid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"warning","message":"cgroup is not mounted: a rootless runc cannot create cgroups, so rootless containers get no limits (--memory, --cpus, --pids-limit) and need --cgroup-manager=none (or a spec without cgroups) to start.","fix":"Boot with cgroup v2 (the unified hierarchy): add systemd.unified_cgroup_hierarchy=1 to the kernel command line; current distributions default to it.","evidence":["/sys/fs/cgroup: no cgroup file system"]},
    {"check":"rootless","level":"warning","message":"PID 1 is process_api, not systemd: containerd-rootless-setuptool.sh cannot install your user service, nothing restarts rootless containerd, and nobody delegates cgroups to you.","fix":"Start rootless containerd yourself: containerd-rootless.sh (from nerdctl's extras/rootless) with XDG_RUNTIME_DIR set, from your shell profile or a supervisor.","evidence":["/proc/1/comm: process_api"]},
    {"check":"rootless","level":"info","message":"Lingering is systemd-logind's: it does not apply without systemd.","fix":""},
  ],
  [
    {"check":"rootless","level":"info","message":"No rootless containerd runs for alice (/run/user/1000/containerd-rootless/child_pid does not exist).","fix":"To run one: containerd-rootless-setuptool.sh install (with systemd), or containerd-rootless.sh; the explorer finds it by itself."},
    {"check":"rootless","level":"ok","message":"newuidmap: /usr/bin/newuidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"newgidmap: /usr/bin/newgidmap (setuid).","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subuid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"ok","message":"/etc/subgid: 65536 ids for alice.","fix":""},
    {"check":"rootless","level":"warning","message":"cgroup v2, but cpu, io, memory, pids are not delegated to alice: rootless containers cannot be limited in them.","fix":"Delegate them: sudo mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload; then log in again.","evidence":["cgroup.controllers: (empty)"]},
    {"check":"rootless","level":"ok","message":"Lingering is on for alice: rootless containerd keeps running after you log out.","fix":""},
  ],
];
const expectedTools = [
  {"check":"tools","level":"warning","message":"nerdctl (nerdctl) cannot be run: not found (spawn nerdctl ENOENT). It is needed for the run, logs, exec, image and compose commands.","fix":"Install nerdctl (github.com/containerd/nerdctl releases; the \"full\" archive brings CNI plugins and BuildKit too), or set containerd.nerdctl.command to where it is."},
  {"check":"tools","level":"warning","message":"buildctl (sudo buildctl) cannot be run: exit 1: boom. It is needed for the Builders view and build tasks with the buildctl backend.","fix":"Install BuildKit (github.com/moby/buildkit releases), which brings buildctl and buildkitd, or set containerd.buildctl.command to where it is."},
  {"check":"tools","level":"info","message":"dlv (/opt/dlv) cannot be run: exit 1: boom. It is needed for debugging buildkitd.","fix":"Build it with go install github.com/go-delve/delve/cmd/dlv@latest, or install your distribution's delve package, or set containerd.debug.dlvPath to where it is."},
  {"check":"tools","level":"ok","message":"crictl: crictl version v1.37.0 (crictl).","fix":""},
  {"check":"tools","level":"warning","message":"nerdctl 0.9.1 is too old for these commands (they need nerdctl 1.0 or later; the extension is tested with 1.7 and 2.x): install a current nerdctl (https://github.com/containerd/nerdctl/releases), or set containerd.nerdctl.command in your user settings to a newer one.","fix":"","evidence":["nerdctl version 0.9.1"]},
];
const expectedEndpoints = [
  [
    {"check":"endpoint","level":"info","message":"No containerd at the default address /run/containerd/containerd.sock; the explorer uses the daemons that answer.","fix":"","evidence":["Cannot reach containerd at /run/containerd/containerd.sock: no such file (notFound detail)"]},
    {"check":"endpoint","level":"ok","message":"k3s (/run/k3s/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown"]},
  ],
  [
    {"check":"endpoint","level":"error","message":"/run/containerd/containerd.sock: Cannot reach containerd at /run/containerd/containerd.sock: permission denied (permissionDenied detail)","fix":"The socket belongs to root. Run containerd rootless for your user (containerd-rootless-setuptool.sh install), or give a group of yours access: sudo chgrp <group> /run/containerd/containerd.sock && sudo chmod g+rw /run/containerd/containerd.sock (a containerd [grpc] gid setting makes it last across restarts).","evidence":["Cannot reach containerd at /run/containerd/containerd.sock: permission denied (permissionDenied detail)"]},
    {"check":"endpoint","level":"ok","message":"k3s (/run/k3s/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown"]},
  ],
  [
    {"check":"endpoint","level":"error","message":"k3s (/run/k3s/containerd/containerd.sock): Cannot reach containerd at /run/k3s/containerd/containerd.sock: no such file (notFound detail)","fix":"Nothing listens there: start containerd (sudo systemctl start containerd), or set containerd.address to where your daemon listens.","evidence":["Cannot reach containerd at /run/k3s/containerd/containerd.sock: no such file (notFound detail)"]},
    {"check":"endpoint","level":"ok","message":"rootful (/run/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown"]},
  ],
  [
    {"check":"endpoint","level":"error","message":"/run/containerd/containerd.sock: Cannot reach containerd at /run/containerd/containerd.sock: no such file (notFound detail)","fix":"Nothing listens there: start containerd (sudo systemctl start containerd), or set containerd.address to where your daemon listens.","evidence":["Cannot reach containerd at /run/containerd/containerd.sock: no such file (notFound detail)"]},
    {"check":"endpoint","level":"error","message":"k3s (/run/k3s/containerd/containerd.sock): Cannot reach containerd at /run/k3s/containerd/containerd.sock: connection refused (stale socket: nothing is listening) (refused detail)","fix":"The daemon stopped and left its socket behind: start containerd again; the explorer reconnects by itself.","evidence":["Cannot reach containerd at /run/k3s/containerd/containerd.sock: connection refused (stale socket: nothing is listening) (refused detail)"]},
  ],
  [
    {"check":"endpoint","level":"ok","message":"rootful (/run/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown","Introspection.Server: failed (timed out)","snapshotters: native"]},
    {"check":"overlay","level":"error","message":"rootful (/run/containerd/containerd.sock): the overlayfs snapshotter did not start (no reason given), so nothing can be unpacked or run with it.","fix":"Use another snapshotter: nerdctl --snapshotter=native (or fuse-overlayfs), or snapshotter = \"native\" in nerdctl.toml; the error says why the kernel or file system refused overlayfs.","evidence":["/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs is on xfs (mounted at /var/lib/containerd, per /proc/7/mountinfo)"]},
  ],
  [
    {"check":"endpoint","level":"ok","message":"rootful (/run/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown","Introspection.Server: yes (pid 7)","snapshotters: none working"]},
    {"check":"overlay","level":"error","message":"rootful (/run/containerd/containerd.sock): the overlayfs snapshotter keeps its layers on an overlayfs mount (containerd runs inside a container whose /var/lib/containerd is not a bind mount): containers fail to start with \"failed to mount rootfs component: invalid argument\".","fix":"Give containerd a directory that is not overlayfs: bind-mount a host directory at /var/lib/containerd (docker run -v /var/lib/containerd:/var/lib/containerd ...) or a volume there; or use another snapshotter: nerdctl --snapshotter=native (or fuse-overlayfs), or snapshotter = \"native\" in nerdctl.toml.","evidence":["/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs is on overlay (mounted at /var/lib/containerd, per /proc/7/mountinfo)","overlayfs snapshotter: failed"]},
  ],
  [
    {"check":"endpoint","level":"ok","message":"rootful (/run/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown","Introspection.Server: yes","snapshotters: none working"]},
  ],
  [
    {"check":"endpoint","level":"ok","message":"rootful (/run/containerd/containerd.sock): containerd v1.7.24 answers, 0 namespaces.","fix":"","evidence":["revision unknown","Introspection.Server: not implemented","snapshotters: overlayfs"]},
    {"check":"introspection","level":"error","message":"rootful (/run/containerd/containerd.sock) does not implement Introspection.Server: nerdctl fails there with \"unknown method Server: not implemented\" (the explorer still works).","fix":"This containerd is too old for nerdctl (1.4.13 already answers Introspection.Server; older ones do not). Point nerdctl at a current containerd (1.6 or later), or upgrade the daemon; Docker's own containerd comes with Docker, so upgrade Docker, or use the docker CLI for it.","evidence":["x"]},
  ],
];
const expectedBinfmt = [
  [
    {"check":"binfmt","level":"info","message":"No build task in this workspace names a platform; this host runs linux/amd64, and emulates aarch64.","fix":"","evidence":["/b: qemu-aarch64"]},
  ],
  [
    {"check":"binfmt","level":"ok","message":"Every platform the build tasks name can run here: linux/amd64, linux/386.","fix":"","evidence":["/b: qemu-aarch64"]},
  ],
  [
    {"check":"binfmt","level":"ok","message":"Every platform the build tasks name can run here: linux/arm64, linux/amd64 (linux/arm64 through QEMU).","fix":"","evidence":["/b: qemu-aarch64"]},
  ],
  [
    {"check":"binfmt","level":"info","message":"No build task in this workspace names a platform; this host runs linux/arm64.","fix":"","evidence":["/b: no QEMU handler enabled"]},
  ],
];
const expectedCni = [
  [
    {"check":"cni","level":"ok","message":"CNI plugins for nerdctl's bridge network are in /usr/lib/cni.","fix":"","evidence":["/usr/lib/cni (the first of nerdctl's folders that exists): bridge, portmap, firewall, tuning, host-local"]},
  ],
  [
    {"check":"cni","level":"warning","message":"nerdctl's default bridge network needs bridge, portmap, firewall, tuning, host-local in /opt/cni/bin, which are missing: nerdctl run fails there unless given --network host or none.","fix":"Install the CNI plugins (Debian: apt install containernetworking-plugins, into /usr/lib/cni; or nerdctl's \"full\" archive into /opt/cni/bin), or point CNI_PATH or nerdctl.toml's cni_path at the folder holding them.","evidence":["/opt/cni/bin (none of nerdctl's folders exists, so its default): none of the plugins"]},
  ],
  [
    {"check":"cni","level":"warning","message":"nerdctl's default bridge network needs portmap, firewall, tuning in /x, which are missing: nerdctl run fails there unless given --network host or none.","fix":"Install the CNI plugins (Debian: apt install containernetworking-plugins, into /usr/lib/cni; or nerdctl's \"full\" archive into /opt/cni/bin), or point CNI_PATH or nerdctl.toml's cni_path at the folder holding them.","evidence":["/x (from nerdctl.toml's cni_path): bridge, host-local"]},
  ],
  [
    {"check":"cni","level":"warning","message":"nerdctl's default bridge network needs tuning in /y, which is missing: nerdctl run fails there unless given --network host or none.","fix":"Install the CNI plugins (Debian: apt install containernetworking-plugins, into /usr/lib/cni; or nerdctl's \"full\" archive into /opt/cni/bin), or point CNI_PATH or nerdctl.toml's cni_path at the folder holding them.","evidence":["/y (from CNI_PATH): bridge, portmap, firewall, host-local"]},
  ],
];
const expectedConfiguration = [
  [
    {"check":"configuration","level":"info","message":"No nerdctl.toml at /etc/nerdctl/nerdctl.toml: nerdctl uses its defaults.","fix":""},
    {"check":"configuration","level":"info","message":"None of the tools' environment variables is set.","fix":"","evidence":[]},
  ],
  [
    {"check":"configuration","level":"info","message":"nerdctl.toml at /t.toml.","fix":"","evidence":["address = /a.sock","namespace = k8s.io","snapshotter = native","data_root = /d","hosts_dir = /h","cni_path = /c","cni_netconfpath = /n"]},
    {"check":"configuration","level":"info","message":"Environment in effect: CONTAINERD_ADDRESS, DOCKER_BUILDKIT.","fix":"","evidence":["CONTAINERD_ADDRESS=/a.sock","DOCKER_BUILDKIT=0"]},
    {"check":"dockerBuilder","level":"warning","message":"DOCKER_BUILDKIT=0 is set: docker build uses the classic builder, which fails on RUN --mount and other BuildKit syntax (\"the --mount option requires BuildKit\").","fix":"Turn BuildKit on: remove DOCKER_BUILDKIT=0 from the environment (or set DOCKER_BUILDKIT=1), build with docker buildx build, or set \"features\": {\"buildkit\": true} in /etc/docker/daemon.json; this extension's nerdctl and buildctl backends always use BuildKit.","evidence":["DOCKER_BUILDKIT=0"]},
  ],
  [
    {"check":"configuration","level":"info","message":"nerdctl.toml at /t.toml sets none of the keys the extension reads.","fix":"","evidence":[]},
    {"check":"configuration","level":"info","message":"Environment in effect: DOCKER_BUILDKIT.","fix":"","evidence":["DOCKER_BUILDKIT=1"]},
  ],
];
const expectedBuildkitd = [
  [
    {"check":"buildkitd","level":"warning","message":"No buildkitd where nerdctl looks for namespace default: builds with nerdctl or buildctl cannot run.","fix":"Start buildkitd (sudo buildkitd, or systemctl start buildkit; rootless: containerd-rootless-setuptool.sh install-buildkit), or point the containerd.buildkit.host setting (or BUILDKIT_HOST) at the one you run.","evidence":["unix:///run/buildkit/buildkitd.sock (shared): no socket"]},
  ],
  [
    {"check":"buildkitd","level":"ok","message":"buildkitd v0.32.2 answers at unix:///a (namespace): 2 workers, platforms linux/amd64, linux/arm64.","fix":"","evidence":["unix:///a (namespace): socket present","tcp://b:1234 (setting): not a unix socket, asked directly","unix:///c (default): socket present"]},
    {"check":"buildkitd","level":"error","message":"buildkitd at tcp://b:1234 does not answer: no answer.","fix":"Start buildkitd (sudo buildkitd, or systemctl start buildkit; rootless: containerd-rootless-setuptool.sh install-buildkit), or point the containerd.buildkit.host setting (or BUILDKIT_HOST) at the one you run.","evidence":["unix:///a (namespace): socket present","tcp://b:1234 (setting): not a unix socket, asked directly","unix:///c (default): socket present"]},
    {"check":"buildkitd","level":"info","message":"A socket is at unix:///c, but buildctl could not be run to ask it.","fix":"Install buildctl, or set containerd.buildctl.command (see Tools).","evidence":["unix:///a (namespace): socket present","tcp://b:1234 (setting): not a unix socket, asked directly","unix:///c (default): socket present"]},
  ],
];

test('known problems: the finding of each real tool line, word for word, and none for the near misses', () => {
  assert.equal(expectedProblems.length, toolLines.length);
  for (const [i, line] of toolLines.entries()) assert.deepEqual(knownProblems(line, false), expectedProblems[i], line);
});

test('rootless: every state of every prerequisite, word for word', () => {
  assert.equal(expectedRootless.length, rootlessCases.length);
  for (const [i, facts] of rootlessCases.entries()) assert.deepEqual(rootlessFindings(facts), expectedRootless[i], `case ${i}`);
});

test('tools: missing, failing, found and too old, word for word', () => {
  assert.deepEqual(toolFindings(toolCases), expectedTools);
});

test('endpoints: quiet only for the absent default beside a daemon that answers; Server, snapshotters and overlay in each state, word for word', () => {
  assert.equal(expectedEndpoints.length, endpointCases.length);
  for (const [i, facts] of endpointCases.entries()) assert.deepEqual(endpointFindings(facts, false), expectedEndpoints[i], `case ${i}`);
});

test('binfmt, CNI, configuration and buildkitd in each state, word for word', () => {
  assert.deepEqual(binfmtCases.map(binfmtFindings), expectedBinfmt);
  assert.deepEqual(cniCases.map(cniFindings), expectedCni);
  assert.deepEqual(configurationCases.map(configurationFindings), expectedConfiguration);
  assert.deepEqual(buildkitdCases.map(buildkitdFindings), expectedBuildkitd);
});
