#!/usr/bin/env bash
# Runs Sightline's whole test suite: unit tests, the IAM evaluation corpus, property tests, the CLI integration
# tests, and the live-collector tests against a real moto server, which this script installs (a Python venv outside
# the clone) and starts on 127.0.0.1 for the duration of the run.
set -euo pipefail
cd "$(dirname "$0")/.."

state="$(mktemp -d /tmp/sightline-test-moto.XXXXXX)"
export SIGHTLINE_MOTO_STATE="$state"
cleanup() { scripts/moto.sh stop >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT

scripts/moto.sh install
url="$(scripts/moto.sh start | sed -n 's/^MOTO_URL=//p')"
if [ -z "$url" ]; then
    echo "scripts/test.sh: moto did not start" >&2
    exit 1
fi
export SIGHTLINE_MOTO_URL="$url"

cargo test --workspace --all-targets "$@"
