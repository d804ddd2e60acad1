#!/usr/bin/env python3
"""Writes the demo organization's CloudTrail log (examples/demo/cloudtrail/): 95 days of the prod account's activity,
in the shape a trail delivers to S3 (gzipped {"Records": [...]}), with S3, DynamoDB and SNS data events logged.

The story it tells (see examples/demo/README.md, M14): the app servers' role `ec2-app-server` holds
AmazonS3FullAccess but only ever reads the web assets and writes the order exports; `jordan.park` (offboarded) makes no call;
`dana` only lists IAM; the analysts assume DataAnalyst and query; the workers do their one job.

Deterministic: run it again and the file is the same.
"""

import gzip
import json
import random
from datetime import datetime, timedelta, timezone

ACCOUNT = "200000000002"
START = datetime(2026, 8, 24, 6, 0, tzinfo=timezone.utc)
DAYS = 95
rng = random.Random(14)
records = []


def user(name, key):
    return {
        "type": "IAMUser",
        "principalId": "AIDA" + name.upper().replace(".", "").replace("-", "")[:16],
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "accountId": ACCOUNT,
        "accessKeyId": key,
        "userName": name,
    }


def role(name, session):
    return {
        "type": "AssumedRole",
        "principalId": f"AROA{name.upper()[:12]}:{session}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/{session}",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIA" + name.upper()[:12].ljust(12, "X"),
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": f"AROA{name.upper()[:12]}",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
                "accountId": ACCOUNT,
                "userName": name,
            }
        },
    }


def event(when, identity, source, name, params=None, resources=None, error=None, category="Management", ip="10.20.1.15"):
    e = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": ip,
        "userAgent": "aws-sdk-go-v2/1.30.3",
        "requestParameters": params,
        "responseElements": None,
        "eventID": "%08x-0000-4000-8000-%012x" % (len(records), len(records) * 7919),
        "readOnly": name.startswith(("Get", "List", "Describe", "Head")),
        "eventType": "AwsApiCall",
        "managementEvent": category == "Management",
        "recipientAccountId": ACCOUNT,
        "eventCategory": category,
    }
    if resources:
        e["resources"] = resources
    if error:
        e["errorCode"] = error
        e["errorMessage"] = "User is not authorized to perform this operation"
    records.append(e)


metabase = user("metabase-reporting", "AKIAMETABASE00000001")
marcus = user("marcus.webb", "AKIAMARCUSWEBB000001")
dana = user("dana", "AKIADANA000000000001")
app = role("ec2-app-server", "i-0a1b2c3d4e5f60718")
orders = role("OrdersWorker", "orders-worker")
payments = role("PaymentsService", "payments-7f3c")

for day in range(DAYS):
    d = START + timedelta(days=day)
    at = lambda h, m=0: d + timedelta(hours=h, minutes=m + rng.randrange(0, 30))  # noqa: E731
    # The app servers: read the web assets (public), export the day's orders, list the exports (S3 data events).
    for asset in ("index.html", "static/app.js", "static/app.css"):
        event(at(1), app, "s3.amazonaws.com", "GetObject",
              {"bucketName": "northwind-www", "key": asset}, category="Data")
    event(at(2), app, "s3.amazonaws.com", "ListObjects",
          {"bucketName": "northwind-customer-data", "prefix": "exports/"}, category="Data")
    event(at(3), app, "s3.amazonaws.com", "PutObject",
          {"bucketName": "northwind-customer-data", "key": f"exports/orders-{d:%Y%m%d}.csv"}, category="Data")
    # The reporting tool reads the customer export every morning.
    event(at(4), metabase, "s3.amazonaws.com", "GetObject",
          {"bucketName": "northwind-customer-data", "key": "customers.csv"}, category="Data", ip="203.0.113.25")
    # The order pipeline.
    for _ in range(3):
        event(at(5), orders, "dynamodb.amazonaws.com", "PutItem", {"tableName": "orders"},
              [{"type": "AWS::DynamoDB::Table", "ARN": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"}],
              category="Data")
    event(at(5), orders, "dynamodb.amazonaws.com", "Query", {"tableName": "orders"},
          [{"type": "AWS::DynamoDB::Table", "ARN": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"}],
          category="Data")
    event(at(6), payments, "secretsmanager.amazonaws.com", "GetSecretValue",
          {"secretId": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:prod/payments/stripe-AbCdEf"},
          [{"type": "AWS::SecretsManager::Secret",
            "ARN": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:prod/payments/stripe-AbCdEf"}])
    if day % 7 == 0:
        event(at(9), marcus, "iam.amazonaws.com", "ListUsers", {})
        event(at(9), marcus, "ec2.amazonaws.com", "DescribeInstances", {"maxResults": 100})
        event(at(10), dana, "iam.amazonaws.com", "ListRoles", {})
        event(at(10), dana, "iam.amazonaws.com", "GetRole", {"roleName": "OrdersWorker"})
    if day == 40:
        event(at(11), dana, "ec2.amazonaws.com", "TerminateInstances", {"instancesSet": {"items": [{"instanceId": "i-0a1b2c3d4e5f60718"}]}},
              error="Client.UnauthorizedOperation")
    # An AWS service acting for the account (not an identity of it).
    event(at(12), {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"}, "sts.amazonaws.com", "AssumeRole",
          {"roleArn": f"arn:aws:iam::{ACCOUNT}:role/OrdersWorker", "roleSessionName": "orders-worker"},
          [{"type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{ACCOUNT}:role/OrdersWorker"}])

name = f"examples/demo/cloudtrail/{ACCOUNT}_CloudTrail_us-east-1_20261127T0600Z_demo.json.gz"
text = json.dumps({"Records": records}, separators=(",", ":")) + "\n"
with open(name, "wb") as f:
    # No file name or time in the gzip header, so that the bytes only change when the events do.
    with gzip.GzipFile(fileobj=f, mode="wb", filename="", mtime=0) as gz:
        gz.write(text.encode())
print(f"{name}: {len(records)} events")
