#!/usr/bin/env bash
# Builds a tiny initramfs (busybox-static + virtio-net modules) whose /init brings up the NIC
# with DHCP, fetches the talos.config URL from the kernel command line with the machine's SMBIOS
# UUID appended (as Talos does) and prints the answer on the console between markers.
#   bash Tests/Testbed/make-config-initramfs.sh KERNEL_DIR OUTPUT_FILE
set -euo pipefail
kernel_dir="$1"; output="$2"

case "$(ldd /bin/busybox 2>&1 || true)" in *"not a dynamic"*) ;; *) { echo "busybox-static is required (/bin/busybox must be statically linked)" >&2; exit 1; } ;; esac
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,lib/modules}
cp /bin/busybox "$root/bin/busybox"
cp "$kernel_dir"/modules/*.ko "$root/lib/modules/"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in failover net_failover virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_net; do
  insmod /lib/modules/$m.ko
done
ip link set lo up
ip link set eth0 up
udhcpc -i eth0 -s /udhcpc.sh -q -n -t 20 -T 1
url=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^talos.config=//p')
uuid=$(cat /sys/class/dmi/id/product_uuid)
echo "ANVIL-CMDLINE $(cat /proc/cmdline)"
echo "ANVIL-CONFIG-BEGIN"
wget -q -O - "${url}${uuid}" || echo "ANVIL-CONFIG-FETCH-FAILED"
echo "ANVIL-CONFIG-END"
reboot -f
INIT
cp "$(dirname "$0")/udhcpc-bound.sh" "$root/udhcpc.sh"
chmod +x "$root/init" "$root/udhcpc.sh"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$output"
