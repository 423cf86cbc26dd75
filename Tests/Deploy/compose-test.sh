#!/bin/bash
# Container deployment test: builds the Anvil image from prebuilt binaries, runs compose/compose.yaml
# with a compose implementation (unusual ports, all on 127.0.0.1) and checks it end to end.
#
#   Tests/Deploy/compose-test.sh [BUILD_DIR [AGENT_DIR]]    # run as root
#   ANVIL_COMPOSE=docker-compose Tests/Deploy/compose-test.sh …
#
# ANVIL_COMPOSE: podman-compose (default; 1.6.0 from PyPI) or docker-compose (Docker's Compose,
# Debian's 1.29.2, driving podman's Docker-compatible API service, which the test starts on a socket
# of its own: no Docker engine runs on this machine kind). Same compose.yaml, same checks.
#
# BUILD_DIR: the binaries (default .build/debug). AGENT_DIR: an `anvil agent build --install`ed agent
# directory (agent-amd64/vmlinuz, initramfs.xz) to bake into the image; given, the test checks that
# bootd serves it. .ci/run runs this before `swift test`.
#
# Prints PASS/FAIL lines; exits 0 iff every check passed. Cleans up (podman-compose down -v, the
# image it built) on exit; the base image localhost/debian:bookworm is kept as a cache.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$repo/.build/debug}" && pwd) || { echo "FAIL build directory ${1:-.build/debug} missing"; exit 1; }
agent_dir=${2:-}
if [ -n "$agent_dir" ] && [ ! -s "$agent_dir/agent-amd64/vmlinuz" ]; then
    echo "FAIL no agent environment in $agent_dir (anvil agent build --install)"; exit 1
fi
tool=${ANVIL_COMPOSE:-podman-compose}
case "$tool" in
    podman-compose) project=anvilci; labels=io.podman.compose ;;
    docker-compose) project=anvildc; labels=com.docker.compose ;;
    *) echo "FAIL ANVIL_COMPOSE=$tool: podman-compose or docker-compose"; exit 1 ;;
esac
client=$project-client   # a plain container on the project's volumes, for the CLI (never restarted)
image=localhost/anvil:$project-test
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
assets_port=18099   # the Environment's kernel and initrd, served from the host's loopback
ports="18081 18082 19069 19623 19080"

compose() { "$tool" -f "$compose_file" -p "$project" "$@"; }
project_containers() { podman ps -a --filter "label=$labels.project=$project" "$@"; }
service_containers() { podman ps --filter "label=$labels.project=$project" --filter "label=$labels.service=$1" "${@:2}"; }
# Every container of the project (also a killed or scaled replica), then the volumes.
remove_all() {
    podman rm -f "$client" >/dev/null 2>&1
    local ids; ids=$(project_containers -q)
    [ -z "$ids" ] || podman rm -f $ids >/dev/null 2>&1
    compose down -v --remove-orphans >/dev/null 2>&1
}

cleanup() {
    log "cleanup"
    [ -z "${assets_server:-}" ] || kill "$assets_server" 2>/dev/null
    remove_all
    podman rmi -f "$image" >/dev/null 2>&1
    [ -z "${api_service:-}" ] || { kill "$api_service" 2>/dev/null; rm -rf "$api_dir"; }
    rm -rf "$dist"
    echo "RESULT $((checks - failures))/$checks checks passed in $(($(date +%s) - started))s"
}
trap cleanup EXIT

# ---- prerequisites (installed only when missing)
log "prerequisites"
missing=()
for need in podman runc debootstrap curl python3; do command -v "$need" >/dev/null || missing+=("$need"); done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null || { echo "FAIL apt-get install ${missing[*]}"; exit 1; }
fi
if [ "$tool" = docker-compose ]; then
    command -v docker-compose >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-compose >/dev/null \
        || { echo "FAIL apt-get install docker-compose"; exit 1; }
    # podman's Docker-compatible API, on a socket of this run's own (stopped at cleanup).
    api_dir=$(mktemp -d /var/tmp/anvil-ci-api.XXXXXX)
    export DOCKER_HOST="unix://$api_dir/docker.sock"
    podman system service --time=0 "$DOCKER_HOST" >/dev/null 2>&1 &
    api_service=$!
    for _ in $(seq 50); do [ -S "$api_dir/docker.sock" ] && break; sleep 0.1; done
    [ -S "$api_dir/docker.sock" ] || { echo "FAIL podman system service (Docker API) did not start"; exit 1; }
elif ! command -v podman-compose >/dev/null || ! podman-compose version 2>/dev/null | grep -q 'podman-compose version 1\.[1-9]'; then
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
"$repo/compose/make-dist.sh" "$build" "$dist" "${agent_dir:-/nonexistent}" || { echo "FAIL make-dist"; exit 1; }
# --format docker: the OCI format drops HEALTHCHECK.
if podman build -q --format docker --build-arg BASE="$base" -t "$image" -f "$repo/compose/Containerfile" "$dist" >/dev/null; then
    pass "image builds from the prebuilt binaries (make-dist.sh)"
else
    fail "image builds from the prebuilt binaries (make-dist.sh)"; exit 1
fi
check "image: runs as anvil, tftpd has cap_net_bind_service, iPXE present" \
    podman run --rm --no-healthcheck --entrypoint /bin/bash "$image" -c 2>/dev/null \
    'test "$(id -un)" = anvil && getcap /usr/local/bin/tftpd | grep -q cap_net_bind_service && ls /usr/lib/ipxe/undionly.kpxe >/dev/null'
check "image: no state in /var/lib/anvil" test -z "$(podman run --rm --no-healthcheck --entrypoint /bin/ls "$image" -A /var/lib/anvil)"
if [ -n "$agent_dir" ]; then
    check "image: the agent environment is baked in (/usr/share/anvil/agent/agent-amd64)" \
        podman run --rm --no-healthcheck --entrypoint /bin/bash "$image" -c 'test -s /usr/share/anvil/agent/agent-amd64/vmlinuz && test -s /usr/share/anvil/agent/agent-amd64/initramfs.xz'
fi

# ---- helpers
healthz() { curl -fs -o /dev/null -m 2 "http://127.0.0.1:$1/healthz"; }
wait_healthy() { # every port answers /healthz, every container's HEALTHCHECK passes
    local deadline=$(($(date +%s) + ${1:-60})) c p ok
    while [ "$(date +%s)" -lt "$deadline" ]; do
        ok=1
        for p in $ports; do healthz "$p" || { ok=0; break; }; done
        if [ $ok = 1 ]; then
            for c in $(project_containers -q --filter status=running); do
                podman healthcheck run "$c" >/dev/null 2>&1 || { ok=0; break; }
            done
        fi
        [ $ok = 1 ] && return 0
        sleep 1
    done
    return 1
}
ctl() { podman exec -i "$client" anvil "$@"; }  # the CLI in a container on the state volume, as user anvil
start_client() {
    podman rm -f "$client" >/dev/null 2>&1
    podman run -d --name "$client" --network host --no-healthcheck \
        -v "${project}_anvil-state:/var/lib/anvil" -v "${project}_anvil-run:/run/anvil" \
        --entrypoint /bin/sleep "$image" infinity >/dev/null
}
ipxe() { curl -fs -m 3 "http://127.0.0.1:18081/ipxe?uuid=$uuid&mac=52:54:00:12:34:56&arch=x86_64"; }
ipxe_burst() { local i; for i in $(seq "$1"); do ipxe | grep -q '^#!ipxe' || return 1; done; }
three_bootd() { test "$(bootd_running)" = 3; }
bootd_running() { service_containers bootd -q | wc -l; }
# service labels of bootd replicas that answered /ipxe, from /metrics scraped through the shared port
replicas_seen() {
    local i
    for i in $(seq 80); do curl -fsS -m 2 http://127.0.0.1:18081/metrics; done |
        awk '/^anvil_http_requests_total\{.*route="ipxe",outcome="2xx"/ && $2 > 0 { match($0, /service="[^"]*"/); print substr($0, RSTART + 9, RLENGTH - 10) }' | sort -u
}

# ---- up
log "$tool up"
compose up -d >"$dist/up.log" 2>&1 || { fail "$tool up"; tail -5 "$dist/up.log"; }
check "every service healthy (/healthz on $ports, podman healthcheck)" wait_healthy 90
[ "$failures" = 0 ] || { echo "not up: the remaining checks would only time out"; exit 1; }
start_client || fail "client container on the project's volumes"
check "TFTP serves undionly.kpxe on 127.0.0.1:16969" \
    bash -c 'curl -fsS -m 10 -o /tmp/anvil-ci-undionly.kpxe tftp://127.0.0.1:16969/undionly.kpxe && test -s /tmp/anvil-ci-undionly.kpxe'
rm -f /tmp/anvil-ci-undionly.kpxe

log "anvil apply"
# An HTTP server for the Environment's assets (the reconciler downloads and verifies them; bootd
# refuses to boot an Environment that is not ready).
mkdir -p "$dist/assets"
head -c 300000 /dev/urandom > "$dist/assets/vmlinuz"
head -c 500000 /dev/urandom > "$dist/assets/initramfs.xz"
python3 -m http.server --bind 127.0.0.1 --directory "$dist/assets" "$assets_port" >/dev/null 2>&1 &
assets_server=$!
manifest=$(cat <<YAML
apiVersion: metal.sidero.dev/v1alpha2
kind: Environment
metadata:
  name: ci-env
spec:
  kernel:
    url: http://127.0.0.1:$assets_port/vmlinuz
    sha512: $(sha512sum "$dist/assets/vmlinuz" | cut -d' ' -f1)
    args: [console=ttyS0]
  initrd:
    url: http://127.0.0.1:$assets_port/initramfs.xz
    sha512: $(sha512sum "$dist/assets/initramfs.xz" | cut -d' ' -f1)
---
apiVersion: metal.sidero.dev/v1alpha2
kind: Server
metadata:
  name: $uuid
  labels:
    rack: ci
spec:
  accepted: true
  pxeBootAlways: true
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
if [ -n "$agent_dir" ]; then
    agent_size=$(stat -c %s "$agent_dir/agent-amd64/vmlinuz")
    agent_served() {
        ipxe | grep -q '^kernel /env/agent-amd64/vmlinuz' &&
            test "$(curl -fsS -m 10 -o /dev/null -w '%{size_download}' http://127.0.0.1:18081/env/agent-amd64/vmlinuz)" = "$agent_size"
    }
    check "unbound server: /ipxe boots the image's agent, bootd serves its vmlinuz ($agent_size bytes)" agent_served
fi

log "bind the server (MetalMachine serverRef)"
machine=$(cat <<YAML
apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
kind: MetalMachine
metadata:
  name: ci-machine
  namespace: default
spec:
  serverRef:
    name: $uuid
YAML
)
bind() { ctl apply -f - <<<"$machine" >/dev/null; }
bound_by_reconciler() { # the reconciler creates the ServerBinding
    local i; for i in $(seq 60); do ctl get serverbinding "$uuid" -o name >/dev/null 2>&1 && return 0; sleep 1; done; return 1
}
bound_script_soon() { local i; for i in $(seq 60); do bound_script && return 0; sleep 1; done; return 1; }
bound_script() { ipxe | tee /tmp/anvil-ci-bound.ipxe | grep -q '^kernel /env/ci-env/vmlinuz .*anvil.token=' && grep -q '^initrd /env/ci-env/initramfs.xz' /tmp/anvil-ci-bound.ipxe; }
check "anvil apply MetalMachine (serverRef: the server)" bind
check "the reconciler binds the server (ServerBinding $uuid)" bound_by_reconciler
check "bound server: /ipxe boots its Environment (assets ready) with a machine token" bound_script_soon
rm -f /tmp/anvil-ci-bound.ipxe

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
victim=$(service_containers bootd --format '{{.Names}}' | sort | tail -1)
# SIGKILL to the daemon's process from outside, as a crash or the OOM killer would (`podman kill`
# counts as stopped by the user, which restart: unless-stopped rightly leaves stopped).
kill -9 "$(podman inspect -f '{{.State.Pid}}' "$victim")"
check "requests still answered after killing $victim" ipxe_burst 40
restarted_by_policy() {
    local i; for i in $(seq 30); do
        [ "$(podman inspect -f '{{.RestartCount}} {{.State.Running}}' "$victim")" = "1 true" ] && return 0; sleep 1
    done; return 1
}
check "restart: unless-stopped brings $victim back by itself" restarted_by_policy
check "all healthy again, 3 bootd replicas" all_of wait_healthy three_bootd

log "logs"
bootd_logs=$(compose logs bootd 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')
# Each line is prefixed by its container: "[bootd_2] | …" (podman-compose), "bootd_2  | …" (docker-compose).
check "$tool logs bootd has bootd lines" grep -q 'service=bootd' <<<"$bootd_logs"
check "$tool logs bootd has only bootd lines" \
    bash -c '! grep -v -e "service=bootd" -e "anvil-entrypoint: bootd" -e "^Attaching to " -e "^[[:space:]]*$" <<<"$1" | grep -q . ' _ \
    "$(sed -E 's/^(\[[a-z_0-9-]*\]|[a-z_0-9-]+) *\| *//' <<<"$bootd_logs")"

log "restart every service in turn while a client requests /ipxe and another applies objects"
# One sequential /ipxe client (every 50 ms) and one writer (anvil apply of a new ServerClass each
# time) run throughout; each result is tagged with the phase (which container is restarting).
load=$(mktemp -d /var/tmp/anvil-ci-load.XXXXXX)
echo steady > "$load/phase"
( while [ ! -e "$load/stop" ]; do
      phase=$(cat "$load/phase")
      if ipxe | grep -q '^kernel /env/ci-env/vmlinuz'; then echo "$phase ok"; else echo "$phase fail"; fi
      sleep 0.05
  done > "$load/ipxe" ) &
ipxe_client=$!
( i=0
  while [ ! -e "$load/stop" ]; do
      i=$((i + 1))
      if ctl apply -f - >/dev/null 2>&1 <<<"apiVersion: metal.sidero.dev/v1alpha2
kind: ServerClass
metadata:
  name: ci-w-$i
spec:
  selector:
    matchLabels:
      rack: w$i"; then echo "ci-w-$i ok"; else echo "ci-w-$i fail"; fi
  done > "$load/writes" ) &
writer=$!
sleep 3
restarted=()
for container in "${project}_tftpd_1" "${project}_metadatad_1" "${project}_bmcd_1" "${project}_reconciler_1" \
        $(service_containers bootd --format '{{.Names}}' | sort); do
    echo "$container" > "$load/phase"
    podman restart "$container" >/dev/null 2>&1 || fail "podman restart $container"
    wait_healthy 60 || fail "all healthy after restarting $container"
    restarted+=("$container")
    sleep 2
done
echo steady-after > "$load/phase"
sleep 3
touch "$load/stop"
wait "$ipxe_client" "$writer"
summary=$(awk '{ n[$1]++; if ($2 == "fail") f[$1]++ } END { for (p in n) printf "%s %d/%d failed\n", p, f[p] + 0, n[p] }' "$load/ipxe" | sort)
echo "$summary" | sed 's/^/     \/ipxe during /'
total=$(wc -l < "$load/ipxe")
# A restarting bootd replica may drop what it had accepted but not answered (one client: ≤ 1 at a
# time; 2 allowed); any other service's restart must not cost /ipxe a single request.
ipxe_failures_ok() {
    awk '$2 == "fail" { f[$1]++ } END { for (p in f) { limit = (p ~ /_bootd_/) ? 2 : 0; if (f[p] > limit) { print "too many failures during " p ": " f[p]; bad = 1 } } exit bad }' "$load/ipxe"
}
check "$total /ipxe requests during ${#restarted[@]} restarts: none failed but a restarting bootd's in-flight ones" \
    all_of ipxe_failures_ok
acked=$(awk '$2 == "ok" { print $1 }' "$load/writes" | sort)
failed_writes=$(awk '$2 == "fail"' "$load/writes" | wc -l)
stored=$(ctl get serverclass -o name 2>/dev/null | sed 's|.*/||' | grep '^ci-w-' | sort)
lost=$(comm -23 <(echo "$acked") <(echo "$stored") | grep -c . || true)
check "$(echo "$acked" | grep -c .) writes acknowledged during the restarts, $failed_writes failed, $lost lost" \
    test "$failed_writes" = 0 -a "$lost" = 0 -a -n "$acked"
rm -rf "$load"
accepted() { ctl get server "$uuid" -o json | grep -q '"accepted" *: *true'; }
bmcd_up() { ctl status | grep -q '^bmcd  *up'; }
check "the store intact after every restart (server accepted, env present)" all_of accepted objects_present
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
check "the binding survives down + up: /ipxe still boots the bound server's Environment" bound_script_soon

[ "$failures" = 0 ]
