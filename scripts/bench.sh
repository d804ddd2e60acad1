#!/usr/bin/env bash
# Measures Sightline against the performance goals and prints a summary (see BENCHMARKS.md for the results).
#
#   1. one `can` evaluation: median under 10 µs on a typical account            (criterion, can/*)
#   2. `who-can` over 10,000 principals and 50,000 policies: under 1 s          (criterion + the CLI end to end)
#   3. importing a ~100 MB authorization-details export: under 3 s, peak RSS under 4x the file size
#   4. `scan` of a generated snapshot of 1,000,000 resources with every rule: under 10 s, memory bounded
#   5. `privesc` (graph and escalation analysis) of a 122-principal account: under 0.5 s; of a generated account
#      with 10,000 principals and 50,000 policies: under 30 s and 4 GiB
#   6. Azure: import and full analysis (every rule, privilege escalation) of a generated tenant of 50,000 role
#      assignments and 20,000 principals: under 10 s together
#
# Usage (from anywhere; needs cargo, python3 and GNU time, which it installs from Debian if missing):
#
#   scripts/bench.sh                 # everything
#   SKIP_CRITERION=1 scripts/bench.sh  # only the CLI measurements
#   SIGHTLINE_BIN=/path/to/sightline scripts/bench.sh  # measure that binary instead of building one
#
# Temporary files go under $BENCH_DIR (default /tmp/sightline-bench); generated exports are kept there and reused
# while the generator parameters stay the same (delete the directory to regenerate).
#
# The ~100 MB export: `generate aws-iam --principals 21500 --policies 107500 --seed 1` writes 100.1 MB
# (100,123,348 bytes; the size grows linearly with both counts). The 10k/50k export is 46.6 MB.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${BENCH_DIR:-/tmp/sightline-bench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${SIGHTLINE_BIN:-$TARGET/release/sightline}
MID_PRINCIPALS=10000
MID_POLICIES=50000
BIG_PRINCIPALS=${BIG_PRINCIPALS:-21500}
BIG_POLICIES=${BIG_POLICIES:-107500}
mkdir -p "$DIR"

if [ ! -x /usr/bin/time ]; then
    echo "== installing GNU time"
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

if [ -z "${SIGHTLINE_BIN:-}" ]; then
    echo "== building the release binary"
    # The offline build: the benchmarks use no live collection, and the AWS SDK would triple the build time.
    cargo build --release -p sightline-cli --no-default-features
fi

generate() { # NAME PRINCIPALS POLICIES
    local file=$DIR/$1.json
    if [ ! -s "$file" ] || [ "$(cat "$file.params" 2>/dev/null)" != "$2/$3" ]; then
        echo "== generating $file ($2 principals, $3 policies)"
        "$BIN" generate aws-iam --principals "$2" --policies "$3" --seed 1 -o "$file"
        echo "$2/$3" >"$file.params"
    fi
}
generate mid "$MID_PRINCIPALS" "$MID_POLICIES"
generate big "$BIG_PRINCIPALS" "$BIG_POLICIES"
# The 122-principal account, and the 10k/50k export with an administrator role that trusts the whole account
# added (so that thousands of principals can escalate and the search has work to do).
if [ ! -d "$DIR/cloudtrail" ]; then
    "$BIN" generate cloudtrail --events 300000 --files 60 --seed 1 -o "$DIR/cloudtrail"
fi
if [ ! -s "$DIR/p122.json" ]; then
    "$BIN" generate aws-iam --principals 122 --policies 300 --seed 1 -o "$DIR/p122.json"
fi
python3 - "$DIR/mid.json" "$DIR/mid-admin.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["RoleDetailList"].append({
    "Arn": "arn:aws:iam::123456789012:role/break-glass", "RoleName": "break-glass", "RoleId": "AROABREAKGLASS00000",
    "Path": "/", "CreateDate": "2024-01-01T00:00:00Z", "AttachedManagedPolicies": [], "InstanceProfileList": [],
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]},
    "RolePolicyList": [{"PolicyName": "admin", "PolicyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]})
json.dump(d, open(sys.argv[2], "w"))
PY
# The posture-scan snapshot: 1,000,000 resources of ten types (391 MB of JSON Lines).
SCAN_RESOURCES=${SCAN_RESOURCES:-1000000}
if [ ! -s "$DIR/res1m.jsonl" ] || [ "$(cat "$DIR/res1m.jsonl.params" 2>/dev/null)" != "$SCAN_RESOURCES" ]; then
    echo "== generating $DIR/res1m.jsonl ($SCAN_RESOURCES resources)"
    "$BIN" generate snapshot --resources "$SCAN_RESOURCES" -o "$DIR/res1m.jsonl"
    echo "$SCAN_RESOURCES" >"$DIR/res1m.jsonl.params"
fi

RESULTS=$DIR/results.tsv
: >"$RESULTS"

# measure NAME [--fresh FILE] COMMAND...: runs COMMAND $RUNS times (default 5) under GNU time, deleting FILE (and
# its SQLite side files) before each run when --fresh is given; records the median wall seconds and the largest max
# RSS (KiB). One run is not enough on a shared machine: wall times vary by a third from run to run.
RUNS=${RUNS:-5}
measure() {
    local name=$1 fresh=
    shift
    if [ "$1" = --fresh ]; then
        fresh=$2
        shift 2
    fi
    echo "== $name ($RUNS runs): $*"
    : >"$DIR/$name.runs"
    for _ in $(seq "$RUNS"); do
        [ -n "$fresh" ] && rm -f "$fresh" "$fresh-wal" "$fresh-shm"
        if ! /usr/bin/time -f '%e %M' -o "$DIR/$name.time" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err"; then
            echo "   FAILED (see $DIR/$name.err)"
            cat "$DIR/$name.err" "$DIR/$name.time" >&2
            exit 1
        fi
        tail -n 1 "$DIR/$name.time" >>"$DIR/$name.runs"
    done
    local wall rss
    wall=$(sort -n "$DIR/$name.runs" | awk '{w[NR] = $1} END {print w[int((NR + 1) / 2)]}')
    rss=$(sort -n -k2 "$DIR/$name.runs" | tail -n 1 | awk '{print $2}')
    printf '%s\t%s\t%s\n' "$name" "$wall" "$rss" >>"$RESULTS"
    printf '   median wall %s s (runs: %s), max RSS %s MiB\n' "$wall" "$(awk '{printf "%s ", $1}' "$DIR/$name.runs")" \
        "$((rss / 1024))"
}

rm -f "$DIR/big.db" "$DIR/mid.db"
# Import into a new database = read + parse + check every policy and reference, write SQLite.
measure import_big --fresh "$DIR/big.db" "$BIN" import aws-iam "$DIR/big.json" --db "$DIR/big.db"
# The same export added to a database that already holds a snapshot (a transaction in WAL mode). No goal; shown
# because it is slower than writing a new database.
measure import_big_again "$BIN" import aws-iam "$DIR/big.json" --db "$DIR/big.db"
# Without SQLite: read + parse + Authorizer::new + one evaluation.
measure parse_big "$BIN" can "arn:aws:iam::123456789012:user/user-0" s3:GetObject arn:aws:s3:::bucket-1/key \
    --input "$DIR/big.json"
measure import_mid --fresh "$DIR/mid.db" "$BIN" import aws-iam "$DIR/mid.json" --db "$DIR/mid.db"
# Loading from the database + Authorizer::new + one evaluation: the fixed cost of every query command.
measure can_mid "$BIN" can "arn:aws:iam::123456789012:user/user-0" s3:GetObject arn:aws:s3:::bucket-1/key \
    --db "$DIR/mid.db"
measure who_can_mid "$BIN" who-can s3:GetObject arn:aws:s3:::bucket-1/key --db "$DIR/mid.db"
measure who_can_mid_input "$BIN" who-can s3:GetObject arn:aws:s3:::bucket-1/key --input "$DIR/mid.json"
# Graph and privilege-escalation analysis (issue 5).
measure privesc_122 "$BIN" privesc --input "$DIR/p122.json" --format json
measure privesc_mid "$BIN" privesc --input "$DIR/mid.json" --format json
measure privesc_mid_admin "$BIN" privesc --input "$DIR/mid-admin.json" --format json
# CloudTrail logs read into activity records: 300,000 events in 60 gzipped files (no goal; see BENCHMARKS.md).
measure activity_import_300k "$BIN" activity import "$DIR/cloudtrail" --out "$DIR/activity.jsonl"
# Every rule over the 1M-resource snapshot: the terminal table (the default), and every finding as JSON.
measure scan_1m "$BIN" scan --input "$DIR/res1m.jsonl" --format table -o /dev/null
measure scan_1m_json "$BIN" scan --input "$DIR/res1m.jsonl" --format json -o /dev/null

# Azure (issue 7): a generated tenant (20,000 principals, 50,000 role assignments, 50 subscriptions, 20,000
# resources), imported, scanned with every rule, and searched for privilege escalation.
if [ ! -s "$DIR/aztenant/resourcegraph-authorization.json" ]; then
    "$BIN" generate azure-tenant --principals 20000 --assignments 50000 --seed 1 -o "$DIR/aztenant"
fi
measure azure_import --fresh "$DIR/az.db" "$BIN" import azure "$DIR/aztenant" --db "$DIR/az.db"
measure azure_scan "$BIN" scan --db "$DIR/az.db" --format json -o /dev/null
measure azure_privesc "$BIN" privesc --db "$DIR/az.db" --format json

if [ -z "${SKIP_CRITERION:-}" ]; then
    echo "== cargo bench -p sightline-iam --bench evaluation"
    cargo bench -p sightline-iam --bench evaluation 2>&1 | tee "$DIR/criterion.log"
fi

echo
echo "================ summary ================"
python3 - "$DIR" "$TARGET/criterion" <<'EOF'
import json, os, sys
d, crit = sys.argv[1], sys.argv[2]
rows = {}
for line in open(os.path.join(d, "results.tsv")):
    name, wall, rss = line.split("\t")
    rows[name] = (float(wall), int(rss) * 1024)
size = {n: os.path.getsize(os.path.join(d, n + ".json")) for n in ("mid", "big")}
mib = lambda b: b / 2**20

def median(path):
    try:
        with open(os.path.join(crit, path, "new", "estimates.json")) as f:
            return json.load(f)["median"]["point_estimate"]  # nanoseconds
    except OSError:
        return None

def fmt(ns):
    if ns is None:
        return "not run"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"

print(f"exports: mid (10k principals / 50k policies) {mib(size['mid']):.1f} MiB, big {mib(size['big']):.1f} MiB")
print()
print("CLI (GNU time)                      wall      max RSS   RSS / file")
for name, file in (("import_big", "big"), ("import_big_again", "big"), ("parse_big", "big"), ("import_mid", "mid"), ("can_mid", "mid"),
                   ("who_can_mid", "mid"), ("who_can_mid_input", "mid")):
    wall, rss = rows[name]
    print(f"  {name:32} {wall:6.2f} s  {mib(rss):7.0f} MiB  {rss / size[file]:5.2f}x")
print()
cases = ["user_allow", "user_implicit_deny", "user_explicit_deny", "role_allow", "role_implicit_deny",
         "role_explicit_deny"]
can = {c: median(f"can/{c}") for c in cases}
print("criterion (median)")
for c in cases:
    print(f"  {'can/' + c:44} {fmt(can[c])}")
who = median("who_can/10k_principals_50k_policies")
print(f"  {'who_can/10k_principals_50k_policies':44} {fmt(who)}")
for s in ("200_principals_500_policies", "10k_principals_50k_policies"):
    print(f"  {'authorizer_new/' + s:44} {fmt(median('authorizer_new/' + s))}")
print()

def verdict(ok):
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")

known = [v for v in can.values() if v is not None]
slowest = max(known) if known else None
wall, rss = rows["import_big"]
print("goals")
print(f"  can median < 10 µs (slowest case {fmt(slowest)}): {verdict(None if slowest is None else slowest < 10_000)}")
print(f"  who_can 10k/50k < 1 s (engine {fmt(who)}): {verdict(None if who is None else who < 1e9)}")
print(f"  who-can CLI end to end on the 10k/50k db ({rows['who_can_mid'][0]:.2f} s): "
      f"{verdict(rows['who_can_mid'][0] < 1)}")
print(f"  import {mib(size['big']):.0f} MiB < 3 s ({wall:.2f} s): {verdict(wall < 3)}")
print(f"  import peak RSS < 4x file ({rss / size['big']:.2f}x): {verdict(rss < 4 * size['big'])}")
for name, label, limit in (("privesc_122", "privesc, 122 principals, < 0.5 s", 0.5),
                           ("privesc_mid", "privesc, 10k principals / 50k policies, < 30 s and 4 GiB", 30),
                           ("privesc_mid_admin", "the same with an admin role all can assume, < 30 s and 4 GiB", 30)):
    wall, rss = rows[name]
    print(f"  {label} ({wall:.2f} s, {mib(rss):.0f} MiB): {verdict(wall < limit and rss < 4 * 2**30)}")
wall, rss = rows["scan_1m"]
print(f"  scan of 1M resources, every rule, < 10 s ({wall:.2f} s, max RSS {mib(rss):.0f} MiB): {verdict(wall < 10)}")
wall, rss = rows["scan_1m_json"]
print(f"  (the same scan writing every finding as JSON: {wall:.2f} s, max RSS {mib(rss):.0f} MiB; no goal)")
az = [rows[n] for n in ("azure_import", "azure_scan", "azure_privesc")]
total = sum(w for w, _ in az)
print(f"  Azure tenant, 20k principals / 50k assignments: import {az[0][0]:.2f} s + scan {az[1][0]:.2f} s + privesc "
      f"{az[2][0]:.2f} s = {total:.2f} s < 10 s (max RSS {mib(max(r for _, r in az)):.0f} MiB): {verdict(total < 10)}")
EOF
