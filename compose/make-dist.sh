#!/bin/bash
# Fill the image's build context: compose/make-dist.sh [BUILD_DIR] [DIST_DIR] [AGENT_DIR]
#   BUILD_DIR  holds tftpd bootd metadatad bmcd reconciler anvil (default .build/debug)
#   DIST_DIR   default compose/dist: bin/ (executables), lib/ (the shared libraries ldd shows that
#              a Debian base lacks: the Swift runtime, and libsqlite3 when linked), ipxe/ (the host's
#              /usr/lib/ipxe/*.kpxe|*.efi, used when the image cannot apt-get install ipxe),
#              agent/ (the discovery agent's environment, when built), entrypoint.sh
#   AGENT_DIR  what `anvil agent build --install` filled: agent-amd64/ (and agent-arm64/), each with
#              vmlinuz and initramfs.xz (default .anvil/agent; none there: an image without the agent)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-.build/debug}
dist=${2:-$here/dist}
agent=${3:-.anvil/agent}
daemons="tftpd bootd metadatad bmcd reconciler anvil"
rm -rf "$dist"
mkdir -p "$dist/bin" "$dist/lib" "$dist/ipxe" "$dist/agent"
for d in $daemons; do
    [ -x "$build/$d" ] || { echo "make-dist: $build/$d missing (swift build first)" >&2; exit 1; }
    cp "$build/$d" "$dist/bin/"
done
# Every library outside the base system's /lib and /usr/lib (the Swift toolchain's), plus
# libsqlite3 (a Debian base may lack libsqlite3-0).
for d in $daemons; do ldd "$build/$d"; done | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u |
while read -r lib; do
    case "$lib" in
        */swift/*) ;;   # the Swift runtime, wherever the toolchain lives (/opt/swift, /usr/lib/swift)
        /lib/*|/usr/lib/*|/lib64/*) case "${lib##*/}" in libsqlite3*) ;; *) continue ;; esac ;;
    esac
    cp -L "$lib" "$dist/lib/"
done
for f in /usr/lib/ipxe/*.kpxe /usr/lib/ipxe/*.efi; do [ -e "$f" ] && cp -L "$f" "$dist/ipxe/"; done
touch "$dist/ipxe/.keep" "$dist/agent/.keep"
for arch in amd64 arm64; do
    if [ -s "$agent/agent-$arch/vmlinuz" ] && [ -s "$agent/agent-$arch/initramfs.xz" ]; then
        mkdir -p "$dist/agent/agent-$arch"
        cp -L "$agent/agent-$arch/vmlinuz" "$agent/agent-$arch/initramfs.xz" "$dist/agent/agent-$arch/"
    fi
done
cp "$here/entrypoint.sh" "$dist/entrypoint.sh"
echo "make-dist: $(ls "$dist/bin" | wc -l) executables, $(ls "$dist/lib" | wc -l) libraries, $(ls "$dist/ipxe" | wc -l) iPXE files, agent: $(cd "$dist/agent" && ls -d agent-* 2>/dev/null | tr '\n' ' ' || true)in $dist"
