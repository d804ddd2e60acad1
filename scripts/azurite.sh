#!/usr/bin/env bash
# Test harness for Sightline's Azure Blob data scanning: Azurite (Microsoft's Azure Storage emulator, from npm) on
# 127.0.0.1, blob service only.
#
#   scripts/azurite.sh install          npm-install the pinned Azurite (outside the repo, reused between runs)
#   scripts/azurite.sh start [PORT]     start the blob service in the background (free port if none given);
#                                       prints AZURITE_URL=http://127.0.0.1:PORT/devstoreaccount1 (reuses a live one)
#   scripts/azurite.sh stop             stop the server started by `start`
#   scripts/azurite.sh status           print AZURITE_URL and exit 0 if it is up, exit 1 if not
#
# Azurite serves the well-known development account `devstoreaccount1` with its documented key (see
# https://learn.microsoft.com/azure/storage/common/storage-use-azurite#well-known-storage-account-and-key).
#
# Environment:
#   SIGHTLINE_AZURITE_DIR    where Azurite is installed (default /var/tmp/sightline-azurite)
#   SIGHTLINE_AZURITE_STATE  directory with the server's pid, url, data and log (default /tmp/sightline-azurite)
# Needs node and npm (Debian: apt-get install nodejs npm; installed by this script when missing and run as root).
set -euo pipefail

DIR="${SIGHTLINE_AZURITE_DIR:-/var/tmp/sightline-azurite}"
STATE="${SIGHTLINE_AZURITE_STATE:-/tmp/sightline-azurite}"
VERSION="3.37.0"

log() { printf 'azurite.sh: %s\n' "$*" >&2; }
die() { printf 'azurite.sh: error: %s\n' "$*" >&2; exit 1; }

installed() {
    [[ -x "$DIR/node_modules/.bin/azurite-blob" ]] &&
        [[ "$(node -p "require('$DIR/node_modules/azurite/package.json').version" 2>/dev/null)" == "$VERSION" ]]
}

install() {
    if ! command -v npm >/dev/null 2>&1; then
        if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
            log "installing nodejs and npm with apt-get"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
        else
            die "npm not found (Debian: apt-get install nodejs npm)"
        fi
    fi
    if installed; then
        return 0
    fi
    log "installing azurite@$VERSION into $DIR"
    mkdir -p "$DIR"
    (cd "$DIR" && npm install --no-audit --no-fund --silent "azurite@$VERSION" >/dev/null) ||
        die "npm install azurite@$VERSION failed"
    installed || die "azurite@$VERSION is not in $DIR after npm install"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

up() {
    [[ -f "$STATE/pid" && -f "$STATE/url" ]] || return 1
    kill -0 "$(cat "$STATE/pid")" 2>/dev/null || return 1
    # Any HTTP answer (Azurite answers an unsigned request with 4xx) means the server is up.
    curl -s -o /dev/null "$(cat "$STATE/url")?comp=list" 2>/dev/null
}

start() {
    if up; then
        echo "AZURITE_URL=$(cat "$STATE/url")"
        return 0
    fi
    installed || install
    mkdir -p "$STATE/data"
    local port="${1:-$(free_port)}"
    "$DIR/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" --location "$STATE/data" \
        --skipApiVersionCheck --loose --silent >"$STATE/log" 2>&1 &
    echo $! >"$STATE/pid"
    echo "http://127.0.0.1:$port/devstoreaccount1" >"$STATE/url"
    for _ in $(seq 1 60); do
        if up; then
            echo "AZURITE_URL=$(cat "$STATE/url")"
            return 0
        fi
        sleep 0.5
    done
    cat "$STATE/log" >&2 || true
    die "Azurite did not answer on port $port"
}

stop() {
    if [[ -f "$STATE/pid" ]]; then
        kill "$(cat "$STATE/pid")" 2>/dev/null || true
        rm -f "$STATE/pid" "$STATE/url"
    fi
}

case "${1:-}" in
    install) install ;;
    start) shift; start "$@" ;;
    stop) stop ;;
    status) if up; then echo "AZURITE_URL=$(cat "$STATE/url")"; else exit 1; fi ;;
    *) die "usage: scripts/azurite.sh install|start [PORT]|stop|status" ;;
esac
