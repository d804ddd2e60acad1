#!/usr/bin/env python3
"""Check throttle_proxy.py against a running moto server with boto3: faults first, then pass-through.

    python tests/moto/check_proxy.py --url http://127.0.0.1:PORT   (moto, seeded or not)

Starts the proxy as a child process (a few seconds each), drives it with boto3 clients whose retries are
off (to see each fault) or on (to see the SDK recover), and prints "N passed, N failed".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from typing import Any, Callable

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
passed, failed = 0, []


def check(name: str, ok: bool, detail: str = "") -> None:
    global passed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed.append(name)
        print(f"FAIL {name} {detail}")


class ProxyRun:
    def __init__(self, upstream: str, *args: str) -> None:
        self.p = subprocess.Popen([sys.executable, os.path.join(HERE, "throttle_proxy.py"), "--upstream", upstream,
                                   *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().strip()  # PROXY_URL=...
        if not line.startswith("PROXY_URL="):
            raise RuntimeError(f"proxy did not start: {line!r} {self.p.stderr.read()}")
        self.url = line.split("=", 1)[1]

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "/__proxy__/stats", timeout=5) as r:
            return json.load(r)

    def __enter__(self) -> "ProxyRun":
        return self

    def __exit__(self, *_: Any) -> None:
        self.p.terminate()
        self.p.wait(timeout=10)


def client(url: str, svc: str, attempts: int = 1) -> Any:
    cfg = Config(retries={"total_max_attempts": attempts, "mode": "standard"}, s3={"addressing_style": "path"})
    return boto3.client(svc, region_name="us-east-1", endpoint_url=url, config=cfg,
                        aws_access_key_id="AKIAPROXYCHECKTESTKY", aws_secret_access_key="x")


def outcome(fn: Callable[[], Any]) -> tuple[str, int | None]:
    try:
        r = fn()
        return "OK", r["ResponseMetadata"]["HTTPStatusCode"]
    except ClientError as e:
        return e.response["Error"].get("Code", ""), e.response["ResponseMetadata"].get("HTTPStatusCode")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True, help="moto URL")
    moto = ap.parse_args().url.rstrip("/")
    client(moto, "s3").create_bucket(Bucket="sl-proxy-check")

    rules = ["--rule", "iam:ListUsers=first:2", "--rule", "kms:ListKeys=first:1",
             "--rule", "s3:GetBucketPolicy=first:1", "--rule", "ec2:DescribeInstances=first:1",
             "--rule", "sts=fraction:0.5", "--rule", "lambda~^GET /2015-03-31/functions=first:1",
             "--deny", "sqs", "--error", "secretsmanager", "--seed", "7", "--time-limit", "60"]
    with ProxyRun(moto, *rules) as px:
        iam = client(px.url, "iam")
        seq = [outcome(iam.list_users) for _ in range(3)]
        check("query: iam ListUsers throttled twice then passes",
              seq == [("Throttling", 400), ("Throttling", 400), ("OK", 200)], str(seq))
        check("query: other iam operations pass", outcome(iam.list_roles)[0] == "OK")
        kms = client(px.url, "kms")
        seq = [outcome(kms.list_keys) for _ in range(2)]
        check("json: kms ListKeys ThrottlingException then passes",
              seq == [("ThrottlingException", 400), ("OK", 200)], str(seq))
        s3 = client(px.url, "s3")
        seq = [outcome(lambda: s3.get_bucket_policy(Bucket="sl-proxy-check")) for _ in range(2)]
        check("s3: GetBucketPolicy 503 SlowDown then moto's own answer",
              seq == [("SlowDown", 503), ("NoSuchBucketPolicy", 404)], str(seq))
        check("s3: ListBuckets unaffected", outcome(s3.list_buckets)[0] == "OK")
        ec2 = client(px.url, "ec2")
        seq = [outcome(ec2.describe_instances) for _ in range(2)]
        check("ec2: DescribeInstances RequestLimitExceeded then passes",
              seq == [("RequestLimitExceeded", 503), ("OK", 200)], str(seq))
        lam = client(px.url, "lambda")
        seq = [outcome(lam.list_functions) for _ in range(2)]
        check("rest-json path rule: lambda ListFunctions throttled then passes",
              seq == [("ThrottlingException", 400), ("OK", 200)], str(seq))
        sqs = client(px.url, "sqs")
        seq = [outcome(sqs.list_queues) for _ in range(2)]
        check("deny: sqs always AccessDeniedException 403", seq == [("AccessDeniedException", 403)] * 2, str(seq))
        sm = client(px.url, "secretsmanager")
        check("error: secretsmanager always 500 InternalFailure",
              outcome(sm.list_secrets) == ("InternalFailure", 500), str(outcome(sm.list_secrets)))
        sts = client(px.url, "sts")
        codes = [outcome(sts.get_caller_identity)[0] for _ in range(40)]
        n = codes.count("Throttling")
        check("fraction 0.5: sts throttled about half of 40 calls", 8 <= n <= 32 and codes.count("OK") == 40 - n,
              f"throttled={n}")
        st = px.stats()
        check("stats endpoint counts faults", st["faulted"] >= 8 and st["forwarded"] > 0, json.dumps(st))

    # Always-on faults in the other protocols, and bodies passing through untouched.
    with ProxyRun(moto, "--deny", "s3", "--error", "iam", "--deny", "ec2", "--error", "lambda",
                  "--time-limit", "60") as px:
        r = outcome(client(px.url, "s3").list_buckets)
        check("deny s3: 403 AccessDenied", r == ("AccessDenied", 403), str(r))
        r = outcome(client(px.url, "iam").list_users)
        check("error iam (query): 500 InternalError", r == ("InternalError", 500), str(r))
        r = outcome(client(px.url, "ec2").describe_vpcs)
        check("deny ec2: 403 UnauthorizedOperation", r == ("UnauthorizedOperation", 403), str(r))
        r = outcome(client(px.url, "lambda").list_functions)
        check("error lambda (rest-json): 500 InternalFailure", r == ("InternalFailure", 500), str(r))
    with ProxyRun(moto, "--rule", "s3:GetBucketAcl=deny", "--time-limit", "60") as px:
        s3 = client(px.url, "s3")
        data = bytes(range(256)) * 300
        s3.put_object(Bucket="sl-proxy-check", Key="blob.bin", Body=data)
        got = s3.get_object(Bucket="sl-proxy-check", Key="blob.bin")["Body"].read()
        head = s3.head_object(Bucket="sl-proxy-check", Key="blob.bin")
        check("s3 PutObject/GetObject bodies pass through intact", got == data)
        check("s3 HeadObject keeps the object's Content-Length", head["ContentLength"] == len(data))
        check("s3 GetBucketAcl denied by operation rule",
              outcome(lambda: s3.get_bucket_acl(Bucket="sl-proxy-check"))[0] == "AccessDenied")
        s3.delete_object(Bucket="sl-proxy-check", Key="blob.bin")

    # SDK retries recover from throttling (standard mode, 3 attempts).
    with ProxyRun(moto, "--throttle", "iam:ListUsers", "--first", "2", "--time-limit", "60") as px:
        t0 = time.monotonic()
        r = outcome(client(px.url, "iam", attempts=3).list_users)
        check("boto3 standard retries get through 2 throttles", r == ("OK", 200), str(r))
        check("... after backoff", time.monotonic() - t0 < 30)
        check("... and the proxy saw 2 faults", px.stats()["faulted"] == 2)

    # Time limit: the proxy exits by itself.
    px = ProxyRun(moto, "--time-limit", "1.5")
    try:
        rc = px.p.wait(timeout=15)
        check("proxy stops by itself after --time-limit", rc == 0, f"rc={rc}")
    except subprocess.TimeoutExpired:
        px.p.kill()
        check("proxy stops by itself after --time-limit", False, "still running")

    # Only loopback upstreams are accepted.
    r = subprocess.run([sys.executable, os.path.join(HERE, "throttle_proxy.py"), "--upstream",
                        "http://10.0.0.1:5000"], capture_output=True, text=True, timeout=30)
    check("non-loopback upstream refused", r.returncode != 0 and "127.0.0.1" in r.stderr, r.stderr[-200:])

    client(moto, "s3").delete_bucket(Bucket="sl-proxy-check")
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
