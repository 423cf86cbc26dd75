#!/bin/busybox sh
# busybox udhcpc's script for the test initramfs images: apply the lease on "bound", nothing else.
[ "$1" = bound ] || exit 0
ifconfig "$interface" "$ip" netmask "$subnet" up
[ -n "$router" ] && route add default gw "$router"
exit 0
