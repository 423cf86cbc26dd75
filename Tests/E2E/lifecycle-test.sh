#!/bin/bash
# End to end on Anvil alone (README "A server's life, end to end"): three QEMU
# servers, each with its own ipmi_sim BMC that really powers it, go through the whole lifecycle —
# discover, accept, wipe, allocate, install, boot from disk, release, reuse — then a shorter second
# run with Sidero-compatible settings (auto-accept on, machine tokens off).
#
#   Tests/E2E/lifecycle-test.sh [BUILD_DIR [AGENT_DIR]]     # as root
#
# BUILD_DIR: the binaries (default .build/debug). AGENT_DIR: an `anvil agent build --install`ed agent
# directory holding agent-amd64/{vmlinuz,initramfs.xz} (default
# /var/cache/anvil-testbed/agent-state/agent, where .ci/run builds it).
# E2E_RUNS: "full compat" (default), or one of them.
#
# Everything runs inside a network namespace the test creates and deletes: a bridge with Anvil
# (`anvil up --listen`, tftpd on port 69) and dnsmasq (DHCP only, the README's configuration), one
# tap per VM, and the BMCs on port 623 of their own loopback addresses (127.0.0.11-13). No traffic
# leaves the namespace. Prints PASS/FAIL lines, the figures, and exits 0 iff every check passed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/Tests/E2E
build=$(cd "${1:-$repo/.build/debug}" && pwd) || { echo "FAIL build directory ${1:-.build/debug} missing"; exit 1; }
agent_dir=${2:-/var/cache/anvil-testbed/agent-state/agent}
runs=${E2E_RUNS:-full compat}
anvil_bin=$build/anvil
for tool in qemu-system-x86_64 ipmi_sim ipmitool dnsmasq ip python3 busybox xz cpio; do
    command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed (.ci/run installs the peers)"; exit 1; }
done
[ -s "$agent_dir/agent-amd64/vmlinuz" ] || { echo "FAIL no agent environment in $agent_dir (anvil agent build --install)"; exit 1; }
[ -x "$anvil_bin" ] || { echo "FAIL $anvil_bin is not built"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "FAIL run as root (network namespace, port 69)"; exit 1; }

work=$(mktemp -d /var/tmp/anvil-e2e.XXXXXX)
netns=anvil-e2e-$$
subnet=10.97.$((RANDOM % 200 + 20))
gateway=$subnet.1
started=$(date +%s)
failures=0
checks=0
up_pid=
dnsmasq_pid=

pass() { checks=$((checks + 1)); echo "PASS $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
log() { echo "---- $* ($(($(date +%s) - started))s)"; }
now() { date +%s.%N; }
seconds_since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
# wait_for SECONDS COMMAND…: polls once a second.
wait_for() { local end=$((SECONDS + $1)); shift; until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 1; done; }
in_ns() { ip netns exec "$netns" "$@"; }

cleanup() {
    set +e
    for pid_file in "$work"/run-*/vm*/pid; do [ -f "$pid_file" ] && kill -9 "$(cat "$pid_file")" 2>/dev/null; done
    for pid_file in "$work"/run-*/vm*/bmc.pid; do [ -f "$pid_file" ] && kill -9 "$(cat "$pid_file")" 2>/dev/null; done
    [ -n "$up_pid" ] && kill -INT "$up_pid" 2>/dev/null && sleep 2 && kill -9 "$up_pid" 2>/dev/null
    [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null
    # Whatever is still inside the namespace goes with it.
    for pid in $(ip netns pids "$netns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    ip netns del "$netns" 2>/dev/null
    if [ "$failures" = 0 ] && [ -z "${E2E_KEEP:-}" ]; then rm -rf "$work"; else echo "work directory kept: $work"; fi
}
trap cleanup EXIT

# ---- the network: namespace, bridge, taps, dnsmasq -----------------------------------------------
setup_network() {
    ip netns add "$netns" || return 1
    in_ns ip link set lo up
    in_ns ip link add br0 type bridge
    in_ns ip link set br0 type bridge forward_delay 0
    in_ns ip addr add "$gateway/24" dev br0
    # Router advertisements for this prefix stop iPXE waiting ≈15 s for IPv6 on every boot.
    in_ns ip -6 addr add fd97::1/64 dev br0
    in_ns ip link set br0 up
    for n in 1 2 3; do
        in_ns ip tuntap add dev "tap$n" mode tap
        in_ns ip link set "tap$n" master br0
        in_ns ip link set "tap$n" up
        in_ns ip addr add "127.0.0.1$n/8" dev lo   # BMC n listens on 127.0.0.1n:623
    done
    # DHCP only (port=0: no DNS; Anvil serves TFTP), exactly the README's dnsmasq configuration.
    in_ns dnsmasq --conf-file=/dev/null --port=0 --interface=br0 --bind-interfaces \
        --dhcp-range="$subnet.100,$subnet.200,1h" --enable-ra --dhcp-range=::,constructor:br0,ra-only \
        --dhcp-leasefile="$work/dnsmasq.leases" --pid-file="$work/dnsmasq.pid" --log-dhcp --log-facility="$work/dnsmasq.log" \
        --dhcp-userclass=set:ipxe,iPXE \
        --dhcp-match=set:efi64,option:client-arch,7 --dhcp-match=set:efi64,option:client-arch,9 \
        --dhcp-boot="tag:ipxe,http://$gateway:8081/boot.ipxe" \
        --dhcp-boot="tag:!ipxe,tag:efi64,ipxe.efi,,$gateway" \
        --dhcp-boot="tag:!ipxe,tag:!efi64,undionly.kpxe,,$gateway" || return 1
    dnsmasq_pid=$(cat "$work/dnsmasq.pid")
}

# ---- the machines: a VM and its BMC --------------------------------------------------------------
uuid_of() { echo "e2e00000-0000-4000-8000-00000000000$1"; }
mac_of() { echo "52:54:00:97:00:0$1"; }
bmc_of() { echo "127.0.0.1$1"; }
firmware_of() { case $1 in 3) echo uefi ;; *) echo bios ;; esac; }

# make_vm RUN_DIR N: the disk (random bytes, so a wipe and the install marker stand out), the QEMU
# command line its BMC starts, and the BMC's configuration.
make_vm() {
    local dir=$1/vm$2 n=$2
    mkdir -p "$dir/bmc-state"
    head -c $((64 << 20)) /dev/urandom > "$dir/disk.img"
    # No boot signature: the disk boots nothing until an OS would install a loader.
    printf '\0\0' | dd of="$dir/disk.img" bs=1 seek=510 conv=notrunc status=none
    local nic disk machine=""
    case $n in
        1) nic="virtio-net-pci,netdev=n0,mac=$(mac_of "$n")"
           disk="-device virtio-blk-pci,drive=d0,serial=E2E-DISK-$n,bootindex=@DISK_BOOTINDEX@" ;;
        2) nic="e1000,netdev=n0,mac=$(mac_of "$n")"
           disk="-device virtio-blk-pci,drive=d0,serial=E2E-DISK-$n,bootindex=@DISK_BOOTINDEX@" ;;
        3) # UEFI: OVMF's own PXE client (romfile= drops iPXE's ROM), an AHCI disk.
           cp /usr/share/OVMF/OVMF_VARS_4M.fd "$dir/OVMF_VARS.fd"
           machine="-machine q35 -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive if=pflash,format=raw,file=$dir/OVMF_VARS.fd"
           nic="virtio-net-pci,netdev=n0,mac=$(mac_of "$n"),romfile="
           disk="-device ide-hd,drive=d0,bus=ide.0,serial=E2E-DISK-$n,bootindex=@DISK_BOOTINDEX@" ;;
    esac
    local kcs=$((9000 + n))
    cat > "$dir/qemu.args" <<ARGS
-accel tcg -m 1024 -nodefaults -display none -name e2e-vm$n $machine
-chardev file,id=con,path=$dir/serial.log,append=on -serial chardev:con
-smbios type=1,uuid=$(uuid_of "$n"),manufacturer=AnvilE2E,product=E2E-Node,version=1.0,serial=E2E-SN-$n,sku=E2E-SKU,family=e2e
-netdev tap,id=n0,ifname=tap$n,script=no,downscript=no -device $nic,bootindex=@NIC_BOOTINDEX@
-drive file=$dir/disk.img,format=raw,if=none,id=d0 $disk
-chardev socket,id=ipmi0,host=127.0.0.1,port=$kcs,reconnect=2 -device ipmi-bmc-extern,chardev=ipmi0,id=bmc0 -device isa-ipmi-kcs,bmc=bmc0
ARGS
    tr '\n' ' ' < "$dir/qemu.args" > "$dir/qemu.args.line" && mv "$dir/qemu.args.line" "$dir/qemu.args"
    cat > "$dir/lan.conf" <<CONF
name "e2e-bmc-$n"
set_working_mc 0x20
  startlan 1
    addr $(bmc_of "$n") 623
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa12345678900000$n
  endlan
  serial kcs 127.0.0.1 $kcs codec VM
  chassis_control "$here/chassis-control.sh $dir 0x20"
  startnow false
  poweroff_wait 2
  kill_wait 2
  user 1 true  ""        "test"     user     10       none md2 md5 straight
  user 2 true  "admin"   "password" admin    10       none md2 md5 straight
CONF
    cat > "$dir/sim.emu" <<'EMU'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
EMU
}

# ipmitool as the operator (admin) or as USER PASS, against BMC n.
bmc_tool() { local n=$1; shift; in_ns ipmitool -I lanplus -H "$(bmc_of "$n")" -p 623 -U admin -P password -C 3 -N 1 -R 3 "$@"; }
bmc_tool_as() { local n=$1 user=$2 pass=$3; shift 3; in_ns ipmitool -I lanplus -H "$(bmc_of "$n")" -p 623 -U "$user" -P "$pass" -C 3 -N 1 -R 3 "$@"; }
bmc_answers() { bmc_tool "$1" mc info >/dev/null 2>&1; }

start_bmc() {
    local dir=$1/vm$2
    # `ip netns exec` execs ipmi_sim, so $! is ipmi_sim itself (a shell function would add a subshell).
    ip netns exec "$netns" ipmi_sim -n -c "$dir/lan.conf" -f "$dir/sim.emu" -s "$dir/bmc-state" >> "$dir/bmc.log" 2>&1 &
    echo $! > "$dir/bmc.pid"
    disown   # killed on purpose later: no "Killed" job report
    wait_for 20 bmc_answers "$2" || return 1
    # ipmi_sim reports LAN parameter 3 as 0.0.0.0 until it is set: set it, as a BMC's DHCP would.
    bmc_tool "$2" lan set 1 ipaddr "$(bmc_of "$2")" >/dev/null
}
stop_bmc() { local pid_file=$1/vm$2/bmc.pid; [ -f "$pid_file" ] && kill -9 "$(cat "$pid_file")" 2>/dev/null; rm -f "$pid_file"; }
vm_running() { local pid_file=$1/vm$2/pid; [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }
vm_off() { ! vm_running "$@"; }
serial_has() { grep -aq -- "$3" "$1/vm$2/serial.log" 2>/dev/null; }
disk_zero() { python3 - "$1" "$2" "$3" <<'PY'
import sys
path, start, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'rb') as f:
    f.seek(start if start >= 0 else 0, 0 if start >= 0 else 2)
    if start < 0: f.seek(start, 2)
    data = f.read(length)
sys.exit(0 if len(data) == length and data.count(0) == length else 1)
PY
}
# The 62 MiB between the first and last MiB has no zeroed 4 KiB block (random data never has one).
disk_middle_untouched() { python3 - "$1" <<'PY'
import sys
with open(sys.argv[1], 'rb') as f:
    f.seek(1 << 20)
    data = f.read((64 - 2) << 20)
zero = bytes(4096)
sys.exit(0 if all(data[i:i + 4096] != zero for i in range(0, len(data), 4096)) else 1)
PY
}
disk_has_marker() { head -c 8192 "$1" | grep -aq "ANVIL-E2E-INSTALLED"; }

# ---- Anvil ------------------------------------------------------------------------------------------
anvil() { ANVIL_STATE="$state" "$anvil_bin" "$@"; }
# server_value UUID EXPR: a Python expression over the Server's JSON (s, spec, status, cond(type)).
server_value() {
    anvil get server "$1" -o json 2>/dev/null | python3 -c '
import json, sys
try:
    s = json.load(sys.stdin)
except Exception:
    print(""); sys.exit(0)
spec, status = s.get("spec", {}), s.get("status", {})
def cond(kind):
    return next((c.get("status", "") for c in status.get("conditions", []) if c.get("type") == kind), "")
def cond_reason(kind):
    return next((c.get("reason", "") for c in status.get("conditions", []) if c.get("type") == kind), "")
print(eval(sys.argv[1]))' "$2"
}
server_is() { [ "$(server_value "$1" "$2")" = True ]; }
server_exists() { anvil get server "$1" -o name >/dev/null 2>&1; }
binding_of() { anvil get serverbindings -o json 2>/dev/null | python3 -c '
import json, sys
items = json.load(sys.stdin)
items = items.get("items", items) if isinstance(items, dict) else items
print(" ".join(sorted(i["metadata"]["name"] for i in items)))'; }
events_of() { anvil events server "$1" 2>/dev/null; }
has_event() { events_of "$1" | grep -q "$2"; }

start_anvil() {   # start_anvil SETTINGS…: `anvil up` on the bridge, port 69
    mkdir -p "$state/agent"
    : > "$run/anvil-up.log"
    cp -r "$agent_dir/agent-amd64" "$state/agent/"
    ip netns exec "$netns" env ANVIL_STATE="$state" "$@" "$anvil_bin" up --listen "$gateway" --tftp-port 69 > "$run/anvil-up.log" 2>&1 &
    up_pid=$!
    wait_for 120 grep -q "daemons running" "$run/anvil-up.log"
}
stop_anvil() {
    [ -n "$up_pid" ] || return 0
    kill -INT "$up_pid" 2>/dev/null
    local end=$((SECONDS + 60)); while kill -0 "$up_pid" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 1; done
    kill -9 "$up_pid" 2>/dev/null
    up_pid=
}
# CPU seconds (user + system) the daemons under `anvil up` have used so far.
daemon_cpu() {
    python3 - "$up_pid" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
up = sys.argv[1]
total = {}
for pid in os.listdir("/proc"):
    if not pid.isdigit(): continue
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        name = open(f"/proc/{pid}/comm").read().strip()
    except OSError:
        continue
    if fields[1] == up:   # ppid
        total[name] = (int(fields[11]) + int(fields[12])) / tick
print(" ".join(f"{k}={v:.1f}s" for k, v in sorted(total.items())) + f" total={sum(total.values()):.1f}s")
PY
}

stop_vms() { local n; for n in "$@"; do vm_running "$run" "$n" && kill -9 "$(cat "$run/vm$n/pid")"; stop_bmc "$run" "$n"; done; }

# ---- waiting on several servers at once -------------------------------------------------------------
declare -A at   # at[STEP.n]: when step STEP was first seen for server n (seconds since the epoch)
# wait_each SECONDS STEP PREDICATE n…: polls `PREDICATE n` for every n until all hold.
wait_each() {
    local limit=$1 step=$2 predicate=$3; shift 3
    local end=$((SECONDS + limit)) pending=("$@") left n
    while :; do
        left=()
        for n in "${pending[@]}"; do
            if "$predicate" "$n"; then at[$step.$n]=$(now); else left+=("$n"); fi
        done
        pending=("${left[@]}")
        [ ${#pending[@]} = 0 ] && return 0
        [ $SECONDS -lt $end ] || { echo "  timed out after ${limit}s waiting for '$step' of server(s) ${pending[*]}"; return 1; }
        sleep 1
    done
}
figure() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f}s')" "${at[$1]:-0}" "${at[$2]:-0}"; }

is_discovered() { server_exists "$(uuid_of "$1")"; }
# Wiped, the BMC the agent found in band known, and powered off through it.
is_available() { local u; u=$(uuid_of "$1"); server_is "$u" "status.get('isClean') == True and spec.get('bmc', {}).get('endpoint') == '$(bmc_of "$1")'" && vm_off "$run" "$1"; }
# Installed: PXEBooted, and more installs reported on the console than before (installs_before[n]).
declare -A installs_before
installs() { grep -ac "E2E-TARGET installed reported" "$run/vm$1/serial.log" 2>/dev/null; }
is_installed() { server_is "$(uuid_of "$1")" "cond('PXEBooted') == 'True'" && [ "$(installs "$1")" -gt "${installs_before[$1]:-0}" ]; }
boots_from_disk() { has_event "$(uuid_of "$1")" BootFromDisk; }
is_bound() { binding_of | tr ' ' '\n' | grep -qx "$(uuid_of "$1")"; }
is_unbound_clean_off() { ! is_bound "$1" && server_is "$(uuid_of "$1")" "status.get('isClean') == True and status.get('inUse') != True" && vm_off "$run" "$1"; }
is_powered() { vm_running "$run" "$1"; }

# The manifests: the target Environment (file:// assets the reconciler downloads and verifies), a
# class of the test's servers with a config patch, a template, and the bootstrap config.
write_manifests() {
    local target=$run/target kernel_sum initrd_sum
    kernel_sum=$(sha512sum "$target/vmlinuz" | cut -d' ' -f1)
    initrd_sum=$(sha512sum "$target/initramfs.xz" | cut -d' ' -f1)
    cat > "$run/cluster.yaml" <<YAML
apiVersion: metal.sidero.dev/v1alpha2
kind: Environment
metadata:
  name: e2e-target
spec:
  kernel:
    url: file://$target/vmlinuz
    sha512: $kernel_sum
    args: [console=ttyS0, panic=10, initrd=initramfs.xz]
  initrd:
    url: file://$target/initramfs.xz
    sha512: $initrd_sum
---
apiVersion: metal.sidero.dev/v1alpha2
kind: ServerClass
metadata:
  name: e2e
spec:
  environmentRef:
    name: e2e-target
  qualifiers:
    hardware:
      - system:
          manufacturer: AnvilE2E
  configPatches:
    - op: add
      path: /machine/install/extraKernelArgs
      value: [e2e.class=patched]
---
apiVersion: v1
kind: Secret
metadata:
  name: e2e-bootstrap
stringData:
  value: |
    version: v1alpha1
    machine:
      type: worker
      install:
        disk: /dev/sdz
    cluster:
      name: e2e
---
apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
kind: MetalMachineTemplate
metadata:
  name: e2e
spec:
  template:
    spec:
      serverClassRef:
        apiVersion: metal.sidero.dev/v1alpha2
        kind: ServerClass
        name: e2e
YAML
    : > "$run/server-patches.yaml"
    local n disk
    for n in "$@"; do
        disk=/dev/vda; [ "$n" = 3 ] && disk=/dev/sda
        cat >> "$run/server-patches.yaml" <<YAML
---
apiVersion: metal.sidero.dev/v1alpha2
kind: Server
metadata:
  name: $(uuid_of "$n")
spec:
  accepted: true
  configPatches:
    - op: replace
      path: /machine/install/disk
      value: $disk
    - op: add
      path: /machine/network
      value: {hostname: e2e-server-$n}
YAML
    done
}

# The config server n printed on its console (the last fetch).
printed_config() { awk '/E2E-CONFIG-BEGIN/ { buf = ""; on = 1; next } /E2E-CONFIG-END/ { on = 0; last = buf } on { buf = buf $0 "\n" } END { printf "%s", last }' "$run/vm$1/serial.log" 2>/dev/null; }
config_is_patched() {
    local config; config=$(printed_config "$1")
    local disk=/dev/vda; [ "$1" = 3 ] && disk=/dev/sda
    grep -q "e2e.class=patched" <<<"$config" && grep -q "hostname: e2e-server-$1" <<<"$config" && grep -q "disk: $disk" <<<"$config" && grep -q "name: e2e" <<<"$config"
}
chassis_calls_since() { awk -v t="$2" '$1 >= t' "$run/vm$1/calls.log" 2>/dev/null; }

disk_first_mib_random() { python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read(1 << 20)
zero = bytes(4096)
sys.exit(0 if all(data[i:i + 4096] != zero for i in range(0, len(data), 4096)) else 1)
PY
}
hardware_matches() {
    server_is "$(uuid_of "$1")" "spec.get('accepted') == $2 and spec['hardware']['system']['serialNumber'] == 'E2E-SN-$1' \
and spec['hardware']['system']['manufacturer'] == 'AnvilE2E' \
and [d['size'] for d in spec['hardware']['storage']['devices']] == [64 << 20] \
and any(i.get('mac') == '$(mac_of "$1")' for i in spec['hardware']['network']['interfaces'])"
}
environment_ready() { anvil get env e2e-target -o json 2>/dev/null | python3 -c '
import json, sys
e = json.load(sys.stdin)
conditions = e.get("status", {}).get("conditions", [])
sys.exit(0 if len(conditions) >= 2 and all(c.get("status") == "True" for c in conditions) else 1)'; }
configdata_status() { in_ns curl -s -o /dev/null -w '%{http_code}' "http://$gateway:8082/configdata?uuid=$1"; }
wipe_boot_started() {   # wipe_boot_started N T: the BMC started VM N with PXE once at or after T
    chassis_calls_since "$1" "$2" | grep -q "START boot=pxe"
}
# The kernel command line of server n's last target (not agent) boot.
target_cmdline() { grep -a "Command line: .*talos.config=" "$run/vm$1/serial.log" | tail -1; }
starts_since() { chassis_calls_since "$1" "$2" | grep -c START; }
print_timeline() {
    if anvil timeline "$1" > "$run/timeline-$1.txt" 2>&1; then
        sed 's/^/  | /' "$run/timeline-$1.txt"
        return 0
    fi
    cat "$run/timeline-$1.txt"; return 1
}
timeline_has() { grep -q "$2" "$run/timeline-$1.txt"; }

# ---- run 1: the whole lifecycle, Anvil's defaults plus install reports ------------------------------
run_full() {
    run=$work/run-full; state=$run/state; mkdir -p "$state"
    local t0; t0=$(now)
    log "full run: three servers (2 SeaBIOS + iPXE ROM, 1 OVMF native PXE), machine tokens on"
    check "target environment built (Debian kernel, busybox installer)" bash "$here/make-target-environment.sh" "$agent_dir/agent-amd64" "$run/target"
    # Short timeouts so the failure paths finish in minutes: a wipe not reported in 150 s is retried.
    # BMCs set up in band at discovery (MAAS-style), so accepting a server power-cycles it through IPMI.
    check "anvil up --listen $gateway --tftp-port 69" start_anvil ANVIL_AUTO_BMC_SETUP=true ANVIL_BMC_SETUP_AT=discovery ANVIL_INSECURE_WIPE=true \
        ANVIL_MARK_PXEBOOTED=on-install-report ANVIL_SERVER_REBOOT_TIMEOUT=150s ANVIL_LIFECYCLE_ATTEMPTS=8 \
        ANVIL_IPMI_TIMEOUT=1s ANVIL_IPMI_RETRIES=2
    local n u
    for n in 1 2 3; do make_vm "$run" "$n"; check "BMC $n (ipmi_sim) answers on $(bmc_of "$n"):623" start_bmc "$run" "$n"; done
    check "no Server exists beforehand" eval 'servers=$(anvil get servers -o name) && [ -z "$servers" ]'

    log "power on through the BMCs → PXE → agent → discovered"
    for n in 1 2 3; do bmc_tool "$n" chassis power on >/dev/null; at[on.$n]=$(now); done
    check "the BMCs started the VMs" wait_for 10 is_powered 1
    check "three Servers discovered" wait_each 600 discovered is_discovered 1 2 3
    for n in 1 2 3; do
        u=$(uuid_of "$n")
        check "server $n: SMBIOS identity, disk and NIC inventoried, not accepted" wait_for 30 hardware_matches "$n" False
        check "server $n: agent console says registered, accepted=false" serial_has "$run" "$n" "registered $u: accepted=false"
        check "server $n: disk untouched before acceptance" disk_first_mib_random "$run/vm$n/disk.img"
        check "server $n: BMC $(bmc_of "$n") found in band and reported" wait_for 120 server_is "$u" "spec.get('bmc', {}).get('endpoint') == '$(bmc_of "$n")' and spec['bmc'].get('port') == 623"
        check "server $n: BMC user sidero created in band (ipmitool user list)" sh -c "ip netns exec $netns ipmitool -I lanplus -H $(bmc_of "$n") -p 623 -U admin -P password -C 3 user list 1 | grep -Eq 'sidero .*ADMINISTRATOR'"
        check "server $n: BMC credentials stored in Secret $u-bmc" server_is "$u" "spec['bmc'].get('userFrom', {}).get('secretKeyRef', {}).get('name') == '$u-bmc'"
        check "server $n: not powered by Anvil before acceptance" test "$(grep -c 'set ' "$run/vm$n/calls.log")" = 1
    done
    check "UEFI server fetched ipxe.efi from Anvil's tftpd (port 69)" eval "anvil events | grep BootFileFetched | grep -q ipxe.efi"

    log "accept → PXE once + power cycle through IPMI (user sidero) → agent wipes → powered off through IPMI"
    local accepted; accepted=$(now)
    for n in 1 2 3; do anvil accept "$(uuid_of "$n")" >/dev/null; done
    check "three servers wiped and powered off" wait_each 900 available is_available 1 2 3
    for n in 1 2 3; do
        u=$(uuid_of "$n")
        check "server $n: first and last MiB zero, middle untouched" eval "disk_zero '$run/vm$n/disk.img' 0 1048576 && disk_zero '$run/vm$n/disk.img' -1048576 1048576 && disk_middle_untouched '$run/vm$n/disk.img'"
        check "server $n: on acceptance, PXE once then power cycle through IPMI" eval "chassis_calls_since $n $accepted | grep -q 'set boot pxe' && chassis_calls_since $n $accepted | grep -q 'START boot=pxe' && has_event '$u' PowerCycle"
        check "server $n: powered off by the reconciler through IPMI" eval "has_event '$u' PowerOff && chassis_calls_since $n $accepted | grep -q 'set power 0'"
        check "server $n: anvil power status through the sidero user" eval "anvil power status '$u' | grep -qi off"
    done

    log "allocate: ServerClass + MetalMachineTemplate scaled to 2 → PXE once + power on → target installs"
    write_manifests 1 2 3
    check "anvil apply cluster manifests" anvil apply -f "$run/cluster.yaml"
    check "anvil apply server config patches" anvil apply -f "$run/server-patches.yaml"
    check "server 1 keeps its inventory after apply" hardware_matches 1 True
    check "environment e2e-target downloaded and verified" wait_for 60 environment_ready
    local allocated; allocated=$(now)
    check "anvil scale mmt e2e --replicas 2" anvil scale mmt e2e --replicas 2 --bootstrap-secret e2e-bootstrap
    check "servers 1 and 2 bound (first clean servers in UUID order)" wait_each 60 bound is_bound 1 2
    check "server 3 stays unbound" eval "! is_bound 3"
    check "servers 1 and 2 installed the target and reported it" wait_each 900 installed is_installed 1 2
    for n in 1 2; do
        u=$(uuid_of "$n")
        check "server $n: PXE once then power on through IPMI" eval "chassis_calls_since $n $allocated | grep -q 'set boot pxe' && chassis_calls_since $n $allocated | grep -q 'START boot=pxe'"
        check "server $n: printed config carries the class and server patches" config_is_patched "$n"
        check "server $n: target booted with a machine token in talos.config" eval "target_cmdline $n | grep -q 'configdata?token=[0-9a-f]*&uuid='"
    done
    check "configdata without a token is refused" test "$(configdata_status "$(uuid_of 1)")" = 403
    check "next PXE boots from disk (ipxe-exit)" wait_each 300 disk boots_from_disk 1 2
    check "server 3 stays off" vm_off "$run" 3

    # Scaling down deletes the highest-numbered machine, e2e-1; which server it holds depends on
    # which of the two machines allocated first (both take the first clean server in UUID order).
    local r k
    r=$(anvil get mm e2e-1 -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)["spec"]["serverRef"]["name"][-1])')
    k=$((3 - r))
    check "machine e2e-1 holds server 1 or 2 (server $r)" eval "[ '$r' = 1 ] || [ '$r' = 2 ]"
    log "release: scale to 1 → server $r (e2e-1's) wiped (install marker gone) and powered off; its VM reset mid-wipe"
    check "server $r's disk has the install marker" disk_has_marker "$run/vm$r/disk.img"
    local released; released=$(now)
    check "anvil scale mmt e2e --replicas 1" anvil scale mmt e2e --replicas 1
    check "server $r: PXE once + power cycle through IPMI for the wipe" wait_for 300 wipe_boot_started "$r" "$released"
    # The VM dies during its wipe boot, before the agent can report (a reset, a crash; killing it
    # inside the agent's few-second run would be a race): no report, no heartbeat, so after
    # --server-reboot-timeout the reconciler power cycles it again and the wipe is done then.
    sleep 3
    kill -9 "$(cat "$run/vm$r/pid")"
    at[reset.$r]=$(now)
    check "server $r: after the reboot timeout, wiped again, unbound and off" wait_each 900 released is_unbound_clean_off "$r"
    check "server $r: install marker gone" eval "! disk_has_marker '$run/vm$r/disk.img'"
    check "server $r: power cycled again after the reset" test "$(starts_since "$r" "${at[reset.$r]}")" -ge 1
    check "server $k still bound" is_bound "$k"

    # The clean servers are now $r and 3: $r comes first in UUID order.
    log "reuse with a failing BMC: BMC $r killed, scale to 2 → power fails → BMC back → installs"
    stop_bmc "$run" "$r"
    installs_before[$r]=$(installs "$r")
    check "anvil scale mmt e2e --replicas 2" anvil scale mmt e2e --replicas 2 --bootstrap-secret e2e-bootstrap
    check "server $r (clean, first in UUID order) bound again" wait_for 60 is_bound "$r"
    check "the power failure is a Warning event" wait_for 120 has_event "$(uuid_of "$r")" "Warning *PowerFailed"
    check "the failure is counted (LifecycleAttempts, reason Power) and retried later, not stalled" \
        server_is "$(uuid_of "$r")" "cond_reason('LifecycleAttempts') == 'Power' and cond('Stalled') != 'True'"
    check "BMC $r back" start_bmc "$run" "$r"
    check "server $r installed again once its BMC answered" wait_each 900 reinstalled is_installed "$r"
    check "server $r: the new install printed its patched config" config_is_patched "$r"
    check "server $r: the failed attempts are cleared" server_is "$(uuid_of "$r")" "cond('LifecycleAttempts') == '' and cond('Stalled') == ''"

    log "timeline of server 1"
    check "anvil timeline $(uuid_of 1)" print_timeline "$(uuid_of 1)"
    for step in BootAgent Registered BMCReported Accepted BootDeviceSet PowerCycle Wiped PowerOff PowerOn BootEnvironment ConfigFetched Installed BootFromDisk; do
        check "timeline of server 1 shows $step" timeline_has "$(uuid_of 1)" "$step"
    done
    check "anvil timeline $(uuid_of 3) (UEFI)" print_timeline "$(uuid_of 3)"
    check "timeline of server 3 shows the TFTP fetch of ipxe.efi" timeline_has "$(uuid_of 3)" "BootFileFetched.*ipxe.efi"

    echo "FIGURES full run (power on = BMC command; wall clock, 3 TCG VMs on $(nproc) cores):"
    for n in 1 2 3; do
        echo "  server $n ($(firmware_of "$n")): discovered $(figure on.$n discovered.$n) after power on;" \
            "wiped+off $(figure on.$n available.$n) after power on ($(python3 -c "print(f'{float(\"${at[available.$n]:-0}\") - $accepted:.0f}s')") after accept)" \
            "$( [ "$n" != 3 ] && echo "; installed $(python3 -c "print(f'{float(\"${at[installed.$n]:-0}\") - $allocated:.0f}s')") after scale-up")"
    done
    echo "  daemon CPU: $(daemon_cpu)"
    echo "  full run wall time: $(seconds_since "$t0")s"
    stop_anvil
    stop_vms 1 2 3
}

# ---- run 2: Sidero-compatible settings, one server ---------------------------------------------------
run_compat() {
    run=$work/run-compat; state=$run/state; mkdir -p "$state"
    local t0; t0=$(now)
    log "compat run: auto-accept on, machine tokens off, PXEBooted when the environment is served"
    check "target environment built" bash "$here/make-target-environment.sh" "$agent_dir/agent-amd64" "$run/target"
    check "anvil up (Sidero-compatible settings)" start_anvil ANVIL_AUTO_ACCEPT_SERVERS=true ANVIL_MACHINE_TOKENS=false \
        ANVIL_AUTO_BMC_SETUP=true ANVIL_INSECURE_WIPE=true ANVIL_IPMI_TIMEOUT=1s ANVIL_IPMI_RETRIES=2
    make_vm "$run" 1
    check "BMC 1 answers" start_bmc "$run" 1
    bmc_tool 1 chassis power on >/dev/null; at[on.1]=$(now)
    check "server discovered, accepted on registration, wiped and powered off" wait_each 900 available is_available 1
    check "registered accepted=true" serial_has "$run" 1 "registered $(uuid_of 1): accepted=true"
    check "first and last MiB zero" eval "disk_zero '$run/vm1/disk.img' 0 1048576 && disk_zero '$run/vm1/disk.img' -1048576 1048576"
    write_manifests 1
    check "anvil apply" eval "anvil apply -f '$run/cluster.yaml' && anvil apply -f '$run/server-patches.yaml'"
    check "environment ready" wait_for 60 environment_ready
    local allocated; allocated=$(now)
    check "anvil scale mmt e2e --replicas 1" anvil scale mmt e2e --replicas 1 --bootstrap-secret e2e-bootstrap
    check "server bound" wait_for 60 is_bound 1
    check "target booted, config printed with patches" wait_for 900 config_is_patched 1
    check "target booted without a machine token" eval "target_cmdline 1 | grep -q 'configdata?uuid=' && ! target_cmdline 1 | grep -q anvil.token="
    check "configdata without a token is served (tokens off)" test "$(configdata_status "$(uuid_of 1)")" = 200
    check "next PXE boots from disk" wait_each 300 disk boots_from_disk 1
    echo "FIGURES compat run: discovered+wiped+off $(figure on.1 available.1) after power on;" \
        "boot from disk $(python3 -c "print(f'{float(\"${at[disk.1]:-0}\") - $allocated:.0f}s')") after scale-up; daemon CPU: $(daemon_cpu); wall $(seconds_since "$t0")s"
    stop_anvil
    stop_vms 1
}

check "network namespace $netns with bridge, taps and dnsmasq" setup_network
for r in $runs; do
    case $r in
        full) run_full ;;
        compat) run_compat ;;
        *) fail "unknown run $r (E2E_RUNS: full compat)" ;;
    esac
done
echo "RESULT $((checks - failures))/$checks checks passed in $(($(date +%s) - started))s"
[ "$failures" = 0 ]
