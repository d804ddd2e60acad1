#!/usr/bin/env python3
"""Read a seeded moto server back with boto3 and check that each seeded misconfiguration is visible.

Usage (after `scripts/moto.sh seed`):
    python tests/moto/check_seed.py --url http://127.0.0.1:PORT [--manifest PATH] [--org] [--json OUT]

It asserts the facts the collector will rely on (what moto really returns, e.g. HttpTokens, public snapshot
permissions, "not configured" error codes) and probes read calls that a collector makes, recording which
ones moto does not serve. Prints one line per check and "N passed, N failed" at the end; exit 1 on failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.parsers import ResponseParserError

ACCOUNT = "123456789012"


class Checker:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"}, s3={"addressing_style": "path"})
        self.passed = 0
        self.failed: list[str] = []
        self.probes: list[dict[str, Any]] = []
        self._c: dict[tuple[str, str, str], Any] = {}

    def client(self, svc: str, region: str = "us-east-1", creds: dict[str, str] | None = None) -> Any:
        creds = creds or {"aws_access_key_id": "AKIAMOTOCHECKTESTKEY", "aws_secret_access_key": "x"}
        k = (svc, region, creds["aws_access_key_id"])
        if k not in self._c:
            c = boto3.client(svc, region_name=region, endpoint_url=self.url, config=self.cfg, **creds)
            if svc == "s3control":
                c.meta.events.register("before-sign.s3-control.*", _strip_account_label)
            self._c[k] = c
        return self._c[k]

    def check(self, name: str, fn: Callable[[], Any]) -> None:
        try:
            ok = fn()
            detail = ""
            if isinstance(ok, tuple):
                ok, detail = ok
        except Exception as e:  # a check that raises has failed
            ok, detail = False, f"{type(e).__name__}: {e}"
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed.append(name)
            print(f"FAIL {name} {detail}")

    def err(self, fn: Callable[[], Any]) -> str:
        """Error code a call answers with, or 'OK'."""
        try:
            fn()
            return "OK"
        except ClientError as e:
            return e.response.get("Error", {}).get("Code", "") or str(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))

    def probe(self, svc: str, op: str, region: str = "us-east-1", **kw: Any) -> None:
        """Try a read call a collector makes; record status (served / not configured / unsupported)."""
        try:
            r = getattr(self.client(svc, region), op)(**kw)
            self.probes.append({"service": svc, "operation": op, "status": "ok",
                                "http_status": r["ResponseMetadata"]["HTTPStatusCode"]})
        except ClientError as e:
            st = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            code = e.response.get("Error", {}).get("Code", "")
            msg = e.response.get("Error", {}).get("Message") or ""
            html = "<html" in msg.lower()
            # HTML pages are moto's "no such route" (404) or "not implemented" (500) answers.
            kind = "unsupported" if (st and st >= 500) or html else "not_configured"
            if html:
                code, msg = f"HTML{st}", "HTML error page (no route / not implemented)"
            self.probes.append({"service": svc, "operation": op, "status": kind, "http_status": st, "code": code,
                                "message": msg.strip().splitlines()[0][:160] if msg.strip() else ""})
        except ResponseParserError as e:  # moto's HTML 500 page for an action it does not implement
            self.probes.append({"service": svc, "operation": op, "status": "unsupported", "http_status": 500,
                                "code": "HTML500", "message": "HTML error page (not implemented)"})
        except EndpointConnectionError as e:
            self.probes.append({"service": svc, "operation": op, "status": "unreachable", "message": str(e)[:160]})


def _strip_account_label(request: Any, **_: Any) -> None:
    request.url = request.url.replace(f"://{ACCOUNT}.", "://", 1)


def run(ch: Checker, org: bool) -> None:
    iam, s3, ec2 = ch.client("iam"), ch.client("s3"), ch.client("ec2")
    c = ch.check

    # ---- identity ----
    c("sts caller is 123456789012", lambda: ch.client("sts").get_caller_identity()["Account"] == ACCOUNT)
    c("iam users seeded", lambda: {u["UserName"] for u in iam.list_users()["Users"]} >=
      {"alice-admin", "bob-mfa", "carol-cli", "dave-boundary", "erin-inline"})
    c("alice has 2 active keys", lambda: [k["Status"] for k in iam.list_access_keys(UserName="alice-admin")
                                          ["AccessKeyMetadata"]] == ["Active", "Active"])
    c("alice has a login profile", lambda: iam.get_login_profile(UserName="alice-admin")["LoginProfile"] is not None)
    c("carol has no login profile -> NoSuchEntity",
      lambda: ch.err(lambda: iam.get_login_profile(UserName="carol-cli")) == "NoSuchEntity")
    c("bob has an MFA device", lambda: len(iam.list_mfa_devices(UserName="bob-mfa")["MFADevices"]) == 1)
    c("alice has no MFA device", lambda: iam.list_mfa_devices(UserName="alice-admin")["MFADevices"] == [])
    c("virtual MFA listed as assigned", lambda: any(
        d.get("User", {}).get("UserName") == "bob-mfa"
        for d in iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]))
    c("role sl-lambda-exec has a permissions boundary", lambda: iam.get_role(RoleName="sl-lambda-exec")["Role"]
      ["PermissionsBoundary"]["PermissionsBoundaryArn"].endswith(":policy/sl-boundary"))
    c("user permissions boundary not kept by moto (known gap)",
      lambda: "PermissionsBoundary" not in iam.get_user(UserName="dave-boundary")["User"])
    c("password policy min length 8", lambda: iam.get_account_password_policy()["PasswordPolicy"]
      ["MinimumPasswordLength"] == 8)
    c("AWS managed policies loaded (MOTO_IAM_LOAD_MANAGED_POLICIES)", lambda: iam.get_policy(
        PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]["PolicyName"] == "AdministratorAccess")

    def trust_no_extid() -> bool:
        doc = iam.get_role(RoleName="sl-cross-account-no-extid")["Role"]["AssumeRolePolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc  # boto3 decodes the URL-encoded JSON
        st = doc["Statement"][0]
        return st["Principal"]["AWS"].endswith("999999999999:root") and "Condition" not in st
    c("cross-account role trusts 999999999999 without ExternalId", trust_no_extid)
    c("instance profile carries sl-ec2-app", lambda: [r["RoleName"] for r in iam.get_instance_profile(
        InstanceProfileName="sl-ec2-app-profile")["InstanceProfile"]["Roles"]] == ["sl-ec2-app"])
    c("star-star policy document", lambda: iam.get_policy_version(
        PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/sl-star-star", VersionId="v1")["PolicyVersion"]["Document"]
      ["Statement"][0]["Action"] == "*")
    c("SAML provider", lambda: len(iam.list_saml_providers()["SAMLProviderList"]) == 1)
    c("OIDC provider", lambda: len(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1)
    c("expired server certificate", lambda: iam.list_server_certificates()["ServerCertificateMetadataList"][0]
      ["Expiration"].year < 2025)

    def auth_details() -> tuple[bool, str]:
        d = iam.get_account_authorization_details()
        names = {u["UserName"] for u in d["UserDetailList"]}
        return names >= {"alice-admin", "erin-inline"}, f"users={sorted(names)}"
    c("get_account_authorization_details lists users", auth_details)

    def cred_report() -> tuple[bool, str]:
        iam.generate_credential_report()
        rep = iam.get_credential_report()["Content"].decode()
        rows = rep.splitlines()
        root = any(r.startswith("<root_account>") for r in rows)
        return len(rows) > 5, f"rows={len(rows)} root_row={root}"
    c("credential report generated", cred_report)

    # ---- S3 ----
    def policy_public() -> bool:
        p = json.loads(s3.get_bucket_policy(Bucket="sl-public-read")["Policy"])
        return p["Statement"][0]["Principal"] == "*"
    c("sl-public-read policy Principal *", policy_public)
    c("sl-public-read get_bucket_policy_status IsPublic", lambda: (
        (st := ch.err(lambda: s3.get_bucket_policy_status(Bucket="sl-public-read"))) == "OK", st))
    c("bucket without policy -> NoSuchBucketPolicy",
      lambda: ch.err(lambda: s3.get_bucket_policy(Bucket="sl-public-acl")) == "NoSuchBucketPolicy")
    c("bucket without encryption -> ServerSideEncryptionConfigurationNotFoundError",
      lambda: (code := ch.err(lambda: s3.get_bucket_encryption(Bucket="sl-public-read"))) ==
      "ServerSideEncryptionConfigurationNotFoundError" or (False, code))
    c("sl-encrypted-versioned SSE-KMS", lambda: s3.get_bucket_encryption(Bucket="sl-encrypted-versioned")
      ["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms")
    c("sl-encrypted-versioned versioning Enabled",
      lambda: s3.get_bucket_versioning(Bucket="sl-encrypted-versioned").get("Status") == "Enabled")
    c("sl-public-read versioning absent", lambda: "Status" not in s3.get_bucket_versioning(Bucket="sl-public-read"))
    c("sl-encrypted-versioned logging to sl-access-logs", lambda: s3.get_bucket_logging(
        Bucket="sl-encrypted-versioned")["LoggingEnabled"]["TargetBucket"] == "sl-access-logs")
    c("bucket without PAB -> NoSuchPublicAccessBlockConfiguration",
      lambda: ch.err(lambda: s3.get_public_access_block(Bucket="sl-public-read")) == "NoSuchPublicAccessBlockConfiguration")
    c("sl-access-logs PAB all true", lambda: all(s3.get_public_access_block(Bucket="sl-access-logs")
                                                 ["PublicAccessBlockConfiguration"].values()))
    c("sl-public-acl grants AllUsers READ", lambda: any(
        g["Grantee"].get("URI", "").endswith("/global/AllUsers") for g in s3.get_bucket_acl(Bucket="sl-public-acl")["Grants"]))
    c("sl-object-lock object lock enabled", lambda: s3.get_object_lock_configuration(Bucket="sl-object-lock")
      ["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled")
    c("sl-object-lock versioning turned on by object lock",
      lambda: s3.get_bucket_versioning(Bucket="sl-object-lock").get("Status") == "Enabled")
    c("sl-encrypted-versioned ownership BucketOwnerEnforced", lambda: s3.get_bucket_ownership_controls(
        Bucket="sl-encrypted-versioned")["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced")
    c("bucket without ownership controls -> OwnershipControlsNotFoundError",
      lambda: (code := ch.err(lambda: s3.get_bucket_ownership_controls(Bucket="sl-public-read"))) ==
      "OwnershipControlsNotFoundError" or (False, code))
    c("sl-eu-archive location eu-west-1", lambda: s3.get_bucket_location(Bucket="sl-eu-archive")
      ["LocationConstraint"] == "eu-west-1")
    c("PII object readable", lambda: b"4111111111111111" in s3.get_object(
        Bucket="sl-public-read", Key="exports/customers.csv")["Body"].read())
    c("TLS-only bucket refuses plain http (moto enforces aws:SecureTransport)",
      lambda: (code := ch.err(lambda: s3.get_object(Bucket="sl-data-pii", Key="notes/readme.txt"))) == "403"
      or (False, code))  # empty-body 403: no AccessDenied code
    c("TLS-only bucket still lists objects (policy checked on object GET/PUT/HEAD/DELETE only)",
      lambda: s3.list_objects_v2(Bucket="sl-data-pii")["KeyCount"] == 3)
    c("account-level PAB via s3control (plain endpoint)", lambda: ch.client("s3control").get_public_access_block(
        AccountId=ACCOUNT)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is False)

    # ---- EC2 ----
    def inst(name: str) -> dict:
        r = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": [name]}])["Reservations"]
        return r[0]["Instances"][0]
    c("IMDSv1 instance HttpTokens optional", lambda: inst("sl-imdsv1-web")["MetadataOptions"]["HttpTokens"] == "optional")
    c("IMDSv2 instance HttpTokens required", lambda: inst("sl-imdsv2-app")["MetadataOptions"]["HttpTokens"] == "required")
    c("IMDSv1 instance has the two open groups", lambda: sorted(g["GroupName"] for g in inst("sl-imdsv1-web")
                                                                ["SecurityGroups"]) == ["sl-open-rdp", "sl-open-ssh"])
    c("IMDSv2 instance has the instance profile", lambda: inst("sl-imdsv2-app")["IamInstanceProfile"]["Arn"]
      .endswith("instance-profile/sl-ec2-app-profile"))
    c("user data holds the fake secret", lambda: b"hunter2" in __import__("base64").b64decode(
        ec2.describe_instance_attribute(InstanceId=inst("sl-imdsv1-web")["InstanceId"], Attribute="userData")
        ["UserData"]["Value"]))

    def sg_open(name: str, port: int) -> bool:
        g = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"][0]
        return any(p.get("FromPort") == port and any(r["CidrIp"] == "0.0.0.0/0" for r in p.get("IpRanges", []))
                   for p in g["IpPermissions"])
    c("sl-open-ssh 0.0.0.0/0:22", lambda: sg_open("sl-open-ssh", 22))
    c("sl-open-rdp 0.0.0.0/0:3389", lambda: sg_open("sl-open-rdp", 3389))
    c("sl-restricted not open", lambda: not sg_open("sl-restricted", 443))

    def default_sg() -> tuple[bool, str]:
        vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        g = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                  {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
        return bool(g["IpPermissions"] or g["IpPermissionsEgress"]), \
            f"ingress={len(g['IpPermissions'])} egress={len(g['IpPermissionsEgress'])}"
    c("default SG of default VPC has rules (CIS 5.4 fails)", default_sg)
    c("one flow log (custom VPC only)", lambda: len(ec2.describe_flow_logs()["FlowLogs"]) == 1)
    c("NACL allows 0.0.0.0/0 to 22", lambda: any(
        e["RuleAction"] == "allow" and not e["Egress"] and e.get("CidrBlock") == "0.0.0.0/0"
        and e.get("PortRange", {}).get("From") == 22
        for a in ec2.describe_network_acls(Filters=[{"Name": "tag:Name", "Values": ["sl-open-nacl"]}])["NetworkAcls"]
        for e in a["Entries"]))
    c("default AMIs not loaded (only the owned one)", lambda: (
        (n := len(ec2.describe_images()["Images"])) == 1, f"images={n}"))
    c("owned AMI public", lambda: ec2.describe_images(Owners=["self"])["Images"][0]["Public"] is True)
    c("snapshot createVolumePermission group all", lambda: ec2.describe_snapshot_attribute(
        SnapshotId=ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:Name", "Values": ["sl-public-snapshot"]}])
        ["Snapshots"][0]["SnapshotId"], Attribute="createVolumePermission")["CreateVolumePermissions"] == [{"Group": "all"}])
    c("AMI's auto-created root snapshot stays private", lambda: all(
        ec2.describe_snapshot_attribute(SnapshotId=b["Ebs"]["SnapshotId"], Attribute="createVolumePermission")
        ["CreateVolumePermissions"] == [] for b in ec2.describe_images(Owners=["self"])["Images"][0]["BlockDeviceMappings"]))
    c("describe_snapshots RestorableByUserIds=all is not filtered by moto (use the attribute)", lambda: (
        (n := len(ec2.describe_snapshots(OwnerIds=["self"], RestorableByUserIds=["all"])["Snapshots"])) == 2, f"n={n}"))
    c("one unencrypted + one encrypted volume (besides root volumes)", lambda: {
        (v["Tags"][0]["Value"], v["Encrypted"]) for v in ec2.describe_volumes(
            Filters=[{"Name": "tag-key", "Values": ["Name"]}])["Volumes"]} == {("sl-vol-plain", False),
                                                                              ("sl-vol-encrypted", True)})
    c("EBS encryption by default off", lambda: ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False)

    # ---- KMS, logging, monitoring ----
    kms = ch.client("kms")
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    c("KMS rotation on sl-rotated", lambda: kms.get_key_rotation_status(KeyId=aliases["alias/sl-rotated"])
      ["KeyRotationEnabled"] is True)
    c("KMS rotation off sl-unrotated", lambda: kms.get_key_rotation_status(KeyId=aliases["alias/sl-unrotated"])
      ["KeyRotationEnabled"] is False)
    c("KMS key policy Principal *", lambda: '"AWS": "*"' in kms.get_key_policy(
        KeyId=aliases["alias/sl-unrotated"], PolicyName="default")["Policy"].replace('"AWS":"*"', '"AWS": "*"'))
    c("KMS grant", lambda: len(kms.list_grants(KeyId=aliases["alias/sl-rotated"])["Grants"]) == 1)
    ct = ch.client("cloudtrail")
    c("trail multi-region, validation off", lambda: (lambda t: t["IsMultiRegionTrail"] and not t["LogFileValidationEnabled"])(
        ct.describe_trails()["trailList"][0]))
    c("trail logging", lambda: ct.get_trail_status(Name="sl-trail")["IsLogging"] is True)
    c("trail visible from eu-west-1 (shadow trail)", lambda: (
        (n := len(ch.client("cloudtrail", "eu-west-1").describe_trails()["trailList"])) >= 1, f"trails={n}"))
    c("metric filter for unauthorized API calls", lambda: ch.client("logs").describe_metric_filters(
        logGroupName="sl-cloudtrail")["metricFilters"][0]["metricTransformations"][0]["metricName"] == "UnauthorizedAPICalls")
    c("alarm on the metric", lambda: ch.client("cloudwatch").describe_alarms(AlarmNames=["sl-unauthorized-api-calls"])
      ["MetricAlarms"][0]["AlarmActions"][0].endswith(":sl-security-alarms"))
    c("config recorder recording", lambda: ch.client("config").describe_configuration_recorder_status()
      ["ConfigurationRecordersStatus"][0]["recording"] is True)
    c("guardduty detector us-east-1 only", lambda: len(ch.client("guardduty").list_detectors()["DetectorIds"]) == 1
      and ch.client("guardduty", "eu-west-1").list_detectors()["DetectorIds"] == [])
    c("security hub enabled", lambda: "HubArn" in ch.client("securityhub").describe_hub())
    c("security hub not enabled in eu-west-1 -> error code", lambda: (
        (code := ch.err(lambda: ch.client("securityhub", "eu-west-1").describe_hub())) != "OK", code))

    # ---- data & compute ----
    rds = ch.client("rds")
    c("RDS public unencrypted", lambda: (lambda d: d["PubliclyAccessible"] and not d["StorageEncrypted"])(
        rds.describe_db_instances(DBInstanceIdentifier="sl-rds-public")["DBInstances"][0]))
    c("RDS private encrypted", lambda: (lambda d: not d["PubliclyAccessible"] and d["StorageEncrypted"])(
        rds.describe_db_instances(DBInstanceIdentifier="sl-rds-private")["DBInstances"][0]))
    c("RDS snapshot restore=all", lambda: any(
        a["AttributeName"] == "restore" and a["AttributeValues"] == ["all"]
        for a in rds.describe_db_snapshot_attributes(DBSnapshotIdentifier="sl-rds-public-snap")
        ["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]))
    lam = ch.client("lambda")
    c("lambda env secret", lambda: "DB_PASSWORD" in lam.get_function_configuration(FunctionName="sl-public-fn")
      ["Environment"]["Variables"])
    c("lambda policy Principal *", lambda: json.loads(lam.get_policy(FunctionName="sl-public-fn")["Policy"])
      ["Statement"][0]["Principal"] in ("*", {"AWS": "*"}))
    c("lambda URL auth NONE", lambda: lam.get_function_url_config(FunctionName="sl-public-fn")["AuthType"] == "NONE")
    c("lambda without policy -> ResourceNotFoundException",
      lambda: ch.err(lambda: lam.get_policy(FunctionName="sl-legacy-fn")) == "ResourceNotFoundException")
    c("SNS open policy", lambda: '"Principal":"*"' in ch.client("sns").get_topic_attributes(
        TopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:sl-open-topic")["Attributes"]["Policy"].replace(" ", ""))
    sqs = ch.client("sqs")
    c("SQS open policy", lambda: '"Principal":"*"' in sqs.get_queue_attributes(
        QueueUrl=sqs.get_queue_url(QueueName="sl-open-queue")["QueueUrl"], AttributeNames=["Policy"])
      ["Attributes"]["Policy"].replace(" ", ""))
    c("SQS encrypted queue has KMS key", lambda: "KmsMasterKeyId" in sqs.get_queue_attributes(
        QueueUrl=sqs.get_queue_url(QueueName="sl-encrypted-queue")["QueueUrl"], AttributeNames=["All"])["Attributes"])
    sm = ch.client("secretsmanager")
    c("secret rotation off", lambda: not sm.describe_secret(SecretId="sl/db-password").get("RotationEnabled", False))
    c("secret resource policy", lambda: "999999999999" in sm.get_resource_policy(SecretId="sl/db-password")["ResourcePolicy"])
    c("ECR public repo policy", lambda: '"Principal":"*"' in ch.client("ecr").get_repository_policy(
        repositoryName="sl-public-repo")["policyText"].replace(" ", ""))
    c("EFS one unencrypted", lambda: sorted(f["Encrypted"] for f in ch.client("efs").describe_file_systems()
                                            ["FileSystems"]) == [False, True])

    # ---- pagination quirks ----
    c("s3 ListBuckets MaxBuckets truncates WITHOUT a ContinuationToken", lambda: (
        lambda r: len(r["Buckets"]) == 2 and "ContinuationToken" not in r)(s3.list_buckets(MaxBuckets=2)))
    c("iam ListUsers ignores MaxItems (all users, IsTruncated false)", lambda: (
        lambda r: len(r["Users"]) >= 5 and not r["IsTruncated"])(iam.list_users(MaxItems=2)))
    c("iam ListRoles honours MaxItems with a Marker", lambda: (
        lambda r: len(r["Roles"]) == 2 and r["IsTruncated"] and r["Marker"])(iam.list_roles(MaxItems=2)))
    c("iam GetAccountAuthorizationDetails returns every AWS managed policy in one page", lambda: (
        (n := len(iam.get_account_authorization_details(Filter=["AWSManagedPolicy"])["Policies"])) > 1000, f"n={n}"))

    if org:
        o = ch.client("organizations")
        accts = o.list_accounts()["Accounts"]
        c("organization has 3 accounts", lambda: len(accts) == 3)
        members = [a["Id"] for a in accts if a["Id"] != ACCOUNT]
        for m in members:
            def in_member(m: str = m) -> tuple[bool, str]:
                cr = ch.client("sts").assume_role(RoleArn=f"arn:aws:iam::{m}:role/OrganizationAccountAccessRole",
                                                  RoleSessionName="check")["Credentials"]
                creds = {"aws_access_key_id": cr["AccessKeyId"], "aws_secret_access_key": cr["SecretAccessKey"],
                         "aws_session_token": cr["SessionToken"]}
                who = ch.client("sts", creds=creds).get_caller_identity()["Account"]
                users = [u["UserName"] for u in ch.client("iam", creds=creds).list_users()["Users"]]
                buckets = [b["Name"] for b in ch.client("s3", creds=creds).list_buckets()["Buckets"]]
                return (who == m and users == ["sl-member-user"] and buckets == [f"sl-member-{m}-data"],
                        f"who={who} users={users} buckets={buckets}")
            c(f"member {m}: assumed role sees its own user and bucket", in_member)
        c("member buckets invisible from the management account", lambda: not any(
            b["Name"].startswith("sl-member-") for b in s3.list_buckets()["Buckets"]))
        c("x-moto-account-id header also selects the account", lambda: _header_account(ch, members[0]))
        def scp_on_ou() -> tuple[bool, str]:
            ou = o.list_organizational_units_for_parent(ParentId=o.list_roots()["Roots"][0]["Id"])
            names = sorted(p["Name"] for p in o.list_policies_for_target(
                TargetId=ou["OrganizationalUnits"][0]["Id"], Filter="SERVICE_CONTROL_POLICY")["Policies"])
            return "sl-deny-leave-org" in names, f"policies={names}"
        c("SCP attached to the OU", scp_on_ou)

    # ---- read calls a collector makes: which does moto serve? ----
    p = ch.probe
    p("iam", "get_account_summary")
    p("iam", "list_entities_for_policy", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    p("iam", "generate_service_last_accessed_details", Arn=f"arn:aws:iam::{ACCOUNT}:user/alice-admin")
    p("iam", "get_access_key_last_used",
      AccessKeyId=iam.list_access_keys(UserName="alice-admin")["AccessKeyMetadata"][0]["AccessKeyId"])
    p("iam", "list_policies", Scope="Local")
    p("iam", "list_account_aliases")
    p("account", "get_alternate_contact", AlternateContactType="SECURITY")
    p("s3", "get_bucket_policy_status", Bucket="sl-public-read")
    p("s3", "get_bucket_policy_status", Bucket="sl-public-acl")
    p("s3", "get_bucket_tagging", Bucket="sl-public-read")
    p("s3", "get_bucket_lifecycle_configuration", Bucket="sl-public-read")
    p("s3", "get_bucket_replication", Bucket="sl-public-read")
    p("s3", "get_bucket_notification_configuration", Bucket="sl-public-read")
    p("s3", "list_object_versions", Bucket="sl-encrypted-versioned")
    p("s3control", "list_access_points", AccountId=ACCOUNT)
    p("ec2", "describe_regions")
    p("ec2", "describe_image_attribute", ImageId=ec2.describe_images(Owners=["self"])["Images"][0]["ImageId"],
      Attribute="launchPermission")
    p("ec2", "get_snapshot_block_public_access_state")
    p("ec2", "get_image_block_public_access_state")
    p("ec2", "get_serial_console_access_status")
    p("ec2", "describe_vpc_endpoints")
    p("ec2", "describe_vpc_peering_connections")
    p("cloudtrail", "get_event_selectors", TrailName="sl-trail")
    p("cloudtrail", "lookup_events", MaxResults=5)
    p("config", "describe_delivery_channels")
    p("accessanalyzer", "list_analyzers")
    p("guardduty", "list_findings", DetectorId=ch.client("guardduty").list_detectors()["DetectorIds"][0])
    p("securityhub", "get_enabled_standards")
    p("macie2", "get_macie_session")
    p("kms", "list_keys")
    p("rds", "describe_db_clusters")
    p("rds", "describe_db_cluster_snapshots")
    p("lambda", "list_functions")
    p("ecr", "describe_images", repositoryName="sl-public-repo")
    p("ecr", "get_registry_scanning_configuration")
    p("efs", "describe_file_system_policy",
      FileSystemId=ch.client("efs").describe_file_systems()["FileSystems"][0]["FileSystemId"])
    p("efs", "describe_backup_policy",
      FileSystemId=ch.client("efs").describe_file_systems()["FileSystems"][0]["FileSystemId"])
    p("organizations", "describe_organization")
    p("support", "describe_trusted_advisor_checks", language="en")
    p("sso-admin", "list_instances")
    p("inspector2", "batch_get_account_status", accountIds=[ACCOUNT])
    p("wafv2", "list_web_acls", Scope="REGIONAL")
    p("elbv2", "describe_load_balancers")
    p("acm", "list_certificates")
    p("ssm", "describe_instance_information")
    p("route53", "list_hosted_zones")
    p("cloudfront", "list_distributions")
    p("eks", "list_clusters")
    p("dynamodb", "list_tables")


def _header_account(ch: Checker, member: str) -> tuple[bool, str]:
    c = boto3.client("sts", region_name="us-east-1", endpoint_url=ch.url, config=ch.cfg,
                     aws_access_key_id="AKIAMOTOCHECKTESTKEY", aws_secret_access_key="x")
    c.meta.events.register("before-sign.sts.*",
                           lambda request, **_: request.headers.__setitem__("x-moto-account-id", member))
    who = c.get_caller_identity()["Account"]
    return who == member, f"who={who}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--org", action="store_true", help="also check the organization seeded with seed.py --org")
    ap.add_argument("--json", help="write the probe results (read calls moto serves or not) to this path")
    args = ap.parse_args()
    ch = Checker(args.url)
    run(ch, args.org)
    unsupported = [p for p in ch.probes if p["status"] != "ok"]
    for pr in unsupported:
        print(f"probe {pr['status']:<11} {pr['service']}.{pr['operation']}: {pr.get('http_status')} "
              f"{pr.get('code', '')} {pr.get('message', '')[:100]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"passed": ch.passed, "failed": ch.failed, "probes": ch.probes}, f, indent=2)
    print(f"{ch.passed} passed, {len(ch.failed)} failed")
    return 1 if ch.failed else 0


if __name__ == "__main__":
    sys.exit(main())
