#!/usr/bin/env bash
# Builds the Go tools the tests and `npm start` drive (nerdctl 2.x and 1.7, BuildKit, a BuildKit
# daemon built for debugging, Delve, crictl) from the Go module proxy: pinned versions, each in a
# folder of the cache keyed by its version, built in parallel, never twice. Versions are stamped
# into the binaries (a tools module's main module reads "(devel)" otherwise).
# Usage: goTools.sh CACHE_DIR  -> prints a JSON object of the binaries' paths on stdout.
set -euo pipefail

cache=${1:?usage: goTools.sh CACHE_DIR}
buildkit_version=v0.32.2
nerdctl2_version=v2.3.5
nerdctl1_version=v1.7.7
dlv_version=v1.27.2
crictl_version=v1.37.0
min_go=1.26.3

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Debian's golang-go (1.19) comes first on PATH: the tools need the preinstalled newer Go.
go=${VSCODE_CONTAINERD_GO:-}
if [ -z "$go" ]; then
  for candidate in /usr/local/go/bin/go "$(command -v go 2>/dev/null || true)"; do
    [ -x "$candidate" ] || continue
    v=$("$candidate" env GOVERSION 2>/dev/null | sed 's/^go//')
    if [ "$(printf '%s\n%s\n' "$min_go" "$v" | sort -V | head -1)" = "$min_go" ]; then go=$candidate; break; fi
  done
fi
[ -n "$go" ] || die "Go >= $min_go is needed to build nerdctl, BuildKit, Delve and crictl (looked in /usr/local/go/bin and PATH; set VSCODE_CONTAINERD_GO to its go binary)"

export GOPATH="$cache/go" GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOTOOLCHAIN=local GOFLAGS=-modcacherw CGO_ENABLED=0
tools="$cache/go-tools"
mkdir -p "$tools" "$GOCACHE"

# build NAME VERSION MODULE "GO.MOD LINES" "BUILD FLAGS" PACKAGE... : builds each package into the tool's
# folder, once per version, from a module of our own that requires MODULE@VERSION and names the
# packages as tools. A module's replace and exclude directives bind only when it is the main
# module, so `go install pkg@version` refuses some (BuildKit's excludes, nerdctl's replace) and
# asks the proxy for version lists it does not serve; `go mod tidy` here needs neither. A
# prepare_NAME function, when defined, adds files to the module first (args: folder, version).
build() {
  local name=$1 version=$2 module=$3 extra=$4 flags=$5; shift 5
  local dest="$tools/$name-$version"
  [ -f "$dest/.complete" ] && return 0
  rm -rf "$dest"; mkdir -p "$dest/bin"
  local started; started=$(date +%s)
  {
    printf 'module vscode-containerd.local/tools/%s\n\ngo 1.26\n\nrequire %s %s\n%s\n' "$name" "$module" "$version" "$extra"
    for pkg in "$@"; do printf 'tool %s\n' "$pkg"; done
  } >"$dest/go.mod"
  local flag_words
  eval "flag_words=($flags)" # our own constants, quoted as a shell would read them
  if declare -F "prepare_$name" >/dev/null; then "prepare_$name" "$dest" "$version"; fi
  if ! (
    # -e: the packages' own tests import modules the binaries never need (and the proxy may not serve).
    cd "$dest" && "$go" mod tidy -e &&
    for pkg in "$@"; do
      "$go" build -o "bin/$(basename "$pkg")" "${flag_words[@]}" "$pkg" || exit 1
    done
  ) >"$dest/build.log" 2>&1; then
    tail -20 "$dest/build.log" >&2
    die "building $name $version failed (log: $dest/build.log)"
  fi
  touch "$dest/.complete"
  log "built $name $version in $(( $(date +%s) - started ))s"
}

buildkit_ldflags="-ldflags=-X=github.com/moby/buildkit/version.Version=$buildkit_version"
# Then a stripped buildkitd (no DWARF: what the debugger's preflight refuses): the same compiled
# packages, only linked again, so it follows in the same job and reuses the build cache.
build_buildkit() {
  build buildkit "$buildkit_version" github.com/moby/buildkit "" "$buildkit_ldflags" \
    github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl &&
  build buildkitd-stripped "$buildkit_version" github.com/moby/buildkit "" \
    "'-ldflags=-s -w -X=github.com/moby/buildkit/version.Version=$buildkit_version'" github.com/moby/buildkit/cmd/buildkitd
}
# No optimisation and no inlining: the buildkitd that Delve attaches to in the debugging tests;
# and one built -trimpath too, whose sources are module paths the debugger has to map.
build_buildkit_debug() {
  build buildkitd-debug "$buildkit_version" github.com/moby/buildkit "" "'-gcflags=all=-N -l' $buildkit_ldflags" \
    github.com/moby/buildkit/cmd/buildkitd
}
build_buildkit_trimpath() {
  build buildkitd-trimpath "$buildkit_version" github.com/moby/buildkit "" "-trimpath '-gcflags=all=-N -l' $buildkit_ldflags" \
    github.com/moby/buildkit/cmd/buildkitd
}
# nerdctl 2.x takes its test framework (module mod/tigron) from its own tree by a replace directive,
# and the proxy serves no version of that module. The binary's packages name one type of it (an
# interface in package tig, in a test helper's signature): a module of ours declares that type.
prepare_nerdctl() {
  case $2 in v2.*) ;; *) return 0 ;; esac
  mkdir -p "$1/tigron/tig"
  printf 'module github.com/containerd/nerdctl/mod/tigron\n\ngo 1.24\n' >"$1/tigron/go.mod"
  cat >"$1/tigron/tig/t.go" <<'GO'
// Package tig declares the one type of nerdctl's test framework that nerdctl's non-test packages
// name: the testing handle a helper takes. Written from its method set; nothing here runs.
package tig

type T interface {
	Helper()
	FailNow()
	Fail()
	Log(args ...any)
	Name() string
	TempDir() string
	Skip(args ...any)
}
GO
}
build_nerdctl2() {
  build nerdctl "$nerdctl2_version" github.com/containerd/nerdctl/v2 \
    "replace github.com/containerd/nerdctl/mod/tigron => ./tigron" \
    "-ldflags=-X=github.com/containerd/nerdctl/v2/pkg/version.Version=$nerdctl2_version" github.com/containerd/nerdctl/v2/cmd/nerdctl
}
build_nerdctl1() {
  build nerdctl "$nerdctl1_version" github.com/containerd/nerdctl "" \
    "-ldflags=-X=github.com/containerd/nerdctl/pkg/version.Version=$nerdctl1_version" github.com/containerd/nerdctl/cmd/nerdctl
}
build_dlv() { build dlv "$dlv_version" github.com/go-delve/delve "" "" github.com/go-delve/delve/cmd/dlv; }
build_crictl() {
  build crictl "$crictl_version" sigs.k8s.io/cri-tools "" "-ldflags=-X=sigs.k8s.io/cri-tools/pkg/version.Version=$crictl_version" \
    sigs.k8s.io/cri-tools/cmd/crictl
}

log "Go tools with $("$go" version | awk '{print $3}'), cached in $tools"
pids=()
names=(buildkit buildkit_debug buildkit_trimpath nerdctl2 nerdctl1 dlv crictl)
for name in "${names[@]}"; do
  "build_$name" & pids+=($!)
done
failed=()
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done
[ ${#failed[@]} -eq 0 ] || die "Go tools that did not build: ${failed[*]}"

# nerdctl's rootless launcher (containerd-rootless.sh, RootlessKit around containerd) is no Go
# package: it ships in the module's extras/. The pinned module is in the module cache once nerdctl
# built, so `go mod download` only names its folder (no network).
nerdctl_module=$(cd "$tools" && "$go" mod download -json "github.com/containerd/nerdctl/v2@$nerdctl2_version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
containerd_rootless=$nerdctl_module/extras/rootless/containerd-rootless.sh
[ -n "$nerdctl_module" ] && [ -f "$containerd_rootless" ] ||
  die "nerdctl $nerdctl2_version's module has no extras/rootless/containerd-rootless.sh (module folder: '${nerdctl_module}')"
log "containerd-rootless.sh (nerdctl $nerdctl2_version): $containerd_rootless"

cat <<EOF
{
  "nerdctl": { "2.x": "$tools/nerdctl-$nerdctl2_version/bin/nerdctl", "1.7": "$tools/nerdctl-$nerdctl1_version/bin/nerdctl" },
  "buildkitd": "$tools/buildkit-$buildkit_version/bin/buildkitd",
  "buildctl": "$tools/buildkit-$buildkit_version/bin/buildctl",
  "buildkitdDebug": "$tools/buildkitd-debug-$buildkit_version/bin/buildkitd",
  "buildkitdTrimpath": "$tools/buildkitd-trimpath-$buildkit_version/bin/buildkitd",
  "buildkitdStripped": "$tools/buildkitd-stripped-$buildkit_version/bin/buildkitd",
  "dlv": "$tools/dlv-$dlv_version/bin/dlv",
  "crictl": "$tools/crictl-$crictl_version/bin/crictl",
  "containerdRootless": "$containerd_rootless"
}
EOF
