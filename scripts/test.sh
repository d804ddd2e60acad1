#!/usr/bin/env bash
# Runs Sightline's whole test suite: unit tests, the IAM evaluation corpus, property tests, and the CLI
# integration tests. Services that later test targets need (moto, Azurite, Chromium) are started here.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --workspace --all-targets "$@"
