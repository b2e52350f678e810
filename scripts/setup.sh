#!/usr/bin/env bash
# Installs everything `npm test` and `npm start` need on a fresh machine, and nothing twice.
# Phases: apt packages (bookworm), the Go-built tools (scripts/goTools.sh, in the background),
# containerd 1.7 (trixie) and 2.x (sid), dockerd with docker and buildx (sid), each extracted into
# a cache keyed by version, the code-server host, and the project's npm dependencies.
# Prints the versions it resolved and how long each phase took; writes the resolved paths to
# "$CACHE/components.json" so the tests and `npm start` find them without guessing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${VSCODE_CONTAINERD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vscode-containerd}
mkdir -p "$cache"
code_server_version=4.99.4

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
phase_start=0
phase() { phase_start=$(date +%s); log "phase: $1"; }
phase_done() { log "phase done: $1 in $(( $(date +%s) - phase_start ))s"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install these packages yourself or run as root)"; fi
}

# ---------- apt packages from the machine's own release ----------
apt_packages=(containerd runc containernetworking-plugins busybox-static chromium libkrb5-dev ripgrep
  docker-registry qemu-user-static binfmt-support golang-go delve ca-certificates openssl xz-utils sudo
  systemd rootlesskit uidmap slirp4netns)
phase "apt packages"
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
# The distribution's containerd service would compete with the private daemons; we never use it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q containerd 2>/dev/null; then
  log "note: the system containerd service is running; the tests use private daemons and leave it alone"
fi
log "containerd (bookworm): $(/usr/bin/containerd --version 2>/dev/null | awk '{print $3}')"
log "runc: $(runc --version | head -1 | awk '{print $3}')"
log "chromium: $(chromium --version 2>/dev/null || echo missing)"
# Rootless containerd (nerdctl's containerd-rootless.sh): RootlessKit, its network (slirp4netns) and
# the setuid newuidmap/newgidmap that map a user's /etc/subuid ranges into its user namespace.
log "rootlesskit: $(rootlesskit --version 2>/dev/null | awk '{print $3}'), slirp4netns: $(slirp4netns --version 2>/dev/null | awk 'NR==1 {print $3}')"
phase_done "apt packages"

# ---------- QEMU for arm64 RUN steps: multi-platform builds run them through binfmt_misc, which
# a fresh machine (a container especially) may not have mounted. Kernel-wide, so root only. ----------
phase "binfmt_misc (qemu-aarch64)"
binfmt=/proc/sys/fs/binfmt_misc
if [ "$(id -u)" -ne 0 ]; then
  log "not root: leaving binfmt_misc alone; arm64 RUN steps fail until root runs this set-up"
elif [ "$(dpkg-query -W -f='${Status}\n' qemu-user-static binfmt-support 2>/dev/null | grep -c 'install ok installed')" != 2 ]; then
  log "qemu-user-static or binfmt-support is not installed: arm64 RUN steps will fail"
else
  if [ ! -e "$binfmt/status" ]; then
    mount -t binfmt_misc binfmt_misc "$binfmt" \
      || die "cannot mount binfmt_misc on $binfmt (a container needs --privileged for it); arm64 RUN steps need it"
    log "mounted binfmt_misc on $binfmt"
  fi
  # The entry is missing on a fresh mount, and says "disabled" when someone turned it off.
  if [ "$(head -1 "$binfmt/qemu-aarch64" 2>/dev/null)" != enabled ]; then
    update-binfmts --enable qemu-aarch64 >&2 || die "update-binfmts --enable qemu-aarch64 failed"
    [ "$(head -1 "$binfmt/qemu-aarch64" 2>/dev/null)" = enabled ] \
      || die "update-binfmts ran but $binfmt/qemu-aarch64 is not enabled"
    log "enabled qemu-aarch64 in binfmt_misc"
  fi
  log "qemu-aarch64: $(head -1 "$binfmt/qemu-aarch64"), $(grep '^flags' "$binfmt/qemu-aarch64")"
fi
phase_done "binfmt_misc (qemu-aarch64)"

# ---------- Go-built tools (nerdctl, BuildKit, Delve, crictl): minutes when cold, so in the
# background while the other phases run; cached by version, so instant afterwards ----------
go_tools_json="$cache/go-tools.json"
go_tools_log="$cache/go-tools.log"
log "phase: Go tools (in the background; log: $go_tools_log)"
go_tools_started=$(date +%s)
bash "$repo/scripts/goTools.sh" "$cache" >"$go_tools_json.new" 2>"$go_tools_log" &
go_tools_pid=$!

# ---------- newer containerd releases from trixie and sid, without touching the system ----------
# The mirror is the one the machine already uses (read from its apt sources, never written here).
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | grep -E '/debian/?$' | head -1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | grep -E '/debian/?$' | head -1 || true)
fi
[ -n "$mirror" ] || die "cannot find the Debian mirror in /etc/apt/sources.list*"

# fetch_deb SUITE PACKAGE [ARCH] -> prints the folder the package was extracted into
fetch_deb() {
  local suite=$1 pkg=$2 arch=${3:-amd64}
  local dir="$cache/apt-$suite-$arch"
  mkdir -p "$dir/parts" "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
  cat >"$dir/parts/$suite.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local opts=(-oDir::Etc::SourceList=/dev/null -oDir::Etc::SourceParts="$dir/parts"
    -oDir::State::Lists="$dir/lists" -oDir::Cache="$dir/cache" -oDebug::NoLocking=1
    -oAPT::Architecture="$arch" -oAPT::Architectures="$arch")
  # Refresh the suite's index at most every 12 hours; fall back to the newest cached package offline.
  if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mmin -720 2>/dev/null | head -1)" ]; then
    apt-get "${opts[@]}" update -q >&2 || log "warning: could not refresh $suite's index"
  fi
  local version
  version=$(apt-cache "${opts[@]}" policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    local newest
    newest=$(ls -d "$cache/$pkg-$suite-$arch-"* 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$newest" ] || die "cannot resolve $pkg in $suite and nothing is cached"
    printf '%s\n' "$newest"; return
  fi
  local dest="$cache/$pkg-$suite-$arch-${version//[:~]/_}"
  if [ ! -f "$dest/.complete" ]; then
    rm -rf "$dest"
    (cd "$dir/debs" && rm -f "${pkg}"_*.deb && apt-get "${opts[@]}" download -q "$pkg" >&2)
    dpkg -x "$dir/debs/${pkg}"_*.deb "$dest"
    touch "$dest/.complete"
  fi
  printf '%s\n' "$dest"
}

phase "containerd 1.7 (trixie) and 2.x (sid)"
ctd17=$(fetch_deb trixie containerd)
ctd2=$(fetch_deb sid containerd)
v17=$("$ctd17/usr/bin/containerd" --version | awk '{print $3}')
v2=$("$ctd2/usr/bin/containerd" --version | awk '{print $3}')
log "containerd (trixie): $v17 in $ctd17"
log "containerd (sid): $v2 in $ctd2"
case "$v17" in v1.7.*|1.7.*) ;; *) die "trixie gave containerd $v17, expected 1.7.x" ;; esac
case "$v2" in v2.*|2.*) ;; *) die "sid gave containerd $v2, expected 2.x" ;; esac
phase_done "containerd 1.7 (trixie) and 2.x (sid)"

# dockerd and the docker CLI with its buildx plugin (the `buildx` build backend, built on dockerd's
# embedded BuildKit) from sid, each package in a folder of its own. docker.io holds dockerd and
# docker-proxy (its docker-init is a link to tini-static, another package); docker-cli holds docker;
# docker-buildx puts the plugin in /usr/libexec/docker/cli-plugins.
phase "dockerd, docker CLI and buildx (sid)"
dockerd_dir=$(fetch_deb sid docker.io)
docker_cli_dir=$(fetch_deb sid docker-cli)
buildx_dir=$(fetch_deb sid docker-buildx)
tini_dir=$(fetch_deb sid tini-static)
dockerd_bin=$dockerd_dir/usr/sbin/dockerd
docker_bin=$docker_cli_dir/usr/bin/docker
cli_plugins=$buildx_dir/usr/libexec/docker/cli-plugins
docker_init=$tini_dir/usr/bin/tini-static
for f in "$dockerd_bin" "$docker_bin" "$cli_plugins/docker-buildx" "$docker_init"; do
  [ -x "$f" ] || die "$f is missing or not executable (the sid package layout changed?)"
done
vdockerd=$("$dockerd_bin" --version) || die "$dockerd_bin --version failed"
vdocker=$("$docker_bin" --version) || die "$docker_bin --version failed"
vbuildx=$("$cli_plugins/docker-buildx" version) || die "$cli_plugins/docker-buildx version failed"
log "dockerd (sid): $vdockerd in $dockerd_dir"
log "docker CLI (sid): $vdocker in $docker_cli_dir"
log "docker-buildx (sid): $vbuildx in $buildx_dir"
log "docker-init (tini-static, sid): $("$docker_init" --version)"
# Build checks and --call=check need dockerd 27+ (BuildKit 0.15+) and buildx 0.15+.
at_least() { # at_least WHAT VERSION-TEXT MINIMUM
  local found
  found=$(grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' <<<"$2" | head -1)
  [ -n "$found" ] && [ "$(printf '%s\n%s\n' "$3" "$found" | sort -V | head -1)" = "$3" ] \
    || die "sid gave $1 '$2', expected $3 or newer"
}
at_least dockerd "$vdockerd" 27.0
at_least buildx "${vbuildx#github.com/docker/buildx }" 0.15
phase_done "dockerd, docker CLI and buildx (sid)"

# The sample and test images are multi-arch busybox built from Debian's static binaries.
phase "busybox-static arm64"
bb_arm64=$(fetch_deb bookworm busybox-static arm64)
[ -x "$bb_arm64/bin/busybox" ] || die "no arm64 busybox in $bb_arm64"
log "busybox arm64: $bb_arm64/bin/busybox"
phase_done "busybox-static arm64"

# ---------- code-server (a real VS Code) in a folder of its own ----------
phase "code-server $code_server_version"
cs="$cache/code-server-$code_server_version"
if [ ! -f "$cs/.complete" ]; then
  rm -rf "$cs"; mkdir -p "$cs"
  (
    cd "$cs"
    printf '{"name":"code-server-host","private":true}\n' >package.json
    npm install --no-audit --no-fund --ignore-scripts "code-server@$code_server_version" >&2
    cd node_modules/code-server/lib/vscode
    npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2
    # ripgrep's postinstall would download a binary: use Debian's instead.
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild >&2
    ln -sfn node_modules node_modules.asar
    cd "$cs"
    npm rebuild argon2 >&2
  )
  touch "$cs/.complete"
fi
log "code-server: $(node "$cs/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | head -1)"
phase_done "code-server $code_server_version"

log "waiting for the Go tools…"
if ! wait "$go_tools_pid"; then
  grep -v '^go: downloading' "$go_tools_log" | tail -20 >&2
  die "the Go tools did not build (log: $go_tools_log)"
fi
mv "$go_tools_json.new" "$go_tools_json"
grep '^\[setup\]' "$go_tools_log" >&2 || true
log "phase done: Go tools in $(( $(date +%s) - go_tools_started ))s"

cat >"$cache/components.json" <<EOF
{
  "containerd": {
    "1.6": "/usr/bin",
    "1.7": "$ctd17/usr/bin",
    "2.x": "$ctd2/usr/bin"
  },
  "runc": "$(command -v runc)",
  "cniBin": "/usr/lib/cni",
  "busybox": { "amd64": "/bin/busybox", "arm64": "$bb_arm64/bin/busybox" },
  "chromium": "$(command -v chromium)",
  "registry": "$(command -v docker-registry)",
  "openssl": "$(command -v openssl)",
  "codeServer": "$cs/node_modules/code-server/out/node/entry.js",
  "docker": {
    "dockerd": "$dockerd_bin",
    "docker": "$docker_bin",
    "cliPlugins": "$cli_plugins",
    "init": "$docker_init"
  },
  "tools": $(cat "$go_tools_json")
}
EOF
log "components written to $cache/components.json"

# ---------- the project's own npm dependencies ----------
phase "npm dependencies"
stamp="$repo/node_modules/.install-stamp"
if [ ! -f "$stamp" ] || [ "$repo/package-lock.json" -nt "$stamp" ]; then
  (cd "$repo" && npm ci --no-audit --no-fund >&2)
  touch "$stamp"
fi
phase_done "npm dependencies"

