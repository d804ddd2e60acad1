#!/usr/bin/env python3
"""Fault-injecting reverse proxy in front of a moto server, for testing the collector's retry and error paths.

Standard library only. Listens on 127.0.0.1 only, forwards to an upstream on 127.0.0.1 only, and stops by
itself after --time-limit seconds (default 600).

    python tests/moto/throttle_proxy.py --upstream http://127.0.0.1:5000 \\
        --rule 'iam:ListUsers=first:3' --rule 'ec2=fraction:0.5' --rule 's3=deny' --rule 'kms=error'

Prints PROXY_URL=http://127.0.0.1:PORT on stdout once it listens (and writes it to --url-file if given).

Rules: --rule MATCH=FAULT, tried in order; the first rule whose MATCH fits the request decides (it answers
with its fault when the fault fires, else the request is forwarded); requests no rule matches are forwarded.
  MATCH  SERVICE            signing name from the SigV4 credential scope: iam, ec2, s3, kms, sts, lambda, ...
         SERVICE:OPERATION  operation from X-Amz-Target (JSON protocols), Action= (query protocols, in the query
                            string or the form body) or, for S3, inferred from method + path + sub-resource
                            (ListBuckets, GetBucketPolicy, GetObject, ...); case-insensitive
         SERVICE~REGEX      REGEX searched in "METHOD /path?query" (REST APIs such as lambda, guardduty)
         *                  any request
  FAULT  first:N            throttle the first N matching requests, then pass them through
         fraction:F         throttle each matching request with probability F (deterministic with --seed)
         deny               always 403 AccessDenied
         error              always 500 InternalError
Shorthands: --throttle SERVICE[:OP] with --first N or --fraction F; --deny SERVICE; --error SERVICE.

Error bodies follow the protocol of the request: query XML (<ErrorResponse><Error><Code>Throttling</Code>),
EC2 XML (<Response><Errors><Error><Code>RequestLimitExceeded</Code>, HTTP 503), JSON
({"__type":"ThrottlingException"} + x-amzn-ErrorType, HTTP 400), S3 XML (503 SlowDown).

GET /__proxy__/stats answers JSON counters: per rule how many requests matched and were faulted, plus totals.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LOOPBACK = "127.0.0.1"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}
SCOPE_RE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
QUERY_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"

# S3 sub-resources in the query string -> operation suffix.
S3_SUBRESOURCES = {
    "policy": "BucketPolicy", "policyStatus": "BucketPolicyStatus", "acl": "BucketAcl",
    "encryption": "BucketEncryption", "versioning": "BucketVersioning", "logging": "BucketLogging",
    "publicAccessBlock": "PublicAccessBlock", "ownershipControls": "BucketOwnershipControls",
    "object-lock": "ObjectLockConfiguration", "location": "BucketLocation", "tagging": "BucketTagging",
    "lifecycle": "BucketLifecycleConfiguration", "replication": "BucketReplication", "cors": "BucketCors",
    "website": "BucketWebsite", "notification": "BucketNotificationConfiguration", "versions": "ObjectVersions",
    "uploads": "MultipartUploads",
}


@dataclass
class Rule:
    spec: str
    service: str | None  # None = any
    operation: str | None = None
    path_re: re.Pattern | None = None
    mode: str = "first"  # first | fraction | deny | error
    n: int = 0
    fraction: float = 0.0
    matched: int = 0
    faulted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def matches(self, info: dict[str, Any]) -> bool:
        if self.service and self.service != (info["service"] or "").lower():
            return False
        if self.operation and self.operation != (info["operation"] or "").lower():
            return False
        if self.path_re and not self.path_re.search(f"{info['method']} {info['path']}"):
            return False
        return True

    def fire(self, rng: random.Random) -> bool:
        """Count a matching request; True if this one gets the fault."""
        with self.lock:
            self.matched += 1
            if self.mode == "first":
                hit = self.matched <= self.n
            elif self.mode == "fraction":
                hit = rng.random() < self.fraction
            else:
                hit = True
            if hit:
                self.faulted += 1
            return hit


def parse_rule(spec: str) -> Rule:
    if "=" not in spec:
        raise ValueError(f"rule '{spec}': expected MATCH=FAULT")
    match, fault = spec.rsplit("=", 1)
    match = match.strip()
    service: str | None
    operation = path_re = None
    if "~" in match:
        service, regex = match.split("~", 1)
        path_re = re.compile(regex)
    elif ":" in match:
        service, operation = match.split(":", 1)
        operation = operation.lower()
    else:
        service = match
    service = None if service in ("*", "") else service.lower()
    rule = Rule(spec=spec, service=service, operation=operation, path_re=path_re)
    kind, _, arg = fault.strip().partition(":")
    if kind == "first":
        rule.mode, rule.n = "first", int(arg)
    elif kind == "fraction":
        rule.mode, rule.fraction = "fraction", float(arg)
        if not 0.0 <= rule.fraction <= 1.0:
            raise ValueError(f"rule '{spec}': fraction must be within 0..1")
    elif kind in ("deny", "error") and not arg:
        rule.mode = kind
    else:
        raise ValueError(f"rule '{spec}': FAULT must be first:N, fraction:F, deny or error")
    return rule


def s3_operation(method: str, path: str, query: dict[str, list[str]]) -> str:
    parts = [p for p in path.split("/", 2)[1:] if p]
    bucket, key = (parts + [None, None])[:2] if parts else (None, None)
    verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete", "HEAD": "Head", "POST": "Post"}.get(method, method)
    for sub, name in S3_SUBRESOURCES.items():
        if sub in query:
            if sub == "versions":
                return "ListObjectVersions"
            if sub == "uploads":
                return "CreateMultipartUpload" if method == "POST" else "ListMultipartUploads"
            return verb + name
    if not bucket:
        return "ListBuckets"
    if not key:
        if method == "GET":
            return "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects"
        return {"PUT": "CreateBucket", "DELETE": "DeleteBucket", "HEAD": "HeadBucket"}.get(method, verb + "Bucket")
    if method == "POST" and "delete" in query:
        return "DeleteObjects"
    return verb + "Object"


def describe(method: str, raw_path: str, headers: Any, body: bytes) -> dict[str, Any]:
    """Service, operation and protocol of a request."""
    split = urllib.parse.urlsplit(raw_path)
    query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
    auth = headers.get("Authorization", "") or ""
    m = SCOPE_RE.search(auth)
    region = service = None
    if m:
        region, service = m.group(1), m.group(2)
    elif "X-Amz-Credential" in query:  # presigned URL
        scope = query["X-Amz-Credential"][0].split("/")
        if len(scope) >= 4:
            region, service = scope[2], scope[3]
    target = headers.get("X-Amz-Target")
    ctype = (headers.get("Content-Type") or "").lower()
    operation = None
    if target:
        operation = target.rsplit(".", 1)[-1]
        protocol = "json"
    else:
        action = query.get("Action")
        if not action and "x-www-form-urlencoded" in ctype and body:
            action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action")
        if action:
            operation = action[0]
        if service in ("s3", "s3-object-lambda"):
            protocol = "s3"
            # s3control is signed as "s3" too; its paths start with /v20180820/.
            if split.path.startswith("/v20180820/"):
                protocol = "restxml"
            else:
                operation = s3_operation(method, split.path, query)
        elif service == "ec2":
            protocol = "ec2"
        elif action or "x-www-form-urlencoded" in ctype:
            protocol = "query"
        elif service in ("route53", "cloudfront"):
            protocol = "restxml"
        else:
            protocol = "json"  # REST-JSON (lambda, guardduty, efs, ...)
    return {"service": service, "region": region, "operation": operation, "protocol": protocol,
            "method": method, "path": raw_path}


def fault_response(kind: str, info: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    rid = str(uuid.uuid4())
    proto = info["protocol"]
    if kind == "throttle":
        code, msg = "Throttling", "Rate exceeded"
        status = 400
        if proto == "s3":
            code, msg, status = "SlowDown", "Please reduce your request rate.", 503
        elif proto == "ec2":
            code, msg, status = "RequestLimitExceeded", "Request limit exceeded.", 503
        elif proto == "json":
            code = "ThrottlingException"
    elif kind == "deny":
        code, msg, status = "AccessDenied", "User is not authorized to perform this action (injected by proxy)", 403
        if proto == "json":
            code = "AccessDeniedException"
        elif proto == "ec2":
            code = "UnauthorizedOperation"
    else:
        code, msg, status = "InternalError", "We encountered an internal error. Please try again.", 500
        if proto == "json":
            code = "InternalFailure"
    headers = {"x-amzn-RequestId": rid, "x-amz-request-id": rid}
    if proto == "json":
        headers["Content-Type"] = "application/x-amz-json-1.1"
        headers["x-amzn-ErrorType"] = f"{code}:http://internal.amazon.com/coral/com.amazon.coral.service/"
        body = json.dumps({"__type": code, "message": msg}).encode()
    elif proto == "s3":
        headers["Content-Type"] = "application/xml"
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{msg}</Message>'
                f"<RequestId>{rid}</RequestId><HostId>proxy</HostId></Error>").encode()
    elif proto == "ec2":
        headers["Content-Type"] = "text/xml"
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
                f"<Message>{msg}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>").encode()
    else:  # query and REST-XML
        headers["Content-Type"] = "text/xml"
        typ = "Receiver" if kind == "error" else "Sender"
        body = (f'<ErrorResponse xmlns="{QUERY_XMLNS}"><Error><Type>{typ}</Type><Code>{code}</Code>'
                f"<Message>{msg}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
    return status, headers, body


class Proxy(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, upstream: tuple[str, int], rules: list[Rule], seed: int, verbose: bool) -> None:
        super().__init__((LOOPBACK, port), Handler)
        self.upstream = upstream
        self.rules = rules
        self.rng = random.Random(seed)
        self.rng_lock = threading.Lock()
        self.verbose = verbose
        self.forwarded = 0
        self.faulted = 0
        self.count_lock = threading.Lock()

    def stats(self) -> dict[str, Any]:
        return {"forwarded": self.forwarded, "faulted": self.faulted,
                "rules": [{"rule": r.spec, "matched": r.matched, "faulted": r.faulted} for r in self.rules]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Proxy

    def log_message(self, fmt: str, *args: Any) -> None:  # quiet by default
        if self.server.verbose:
            sys.stderr.write("proxy: " + (fmt % args) + "\n")

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers: dict[str, str] | list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        items = headers.items() if isinstance(headers, dict) else headers
        for k, v in items:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _handle(self) -> None:
        body = self._read_body()
        if self.path.startswith("/__proxy__/stats"):
            self._send(200, {"Content-Type": "application/json"}, json.dumps(self.server.stats()).encode())
            return
        info = describe(self.command, self.path, self.headers, body)
        for rule in self.server.rules:
            if rule.matches(info):
                with self.server.rng_lock:
                    hit = rule.fire(self.server.rng)
                if hit:
                    kind = {"first": "throttle", "fraction": "throttle"}.get(rule.mode, rule.mode)
                    status, headers, payload = fault_response(kind, info)
                    with self.server.count_lock:
                        self.server.faulted += 1
                    sys.stderr.write(f"proxy: {kind} {info['service']}:{info['operation']} "
                                     f"{self.command} {self.path[:80]} -> {status} ({rule.spec})\n")
                    self._send(status, headers, payload)
                    return
                break  # the first matching rule decides
        self._forward(body)

    def _forward(self, body: bytes) -> None:
        host, port = self.server.upstream
        conn = http.client.HTTPConnection(host, port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body or self.command in ("POST", "PUT", "PATCH"):
                headers["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            out = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
            if self.command == "HEAD":
                # Keep the upstream Content-Length (the object's size) for HEAD.
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in HOP_BY_HOP or k.lower() == "content-length":
                        self.send_header(k, v)
                if not resp.getheader("Content-Length"):
                    self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(resp.status, out, payload)
            with self.server.count_lock:
                self.server.forwarded += 1
        except (OSError, http.client.HTTPException) as e:
            self._send(502, {"Content-Type": "text/plain"}, f"proxy: upstream error: {e}\n".encode())
        finally:
            conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _handle


def loopback_upstream(url: str) -> tuple[str, int]:
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or u.hostname != LOOPBACK or not u.port:
        raise SystemExit(f"throttle_proxy: --upstream must be http://127.0.0.1:PORT, got {url!r}")
    return LOOPBACK, u.port


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--upstream", required=True, help="moto URL, http://127.0.0.1:PORT")
    ap.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    ap.add_argument("--time-limit", type=float, default=600.0, help="stop after this many seconds (default 600)")
    ap.add_argument("--rule", action="append", default=[], help="MATCH=FAULT (repeatable, see below)")
    ap.add_argument("--throttle", help="shorthand MATCH to throttle, with --first N or --fraction F")
    ap.add_argument("--first", type=int, help="with --throttle: throttle the first N matching requests")
    ap.add_argument("--fraction", type=float, help="with --throttle: throttle this fraction of matching requests")
    ap.add_argument("--deny", action="append", default=[], help="shorthand: SERVICE answered 403 AccessDenied")
    ap.add_argument("--error", action="append", default=[], help="shorthand: SERVICE answered 500 InternalError")
    ap.add_argument("--seed", type=int, default=0, help="random seed for fraction rules (default 0)")
    ap.add_argument("--url-file", help="also write the proxy URL to this file")
    ap.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = ap.parse_args(argv)

    upstream = loopback_upstream(args.upstream)
    specs = list(args.rule)
    if args.throttle:
        if (args.first is None) == (args.fraction is None):
            ap.error("--throttle needs exactly one of --first N or --fraction F")
        specs.append(f"{args.throttle}=first:{args.first}" if args.first is not None
                     else f"{args.throttle}=fraction:{args.fraction}")
    specs += [f"{s}=deny" for s in args.deny] + [f"{s}=error" for s in args.error]
    try:
        rules = [parse_rule(s) for s in specs]
    except (ValueError, re.error) as e:
        ap.error(str(e))

    server = Proxy(args.port, upstream, rules, args.seed, args.verbose)
    url = f"http://{LOOPBACK}:{server.server_address[1]}"
    if args.url_file:
        with open(args.url_file, "w") as f:
            f.write(url + "\n")
    print(f"PROXY_URL={url}", flush=True)
    sys.stderr.write(f"proxy: {url} -> http://{upstream[0]}:{upstream[1]}, rules: {specs or 'none'}, "
                     f"stops after {args.time_limit:g}s\n")

    def stop_later() -> None:
        time.sleep(args.time_limit)
        sys.stderr.write(f"proxy: time limit of {args.time_limit:g}s reached, stopping\n")
        server.shutdown()

    threading.Thread(target=stop_later, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stderr.write(f"proxy: stats {json.dumps(server.stats())}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
