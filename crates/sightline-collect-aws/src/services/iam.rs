//! IAM: authorization details (users, groups, roles, managed policies, read through the same importer as offline
//! exports), the credential report, the password policy, the account summary, virtual MFA devices, access keys
//! with their last use, SAML and OIDC providers, server certificates, and service-last-accessed data.

use crate::json::{b, compact, i, list, s, t};
use crate::record::{Fetched, Recorder};
use aws_sdk_iam::types::{AttachedPolicy, PolicyDetail, Tag};
use aws_types::SdkConfig;
use serde_json::{json, Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "iam";

fn policies(list: &[PolicyDetail]) -> Value {
    Value::Array(
        list.iter()
            .map(|p| json!({"PolicyName": s(p.policy_name()), "PolicyDocument": s(p.policy_document())}))
            .collect(),
    )
}

fn attached(list: &[AttachedPolicy]) -> Value {
    Value::Array(
        list.iter().map(|p| json!({"PolicyName": s(p.policy_name()), "PolicyArn": s(p.policy_arn())})).collect(),
    )
}

fn tags(list: &[Tag]) -> Value {
    Value::Array(list.iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect())
}

fn resource(account: &str, id: String, resource_type: &str, name: &str, properties: Value) -> Resource {
    Resource {
        provider: Provider::Aws,
        id,
        resource_type: resource_type.to_string(),
        account_id: account.to_string(),
        region: None,
        name: name.to_string(),
        policy: None,
        tags: BTreeMap::new(),
        properties: properties.into(),
    }
}

/// Collects IAM (a global service).
pub async fn collect(config: SdkConfig, rec: Recorder) -> Snapshot {
    let client = aws_sdk_iam::Client::new(&config);
    let account = rec.account().to_string();
    let mut snapshot = Snapshot::default();

    // Authorization details, page by page, gathered into the export shape.
    let (mut users, mut groups, mut roles, mut managed) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut marker: Option<String> = None;
    let mut complete = true;
    loop {
        let call = client.get_account_authorization_details().set_marker(marker.clone()).send();
        let Fetched::Value(page) = rec.fetch(SERVICE, None, "GetAccountAuthorizationDetails", &[], call).await else {
            complete = false;
            break;
        };
        for u in page.user_detail_list() {
            users.push(compact(json!({
                "Path": s(u.path()), "UserName": s(u.user_name()), "UserId": s(u.user_id()), "Arn": s(u.arn()),
                "CreateDate": t(u.create_date()), "UserPolicyList": policies(u.user_policy_list()),
                "GroupList": list(u.group_list()), "AttachedManagedPolicies": attached(u.attached_managed_policies()),
                "PermissionsBoundary": u.permissions_boundary().map(|p| json!({"PermissionsBoundaryArn": s(p.permissions_boundary_arn())})),
                "Tags": tags(u.tags())
            })));
        }
        for g in page.group_detail_list() {
            groups.push(compact(json!({
                "Path": s(g.path()), "GroupName": s(g.group_name()), "GroupId": s(g.group_id()), "Arn": s(g.arn()),
                "CreateDate": t(g.create_date()), "GroupPolicyList": policies(g.group_policy_list()),
                "AttachedManagedPolicies": attached(g.attached_managed_policies())
            })));
        }
        for r in page.role_detail_list() {
            let profiles: Vec<Value> = r
                .instance_profile_list()
                .iter()
                .map(|p| json!({"Arn": p.arn(), "InstanceProfileName": p.instance_profile_name()}))
                .collect();
            roles.push(compact(json!({
                "Path": s(r.path()), "RoleName": s(r.role_name()), "RoleId": s(r.role_id()), "Arn": s(r.arn()),
                "CreateDate": t(r.create_date()), "AssumeRolePolicyDocument": s(r.assume_role_policy_document()),
                "InstanceProfileList": profiles, "RolePolicyList": policies(r.role_policy_list()),
                "AttachedManagedPolicies": attached(r.attached_managed_policies()),
                "PermissionsBoundary": r.permissions_boundary().map(|p| json!({"PermissionsBoundaryArn": s(p.permissions_boundary_arn())})),
                "Tags": tags(r.tags()),
                "RoleLastUsed": r.role_last_used().map(|u| compact(json!({"LastUsedDate": t(u.last_used_date()), "Region": s(u.region())})))
            })));
        }
        for p in page.policies() {
            // Only the AWS managed policies that something uses: an emulator lists every one of them.
            if p.arn().is_some_and(|a| a.starts_with("arn:aws:iam::aws:policy/"))
                && p.attachment_count().unwrap_or(0) == 0
            {
                continue;
            }
            let versions: Vec<Value> = p
                .policy_version_list()
                .iter()
                .map(|v| json!({"Document": s(v.document()), "VersionId": s(v.version_id()), "IsDefaultVersion": v.is_default_version()}))
                .collect();
            // The name is the ARN's last segment when a server leaves it out (moto does).
            let name = p.policy_name().or_else(|| p.arn().and_then(|a| a.rsplit('/').next()));
            managed.push(compact(json!({
                "PolicyName": s(name), "PolicyId": s(p.policy_id()), "Arn": s(p.arn()), "Path": s(p.path()),
                "DefaultVersionId": s(p.default_version_id()), "AttachmentCount": i(p.attachment_count()),
                "IsAttachable": p.is_attachable(), "PolicyVersionList": versions
            })));
        }
        if page.is_truncated() {
            marker = page.marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        } else {
            break;
        }
    }
    if complete {
        let export = json!({"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": managed, "IsTruncated": false});
        let input = sightline_aws::import::Input {
            name: format!("iam:GetAccountAuthorizationDetails ({account})").into(),
            bytes: export.to_string().into_bytes(),
        };
        match sightline_aws::import::authorization_details_from(vec![input]) {
            Ok(part) => {
                snapshot.principals.extend(part.principals);
                snapshot.policies.extend(part.policies);
            }
            Err(e) => rec.failed(SERVICE, None, "GetAccountAuthorizationDetails", e.to_string()),
        }
    }

    credential_report(&client, &rec, &account, &mut snapshot).await;

    let call = client.get_account_password_policy().send();
    match rec.fetch(SERVICE, None, "GetAccountPasswordPolicy", &["NoSuchEntity"], call).await {
        Fetched::Value(out) => {
            let p = out.password_policy();
            let props = p.map(|p| {
                compact(json!({
                    "MinimumPasswordLength": i(p.minimum_password_length()), "RequireSymbols": p.require_symbols(),
                    "RequireNumbers": p.require_numbers(), "RequireUppercaseCharacters": p.require_uppercase_characters(),
                    "RequireLowercaseCharacters": p.require_lowercase_characters(), "AllowUsersToChangePassword": p.allow_users_to_change_password(),
                    "ExpirePasswords": p.expire_passwords(), "MaxPasswordAge": i(p.max_password_age()),
                    "PasswordReusePrevention": i(p.password_reuse_prevention()), "HardExpiry": b(p.hard_expiry())
                }))
            });
            snapshot.resources.push(resource(
                &account,
                format!("arn:aws:iam::{account}:password-policy"),
                "AWS::IAM::PasswordPolicy",
                "password policy",
                json!({"PasswordPolicy": props}),
            ));
        }
        Fetched::Absent => snapshot.resources.push(resource(
            &account,
            format!("arn:aws:iam::{account}:password-policy"),
            "AWS::IAM::PasswordPolicy",
            "password policy",
            json!({"PasswordPolicy": null}),
        )),
        Fetched::Error => {}
    }

    let call = client.get_account_summary().send();
    if let Some(out) = rec.fetch(SERVICE, None, "GetAccountSummary", &[], call).await.value() {
        let map: Map<String, Value> =
            out.summary_map().into_iter().flatten().map(|(k, v)| (k.as_str().to_string(), Value::from(*v))).collect();
        snapshot.resources.push(resource(
            &account,
            format!("arn:aws:iam::{account}:account-summary"),
            "AWS::IAM::AccountSummary",
            "account summary",
            Value::Object(map),
        ));
    }

    let mut pages = client.list_virtual_mfa_devices().into_paginator().send();
    let mut ok = true;
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, None, "ListVirtualMFADevices", &[], async { page }).await.value() else {
            ok = false;
            break;
        };
        for d in page.virtual_mfa_devices() {
            let serial = d.serial_number().to_string();
            snapshot.resources.push(resource(
                &account,
                serial.clone(),
                "AWS::IAM::VirtualMFADevice",
                serial.rsplit('/').next().unwrap_or_default(),
                compact(json!({"SerialNumber": serial, "User": d.user().map(|u| u.arn()), "EnableDate": t(d.enable_date())})),
            ));
        }
    }
    let _ = ok;

    access_keys(
        &client,
        &rec,
        &account,
        &snapshot
            .principals
            .iter()
            .filter(|p| p.kind == sightline_model::PrincipalKind::User)
            .map(|p| p.name.clone())
            .collect::<Vec<_>>(),
        &mut snapshot,
    )
    .await;

    let call = client.list_saml_providers().send();
    if let Some(out) = rec.fetch(SERVICE, None, "ListSAMLProviders", &[], call).await.value() {
        for p in out.saml_provider_list() {
            let arn = p.arn().unwrap_or_default().to_string();
            let name = arn.rsplit('/').next().unwrap_or_default().to_string();
            snapshot.resources.push(resource(
                &account,
                arn,
                "AWS::IAM::SAMLProvider",
                &name,
                compact(json!({"ValidUntil": t(p.valid_until()), "CreateDate": t(p.create_date())})),
            ));
        }
    }
    let call = client.list_open_id_connect_providers().send();
    if let Some(out) = rec.fetch(SERVICE, None, "ListOpenIDConnectProviders", &[], call).await.value() {
        for p in out.open_id_connect_provider_list() {
            let arn = p.arn().unwrap_or_default().to_string();
            let call = client.get_open_id_connect_provider().open_id_connect_provider_arn(&arn).send();
            let props = match rec.fetch(SERVICE, None, "GetOpenIDConnectProvider", &[], call).await.value() {
                Some(d) => compact(
                    json!({"Url": s(d.url()), "ClientIDList": list(d.client_id_list()), "ThumbprintList": list(d.thumbprint_list()), "CreateDate": t(d.create_date())}),
                ),
                None => Value::Null,
            };
            let name = arn.rsplit('/').next().unwrap_or_default().to_string();
            snapshot.resources.push(resource(&account, arn, "AWS::IAM::OIDCProvider", &name, props));
        }
    }
    let mut pages = client.list_server_certificates().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, None, "ListServerCertificates", &[], async { page }).await.value() else {
            break;
        };
        for c in page.server_certificate_metadata_list() {
            snapshot.resources.push(resource(
                &account,
                c.arn().to_string(),
                "AWS::IAM::ServerCertificate",
                c.server_certificate_name(),
                compact(json!({"ServerCertificateName": c.server_certificate_name(), "Path": c.path(), "Expiration": t(c.expiration()), "UploadDate": t(c.upload_date())})),
            ));
        }
    }

    service_last_accessed(&client, &rec, &mut snapshot).await;
    snapshot
}

async fn credential_report(client: &aws_sdk_iam::Client, rec: &Recorder, account: &str, snapshot: &mut Snapshot) {
    // Generation is asynchronous: ask, then poll until the report is ready (bounded).
    for attempt in 0..20 {
        let call = client.generate_credential_report().send();
        let Some(out) = rec.fetch(SERVICE, None, "GenerateCredentialReport", &[], call).await.value() else { return };
        if out.state().map(|s| s.as_str()) == Some("COMPLETE") || attempt == 19 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let call = client.get_credential_report().send();
    let Some(out) = rec.fetch(SERVICE, None, "GetCredentialReport", &[], call).await.value() else { return };
    let Some(content) = out.content() else {
        rec.failed(SERVICE, None, "GetCredentialReport", "the report has no content".into());
        return;
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(content.as_ref());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            rec.failed(SERVICE, None, "GetCredentialReport", format!("unreadable CSV: {e}"));
            return;
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let row: Map<String, Value> =
                    headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), Value::String(v.to_string()))).collect();
                rows.push(Value::Object(row));
            }
            Err(e) => {
                rec.failed(SERVICE, None, "GetCredentialReport", format!("unreadable CSV row: {e}"));
                return;
            }
        }
    }
    snapshot.resources.push(resource(
        account,
        format!("arn:aws:iam::{account}:credential-report"),
        "AWS::IAM::CredentialReport",
        "credential report",
        json!({"GeneratedTime": t(out.generated_time()), "Rows": rows}),
    ));
}

async fn access_keys(
    client: &aws_sdk_iam::Client,
    rec: &Recorder,
    account: &str,
    users: &[String],
    snapshot: &mut Snapshot,
) {
    for user in users {
        let call = client.list_access_keys().user_name(user).send();
        let Some(out) = rec.fetch(SERVICE, None, "ListAccessKeys", &[], call).await.value() else { continue };
        for k in out.access_key_metadata() {
            let id = k.access_key_id().unwrap_or_default().to_string();
            let call = client.get_access_key_last_used().access_key_id(&id).send();
            let last = rec.fetch(SERVICE, None, "GetAccessKeyLastUsed", &[], call).await.value();
            let last_used = last.as_ref().and_then(|l| l.access_key_last_used()).map(|u| {
                compact(json!({"LastUsedDate": t(u.last_used_date()), "ServiceName": u.service_name(), "Region": u.region()}))
            });
            snapshot.resources.push(resource(
                account,
                format!("arn:aws:iam::{account}:user/{user}/access-key/{id}"),
                "AWS::IAM::AccessKey",
                &id,
                compact(json!({
                    "UserName": user, "AccessKeyId": id, "Status": k.status().map(|s| s.as_str()),
                    "CreateDate": t(k.create_date()), "AccessKeyLastUsed": last_used
                })),
            ));
        }
    }
}

/// Service-last-accessed data per user and role, where granted. The first refusal (denied, or not served by an
/// emulator) is recorded and ends the attempt: asking for every principal would only repeat it.
async fn service_last_accessed(client: &aws_sdk_iam::Client, rec: &Recorder, snapshot: &mut Snapshot) {
    let arns: Vec<(usize, String)> = snapshot
        .principals
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.kind, sightline_model::PrincipalKind::User | sightline_model::PrincipalKind::Role))
        .map(|(i, p)| (i, p.id.clone()))
        .collect();
    for (index, arn) in arns {
        // Action level: IAM then also says when each tracked action (of the services it tracks) was last used.
        let call = client
            .generate_service_last_accessed_details()
            .arn(&arn)
            .granularity(aws_sdk_iam::types::AccessAdvisorUsageGranularityType::ActionLevel)
            .send();
        let Some(job) = rec.fetch(SERVICE, None, "GenerateServiceLastAccessedDetails", &[], call).await.value() else {
            return;
        };
        let Some(job_id) = job.job_id() else { return };
        let mut details = None;
        for _ in 0..20 {
            let call = client.get_service_last_accessed_details().job_id(job_id).send();
            let Some(out) = rec.fetch(SERVICE, None, "GetServiceLastAccessedDetails", &[], call).await.value() else {
                return;
            };
            if out.job_status().as_str() == "COMPLETED" {
                details = Some(out);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        let Some(details) = details else { continue };
        let services: Vec<Value> = details
            .services_last_accessed()
            .iter()
            .map(|s| {
                let tracked: Vec<Value> = s
                    .tracked_actions_last_accessed()
                    .iter()
                    .map(|a| json!({"ActionName": a.action_name(), "LastAccessedTime": t(a.last_accessed_time())}))
                    .collect();
                let mut v = json!({"ServiceNamespace": s.service_namespace(), "LastAuthenticated": t(s.last_authenticated()), "TotalAuthenticatedEntities": i(s.total_authenticated_entities())});
                if !tracked.is_empty() {
                    v["TrackedActionsLastAccessed"] = Value::Array(tracked);
                }
                compact(v)
            })
            .collect();
        let principal = &mut snapshot.principals[index];
        if !principal.properties.is_object() {
            principal.properties = json!({});
        }
        if let Some(map) = principal.properties.as_object_mut() {
            map.insert("ServicesLastAccessed".into(), Value::Array(services));
        }
    }
}
