#!/usr/bin/env bash
# Test harness for Sightline's live AWS collector: a local moto server (AWS emulator) on 127.0.0.1.
#
#   scripts/moto.sh install            create the venv and pip-install the pinned moto[server] + boto3
#   scripts/moto.sh start [PORT]       start moto_server in the background (free port if none given);
#                                      prints MOTO_URL=http://127.0.0.1:PORT (idempotent: reuses a live one)
#   scripts/moto.sh stop               stop the server started by `start`
#   scripts/moto.sh status             print MOTO_URL and exit 0 if it is up, exit 1 if not
#   scripts/moto.sh seed [URL] [ARGS]  reset moto and seed the misconfigured test account
#                                      (URL defaults to the running server; ARGS go to tests/moto/seed.py,
#                                      e.g. --org --manifest /tmp/manifest.json)
#   scripts/moto.sh check [URL] [--org] read the seeded account back and assert what the collector will see
#                                      (tests/moto/check_seed.py; prints "N passed, N failed")
#   scripts/moto.sh check-proxy [URL]  exercise tests/moto/throttle_proxy.py against moto with boto3
#   scripts/moto.sh proxy [ARGS]       run tests/moto/throttle_proxy.py with the venv's python
#
# Environment:
#   SIGHTLINE_VENV        virtualenv path (default /var/tmp/sightline-venv; outside the repo so that CI
#                         reuses it between runs on one machine)
#   SIGHTLINE_MOTO_STATE  directory with the server's pid, url and log (default /tmp/sightline-moto)
#   SIGHTLINE_MOTO_TIMEOUT seconds to wait for the server to answer (default 30)
#   SIGHTLINE_PYTHON      python used to create the venv (default python3.11, else python3)
# Works on a fresh Debian machine with python3.11 + pip and under CI=true (never prompts).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="$ROOT/tests/moto"
VENV="${SIGHTLINE_VENV:-/var/tmp/sightline-venv}"
STATE="${SIGHTLINE_MOTO_STATE:-/tmp/sightline-moto}"
TIMEOUT="${SIGHTLINE_MOTO_TIMEOUT:-30}"

# Keep these in step with tests/moto/requirements.txt.
MOTO_VERSION="5.2.5"
BOTO3_VERSION="1.44.8"
BOTOCORE_VERSION="1.44.8"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

log() { printf 'moto.sh: %s\n' "$*" >&2; }
die() { printf 'moto.sh: error: %s\n' "$*" >&2; exit 1; }

base_python() {
    if [[ -n "${SIGHTLINE_PYTHON:-}" ]]; then
        echo "$SIGHTLINE_PYTHON"
    elif command -v python3.11 >/dev/null 2>&1; then
        echo python3.11
    elif command -v python3 >/dev/null 2>&1; then
        echo python3
    else
        die "no python3 found (need python 3.9+; Debian: apt-get install python3 python3-venv)"
    fi
}

# Fingerprint of what the venv must contain: the pins and the full lock.
wanted_stamp() {
    cat "$HARNESS/requirements.txt" "$HARNESS/constraints.txt" | cksum | cut -d' ' -f1
}

venv_ok() {
    [[ -x "$VENV/bin/python" && -x "$VENV/bin/moto_server" ]] || return 1
    [[ -f "$VENV/.sightline-stamp" && "$(cat "$VENV/.sightline-stamp")" == "$(wanted_stamp)" ]] || return 1
    "$VENV/bin/python" - "$MOTO_VERSION" "$BOTO3_VERSION" "$BOTOCORE_VERSION" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
want = dict(zip(("moto", "boto3", "botocore"), sys.argv[1:]))
sys.exit(0 if all(version(p) == v for p, v in want.items()) else 1)
PY
}

make_venv() {
    local py
    py="$(base_python)"
    rm -rf "$VENV"
    if ! "$py" -m venv "$VENV" >/dev/null 2>&1; then
        rm -rf "$VENV"
        # Debian ships ensurepip separately (python3.X-venv).
        if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
            local ver
            ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
            log "python venv support missing; installing python${ver}-venv with apt-get"
            apt-get install -y -q "python${ver}-venv" >/dev/null 2>&1 \
                || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "python${ver}-venv" >/dev/null 2>&1; } \
                || apt-get install -y -q python3-venv >/dev/null 2>&1 || true
        fi
        "$py" -m venv "$VENV" || { rm -rf "$VENV"; die "cannot create a venv with $py at $VENV (Debian: apt-get install python3-venv)"; }
    fi
}

cmd_install() {
    mkdir -p "$(dirname "$VENV")"
    # Serialise concurrent installs into the same venv.
    exec 9>"$VENV.lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    if venv_ok; then
        log "already installed in $VENV (moto $MOTO_VERSION, boto3 $BOTO3_VERSION)"
        exec 9>&-
        return 0
    fi
    if [[ ! -x "$VENV/bin/pip" ]]; then
        log "creating venv $VENV"
        make_venv
    fi
    log "installing moto[server]==$MOTO_VERSION boto3==$BOTO3_VERSION into $VENV"
    if ! "$VENV/bin/python" -m pip install -q -r "$HARNESS/requirements.txt" -c "$HARNESS/constraints.txt"; then
        die "pip install failed (see above)"
    fi
    wanted_stamp >"$VENV/.sightline-stamp"
    venv_ok || die "venv $VENV does not hold the pinned versions after install"
    log "installed: $("$VENV/bin/python" -c 'from importlib.metadata import version as v; print("moto", v("moto"), "boto3", v("boto3"), "botocore", v("botocore"))')"
    exec 9>&-
}

ensure_installed() {
    venv_ok || cmd_install
}

# Exit 0 if URL answers moto's own API.
answers() {
    "$VENV/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1].rstrip("/") + "/moto-api/", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

pid_alive() {
    [[ -f "$STATE/pid" ]] || return 1
    local pid
    pid="$(cat "$STATE/pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # Guard against PID reuse: it must still be a moto server.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q moto_server
}

running_url() {
    pid_alive && [[ -f "$STATE/url" ]] && answers "$(cat "$STATE/url")" && cat "$STATE/url"
}

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
    local port="${1:-}" url pid
    ensure_installed
    mkdir -p "$STATE"
    if url="$(running_url)"; then
        if [[ -z "$port" || "$url" == "http://127.0.0.1:$port" ]]; then
            log "already running (pid $(cat "$STATE/pid"))"
            echo "MOTO_URL=$url"
            return 0
        fi
        log "a moto server is already running at $url; stopping it to start one on port $port"
        cmd_stop
    fi
    [[ -z "$port" || "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$port'"
    [[ -n "$port" ]] || port="$(free_port)"
    url="http://127.0.0.1:$port"
    local logfile="$STATE/moto-$port.log"
    rm -f "$STATE/pid" "$STATE/url"
    log "starting moto_server on $url (log: $logfile)"
    # Launched through python so that the server gets its own session (survives the caller's Ctrl-C and
    # job control) and we still learn its real pid.
    pid="$(MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_EC2_LOAD_DEFAULT_AMIS=false "$VENV/bin/python" - \
        "$logfile" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" <<'PY'
import subprocess, sys
with open(sys.argv[1], "ab") as log:
    p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
print(p.pid)
PY
)"
    echo "$pid" >"$STATE/pid"
    local deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$STATE/pid"
            tail -n 20 "$logfile" >&2 || true
            die "moto_server exited before answering on $url (port in use?); log: $logfile"
        fi
        if answers "$url"; then
            echo "$url" >"$STATE/url"
            ln -sf "$logfile" "$STATE/moto.log"
            echo "MOTO_URL=$url"
            return 0
        fi
        sleep 0.3
    done
    kill "$pid" 2>/dev/null || true
    rm -f "$STATE/pid"
    tail -n 20 "$logfile" >&2 || true
    die "moto_server did not answer on $url within ${TIMEOUT}s; log: $logfile"
}

cmd_stop() {
    if ! pid_alive; then
        rm -f "$STATE/pid" "$STATE/url"
        log "not running"
        return 0
    fi
    local pid i
    pid="$(cat "$STATE/pid")"
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "moto_server (pid $pid) ignored SIGTERM; sending SIGKILL"
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/pid" "$STATE/url"
    log "stopped (pid $pid)"
}

cmd_status() {
    local url
    if [[ -x "$VENV/bin/python" ]] && url="$(running_url)"; then
        echo "MOTO_URL=$url"
    else
        log "not running"
        return 1
    fi
}

cmd_seed() {
    local url=""
    if [[ $# -gt 0 && "$1" != -* ]]; then
        url="$1"
        shift
    fi
    ensure_installed
    if [[ -z "$url" ]]; then
        url="$(running_url)" || die "no URL given and no running server (scripts/moto.sh start)"
    fi
    exec "$VENV/bin/python" "$HARNESS/seed.py" --url "$url" "$@"
}

cmd_check() {
    local url=""
    if [[ $# -gt 0 && "$1" != -* ]]; then
        url="$1"
        shift
    fi
    ensure_installed
    if [[ -z "$url" ]]; then
        url="$(running_url)" || die "no URL given and no running server (scripts/moto.sh start)"
    fi
    "$VENV/bin/python" "$HARNESS/check_seed.py" --url "$url" "$@"
}

cmd_check_proxy() {
    local url="${1:-}"
    ensure_installed
    if [[ -z "$url" ]]; then
        url="$(running_url)" || die "no URL given and no running server (scripts/moto.sh start)"
    fi
    "$VENV/bin/python" "$HARNESS/check_proxy.py" --url "$url"
}

cmd_proxy() {
    ensure_installed
    exec "$VENV/bin/python" "$HARNESS/throttle_proxy.py" "$@"
}

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

main() {
    local cmd="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        install) cmd_install "$@" ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        status) cmd_status "$@" ;;
        seed) cmd_seed "$@" ;;
        check) cmd_check "$@" ;;
        check-proxy) cmd_check_proxy "$@" ;;
        proxy) cmd_proxy "$@" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
