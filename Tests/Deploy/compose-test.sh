#!/bin/bash
# Container deployment test: builds the Anvil image from prebuilt binaries, runs compose/compose.yaml
# with podman-compose (project anvil-ci, unusual ports, all on 127.0.0.1) and checks it end to end.
#
#   Tests/Deploy/compose-test.sh [BUILD_DIR]      # BUILD_DIR default .build/debug; run as root
#
# Prints PASS/FAIL lines; exits 0 iff every check passed. Cleans up (podman-compose down -v, the
# image it built) on exit; the base image localhost/debian:bookworm is kept as a cache.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$repo/.build/debug}" && pwd) || { echo "FAIL build directory ${1:-.build/debug} missing"; exit 1; }
project=anvil-ci
image=localhost/anvil:ci-test
base=localhost/debian:bookworm
compose_file=$repo/compose/compose.yaml
uuid=4c4c4544-0039-3010-8048-b7c04f4d3232
started=$(date +%s)
dist=$(mktemp -d /var/tmp/anvil-ci-dist.XXXXXX)   # the image's build context (compose/dist/ left alone)
failures=0
checks=0

pass() { checks=$((checks + 1)); echo "PASS $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
all_of() { local f; for f in "$@"; do "$f" || return 1; done; }
log() { echo "---- $* ($(($(date +%s) - started))s)"; }

# Unusual ports (< 32768), every listener on loopback, no traffic leaves 127.0.0.0/8.
export ANVIL_IMAGE=$image
export ANVIL_API_ENDPOINT=127.0.0.1 ANVIL_API_PORT=18081 ANVIL_METADATA_PORT=18082
export ANVIL_TFTP_PORT=16969 ANVIL_TFTP_ADDRESS=127.0.0.1
export ANVIL_TFTPD_HTTP_PORT=19069 ANVIL_BMCD_HTTP_PORT=19623 ANVIL_RECONCILER_HTTP_PORT=19080
export ANVIL_HTTP_ADDRESS=127.0.0.1 ANVIL_FAKE_POWER=true
export ANVIL_DEFAULT_ENVIRONMENT_URL=http://127.0.0.1:1/talos
ports="18081 18082 19069 19623 19080"

compose() { podman-compose -f "$compose_file" -p "$project" "$@"; }
project_containers() { podman ps -a --filter "label=io.podman.compose.project=$project" "$@"; }
# Every container of the project (also a killed or scaled replica), then the volumes.
remove_all() {
    local ids; ids=$(project_containers -q)
    [ -z "$ids" ] || podman rm -f $ids >/dev/null 2>&1
    compose down -v --remove-orphans >/dev/null 2>&1
}

cleanup() {
    log "cleanup"
    remove_all
    podman rmi -f "$image" >/dev/null 2>&1
    rm -rf "$dist"
    echo "RESULT $((checks - failures))/$checks checks passed in $(($(date +%s) - started))s"
}
trap cleanup EXIT

# ---- prerequisites (installed only when missing)
log "prerequisites"
missing=()
for tool in podman runc debootstrap curl python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null || { echo "FAIL apt-get install ${missing[*]}"; exit 1; }
fi
if ! command -v podman-compose >/dev/null || ! podman-compose version 2>/dev/null | grep -q 'podman-compose version 1\.[1-9]'; then
    pip3 install podman-compose==1.6.0 >/dev/null 2>&1 || pip3 install --break-system-packages podman-compose==1.6.0 >/dev/null \
        || { echo "FAIL pip install podman-compose==1.6.0"; exit 1; }
    hash -r
fi
if [ ! -f /etc/containers/containers.conf ]; then
    mkdir -p /etc/containers
    cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
fi
# Leftovers of an interrupted run.
remove_all

# ---- images
if ! podman image exists "$base"; then
    log "base image $base (debootstrap, once)"
    rootfs=$(mktemp -d /var/tmp/anvil-rootfs.XXXXXX)
    debootstrap --variant=minbase bookworm "$rootfs" >/dev/null || { echo "FAIL debootstrap"; rm -rf "$rootfs"; exit 1; }
    tar -C "$rootfs" -c . | podman import - "$base" >/dev/null || { echo "FAIL podman import"; rm -rf "$rootfs"; exit 1; }
    rm -rf "$rootfs"
fi
log "image $image from $build"
"$repo/compose/make-dist.sh" "$build" "$dist" || { echo "FAIL make-dist"; exit 1; }
# --format docker: the OCI format drops HEALTHCHECK.
if podman build -q --format docker --build-arg BASE="$base" -t "$image" -f "$repo/compose/Containerfile" "$dist" >/dev/null; then
    pass "image builds from the prebuilt binaries (make-dist.sh)"
else
    fail "image builds from the prebuilt binaries (make-dist.sh)"; exit 1
fi
check "image: runs as anvil, tftpd has cap_net_bind_service, iPXE present" \
    podman run --rm --entrypoint /bin/bash "$image" -c 2>/dev/null \
    'test "$(id -un)" = anvil && getcap /usr/local/bin/tftpd | grep -q cap_net_bind_service && ls /usr/lib/ipxe/undionly.kpxe >/dev/null'
check "image: no state in /var/lib/anvil" test -z "$(podman run --rm --entrypoint /bin/ls "$image" -A /var/lib/anvil)"

# ---- helpers
healthz() { curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$1/healthz"; }
wait_healthy() { # every port answers /healthz, every container's HEALTHCHECK passes
    local deadline=$(($(date +%s) + ${1:-60})) c p ok
    while [ "$(date +%s)" -lt "$deadline" ]; do
        ok=1
        for p in $ports; do healthz "$p" || { ok=0; break; }; done
        if [ $ok = 1 ]; then
            for c in $(podman ps -q --filter "label=io.podman.compose.project=$project"); do
                podman healthcheck run "$c" >/dev/null 2>&1 || { ok=0; break; }
            done
        fi
        [ $ok = 1 ] && return 0
        sleep 1
    done
    return 1
}
ctl() { podman exec -i "${project}_bmcd_1" anvil "$@"; }  # the CLI inside a container: state volume, anvil user
ipxe() { curl -fsS -m 3 "http://127.0.0.1:18081/ipxe?uuid=$uuid&mac=52:54:00:12:34:56&arch=x86_64"; }
ipxe_burst() { local i; for i in $(seq "$1"); do ipxe | grep -q '^#!ipxe' || return 1; done; }
bootd_running() { podman ps --filter "label=io.podman.compose.project=$project" --filter "label=io.podman.compose.service=bootd" -q | wc -l; }
# service labels of bootd replicas that answered /ipxe, from /metrics scraped through the shared port
replicas_seen() {
    local i
    for i in $(seq 80); do curl -fsS -m 2 http://127.0.0.1:18081/metrics; done |
        awk '/^anvil_http_requests_total\{.*route="ipxe",outcome="2xx"/ && $2 > 0 { match($0, /service="[^"]*"/); print substr($0, RSTART + 9, RLENGTH - 10) }' | sort -u
}

# ---- up
log "podman-compose up"
compose up -d >/dev/null 2>&1 || fail "podman-compose up"
check "every service healthy (/healthz on $ports, podman healthcheck)" wait_healthy 90
check "TFTP serves undionly.kpxe on 127.0.0.1:16969" \
    bash -c 'curl -fsS -m 10 -o /tmp/anvil-ci-undionly.kpxe tftp://127.0.0.1:16969/undionly.kpxe && test -s /tmp/anvil-ci-undionly.kpxe'
rm -f /tmp/anvil-ci-undionly.kpxe

log "anvil apply"
manifest=$(cat <<YAML
apiVersion: metal.sidero.dev/v1alpha2
kind: Environment
metadata:
  name: ci-env
spec:
  kernel:
    url: http://127.0.0.1:1/vmlinuz-amd64
    args: [console=ttyS0]
  initrd:
    url: http://127.0.0.1:1/initramfs-amd64.xz
---
apiVersion: metal.sidero.dev/v1alpha2
kind: Server
metadata:
  name: $uuid
  labels:
    rack: ci
spec:
  accepted: true
  hostname: ci-node-1
  environmentRef:
    name: ci-env
YAML
)
apply() { ctl apply -f - <<<"$manifest" >/dev/null; }
objects_present() { ctl get server "$uuid" -o name >/dev/null && ctl get env ci-env -o name >/dev/null; }
ipxe_ok() { ipxe | grep -q '^#!ipxe'; }
check "anvil apply Server + Environment (podman exec, state volume)" apply
check "anvil get server / env see them" objects_present
check "bootd answers /ipxe?uuid=… for the server" ipxe_ok

log "scale bootd=3"
compose up -d --scale bootd=3 >/dev/null 2>&1
check "3 bootd replicas running" test "$(bootd_running)" = 3
check "all healthy after scaling" wait_healthy 60
run=$(podman volume inspect "${project}_anvil-run" --format '{{.Mountpoint}}')
check "each replica has its own bus socket (bootd-r0/r1/r2.sock)" \
    test -S "$run/bootd-r0.sock" -a -S "$run/bootd-r1.sock" -a -S "$run/bootd-r2.sock"
check "60 /ipxe requests answered through the shared port" ipxe_burst 60
seen=$(replicas_seen | tr '\n' ' ')
check "every replica answered /ipxe (metrics: $seen)" test "$(wc -w <<<"$seen")" -ge 3

log "kill one replica"
victim=$(podman ps --filter "label=io.podman.compose.project=$project" --filter "label=io.podman.compose.service=bootd" --format '{{.Names}}' | sort | tail -1)
podman kill "$victim" >/dev/null 2>&1
check "requests still answered after killing $victim" ipxe_burst 40

log "logs"
bootd_logs=$(compose logs bootd 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')
check "podman-compose logs bootd has bootd lines" grep -q 'service=bootd' <<<"$bootd_logs"
check "podman-compose logs bootd has only bootd lines" \
    bash -c '! grep -v -e "service=bootd" -e "anvil-entrypoint: bootd" -e "^[[:space:]]*$" <<<"$1" | grep -q . ' _ "$(sed 's/^\[[a-z_0-9-]*\] *| *//' <<<"$bootd_logs")"

log "restart bmcd"
compose restart bmcd >/dev/null 2>&1 || podman restart "${project}_bmcd_1" >/dev/null
check "bmcd healthy after restart" wait_healthy 60
accepted() { ctl get server "$uuid" -o json | grep -q '"accepted" *: *true'; }
bmcd_up() { ctl status | grep -q '^bmcd  *up'; }
check "bmcd's view of the store intact after restart (server accepted, env present)" all_of accepted objects_present
check "anvil status: bmcd up" bmcd_up

log "down, up"
# --remove-orphans: podman-compose 1.6.0's plain down leaves the replicas beyond compose.yaml's scale.
compose down --remove-orphans >/dev/null 2>&1
left=$(project_containers --format '{{.Names}} {{.Status}}')
check "down removes every container${left:+ (left: $left)}" test -z "$left"
compose up -d >/dev/null 2>&1
check "healthy after down + up" wait_healthy 90
check "applied objects survive down + up (named volume)" objects_present
check "bootd answers /ipxe after down + up" ipxe_ok

[ "$failures" = 0 ]
