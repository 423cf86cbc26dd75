#!/bin/bash
# Anvil container entrypoint.
#   anvil-entrypoint <daemon> [flags…]   run a daemon (settings from ANVIL_* environment variables)
#   anvil-entrypoint healthcheck          GET /healthz of the daemon running as PID 1
#   anvil-entrypoint <anything else>      exec it (e.g. `anvil get servers`)
#
# bootd replicas (`podman-compose up --scale bootd=3`) share one environment, but each needs its own
# bus socket (<run>/bootd-<instance>.sock). Unless ANVIL_INSTANCE is set, a bootd claims the first
# free instance name r0…r63 by holding an flock on <run>/.bootd-rN.lock for its lifetime (the lock
# fd survives exec; it is released when the process dies), as `anvil up --bootd-replicas` names them.
#
# The agent's boot environment: bootd serves <state>/agent when `anvil agent build --install` put one
# there, else the one baked into the image (/usr/share/anvil/agent, see make-dist.sh), unless
# ANVIL_AGENT_DIR says otherwise.
set -euo pipefail

default_port() {
    case "$1" in
        tftpd) echo 9069 ;; bootd) echo 8081 ;; metadatad) echo 8082 ;; bmcd) echo 9623 ;; reconciler) echo 9080 ;;
        *) return 1 ;;
    esac
}

healthcheck() {
    local daemon port address
    daemon=$(tr -d '\n' < /proc/1/comm)
    port=${ANVIL_HTTP_PORT:-}
    if [ -z "$port" ] && [ "$daemon" = bootd ]; then port=${ANVIL_CONTAINER_API_PORT:-${SIDERO_CONTROLLER_MANAGER_CONTAINER_API_PORT:-}}; fi
    [ -n "$port" ] || port=$(default_port "$daemon") || { echo "healthcheck: PID 1 is $daemon, not an Anvil daemon" >&2; exit 1; }
    address=${ANVIL_HTTP_ADDRESS:-127.0.0.1}
    [ "$address" = 0.0.0.0 ] && address=127.0.0.1
    [ "$address" = "::" ] && address=::1
    case "$address" in *:*) address="[$address]" ;; esac
    if command -v curl >/dev/null; then
        exec curl -fsS -o /dev/null --max-time 2 "http://$address:$port/healthz"
    fi
    # No curl in the image: a bare HTTP/1.0 request through bash's /dev/tcp.
    exec 3<>"/dev/tcp/${address//[\[\]]/}/$port"
    printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    local status
    read -r -t 2 _ status _ <&3
    [ "$status" = 200 ]
}

case "${1:-}" in
    healthcheck) healthcheck ;;
    bootd)
        if [ -z "${ANVIL_INSTANCE:-}" ] && [ "${ANVIL_AUTO_INSTANCE:-true}" = true ]; then
            run=${ANVIL_RUN_DIR:-${ANVIL_STATE:-.anvil}/run}
            mkdir -p "$run"
            for n in $(seq 0 63); do
                exec 9>>"$run/.bootd-r$n.lock"
                if flock -n 9; then export ANVIL_INSTANCE="r$n"; break; fi
                exec 9>&-
            done
            [ -n "${ANVIL_INSTANCE:-}" ] || { echo "anvil-entrypoint: no free bootd instance name r0…r63 in $run" >&2; exit 1; }
            echo "anvil-entrypoint: bootd instance $ANVIL_INSTANCE (bus socket $run/bootd-$ANVIL_INSTANCE.sock)" >&2
        fi
        if [ -z "${ANVIL_AGENT_DIR:-}" ] && [ ! -s "${ANVIL_STATE:-.anvil}/agent/agent-amd64/vmlinuz" ] \
            && [ -s /usr/share/anvil/agent/agent-amd64/vmlinuz ]; then
            export ANVIL_AGENT_DIR=/usr/share/anvil/agent
            echo "anvil-entrypoint: bootd serves the image's agent environment ($ANVIL_AGENT_DIR)" >&2
        fi
        exec "$@" ;;
    "") exec anvil --help ;;
    *) exec "$@" ;;
esac
