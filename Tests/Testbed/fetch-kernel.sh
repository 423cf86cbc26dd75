#!/usr/bin/env bash
# Puts Debian's amd64 kernel and the modules a QEMU virtio NIC needs into a cache directory, for
# the tests that network-boot a VM into a tiny initramfs (Tests/AnvilIntegrationTests/QEMUBootTests).
#   bash Tests/Testbed/fetch-kernel.sh [DIR]     (default /var/cache/anvil-testbed/kernel)
# Needs apt-get (Debian's package archive) and dpkg-deb. Idempotent.
set -euo pipefail
dir="${1:-/var/cache/anvil-testbed/kernel}"
if [ -s "$dir/vmlinuz" ] && [ -s "$dir/modules/virtio_net.ko" ]; then exit 0; fi
package=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
if [ -z "$package" ]; then
  apt-get update -qq
  package=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "$package" 2>/dev/null)
dpkg-deb -x "$work"/*.deb "$work/root"
mkdir -p "$dir/modules"
cp "$work"/root/boot/vmlinuz-* "$dir/vmlinuz"
# In load order: virtio-net and its dependencies.
for module in failover net_failover virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_net; do
  found=$(find "$work/root/lib/modules" -name "$module.ko*" | head -1)
  [ -n "$found" ] || { echo "fetch-kernel: $module not in $package" >&2; exit 1; }
  case "$found" in
    *.xz) xz -dc "$found" > "$dir/modules/$module.ko" ;;
    *.zst) zstd -dcq "$found" > "$dir/modules/$module.ko" ;;
    *) cp "$found" "$dir/modules/$module.ko" ;;
  esac
done
echo "$package" > "$dir/package"
