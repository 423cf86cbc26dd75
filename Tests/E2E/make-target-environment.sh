#!/bin/bash
# Builds the end-to-end test's target Environment: the agent environment's Debian kernel and an
# initramfs (busybox + the agent's modules) whose /init plays an OS installer the way Talos does:
# DHCP, fetch talos.config with the SMBIOS UUID appended and print it between markers, write an
# "installed" marker 4 KiB into the first disk, report installed to metadatad with the machine
# token (anvil.token, when tokens are on), then reboot.
#   make-target-environment.sh AGENT_ENV_DIR OUTPUT_DIR     (AGENT_ENV_DIR: …/agent-amd64)
set -euo pipefail
agent=$1; output=$2
case "$(ldd /bin/busybox 2>&1 || true)" in *"not a dynamic"*) ;; *) echo "busybox-static is required (/bin/busybox must be statically linked)" >&2; exit 1 ;; esac
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$output"
(cd "$root" && xz -dc "$agent/initramfs.xz" | cpio -id --quiet 'lib/modules/*' 'etc/anvil/modules')
mkdir -p "$root"/{bin,proc,sys,dev,tmp}
cp /bin/busybox "$root/bin/busybox"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r module; do insmod "$module" 2>/dev/null; done < /etc/anvil/modules
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -1; }
uuid=$(cat /sys/class/dmi/id/product_uuid)
config=$(arg talos.config)
token=$(arg anvil.token)
endpoint=$(echo "$config" | sed -n 's#^http://\([^/]*\)/.*#\1#p')
echo "E2E-TARGET booted $uuid"
ip link set lo up
nic=
for try in 1 2 3 4 5 6 7 8 9 10; do
    for path in /sys/class/net/*; do
        name=${path##*/}
        [ "$name" = lo ] && continue
        ip link set "$name" up
        udhcpc -i "$name" -s /udhcpc.sh -q -n -t 5 -T 1 >/dev/null 2>&1 && { nic=$name; break 2; }
    done
    sleep 1
done
echo "E2E-TARGET network ${nic:-none}"
echo "E2E-CONFIG-BEGIN"
if ! wget -q -O /tmp/config "${config}${uuid}"; then
    echo "E2E-CONFIG-FETCH-FAILED"; echo "E2E-CONFIG-END"
    # An installer without its config installs nothing (Talos waits and retries the same way).
    echo "E2E-TARGET install FAILED: no config"; sleep 5; reboot -f
fi
cat /tmp/config
echo "E2E-CONFIG-END"
disk=
for candidate in /dev/vda /dev/sda /dev/nvme0n1; do [ -b "$candidate" ] && { disk=$candidate; break; }; done
if [ -n "$disk" ]; then
    printf 'ANVIL-E2E-INSTALLED %s\n' "$uuid" | dd of="$disk" bs=4096 seek=1 conv=notrunc,fsync 2>/dev/null
    echo "E2E-TARGET marker written to $disk"
fi
auth=
[ -n "$token" ] && auth="Authorization: Bearer $token"
if wget -q -O - --header "Content-Type: application/json" ${auth:+--header "$auth"} --post-data '{}' "http://$endpoint/api/v1/servers/$uuid/installed"; then
    echo; echo "E2E-TARGET installed reported"
else
    echo "E2E-TARGET install report FAILED"
fi
sync
reboot -f
INIT
cp "$(dirname "$0")/../Testbed/udhcpc-bound.sh" "$root/udhcpc.sh"
chmod +x "$root/init" "$root/udhcpc.sh"
(cd "$root" && find . | cpio -o -H newc --quiet | xz -C crc32 -T1 -0) > "$output/initramfs.xz"
cp "$agent/vmlinuz" "$output/vmlinuz"
