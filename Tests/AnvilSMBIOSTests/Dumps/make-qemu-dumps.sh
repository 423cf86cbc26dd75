#!/bin/sh
# Regenerates the QEMU SMBIOS dumps in this folder (not run by the tests).
#
# Boots a kernel under QEMU (TCG) with a tiny busybox initramfs that runs
# `dmidecode --dump-bin` inside the guest, and hex-prints the dump plus the raw
# sysfs files between markers on the serial console. The host turns the hex
# back into bytes, then records `dmidecode --from-dump` output next to each dump.
#
# Needs: qemu-system-x86_64, a static busybox, dmidecode (and its libc), cpio, xxd.
# Usage: make-qemu-dumps.sh [KERNEL]   (default: /var/cache/anvil-testbed/kernel/vmlinuz)
# KEEP=1 keeps the work directory with the serial logs.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:-/var/cache/anvil-testbed/kernel/vmlinuz}
busybox=${BUSYBOX:-/bin/busybox}
dmidecode=${DMIDECODE:-$(command -v dmidecode || echo /usr/sbin/dmidecode)}
work=$(mktemp -d)
trap 'test -n "${KEEP:-}" || rm -rf "$work"' EXIT

# The initramfs: busybox, dmidecode with the libraries it links, and /init.
root=$work/root
mkdir -p "$root/bin" "$root/sys" "$root/proc" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$dmidecode" "$root/bin/dmidecode"
for lib in $(ldd "$dmidecode" | awk '/=>/ { print $3 } /^\t\// { print $1 }'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t proc proc /proc
/bin/dmidecode --dump-bin /tmp/dump.bin > /dev/null
dump() {
    echo "=====BEGIN $1====="
    /bin/busybox hexdump -v -e '16/1 "%02x" "\n"' "$2"
    echo "=====END $1====="
}
dump dump /tmp/dump.bin
dump entry /sys/firmware/dmi/tables/smbios_entry_point
dump table /sys/firmware/dmi/tables/DMI
echo o > /proc/sysrq-trigger
/bin/busybox poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$work/initrd"

# extract NAME MARKER OUT: the hex between one pair of markers, as bytes.
extract() {
    sed -n "/=====BEGIN $2=====/,/=====END $2=====/p" "$1" | grep -v '=====' | tr -d '\r\n ' | xxd -r -p > "$3"
}

# boot NAME QEMU-ARGS...: boots the guest once; fails when the serial output is garbled.
boot() {
    name=$1; shift
    qemu-system-x86_64 -accel tcg -nographic -nodefaults -serial stdio -no-reboot \
        -kernel "$kernel" -initrd "$work/initrd" -append "console=ttyS0 panic=-1 quiet loglevel=0" \
        "$@" > "$work/$name.log" 2>&1 </dev/null
    extract "$work/$name.log" dump "$here/$name.bin"
    mkdir -p "$here/$name-sysfs"
    extract "$work/$name.log" entry "$here/$name-sysfs/smbios_entry_point"
    extract "$work/$name.log" table "$here/$name-sysfs/DMI"
    # The sysfs table must equal the dump's table (a check on the serial transfer).
    test -s "$here/$name.bin" && tail -c +33 "$here/$name.bin" | cmp -s - "$here/$name-sysfs/DMI"
}

# run NAME QEMU-ARGS...: boots (retrying garbled transfers), then writes
# NAME.bin, NAME-sysfs/ and NAME.dmidecode.txt.
run() {
    name=$1
    for attempt in 1 2 3; do
        if boot "$@"; then
            (cd "$here" && dmidecode --from-dump "$name.bin" > "$name.dmidecode.txt")
            return 0
        fi
        echo "garbled output from $name (attempt $attempt); see $work/$name.log (KEEP=1 keeps it)" >&2
    done
    exit 1
}

# a. pc machine (SMBIOS 2.8, 32-bit _SM_ entry point) with every value we map set.
run qemu-pc-custom -machine pc -smp 2 -m 512 \
    -smbios type=0,vendor=AnvilBIOS,version=9.8.7,date=01/02/2024 \
    -smbios type=1,manufacturer=Acme,product=Node-9,version=1.2,serial=SN-42,uuid=11111111-2222-3333-4444-555555555555,sku=SKU-7,family=Fam \
    -smbios type=2,manufacturer=BoardCo,product=BB-1,version=rev.A,serial=BSN-3,asset=BAT-4 \
    -smbios type=3,manufacturer=CaseCo,version=C1,serial=CSN-5,asset=CAT-6,sku=CSKU-7 \
    -smbios type=4,sock_pfx=Socket,manufacturer=ChipCo,version=Chip-X,serial=PSN-8,asset=PAT-9,part=PPN-10,max-speed=3000,current-speed=2400 \
    -smbios type=17,loc_pfx=DIMM,bank=Bank0,manufacturer=RamCo,serial=MSN-11,asset=MAT-12,part=MPN-13,speed=2666

# b. q35 machine with QEMU's default tables and a 64-bit _SM3_ entry point (SMBIOS 3.0).
run qemu-q35-default -machine q35,smbios-entry-point-type=64 -smp 4,sockets=2 -m 3G
