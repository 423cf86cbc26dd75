#!/bin/sh
# ipmi_sim chassis_control program: this BMC really controls one QEMU VM (README "A server's life, end to end").
#   chassis-control.sh VM_DIR MC get power boot | set power 1|0 | set reset 1 | set shutdown 1 | set boot pxe|default|…
# VM_DIR holds qemu.args (QEMU's arguments with @NIC_BOOTINDEX@/@DISK_BOOTINDEX@), and this program's
# state: pid (a running VM), boot (the next-boot device; consumed by the next start, as a BMC's
# "valid for the next boot only" flag is), calls.log. Power on starts QEMU; off and reset stop it
# (reset starts it again), so IPMI commands reach the VM exactly as they would a real machine.
dir=$1; shift 2
op=$1; shift
cd "$dir" || exit 1
echo "$(date +%s.%N) $op $*" >> calls.log

running() { [ -f pid ] && kill -0 "$(cat pid)" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$(cat pid)/status" 2>/dev/null; }

start() {
    running && return 0
    device=$(cat boot 2>/dev/null); rm -f boot
    if [ "$device" = pxe ]; then nic=1; disk=2; else nic=2; disk=1; fi
    args=$(sed -e "s/@NIC_BOOTINDEX@/$nic/g; s/@DISK_BOOTINDEX@/$disk/g" qemu.args)
    echo "$(date +%s.%N) START boot=${device:-default}" >> calls.log
    echo "==== $(date +%s.%N) power on (boot ${device:-default})" >> serial.log
    # shellcheck disable=SC2086 # qemu.args is a list of words without spaces inside them
    setsid qemu-system-x86_64 $args </dev/null >>qemu.log 2>&1 &
    echo $! > pid
}

stop() {
    if running; then
        pid=$(cat pid)
        kill "$pid" 2>/dev/null
        n=0; while kill -0 "$pid" 2>/dev/null && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
        kill -9 "$pid" 2>/dev/null
        echo "$(date +%s.%N) STOP" >> calls.log
        echo "==== $(date +%s.%N) power off" >> serial.log
    fi
    rm -f pid
}

case $op in
    get)
        for key in "$@"; do
            case $key in
                power) if running; then echo power:1; else echo power:0; fi ;;
                boot) echo "boot:$(cat boot 2>/dev/null || echo none)" ;;
                *) echo "$key:0" ;;
            esac
        done ;;
    set)
        while [ $# -ge 2 ]; do
            key=$1; value=$2; shift 2
            case $key in
                power) if [ "$value" = 1 ]; then start; else stop; fi ;;
                reset) stop; start ;;
                shutdown) stop ;;
                boot) case $value in default|none) rm -f boot ;; *) echo "$value" > boot ;; esac ;;
            esac
        done ;;
    check) ;;
esac
exit 0
