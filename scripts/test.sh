#!/usr/bin/env bash
# Runs Sightline's whole test suite: unit tests, the IAM evaluation corpus, property tests, the CLI integration
# tests, the live-collector tests against a real moto server, which this script installs (a Python venv outside
# the clone) and starts on 127.0.0.1 for the duration of the run, Azure Blob data scanning against Azurite (npm),
# installed and started the same way, and the HTML report in headless Chromium, which it installs from Debian when
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."

state="$(mktemp -d /tmp/sightline-test-moto.XXXXXX)"
export SIGHTLINE_MOTO_STATE="$state"
export SIGHTLINE_AZURITE_STATE="$state/azurite"
cleanup() {
    scripts/moto.sh stop >/dev/null 2>&1 || true
    scripts/azurite.sh stop >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT

scripts/moto.sh install
scripts/azurite.sh install

# The HTML report is tested in headless Chromium (Debian's package).
if [ -z "${SIGHTLINE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "scripts/test.sh: installing Chromium for the HTML report test"
    as_root=""
    if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null
fi
url="$(scripts/moto.sh start | sed -n 's/^MOTO_URL=//p')"
if [ -z "$url" ]; then
    echo "scripts/test.sh: moto did not start" >&2
    exit 1
fi
export SIGHTLINE_MOTO_URL="$url"
azurite="$(scripts/azurite.sh start | sed -n 's/^AZURITE_URL=//p')"
if [ -z "$azurite" ]; then
    echo "scripts/test.sh: Azurite did not start" >&2
    exit 1
fi
export SIGHTLINE_AZURITE_URL="$azurite"

cargo test --workspace --all-targets "$@"
