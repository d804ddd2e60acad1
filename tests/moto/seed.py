#!/usr/bin/env python3
"""Seed a moto server with a deliberately misconfigured AWS account for Sightline's collector tests.

Usage (normally through scripts/moto.sh seed):
    python tests/moto/seed.py --url http://127.0.0.1:PORT [--org] [--manifest PATH] [--no-reset]

Resets moto (POST /moto-api/reset), then creates, in account 123456789012 (us-east-1, plus one bucket in
eu-west-1), resources that demonstrate CIS AWS Foundations v5.0 failures and passes, CIEM paths and data for
DLP scans. With --org it also creates an AWS Organization with two member accounts and seeds each of them
through AssumeRole into OrganizationAccountAccessRole.

Calls that moto does not support are caught, recorded under "unsupported" in the manifest and skipped. The
manifest (JSON) is printed on stdout and, with --manifest, written to PATH. Progress goes to stderr.
Every name is fixed (no randomness) so that tests can assert on it; ids assigned by moto (sg-..., i-...)
change between runs and are only in the manifest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import time
import urllib.request
import zipfile
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, ReadTimeoutError
from botocore.parsers import ResponseParserError

ACCOUNT = "123456789012"
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
FOREIGN_ACCOUNT = "999999999999"  # an account outside the organization, trusted by a role
PARTNER_ACCOUNT = "444455556666"  # a vendor account, trusted with an ExternalId (the good example)

# Fake PII for DLP tests: a Visa test number (passes Luhn, never issued) and made-up contacts.
PII_CSV = (
    "name,email,card_number,phone\n"
    "Jane Example,jane.example@example.com,4111111111111111,+1-555-0100\n"
    "John Sample,john.sample@example.org,5555555555554444,+1-555-0199\n"
)
# AWS's documented example key pair: looks like a credential, is not one.
FAKE_AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
FAKE_AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

CIS_UNAUTHORIZED_PATTERN = (
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") '
    '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'
)


_T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"seed: [{time.monotonic() - _T0:5.1f}s] {msg}", file=sys.stderr, flush=True)


def pj(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"))


class Seeder:
    def __init__(self, url: str, account: str = ACCOUNT, creds: dict[str, str] | None = None) -> None:
        self.url = url.rstrip("/")
        self.account = account
        self.creds = creds or {
            "aws_access_key_id": "AKIAMOTOSEEDTESTKEY0",
            "aws_secret_access_key": "moto-seed-secret",
        }
        # One attempt only: moto answers unsupported calls with HTTP 500, which SDKs would retry.
        self.config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5,
                             read_timeout=60, s3={"addressing_style": "path"})
        self.resources: dict[str, list[dict[str, Any]]] = {}
        self.unsupported: list[dict[str, Any]] = []
        self.failed: list[dict[str, Any]] = []
        self._clients: dict[tuple[str, str], Any] = {}

    # ---- plumbing -------------------------------------------------------------------------------

    def client(self, service: str, region: str = REGION, endpoint: str | None = None) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = boto3.client(service, region_name=region, endpoint_url=endpoint or self.url,
                                              config=self.config, **self.creds)
        return self._clients[key]

    def call(self, service: str, op: str, *, region: str = REGION, client: Any = None, **kwargs: Any) -> Any:
        """Call client.op(**kwargs); on an error record it (unsupported or failed) and return None."""
        c = client or self.client(service, region)
        try:
            return getattr(c, op)(**kwargs)
        except ClientError as e:
            err = e.response.get("Error", {})
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            code = err.get("Code", "")
            message = [clean_message(err.get("Message") or str(e))]
            raw = str(err.get("Message") or "")
            if "<html" in raw.lower():  # moto's page for a service or route it does not have
                code = f"HTML{status}"
            entry = {"account": self.account, "service": service, "operation": op, "region": region,
                     "http_status": status, "code": code, "message": message[0][:300] if message else ""}
            if status in (500, 501) or "NotImplemented" in code or "not yet implemented" in str(e).lower() \
                    or "has not been implemented" in str(e).lower() or "<html" in raw.lower():
                self.unsupported.append(entry)
                log(f"UNSUPPORTED {service}.{op}: {status} {code} {entry['message'][:120]}")
            else:
                self.failed.append(entry)
                log(f"FAILED {service}.{op}: {status} {code} {entry['message'][:160]}")
            return None
        except (EndpointConnectionError, ConnectionClosedError, ReadTimeoutError, ResponseParserError) as e:
            # ResponseParserError: moto's HTML "500 Internal Server Error" page for an action it lacks,
            # sent to a query/XML-protocol client.
            html = isinstance(e, ResponseParserError)
            entry = {"account": self.account, "service": service, "operation": op, "region": region,
                     "http_status": 500 if html else None, "code": "HTML500" if html else type(e).__name__,
                     "message": clean_message(str(e).split("b'", 1)[-1].replace("\\n", "\n")) if html
                     else str(e)[:300]}
            self.unsupported.append(entry)
            log(f"UNSUPPORTED {service}.{op}: {entry['code']}: {entry['message'][:120]}")
            return None

    def add(self, service: str, rtype: str, name: str, *, misconfig: list[str] | None = None,
            good: list[str] | None = None, region: str | None = REGION, **extra: Any) -> dict[str, Any]:
        """Record a created resource. misconfig: what it demonstrates as bad; good: what it passes."""
        entry = {"type": rtype, "name": name, "account": self.account, "region": region,
                 "misconfigurations": misconfig or [], "passes": good or []}
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.resources.setdefault(service, []).append(entry)
        return entry

    # ---- services -------------------------------------------------------------------------------

    def seed_iam(self) -> None:
        log("iam")
        a = self.account
        star = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        notaction = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]}
        s3_ro = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                  "Resource": ["arn:aws:s3:::sl-data-pii", "arn:aws:s3:::sl-data-pii/*"]}]}
        boundary = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "cloudwatch:*"],
                     "Resource": "*"}]}
        policies = {}
        for name, doc, bad, ok in [
            ("sl-star-star", star, ["policy_allows_full_admin_star_star"], []),
            ("sl-notaction", notaction, ["policy_uses_notaction_allow"], []),
            ("sl-s3-read-pii", s3_ro, [], ["scoped_least_privilege"]),
            ("sl-boundary", boundary, [], ["used_as_permissions_boundary"]),
        ]:
            r = self.call("iam", "create_policy", PolicyName=name, PolicyDocument=pj(doc),
                          Description=f"Sightline test policy {name}")
            if r:
                policies[name] = r["Policy"]["Arn"]
                self.add("iam", "policy", name, arn=r["Policy"]["Arn"], misconfig=bad, good=ok, region=None)

        # Account password policy: weak (CIS 1.8 length >= 14, 1.9 reuse prevention).
        if self.call("iam", "update_account_password_policy", MinimumPasswordLength=8, RequireSymbols=False,
                     RequireNumbers=True, RequireUppercaseCharacters=False, RequireLowercaseCharacters=True,
                     AllowUsersToChangePassword=True, MaxPasswordAge=365, PasswordReusePrevention=1) is not None:
            self.add("iam", "account_password_policy", "account", region=None,
                     misconfig=["password_min_length_below_14", "password_reuse_prevention_below_24"])

        self.call("iam", "create_account_alias", AccountAlias="sightline-moto")
        # CIS 1.2: a billing contact but no SECURITY alternate contact.
        if self.call("account", "put_alternate_contact", AlternateContactType="BILLING", Name="Billing Example",
                     Title="Accounts", EmailAddress="billing@example.com", PhoneNumber="+1-555-0142") is not None:
            self.add("account", "alternate_contact", "BILLING", region=None,
                     misconfig=["no_security_alternate_contact"])

        # Groups.
        self.call("iam", "create_group", GroupName="sl-admins")
        if "sl-star-star" in policies:
            self.call("iam", "attach_group_policy", GroupName="sl-admins", PolicyArn=policies["sl-star-star"])
        self.add("iam", "group", "sl-admins", arn=f"arn:aws:iam::{a}:group/sl-admins", region=None,
                 misconfig=["group_has_star_star_policy"], members=["alice-admin"])
        self.call("iam", "create_group", GroupName="sl-developers")
        self.call("iam", "put_group_policy", GroupName="sl-developers", PolicyName="sl-dev-inline",
                  PolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]}))
        self.add("iam", "group", "sl-developers", arn=f"arn:aws:iam::{a}:group/sl-developers", region=None,
                 misconfig=["inline_policy_privilege_escalation_passrole_runinstances"], members=["carol-cli"])
        self.call("iam", "create_group", GroupName="sl-empty")
        self.add("iam", "group", "sl-empty", arn=f"arn:aws:iam::{a}:group/sl-empty", region=None,
                 misconfig=["group_without_members"])

        # Users.
        def user(name: str, **kw: Any) -> None:
            self.call("iam", "create_user", UserName=name, **kw)

        # alice: console password, no MFA, two active keys, admin policy attached directly + via group.
        user("alice-admin", Tags=[{"Key": "team", "Value": "platform"}])
        self.call("iam", "create_login_profile", UserName="alice-admin", Password="Sightline-Test-1",
                  PasswordResetRequired=False)
        keys = []
        for _ in range(2):
            r = self.call("iam", "create_access_key", UserName="alice-admin")
            if r:
                keys.append(r["AccessKey"]["AccessKeyId"])
        self.call("iam", "add_user_to_group", GroupName="sl-admins", UserName="alice-admin")
        self.call("iam", "attach_user_policy", UserName="alice-admin",
                  PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        self.add("iam", "user", "alice-admin", arn=f"arn:aws:iam::{a}:user/alice-admin", region=None,
                 access_key_ids=keys, misconfig=["console_password_without_mfa", "two_active_access_keys",
                                                  "policy_attached_directly_to_user", "user_is_admin"])

        # bob: console password with a virtual MFA device enabled.
        user("bob-mfa")
        self.call("iam", "create_login_profile", UserName="bob-mfa", Password="Sightline-Test-2",
                  PasswordResetRequired=False)
        r = self.call("iam", "create_virtual_mfa_device", VirtualMFADeviceName="bob-mfa")
        serial = r["VirtualMFADevice"]["SerialNumber"] if r else None
        if serial:
            self.call("iam", "enable_mfa_device", UserName="bob-mfa", SerialNumber=serial,
                      AuthenticationCode1="123456", AuthenticationCode2="654321")
        self.call("iam", "add_user_to_group", GroupName="sl-developers", UserName="bob-mfa")
        self.add("iam", "user", "bob-mfa", arn=f"arn:aws:iam::{a}:user/bob-mfa", region=None, mfa_serial=serial,
                 good=["console_password_with_mfa", "no_access_keys", "permissions_via_group_only"])

        # carol: programmatic only (one key), in the developers group (PassRole + RunInstances).
        user("carol-cli")
        r = self.call("iam", "create_access_key", UserName="carol-cli")
        self.call("iam", "add_user_to_group", GroupName="sl-developers", UserName="carol-cli")
        self.add("iam", "user", "carol-cli", arn=f"arn:aws:iam::{a}:user/carol-cli", region=None,
                 access_key_ids=[r["AccessKey"]["AccessKeyId"]] if r else [],
                 misconfig=["privilege_escalation_passrole_to_ec2_admin_role"], good=["no_console_password"])

        # dave: permissions boundary + managed policy with NotAction. moto 5.2.5 ignores CreateUser's
        # PermissionsBoundary and answers PutUserPermissionsBoundary with HTTP 500: check what stuck.
        boundary_arn = policies.get("sl-boundary", f"arn:aws:iam::{a}:policy/sl-boundary")
        user("dave-boundary", PermissionsBoundary=boundary_arn)
        self.call("iam", "put_user_permissions_boundary", UserName="dave-boundary", PermissionsBoundary=boundary_arn)
        got = self.call("iam", "get_user", UserName="dave-boundary")
        has_boundary = bool(got and got["User"].get("PermissionsBoundary"))
        if got and not has_boundary:
            self.unsupported.append({"account": a, "service": "iam", "operation": "create_user(PermissionsBoundary)",
                                     "region": REGION, "http_status": 200, "code": "Ignored",
                                     "message": "moto accepts the parameter but GetUser returns no PermissionsBoundary"})
        if "sl-notaction" in policies:
            self.call("iam", "attach_user_policy", UserName="dave-boundary", PolicyArn=policies["sl-notaction"])
        self.add("iam", "user", "dave-boundary", arn=f"arn:aws:iam::{a}:user/dave-boundary", region=None,
                 permissions_boundary=boundary_arn if has_boundary else None,
                 misconfig=["notaction_policy_attached"], good=["has_permissions_boundary"] if has_boundary else [],
                 note=None if has_boundary else "user permissions boundaries unsupported by moto; "
                                                "see role sl-lambda-exec for a boundary")

        # erin: inline user policy, console password, no MFA, inactive old key.
        user("erin-inline")
        self.call("iam", "create_login_profile", UserName="erin-inline", Password="Sightline-Test-3",
                  PasswordResetRequired=True)
        self.call("iam", "put_user_policy", UserName="erin-inline", PolicyName="sl-erin-inline",
                  PolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "kms:Decrypt"], "Resource": "*"}]}))
        r = self.call("iam", "create_access_key", UserName="erin-inline")
        if r:
            self.call("iam", "update_access_key", UserName="erin-inline",
                      AccessKeyId=r["AccessKey"]["AccessKeyId"], Status="Inactive")
        self.add("iam", "user", "erin-inline", arn=f"arn:aws:iam::{a}:user/erin-inline", region=None,
                 misconfig=["console_password_without_mfa", "inline_policy_on_user", "secret_read_on_all_resources"],
                 good=["only_inactive_access_key"])

        # Roles.
        def role(name: str, trust: dict, bad: list[str], ok: list[str], boundary: str | None = None,
                 **extra: Any) -> None:
            kw = {"PermissionsBoundary": boundary} if boundary else {}
            r = self.call("iam", "create_role", RoleName=name, AssumeRolePolicyDocument=pj(trust),
                          Description=f"Sightline test role {name}", **kw)
            if boundary:
                extra["permissions_boundary"] = boundary
            if r:
                self.add("iam", "role", name, arn=r["Role"]["Arn"], region=None, misconfig=bad, good=ok, **extra)

        role("sl-cross-account-no-extid", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{FOREIGN_ACCOUNT}:root"},
             "Action": "sts:AssumeRole"}]},
             ["cross_account_trust_without_external_id", "foreign_account_admin"], [],
             trusted_account=FOREIGN_ACCOUNT)
        self.call("iam", "attach_role_policy", RoleName="sl-cross-account-no-extid",
                  PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        role("sl-partner-with-extid", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PARTNER_ACCOUNT}:root"},
             "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "sl-partner-42"}}}]},
             [], ["cross_account_trust_with_external_id"], trusted_account=PARTNER_ACCOUNT)
        self.call("iam", "attach_role_policy", RoleName="sl-partner-with-extid",
                  PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        role("sl-ec2-app", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
             ["instance_role_with_admin_policy"], [], instance_profile="sl-ec2-app-profile")
        if "sl-star-star" in policies:
            self.call("iam", "attach_role_policy", RoleName="sl-ec2-app", PolicyArn=policies["sl-star-star"])
        self.call("iam", "put_role_policy", RoleName="sl-ec2-app", PolicyName="sl-ec2-app-inline",
                  PolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::sl-data-pii/*"}]}))
        r = self.call("iam", "create_instance_profile", InstanceProfileName="sl-ec2-app-profile")
        if r:
            self.call("iam", "add_role_to_instance_profile", InstanceProfileName="sl-ec2-app-profile",
                      RoleName="sl-ec2-app")
            self.add("iam", "instance_profile", "sl-ec2-app-profile", arn=r["InstanceProfile"]["Arn"], region=None,
                     role="sl-ec2-app")
        role("sl-lambda-exec", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
             [], ["service_role_least_privilege", "has_permissions_boundary"], boundary=policies.get("sl-boundary"))
        self.call("iam", "attach_role_policy", RoleName="sl-lambda-exec",
                  PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        role("sl-support", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:root"}, "Action": "sts:AssumeRole"}]},
             [], ["support_role_exists"])
        self.call("iam", "attach_role_policy", RoleName="sl-support",
                  PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess")
        role("sl-flowlogs", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
             [], [])
        role("sl-cloudtrail-to-logs", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
             [], [])
        role("sl-config", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
             [], [])
        self.call("iam", "attach_role_policy", RoleName="sl-config",
                  PolicyArn="arn:aws:iam::aws:policy/service-role/AWS_ConfigRole")

        # Identity providers.
        idp_cert, _ = self_signed_cert("idp.example.com", expired=False)
        idp_b64 = "".join(idp_cert.strip().splitlines()[1:-1])
        saml = ('<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" '
                'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml">'
                '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
                '<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
                f'{idp_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>'
                '<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
                'Location="https://idp.example.com/saml/sso"/></IDPSSODescriptor></EntityDescriptor>')
        r = self.call("iam", "create_saml_provider", Name="sl-example-idp", SAMLMetadataDocument=saml)
        if r:
            self.add("iam", "saml_provider", "sl-example-idp", arn=r["SAMLProviderArn"], region=None)
        r = self.call("iam", "create_open_id_connect_provider", Url="https://token.actions.githubusercontent.com",
                      ClientIDList=["sts.amazonaws.com"], ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])
        if r:
            self.add("iam", "oidc_provider", "token.actions.githubusercontent.com",
                     arn=r["OpenIDConnectProviderArn"], region=None)
        role("sl-github-deploy", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
             "Principal": {"Federated": f"arn:aws:iam::{a}:oidc-provider/token.actions.githubusercontent.com"},
             "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]},
             ["oidc_trust_without_sub_condition"], [])

        # Server certificate, already expired (CIS 1.19). moto ignores the certificate's own dates and reports
        # UploadDate 2010-05-08 / Expiration 2012-05-08 for every server certificate: expired either way.
        cert, key = self_signed_cert("sightline-expired.example.com", expired=True)
        r = self.call("iam", "upload_server_certificate", ServerCertificateName="sl-expired-cert",
                      CertificateBody=cert, PrivateKey=key)
        if r:
            self.add("iam", "server_certificate", "sl-expired-cert", region=None,
                     arn=r["ServerCertificateMetadata"]["Arn"], misconfig=["server_certificate_expired"])

    def seed_kms(self) -> None:
        log("kms")
        self.kms_keys: dict[str, str] = {}
        for name, rotate, bad, ok in [("sl-rotated", True, [], ["key_rotation_enabled"]),
                                      ("sl-unrotated", False, ["key_rotation_disabled", "key_policy_allows_any_principal"], [])]:
            r = self.call("kms", "create_key", Description=f"Sightline test key {name}",
                          Tags=[{"TagKey": "Name", "TagValue": name}])
            if not r:
                continue
            kid, arn = r["KeyMetadata"]["KeyId"], r["KeyMetadata"]["Arn"]
            self.kms_keys[name] = arn
            self.call("kms", "create_alias", AliasName=f"alias/{name}", TargetKeyId=kid)
            if rotate:
                self.call("kms", "enable_key_rotation", KeyId=kid)
            extra: dict[str, Any] = {}
            if name == "sl-unrotated":
                policy = {"Version": "2012-10-17", "Statement": [
                    {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{self.account}:root"},
                     "Action": "kms:*", "Resource": "*"},
                    {"Sid": "AnyoneDecrypt", "Effect": "Allow", "Principal": {"AWS": "*"},
                     "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}
                self.call("kms", "put_key_policy", KeyId=kid, PolicyName="default", Policy=pj(policy))
            else:
                g = self.call("kms", "create_grant", KeyId=kid,
                              GranteePrincipal=f"arn:aws:iam::{self.account}:role/sl-ec2-app",
                              Operations=["Decrypt", "GenerateDataKey"], Name="sl-ec2-app-grant")
                if g:
                    extra["grant_id"] = g["GrantId"]
            self.add("kms", "key", name, id=kid, arn=arn, alias=f"alias/{name}", misconfig=bad, good=ok, **extra)

    def seed_s3(self) -> None:
        log("s3")
        a = self.account

        def bucket(name: str, region: str = REGION, **kw: Any) -> bool:
            args: dict[str, Any] = {"Bucket": name, **kw}
            if region != "us-east-1":
                args["CreateBucketConfiguration"] = {"LocationConstraint": region}
            return self.call("s3", "create_bucket", region=region, **args) is not None

        def put(bname: str, key: str, body: str | bytes, **kw: Any) -> None:
            self.call("s3", "put_object", Bucket=bname, Key=key, Body=body, **kw)

        # 1. Public read through the bucket policy; also holds the PII objects (DLP targets).
        bucket("sl-public-read")
        put("sl-public-read", "index.html", "<html><body>hello</body></html>", ContentType="text/html")
        put("sl-public-read", "exports/customers.csv", PII_CSV, ContentType="text/csv")
        self.call("s3", "put_bucket_policy", Bucket="sl-public-read", Policy=pj({
            "Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                                                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::sl-public-read/*"}]}))
        self.add("s3", "bucket", "sl-public-read", arn="arn:aws:s3:::sl-public-read",
                 objects=["index.html", "exports/customers.csv"],
                 misconfig=["bucket_policy_public_principal_star", "no_default_encryption_configured",
                            "no_tls_enforcement", "versioning_disabled", "no_access_logging",
                            "public_object_contains_pii"])

        # 2. Private data bucket with PII and secrets, TLS enforced (policy applied after the uploads: moto
        #    enforces aws:SecureTransport against plain-http clients).
        bucket("sl-data-pii")
        put("sl-data-pii", "customers/customers.csv", PII_CSV, ContentType="text/csv")
        put("sl-data-pii", "config/app.env",
            f"AWS_ACCESS_KEY_ID={FAKE_AWS_KEY_ID}\nAWS_SECRET_ACCESS_KEY={FAKE_AWS_SECRET}\n"
            "SUPPORT_EMAIL=support@example.net\n", ContentType="text/plain")
        put("sl-data-pii", "notes/readme.txt", "Nothing sensitive here.\n", ContentType="text/plain")
        self.call("s3", "put_bucket_policy", Bucket="sl-data-pii", Policy=pj({
            "Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                                                   "Action": "s3:*",
                                                   "Resource": ["arn:aws:s3:::sl-data-pii", "arn:aws:s3:::sl-data-pii/*"],
                                                   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
        self.add("s3", "bucket", "sl-data-pii", arn="arn:aws:s3:::sl-data-pii",
                 objects=["customers/customers.csv", "config/app.env", "notes/readme.txt"],
                 misconfig=["contains_pii", "contains_aws_credentials", "no_default_encryption_configured"],
                 good=["tls_enforced_by_policy"],
                 note="objects are readable only over https once the TLS policy is set; moto enforces it on http")

        # 3. Encrypted (SSE-KMS) + versioned + access logging to sl-access-logs.
        bucket("sl-access-logs")
        self.call("s3", "put_bucket_policy", Bucket="sl-access-logs", Policy=pj({
            "Version": "2012-10-17", "Statement": [{"Sid": "S3ServerAccessLogs", "Effect": "Allow",
                                                   "Principal": {"Service": "logging.s3.amazonaws.com"},
                                                   "Action": "s3:PutObject", "Resource": "arn:aws:s3:::sl-access-logs/*",
                                                   "Condition": {"StringEquals": {"aws:SourceAccount": a}}}]}))
        self.call("s3", "put_public_access_block", Bucket="sl-access-logs", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        self.add("s3", "bucket", "sl-access-logs", arn="arn:aws:s3:::sl-access-logs",
                 good=["public_access_block_all"], misconfig=["no_default_encryption_configured"])
        bucket("sl-encrypted-versioned")
        kms_arn = getattr(self, "kms_keys", {}).get("sl-rotated")
        enc_rule: dict[str, Any] = {"SSEAlgorithm": "aws:kms"}
        if kms_arn:
            enc_rule["KMSMasterKeyID"] = kms_arn
        self.call("s3", "put_bucket_encryption", Bucket="sl-encrypted-versioned",
                  ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": enc_rule,
                                                                "BucketKeyEnabled": True}]})
        self.call("s3", "put_bucket_versioning", Bucket="sl-encrypted-versioned",
                  VersioningConfiguration={"Status": "Enabled"})
        self.call("s3", "put_bucket_logging", Bucket="sl-encrypted-versioned", BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "sl-access-logs", "TargetPrefix": "sl-encrypted-versioned/"}})
        self.call("s3", "put_public_access_block", Bucket="sl-encrypted-versioned", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        self.call("s3", "put_bucket_ownership_controls", Bucket="sl-encrypted-versioned",
                  OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        put("sl-encrypted-versioned", "reports/q1.txt", "quarterly numbers: 42\n")
        put("sl-encrypted-versioned", "reports/q1.txt", "quarterly numbers: 43 (revised)\n")
        self.add("s3", "bucket", "sl-encrypted-versioned", arn="arn:aws:s3:::sl-encrypted-versioned",
                 kms_key=kms_arn, objects=["reports/q1.txt (2 versions)"],
                 good=["default_encryption_sse_kms", "versioning_enabled", "access_logging_enabled",
                       "public_access_block_all", "ownership_bucket_owner_enforced"],
                 misconfig=["mfa_delete_disabled"])

        # 4. Public ACL (ACLs enabled through ObjectWriter ownership).
        bucket("sl-public-acl", ObjectOwnership="ObjectWriter")
        self.call("s3", "put_bucket_acl", Bucket="sl-public-acl", ACL="public-read")
        put("sl-public-acl", "logo.txt", "not really a logo\n", ACL="public-read")
        self.add("s3", "bucket", "sl-public-acl", arn="arn:aws:s3:::sl-public-acl",
                 misconfig=["bucket_acl_public_read_allusers", "object_acl_public_read", "acls_enabled_object_writer"])

        # 5. Object lock (must be enabled at creation).
        bucket("sl-object-lock", ObjectLockEnabledForBucket=True)
        self.call("s3", "put_object_lock_configuration", Bucket="sl-object-lock", ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        self.call("s3", "put_bucket_encryption", Bucket="sl-object-lock", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        self.add("s3", "bucket", "sl-object-lock", arn="arn:aws:s3:::sl-object-lock",
                 good=["object_lock_enabled", "versioning_enabled", "default_encryption_sse_s3"])

        # 6. A bucket in eu-west-1.
        bucket("sl-eu-archive", region=OTHER_REGION)
        self.call("s3", "put_object", region=OTHER_REGION, Bucket="sl-eu-archive", Key="archive/2024.txt",
                  Body=b"archived contact: archive.owner@example.com\n")
        self.add("s3", "bucket", "sl-eu-archive", region=OTHER_REGION, arn="arn:aws:s3:::sl-eu-archive",
                 objects=["archive/2024.txt"], misconfig=["no_default_encryption_configured", "versioning_disabled"])

        # Account-level public access block (s3control). The SDK's endpoint rules send it to
        # http://ACCOUNT.127.0.0.1:PORT, which does not resolve; strip the account label before signing.
        # moto serves the call on the plain endpoint (it routes /v20180820/... paths to s3control).
        ctl = self.client("s3control")
        prefix = f"://{a}."

        def strip_account_label(request: Any, **_: Any) -> None:
            request.url = request.url.replace(prefix, "://", 1)

        ctl.meta.events.register("before-sign.s3-control.*", strip_account_label)
        r = self.call("s3control", "put_public_access_block", client=ctl, AccountId=a,
                      PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                                      "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
        if r is not None:
            self.add("s3", "account_public_access_block", a, region=None,
                     misconfig=["account_public_access_block_partial (BlockPublicPolicy=false, RestrictPublicBuckets=false)"])

    def seed_ec2(self) -> None:
        log("ec2")
        a = self.account
        vpcs = self.call("ec2", "describe_vpcs", Filters=[{"Name": "isDefault", "Values": ["true"]}])
        default_vpc = vpcs["Vpcs"][0]["VpcId"] if vpcs and vpcs["Vpcs"] else None
        self.default_vpc = default_vpc
        self.add("ec2", "vpc", "default", id=default_vpc, misconfig=["no_flow_logs"], is_default=True)
        if default_vpc:
            sgs = self.call("ec2", "describe_security_groups", Filters=[
                {"Name": "vpc-id", "Values": [default_vpc]}, {"Name": "group-name", "Values": ["default"]}])
            if sgs and sgs["SecurityGroups"]:
                self.add("ec2", "security_group", "default", id=sgs["SecurityGroups"][0]["GroupId"], vpc=default_vpc,
                         misconfig=["default_security_group_allows_traffic"])

        def sg(name: str, desc: str, perms: list[dict], bad: list[str], ok: list[str], vpc: str | None = None) -> str | None:
            args: dict[str, Any] = {"GroupName": name, "Description": desc}
            if vpc or default_vpc:
                args["VpcId"] = vpc or default_vpc
            r = self.call("ec2", "create_security_group", **args,
                          TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "Name", "Value": name}]}])
            if not r:
                return None
            gid = r["GroupId"]
            if perms:
                self.call("ec2", "authorize_security_group_ingress", GroupId=gid, IpPermissions=perms)
            self.add("ec2", "security_group", name, id=gid, vpc=vpc or default_vpc, misconfig=bad, good=ok)
            return gid

        open_ssh = sg("sl-open-ssh", "SSH open to the world",
                      [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
                      ["ingress_0_0_0_0_port_22"], [])
        open_rdp = sg("sl-open-rdp", "RDP open to the world",
                      [{"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                        "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
                      ["ingress_0_0_0_0_port_3389", "ingress_ipv6_any_port_3389"], [])
        restricted = sg("sl-restricted", "HTTPS from the corporate range only",
                        [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
                        [], ["no_admin_ports_open_to_world"])

        # Custom VPC with two subnets, a flow log, and a permissive network ACL.
        r = self.call("ec2", "create_vpc", CidrBlock="10.10.0.0/16",
                      TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "sl-vpc"}]}])
        vpc = r["Vpc"]["VpcId"] if r else None
        subnets = []
        if vpc:
            for i, az in enumerate(["us-east-1a", "us-east-1b"]):
                s = self.call("ec2", "create_subnet", VpcId=vpc, CidrBlock=f"10.10.{i}.0/24", AvailabilityZone=az,
                              TagSpecifications=[{"ResourceType": "subnet",
                                                  "Tags": [{"Key": "Name", "Value": f"sl-subnet-{i}"}]}])
                if s:
                    subnets.append(s["Subnet"]["SubnetId"])
            if self.call("logs", "create_log_group", logGroupName="sl-vpc-flow-logs") is not None:
                self.add("logs", "log_group", "sl-vpc-flow-logs",
                         arn=f"arn:aws:logs:{REGION}:{a}:log-group:sl-vpc-flow-logs:*",
                         misconfig=["no_retention_policy", "not_kms_encrypted"])
            fl = self.call("ec2", "create_flow_logs", ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                           LogGroupName="sl-vpc-flow-logs",
                           DeliverLogsPermissionArn=f"arn:aws:iam::{a}:role/sl-flowlogs")
            flow_log = fl["FlowLogIds"][0] if fl and fl.get("FlowLogIds") else None
            self.add("ec2", "vpc", "sl-vpc", id=vpc, subnets=subnets, flow_log=flow_log, good=["flow_logs_enabled"])
            n = self.call("ec2", "create_network_acl", VpcId=vpc,
                          TagSpecifications=[{"ResourceType": "network-acl",
                                              "Tags": [{"Key": "Name", "Value": "sl-open-nacl"}]}])
            if n:
                acl = n["NetworkAcl"]["NetworkAclId"]
                self.call("ec2", "create_network_acl_entry", NetworkAclId=acl, RuleNumber=100, Protocol="6",
                          RuleAction="allow", Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": 22, "To": 22})
                self.call("ec2", "create_network_acl_entry", NetworkAclId=acl, RuleNumber=110, Protocol="-1",
                          RuleAction="allow", Egress=True, CidrBlock="0.0.0.0/0")
                if subnets:
                    assoc = self.call("ec2", "describe_network_acls", Filters=[
                        {"Name": "association.subnet-id", "Values": [subnets[0]]}])
                    if assoc and assoc["NetworkAcls"]:
                        for asc in assoc["NetworkAcls"][0]["Associations"]:
                            if asc["SubnetId"] == subnets[0]:
                                self.call("ec2", "replace_network_acl_association",
                                          AssociationId=asc["NetworkAclAssociationId"], NetworkAclId=acl)
                self.add("ec2", "network_acl", "sl-open-nacl", id=acl, vpc=vpc, subnet=subnets[0] if subnets else None,
                         misconfig=["nacl_ingress_0_0_0_0_port_22"])
            igw = self.call("ec2", "create_internet_gateway")
            if igw:
                self.call("ec2", "attach_internet_gateway", InternetGatewayId=igw["InternetGateway"]["InternetGatewayId"],
                          VpcId=vpc)

        # An AMI we own (with default AMIs disabled, register one), then made public.
        img = self.call("ec2", "register_image", Name="sl-base-image", Description="Sightline test image",
                        Architecture="x86_64", RootDeviceName="/dev/xvda", VirtualizationType="hvm",
                        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])
        ami = img["ImageId"] if img else "ami-12c6146b"
        if img:
            self.call("ec2", "modify_image_attribute", ImageId=ami,
                      LaunchPermission={"Add": [{"Group": "all"}]})
            self.add("ec2", "image", "sl-base-image", id=ami, misconfig=["ami_public"],
                     note="moto ignores the BlockDeviceMappings given: root /dev/sda1, 15 GiB, auto snapshot")
            d = self.call("ec2", "describe_images", ImageIds=[ami])
            for bdm in (d["Images"][0].get("BlockDeviceMappings", []) if d and d["Images"] else []):
                if bdm.get("Ebs", {}).get("SnapshotId"):
                    self.add("ec2", "snapshot", "sl-base-image-root", id=bdm["Ebs"]["SnapshotId"],
                             misconfig=["snapshot_unencrypted"], good=["snapshot_private"],
                             note="auto-created by moto for the AMI; untagged")

        def instance(name: str, tokens: str, sgs: list[str | None], bad: list[str], ok: list[str],
                     **kw: Any) -> str | None:
            r = self.call("ec2", "run_instances", ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                          SecurityGroupIds=[g for g in sgs if g],
                          MetadataOptions={"HttpTokens": tokens, "HttpEndpoint": "enabled"},
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
                          **kw)
            if not r:
                return None
            iid = r["Instances"][0]["InstanceId"]
            self.add("ec2", "instance", name, id=iid, image=ami, http_tokens=tokens, misconfig=bad, good=ok,
                     instance_profile=kw.get("IamInstanceProfile", {}).get("Name"))
            return iid

        i1 = instance("sl-imdsv1-web", "optional", [open_ssh, open_rdp],
                      ["imdsv1_allowed", "ssh_open_to_world", "rdp_open_to_world", "user_data_contains_secret"], [],
                      UserData="#!/bin/sh\nexport DB_PASSWORD='hunter2-Sightline-fake'\n"
                               f"export AWS_SECRET_ACCESS_KEY={FAKE_AWS_SECRET}\n")
        i2 = instance("sl-imdsv2-app", "required", [restricted], ["instance_profile_role_has_admin"],
                      ["imdsv2_required"], IamInstanceProfile={"Name": "sl-ec2-app-profile"})

        # Volumes, a public snapshot, default encryption off.
        v1 = self.call("ec2", "create_volume", AvailabilityZone="us-east-1a", Size=8, Encrypted=False,
                       TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "sl-vol-plain"}]}])
        if v1:
            self.add("ec2", "volume", "sl-vol-plain", id=v1["VolumeId"], misconfig=["ebs_volume_unencrypted"])
        kms_arn = getattr(self, "kms_keys", {}).get("sl-rotated")
        v2args: dict[str, Any] = {"KmsKeyId": kms_arn} if kms_arn else {}
        v2 = self.call("ec2", "create_volume", AvailabilityZone="us-east-1a", Size=8, Encrypted=True,
                       TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "sl-vol-encrypted"}]}],
                       **v2args)
        if v2:
            self.add("ec2", "volume", "sl-vol-encrypted", id=v2["VolumeId"], kms_key=kms_arn,
                     good=["ebs_volume_encrypted"])
        if v1:
            snap = self.call("ec2", "create_snapshot", VolumeId=v1["VolumeId"], Description="sl-public-snapshot",
                             TagSpecifications=[{"ResourceType": "snapshot",
                                                 "Tags": [{"Key": "Name", "Value": "sl-public-snapshot"}]}])
            if snap:
                self.call("ec2", "modify_snapshot_attribute", SnapshotId=snap["SnapshotId"],
                          Attribute="createVolumePermission", OperationType="add", GroupNames=["all"])
                self.add("ec2", "snapshot", "sl-public-snapshot", id=snap["SnapshotId"],
                         misconfig=["snapshot_public", "snapshot_unencrypted"])
        self.call("ec2", "disable_ebs_encryption_by_default")
        self.add("ec2", "ebs_default_encryption", REGION, misconfig=["ebs_encryption_by_default_disabled"])
        self.instances = [i for i in (i1, i2) if i]

    def seed_logging(self) -> None:
        log("cloudtrail, logs, cloudwatch, config, guardduty, securityhub, accessanalyzer")
        a = self.account
        self.call("s3", "create_bucket", Bucket="sl-cloudtrail-logs")
        self.call("s3", "put_bucket_policy", Bucket="sl-cloudtrail-logs", Policy=pj({
            "Version": "2012-10-17", "Statement": [
                {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::sl-cloudtrail-logs"},
                {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::sl-cloudtrail-logs/AWSLogs/{a}/*"}]}))
        self.add("s3", "bucket", "sl-cloudtrail-logs", arn="arn:aws:s3:::sl-cloudtrail-logs",
                 misconfig=["cloudtrail_bucket_access_logging_disabled", "no_default_encryption_configured"])

        lg = self.call("logs", "create_log_group", logGroupName="sl-cloudtrail")
        group_arn = f"arn:aws:logs:{REGION}:{a}:log-group:sl-cloudtrail:*"
        if lg is not None:
            self.add("logs", "log_group", "sl-cloudtrail", arn=group_arn, misconfig=["no_retention_policy",
                                                                                     "not_kms_encrypted"])
        t = self.call("cloudtrail", "create_trail", Name="sl-trail", S3BucketName="sl-cloudtrail-logs",
                      IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True, EnableLogFileValidation=False,
                      CloudWatchLogsLogGroupArn=group_arn,
                      CloudWatchLogsRoleArn=f"arn:aws:iam::{a}:role/sl-cloudtrail-to-logs")
        if t:
            self.call("cloudtrail", "start_logging", Name="sl-trail")
            self.add("cloudtrail", "trail", "sl-trail", arn=t.get("TrailARN"), multi_region=True,
                     good=["multi_region", "logging", "integrated_with_cloudwatch_logs"],
                     misconfig=["log_file_validation_disabled", "not_kms_encrypted"])

        self.call("sns", "create_topic", Name="sl-security-alarms")
        topic = f"arn:aws:sns:{REGION}:{a}:sl-security-alarms"
        mf = self.call("logs", "put_metric_filter", logGroupName="sl-cloudtrail",
                       filterName="sl-unauthorized-api-calls", filterPattern=CIS_UNAUTHORIZED_PATTERN,
                       metricTransformations=[{"metricName": "UnauthorizedAPICalls", "metricNamespace": "CISBenchmark",
                                               "metricValue": "1"}])
        if mf is not None:
            self.add("logs", "metric_filter", "sl-unauthorized-api-calls", log_group="sl-cloudtrail",
                     good=["cis_unauthorized_api_calls_filter"])
        al = self.call("cloudwatch", "put_metric_alarm", AlarmName="sl-unauthorized-api-calls",
                       MetricName="UnauthorizedAPICalls", Namespace="CISBenchmark", Statistic="Sum", Period=300,
                       EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold",
                       AlarmActions=[topic])
        if al is not None:
            self.add("cloudwatch", "alarm", "sl-unauthorized-api-calls", good=["alarm_for_unauthorized_api_calls"],
                     alarm_topic=topic)
        # The other CIS 4.x metric filters (root usage, console without MFA, ...) are deliberately absent.

        r = self.call("config", "put_configuration_recorder", ConfigurationRecorder={
            "name": "default", "roleARN": f"arn:aws:iam::{a}:role/sl-config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
        if r is not None:
            self.call("s3", "create_bucket", Bucket="sl-config-snapshots")
            self.add("s3", "bucket", "sl-config-snapshots", arn="arn:aws:s3:::sl-config-snapshots",
                     misconfig=["no_default_encryption_configured"])
            self.call("config", "put_delivery_channel", DeliveryChannel={"name": "default",
                                                                         "s3BucketName": "sl-config-snapshots"})
            self.call("config", "start_configuration_recorder", ConfigurationRecorderName="default")
            self.add("config", "configuration_recorder", "default", good=["recorder_all_resources_recording"])
        g = self.call("guardduty", "create_detector", Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES")
        if g:
            self.add("guardduty", "detector", REGION, id=g["DetectorId"], good=["guardduty_enabled"],
                     note="named by its region: the detector id is random")
        sh = self.call("securityhub", "enable_security_hub", EnableDefaultStandards=False)
        if sh is not None:
            self.add("securityhub", "hub", "default", good=["security_hub_enabled"])
        aa = self.call("accessanalyzer", "create_analyzer", analyzerName="sl-analyzer", type="ACCOUNT")
        if aa is not None:
            self.add("accessanalyzer", "analyzer", "sl-analyzer", arn=aa.get("arn"), good=["access_analyzer_enabled"])
        # eu-west-1 has no GuardDuty, Config or analyzer: per-region checks should fail there.

    def seed_rds(self) -> None:
        log("rds")
        r = self.call("rds", "create_db_instance", DBInstanceIdentifier="sl-rds-public", Engine="postgres",
                      DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="postgres",
                      MasterUserPassword="Sightline-Fake-Pw1", PubliclyAccessible=True, StorageEncrypted=False,
                      BackupRetentionPeriod=0, MultiAZ=False, DeletionProtection=False)
        if r:
            self.add("rds", "db_instance", "sl-rds-public", arn=r["DBInstance"]["DBInstanceArn"],
                     misconfig=["publicly_accessible", "storage_unencrypted", "backups_disabled",
                                "deletion_protection_off"])
            s = self.call("rds", "create_db_snapshot", DBInstanceIdentifier="sl-rds-public",
                          DBSnapshotIdentifier="sl-rds-public-snap")
            if s:
                self.call("rds", "modify_db_snapshot_attribute", DBSnapshotIdentifier="sl-rds-public-snap",
                          AttributeName="restore", ValuesToAdd=["all"])
                self.add("rds", "db_snapshot", "sl-rds-public-snap", arn=s["DBSnapshot"]["DBSnapshotArn"],
                         misconfig=["snapshot_public", "snapshot_unencrypted"])
        kms_arn = getattr(self, "kms_keys", {}).get("sl-rotated")
        extra: dict[str, Any] = {"KmsKeyId": kms_arn} if kms_arn else {}
        r = self.call("rds", "create_db_instance", DBInstanceIdentifier="sl-rds-private", Engine="mysql",
                      DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="admin",
                      MasterUserPassword="Sightline-Fake-Pw2", PubliclyAccessible=False, StorageEncrypted=True,
                      BackupRetentionPeriod=7, MultiAZ=True, DeletionProtection=True, AutoMinorVersionUpgrade=True,
                      **extra)
        if r:
            self.add("rds", "db_instance", "sl-rds-private", arn=r["DBInstance"]["DBInstanceArn"],
                     good=["not_publicly_accessible", "storage_encrypted", "multi_az", "backups_enabled",
                           "deletion_protection_on"])

    def seed_lambda(self) -> None:
        log("lambda")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("handler.py", "def handler(event, context):\n    return {'ok': True}\n")
        code = buf.getvalue()
        role = f"arn:aws:iam::{self.account}:role/sl-lambda-exec"
        r = self.call("lambda", "create_function", FunctionName="sl-public-fn", Runtime="python3.12", Role=role,
                      Handler="handler.handler", Code={"ZipFile": code}, Timeout=10,
                      Environment={"Variables": {"STAGE": "test", "DB_PASSWORD": "hunter2-Sightline-fake",
                                                 "AWS_SECRET_ACCESS_KEY_BACKUP": FAKE_AWS_SECRET}})
        if r:
            arn = r["FunctionArn"]
            bad = ["environment_contains_secret"]
            if self.call("lambda", "add_permission", FunctionName="sl-public-fn", StatementId="public-invoke",
                         Action="lambda:InvokeFunction", Principal="*") is not None:
                bad.append("resource_policy_allows_any_principal")
            u = self.call("lambda", "create_function_url_config", FunctionName="sl-public-fn", AuthType="NONE")
            if u:
                bad.append("function_url_auth_none")
            self.add("lambda", "function", "sl-public-fn", arn=arn, role=role,
                     function_url=u.get("FunctionUrl") if u else None, misconfig=bad)
        r = self.call("lambda", "create_function", FunctionName="sl-legacy-fn", Runtime="python3.7", Role=role,
                      Handler="handler.handler", Code={"ZipFile": code})
        if r:
            self.add("lambda", "function", "sl-legacy-fn", arn=r["FunctionArn"], role=role,
                     misconfig=["deprecated_runtime_python3.7"])

    def seed_build_and_stacks(self) -> None:
        """A CodeBuild project and a CloudFormation stack that run with the admin role sl-ec2-app, and a CI user
        who may start a build of the project: an escalation through an existing resource."""
        log("codebuild, cloudformation")
        a = self.account
        role = f"arn:aws:iam::{a}:role/sl-ec2-app"
        r = self.call("codebuild", "create_project", name="sl-deploy", source={"type": "S3", "location": "sl-build-sources/deploy.zip"},
                      artifacts={"type": "NO_ARTIFACTS"},
                      environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                                   "computeType": "BUILD_GENERAL1_SMALL"},
                      serviceRole=role)
        if r:
            arn = r["project"]["arn"]
            self.add("codebuild", "project", "sl-deploy", arn=arn, role=role,
                     misconfig=["project_runs_with_admin_role"])
            self.call("iam", "create_user", UserName="frank-builder")
            self.call("iam", "put_user_policy", UserName="frank-builder", PolicyName="sl-frank-builds",
                      PolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "codebuild:StartBuild", "Resource": arn}]}))
            self.add("iam", "user", "frank-builder", arn=f"arn:aws:iam::{a}:user/frank-builder", region=None,
                     misconfig=["privilege_escalation_codebuild_start_build"])
        template = pj({"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "sl-stack-queue"}}}})
        r = self.call("cloudformation", "create_stack", StackName="sl-base", TemplateBody=template, RoleARN=role)
        if r:
            self.add("cloudformation", "stack", "sl-base", arn=r["StackId"], role=role,
                     misconfig=["stack_runs_with_admin_role"])

    def seed_containers_and_scaling(self) -> None:
        """ECS and Auto Scaling resources that run with admin roles, and two users who may take them over: grace may
        run the existing task definition sl-worker (whose task role is the admin role sl-ecs-task-admin) with a
        command of her own, heidi may add a version to the launch template that the group sl-web-asg launches at
        $Default with the profile of sl-ec2-app."""
        log("ecs, autoscaling")
        a = self.account
        r = self.call("iam", "create_role", RoleName="sl-ecs-task-admin", Description="Sightline test role sl-ecs-task-admin",
                      AssumeRolePolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        task_role = f"arn:aws:iam::{a}:role/sl-ecs-task-admin"
        if r:
            self.call("iam", "attach_role_policy", RoleName="sl-ecs-task-admin",
                      PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
            self.add("iam", "role", "sl-ecs-task-admin", arn=task_role, region=None, misconfig=["task_role_with_admin_policy"])
        cluster = self.call("ecs", "create_cluster", clusterName="sl-apps")
        definition = self.call("ecs", "register_task_definition", family="sl-worker", taskRoleArn=task_role,
                               networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                               containerDefinitions=[{"name": "worker", "image": "public.ecr.aws/docker/library/busybox:latest",
                                                      "essential": True, "cpu": 256, "memory": 512,
                                                      "command": ["sleep", "3600"]}])
        if cluster and definition:
            td = definition["taskDefinition"]["taskDefinitionArn"]
            self.add("ecs", "task_definition", "sl-worker", arn=td, role=task_role, misconfig=["task_role_with_admin_policy"])
            svc = self.call("ecs", "create_service", cluster="sl-apps", serviceName="sl-worker-svc", taskDefinition=td,
                            desiredCount=0, enableExecuteCommand=True)
            if svc:
                self.add("ecs", "service", "sl-worker-svc", arn=svc["service"]["serviceArn"], task_definition=td)
            subnets = self.call("ec2", "describe_subnets", Filters=[{"Name": "default-for-az", "Values": ["true"]}])
            vpc = [{"Name": "vpc-id", "Values": [self.default_vpc]}] if getattr(self, "default_vpc", None) else []
            sgs = self.call("ec2", "describe_security_groups", Filters=[{"Name": "group-name", "Values": ["default"]}] + vpc)
            if subnets and subnets["Subnets"] and sgs and sgs["SecurityGroups"]:
                # moto keeps no enableExecuteCommand on a task (DescribeTasks leaves it out), so the ECS Exec
                # technique is tested with fixtures only; the task is still collected with its task definition.
                run = self.call("ecs", "run_task", cluster="sl-apps", taskDefinition=td, launchType="FARGATE",
                                enableExecuteCommand=True, networkConfiguration={"awsvpcConfiguration": {
                                    "subnets": [subnets["Subnets"][0]["SubnetId"]],
                                    "securityGroups": [sgs["SecurityGroups"][0]["GroupId"]]}})
                if run and run["tasks"]:
                    self.add("ecs", "task", "sl-worker-task", arn=run["tasks"][0]["taskArn"], task_definition=td)
            self.call("iam", "create_user", UserName="grace-tasks")
            self.call("iam", "put_user_policy", UserName="grace-tasks", PolicyName="sl-grace-tasks",
                      PolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "ecs:RunTask",
                           "Resource": f"arn:aws:ecs:{REGION}:{a}:task-definition/sl-worker:*"},
                          {"Effect": "Allow", "Action": "iam:PassRole", "Resource": task_role,
                           "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}]}))
            self.add("iam", "user", "grace-tasks", arn=f"arn:aws:iam::{a}:user/grace-tasks", region=None,
                     misconfig=["privilege_escalation_ecs_run_existing_task_definition"])

        template = self.call("ec2", "create_launch_template", LaunchTemplateName="sl-web-template", LaunchTemplateData={
            "ImageId": "ami-12c6146b", "InstanceType": "t3.micro", "IamInstanceProfile": {"Name": "sl-ec2-app-profile"}})
        if template:
            lt = template["LaunchTemplate"]["LaunchTemplateId"]
            lt_arn = f"arn:aws:ec2:{REGION}:{a}:launch-template/{lt}"
            self.add("ec2", "launch_template", "sl-web-template", id=lt, instance_profile="sl-ec2-app-profile",
                     misconfig=["launch_template_with_admin_profile"])
            # No instances: the group only has to name the template.
            group = self.call("autoscaling", "create_auto_scaling_group", AutoScalingGroupName="sl-web-asg",
                              LaunchTemplate={"LaunchTemplateId": lt, "Version": "$Default"}, MinSize=0, MaxSize=1,
                              DesiredCapacity=0, AvailabilityZones=[f"{REGION}a"])
            if group is not None:
                self.add("autoscaling", "group", "sl-web-asg", launch_template=lt, version="$Default")
            self.call("iam", "create_user", UserName="heidi-scaling")
            self.call("iam", "put_user_policy", UserName="heidi-scaling", PolicyName="sl-heidi-templates",
                      PolicyDocument=pj({"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
                           "Resource": lt_arn}]}))
            self.add("iam", "user", "heidi-scaling", arn=f"arn:aws:iam::{a}:user/heidi-scaling", region=None,
                     misconfig=["privilege_escalation_launch_template_version"])

    def seed_messaging_and_data(self) -> None:
        log("sns, sqs, secretsmanager, ecr, efs")
        a = self.account
        t = self.call("sns", "create_topic", Name="sl-open-topic")
        if t:
            arn = t["TopicArn"]
            self.call("sns", "set_topic_attributes", TopicArn=arn, AttributeName="Policy", AttributeValue=pj({
                "Version": "2012-10-17", "Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": "*",
                                                       "Action": ["sns:Publish", "sns:Subscribe"], "Resource": arn}]}))
            self.add("sns", "topic", "sl-open-topic", arn=arn, misconfig=["policy_allows_any_principal", "not_encrypted"])
        t = self.call("sns", "create_topic", Name="sl-encrypted-topic", Attributes={"KmsMasterKeyId": "alias/aws/sns"})
        if t:
            self.add("sns", "topic", "sl-encrypted-topic", arn=t["TopicArn"], good=["kms_encrypted"])
        self.add("sns", "topic", "sl-security-alarms", arn=f"arn:aws:sns:{REGION}:{a}:sl-security-alarms",
                 misconfig=["not_encrypted"])

        q = self.call("sqs", "create_queue", QueueName="sl-open-queue", Attributes={"SqsManagedSseEnabled": "false"})
        if q:
            url = q["QueueUrl"]
            qarn = f"arn:aws:sqs:{REGION}:{a}:sl-open-queue"
            self.call("sqs", "set_queue_attributes", QueueUrl=url, Attributes={"Policy": pj({
                "Version": "2012-10-17", "Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": "*",
                                                       "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"],
                                                       "Resource": qarn}]})})
            self.add("sqs", "queue", "sl-open-queue", arn=qarn, url=url,
                     misconfig=["policy_allows_any_principal", "not_encrypted"])
        kms_arn = getattr(self, "kms_keys", {}).get("sl-rotated", "alias/aws/sqs")
        q = self.call("sqs", "create_queue", QueueName="sl-encrypted-queue", Attributes={"KmsMasterKeyId": kms_arn})
        if q:
            self.add("sqs", "queue", "sl-encrypted-queue", arn=f"arn:aws:sqs:{REGION}:{a}:sl-encrypted-queue",
                     url=q["QueueUrl"], good=["kms_encrypted"])

        s = self.call("secretsmanager", "create_secret", Name="sl/db-password",
                      SecretString=pj({"username": "app", "password": "hunter2-Sightline-fake"}),
                      Description="Sightline test secret without rotation")
        if s:
            arn = s["ARN"]
            self.call("secretsmanager", "put_resource_policy", SecretId=arn, ResourcePolicy=pj({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                                       "Principal": {"AWS": f"arn:aws:iam::{FOREIGN_ACCOUNT}:root"},
                                                       "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
            self.add("secretsmanager", "secret", "sl/db-password", arn=arn,
                     misconfig=["rotation_disabled", "resource_policy_grants_foreign_account"])

        r = self.call("ecr", "create_repository", repositoryName="sl-public-repo", imageTagMutability="MUTABLE",
                      imageScanningConfiguration={"scanOnPush": False})
        if r:
            self.call("ecr", "set_repository_policy", repositoryName="sl-public-repo", policyText=pj({
                "Version": "2012-10-17", "Statement": [{"Sid": "Public", "Effect": "Allow", "Principal": "*",
                                                       "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}))
            self.add("ecr", "repository", "sl-public-repo", arn=r["repository"]["repositoryArn"],
                     misconfig=["policy_allows_any_principal", "scan_on_push_disabled", "tags_mutable"])
        r = self.call("ecr", "create_repository", repositoryName="sl-private-repo", imageTagMutability="IMMUTABLE",
                      imageScanningConfiguration={"scanOnPush": True})
        if r:
            self.add("ecr", "repository", "sl-private-repo", arn=r["repository"]["repositoryArn"],
                     good=["scan_on_push_enabled", "tags_immutable"])

        r = self.call("efs", "create_file_system", CreationToken="sl-efs-plain", Encrypted=False,
                      Tags=[{"Key": "Name", "Value": "sl-efs-plain"}])
        if r:
            self.add("efs", "file_system", "sl-efs-plain", id=r["FileSystemId"], arn=r.get("FileSystemArn"),
                     misconfig=["not_encrypted"])
        r = self.call("efs", "create_file_system", CreationToken="sl-efs-encrypted", Encrypted=True,
                      Tags=[{"Key": "Name", "Value": "sl-efs-encrypted"}])
        if r:
            self.add("efs", "file_system", "sl-efs-encrypted", id=r["FileSystemId"], arn=r.get("FileSystemArn"),
                     good=["encrypted"])

    def seed_all(self) -> None:
        for step in (self.seed_iam, self.seed_kms, self.seed_s3, self.seed_ec2, self.seed_logging, self.seed_rds,
                     self.seed_lambda, self.seed_build_and_stacks, self.seed_containers_and_scaling,
                     self.seed_messaging_and_data):
            step()


def clean_message(text: str) -> str:
    """First meaningful line of an error message; moto's unknown-service answers are HTML pages."""
    import re
    if "<html" in text.lower() or "<!doctype" in text.lower():
        m = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
        text = "HTML error page: " + (m.group(1).strip() if m else "")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0] if lines else ""


def self_signed_cert(cn: str, expired: bool) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc) if expired else dt.datetime.now(dt.timezone.utc)
    end = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc) if expired else start + dt.timedelta(days=365)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()).decode())


def seed_org(root: Seeder) -> dict[str, Any]:
    """Organization with two member accounts, an OU and an SCP; a user and a bucket in each member."""
    log("organizations")
    org: dict[str, Any] = {"management_account": root.account, "members": []}
    o = root.call("organizations", "create_organization", FeatureSet="ALL")
    if not o:
        return org
    org["id"] = o["Organization"]["Id"]
    roots = root.call("organizations", "list_roots")
    root_id = roots["Roots"][0]["Id"] if roots else None
    org["root_id"] = root_id
    if root_id:
        root.call("organizations", "enable_policy_type", RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    ou = root.call("organizations", "create_organizational_unit", ParentId=root_id, Name="sl-workloads") if root_id else None
    ou_id = ou["OrganizationalUnit"]["Id"] if ou else None
    org["ou"] = {"name": "sl-workloads", "id": ou_id}
    scp = root.call("organizations", "create_policy", Name="sl-deny-leave-org", Type="SERVICE_CONTROL_POLICY",
                    Description="Deny leaving the organization and disabling CloudTrail", Content=pj({
                        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Resource": "*", "Action": [
                            "organizations:LeaveOrganization", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail"]}]}))
    if scp and ou_id:
        pid = scp["Policy"]["PolicySummary"]["Id"]
        root.call("organizations", "attach_policy", PolicyId=pid, TargetId=ou_id)
        org["scp"] = {"name": "sl-deny-leave-org", "id": pid, "attached_to": ou_id}

    for name in ("sl-member-prod", "sl-member-dev"):
        r = root.call("organizations", "create_account", AccountName=name, Email=f"{name}@example.com")
        if not r:
            continue
        status = r["CreateAccountStatus"]
        for _ in range(20):  # moto completes at once; real AWS needs polling
            if status.get("State") == "SUCCEEDED":
                break
            time.sleep(0.2)
            s = root.call("organizations", "describe_create_account_status", CreateAccountRequestId=status["Id"])
            status = s["CreateAccountStatus"] if s else status
        acct = status.get("AccountId")
        member: dict[str, Any] = {"name": name, "account_id": acct, "role": "OrganizationAccountAccessRole"}
        org["members"].append(member)
        if not acct:
            continue
        if name == "sl-member-prod" and ou_id and root_id:
            root.call("organizations", "move_account", AccountId=acct, SourceParentId=root_id,
                      DestinationParentId=ou_id)
            member["parent"] = ou_id
        else:
            member["parent"] = root_id
        role_arn = f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole"
        c = root.call("sts", "assume_role", RoleArn=role_arn, RoleSessionName="sightline-seed")
        if not c:
            continue
        creds = {"aws_access_key_id": c["Credentials"]["AccessKeyId"],
                 "aws_secret_access_key": c["Credentials"]["SecretAccessKey"],
                 "aws_session_token": c["Credentials"]["SessionToken"]}
        m = Seeder(root.url, account=acct, creds=creds)
        ident = m.call("sts", "get_caller_identity")
        member["caller_identity_arn"] = ident["Arn"] if ident else None
        member["caller_identity_account"] = ident["Account"] if ident else None
        if ident and ident["Account"] != acct:
            log(f"WARNING: assumed-role credentials answer as account {ident['Account']}, expected {acct}")
        m.call("iam", "create_user", UserName="sl-member-user")
        m.call("iam", "create_login_profile", UserName="sl-member-user", Password="Sightline-Test-9",
               PasswordResetRequired=False)
        k = m.call("iam", "create_access_key", UserName="sl-member-user")
        m.call("iam", "attach_user_policy", UserName="sl-member-user",
               PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        m.add("iam", "user", "sl-member-user", arn=f"arn:aws:iam::{acct}:user/sl-member-user", region=None,
              access_key_ids=[k["AccessKey"]["AccessKeyId"]] if k else [],
              misconfig=["console_password_without_mfa", "policy_attached_directly_to_user", "user_is_admin"])
        bname = f"sl-member-{acct}-data"
        m.call("s3", "create_bucket", Bucket=bname)
        m.call("s3", "put_object", Bucket=bname, Key="contacts.csv", Body=PII_CSV.encode())
        m.call("s3", "put_bucket_policy", Bucket=bname, Policy=pj({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{root.account}:root"},
                                                   "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bname}/*"}]}))
        m.add("s3", "bucket", bname, arn=f"arn:aws:s3:::{bname}", objects=["contacts.csv"],
              misconfig=["contains_pii", "no_default_encryption_configured"],
              good=["cross_account_access_limited_to_management_account"])
        # Check the resources landed in the member account and not in the management account.
        users = m.call("iam", "list_users")
        member["users"] = [u["UserName"] for u in users["Users"]] if users else []
        buckets = m.call("s3", "list_buckets")
        member["buckets"] = [b["Name"] for b in buckets["Buckets"]] if buckets else []
        for svc, items in m.resources.items():
            root.resources.setdefault(svc, []).extend(items)
        root.unsupported.extend(m.unsupported)
        root.failed.extend(m.failed)
    mgmt_buckets = root.call("s3", "list_buckets")
    org["management_sees_member_buckets"] = sorted(
        b["Name"] for b in (mgmt_buckets or {}).get("Buckets", []) if b["Name"].startswith("sl-member-"))
    accts = root.call("organizations", "list_accounts")
    org["accounts"] = [{"id": x["Id"], "name": x["Name"], "status": x["Status"]} for x in (accts or {}).get("Accounts", [])]
    return org


def reset(url: str) -> None:
    req = urllib.request.Request(url.rstrip("/") + "/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=30) as r:
        if r.status != 200:
            raise SystemExit(f"seed: reset answered HTTP {r.status}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="moto server URL, e.g. http://127.0.0.1:5000")
    ap.add_argument("--org", action="store_true", help="also create an organization with two member accounts")
    ap.add_argument("--manifest", help="write the JSON manifest to this path too")
    ap.add_argument("--no-reset", action="store_true", help="do not reset moto first")
    ap.add_argument("--quiet", action="store_true", help="do not print the manifest on stdout")
    args = ap.parse_args()

    started = time.monotonic()
    if not args.no_reset:
        reset(args.url)
        log(f"reset {args.url}")
    s = Seeder(args.url)
    s.seed_all()
    org = seed_org(s) if args.org else None

    counts = {svc: len(items) for svc, items in sorted(s.resources.items())}
    manifest: dict[str, Any] = {
        "moto_url": args.url,
        "account_id": s.account,
        "regions": [REGION, OTHER_REGION],
        "org": org,
        "resources": dict(sorted(s.resources.items())),
        "unsupported": s.unsupported,
        "failed": s.failed,
        "summary": {
            "resources": sum(counts.values()),
            "by_service": counts,
            "misconfigured": sum(1 for items in s.resources.values() for r in items if r["misconfigurations"]),
            "unsupported_calls": len(s.unsupported),
            "failed_calls": len(s.failed),
            "seconds": round(time.monotonic() - started, 1),
        },
    }
    text = json.dumps(manifest, indent=2, sort_keys=False, default=str)
    if args.manifest:
        with open(args.manifest, "w") as f:
            f.write(text + "\n")
        log(f"manifest written to {args.manifest}")
    if not args.quiet:
        print(text)
    log(f"done: {manifest['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
