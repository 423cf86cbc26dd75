#!/usr/bin/env bash
# Agent benchmarks in QEMU (TCG), each against its peer in the same run (docs/agent.md "Benchmarks"):
#  1. boot-to-registered: from VM start to the Server object in the store, through `anvil up`
#     (/boot.ipxe -> /ipxe -> agent -> register), measured 3 times;
#  2. wipe throughput on a 2 GiB virtio disk: `anvil-agent wipe --mode fast|full` against busybox
#     `blkdiscard` and `dd if=/dev/zero` in the same VM, on the same disk.
# Usage: bash Benchmarks/agent/run.sh [--runs N]      (after `swift build`; root; peers from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=3; [ "${1:-}" = "--runs" ] && RUNS=$2   # --runs 0: only the wipe benchmark
BIN=.build/debug
W=$(mktemp -d /tmp/anvil-agent-bench.XXXX)
trap 'set +e; [ -n "${UP:-}" ] && kill -INT $UP 2>/dev/null; sleep 2; rm -rf "$W"' EXIT
UUID=5b6c7d8e-9fa0-4b1c-8d2e-3f4a5b6c7d8e

echo "== building the agent environment"
$BIN/anvil agent build --state /var/cache/anvil-testbed/agent-state --output "$W/env" --agent-binary $BIN/anvil-agent | tail -2

echo "== 1. boot to registered (anvil up, QEMU TCG, e1000, 1 GiB RAM)"
mkdir -p "$W/state/agent/agent-amd64"; cp "$W/env/vmlinuz" "$W/env/initramfs.xz" "$W/state/agent/agent-amd64/"
OFFSET=$((20000 + RANDOM % 3000))   # ports below the ephemeral range
ANVIL_STATE="$W/state" ANVIL_API_ENDPOINT=10.0.2.2 ANVIL_AUTO_BMC_SETUP=false $BIN/anvil up --port-offset $OFFSET > "$W/up.log" 2>&1 & UP=$!
until grep -q "daemons running" "$W/up.log"; do sleep 0.2; done
for run in $(seq 1 "$RUNS"); do
  ANVIL_STATE="$W/state" $BIN/anvil delete server $UUID >/dev/null 2>&1 || true
  START=$(date +%s.%N)
  qemu-system-x86_64 -accel tcg -nographic -nodefaults -serial file:"$W/serial-$run.log" -m 1024 -no-reboot \
    -smbios type=1,uuid=$UUID -netdev user,id=n0,bootfile=http://10.0.2.2:$((8081 + OFFSET))/boot.ipxe \
    -device e1000,netdev=n0 -boot n & VM=$!
  until ANVIL_STATE="$W/state" $BIN/anvil get server $UUID >/dev/null 2>&1; do sleep 0.2; done
  END=$(date +%s.%N)
  wait $VM || true
  printf 'run %d: boot to registered %.1f s\n' "$run" "$(echo "$END - $START" | bc)"
done
kill -INT $UP; wait $UP || true; UP=

echo "== 2. wipe throughput, 2 GiB virtio disk (cache=none), same VM"
mkdir -p "$W/bench/bin"; cp /bin/busybox "$W/bench/bin/"
cat > "$W/bench/bench-init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
# Swift reads its arguments from /proc/self/cmdline: mount /proc before running the agent's tools.
mount -t proc proc /proc
/init setup >/dev/null
now() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
t() { local s=$(now); "$@" >/dev/null 2>&1 || echo "BENCH failed $*" >&2; local e=$(now); echo $((e - s)); }
echo "BENCH anvil-start-ms $(t /init version-of-nothing)"
echo "BENCH anvil-fast-ms $(t /init wipe --mode fast /dev/vda)"
echo "BENCH blkdiscard-ms $(t blkdiscard /dev/vda)"
echo "BENCH anvil-full-ms $(t /init wipe --mode full /dev/vda)"
echo "BENCH dd-ms $(t dd if=/dev/zero of=/dev/vda bs=1M count=2048 conv=fsync)"
poweroff -f
INIT
chmod +x "$W/bench/bench-init"
(cd "$W/bench" && find . | sort | cpio -o -H newc --quiet | gzip) > "$W/bench.cpio.gz"
cat "$W/env/initramfs.xz" "$W/bench.cpio.gz" > "$W/bench-initramfs"
truncate -s 2G "$W/disk.img"
qemu-system-x86_64 -accel tcg -nographic -nodefaults -serial stdio -m 1024 -no-reboot \
  -kernel "$W/env/vmlinuz" -initrd "$W/bench-initramfs" -append "console=ttyS0 rdinit=/bench-init panic=-1" \
  -drive file="$W/disk.img",format=raw,if=none,id=d0,cache=none,discard=unmap -device virtio-blk-pci,drive=d0 > "$W/bench.log" 2>&1
grep '^BENCH' "$W/bench.log" | tr -d '\r' > "$W/results"
ms() { awk -v k="$1" '$2 == k { print $3 }' "$W/results"; }
mbps() { echo "scale=1; 2048 * 1000 / $1" | bc; }
START=$(ms anvil-start-ms); FAST=$(ms anvil-fast-ms); DISCARD=$(ms blkdiscard-ms); FULL=$(ms anvil-full-ms); DD=$(ms dd-ms)
[ -n "$FULL" ] && [ -n "$DD" ] || { echo "benchmark VM printed no results:"; tail -30 "$W/bench.log"; exit 1; }
echo "anvil-agent process start and exit (usage error): ${START} ms, included in the anvil figures"
echo "fast wipe: anvil ${FAST} ms (discard + first/last MiB) vs blkdiscard ${DISCARD} ms: ratio $(echo "scale=2; $DISCARD / $FAST" | bc)"
echo "full wipe: anvil ${FULL} ms ($(mbps "$FULL") MiB/s) vs dd ${DD} ms ($(mbps "$DD") MiB/s): ratio $(echo "scale=2; $DD / $FULL" | bc)"
