//! S3: every bucket with its region, policy, policy status, ACL, public access block, encryption, versioning and
//! MFA delete, logging, object lock and ownership controls; and the account-level public access block.

use crate::json::{b, compact, s};
use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::{BTreeMap, HashMap};

const SERVICE: &str = "s3";

fn client(config: &SdkConfig, region: &str, custom_endpoint: bool) -> aws_sdk_s3::Client {
    let regional = crate::client::in_region(config, region);
    // Path-style addressing keeps requests on the given host, as emulators need.
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&regional).force_path_style(custom_endpoint).build(),
    )
}

/// Collects S3 (buckets are listed once, then read in their own region).
pub async fn collect(config: SdkConfig, rec: Recorder, custom_endpoint: Option<String>) -> Snapshot {
    let account = rec.account().to_string();
    let mut snapshot = Snapshot::default();
    account_public_access_block(&config, &rec, &account, custom_endpoint.as_deref(), &mut snapshot).await;

    let home = config.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".into());
    let global = client(&config, &home, custom_endpoint.is_some());
    let call = global.list_buckets().send();
    let Some(list) = rec.fetch(SERVICE, None, "ListBuckets", &[], call).await.value() else { return snapshot };
    let mut clients: HashMap<String, aws_sdk_s3::Client> = HashMap::new();
    for bucket in list.buckets() {
        let Some(name) = bucket.name() else { continue };
        let call = global.get_bucket_location().bucket(name).send();
        let region = match rec.fetch(SERVICE, None, "GetBucketLocation", &[], call).await.value() {
            // An empty location constraint means us-east-1; "EU" is the legacy name of eu-west-1.
            Some(out) => match out.location_constraint().map(|c| c.as_str()) {
                None | Some("") => "us-east-1".to_string(),
                Some("EU") => "eu-west-1".to_string(),
                Some(r) => r.to_string(),
            },
            None => home.clone(),
        };
        let c = clients
            .entry(region.clone())
            .or_insert_with(|| client(&config, &region, custom_endpoint.is_some()))
            .clone();
        let r = Some(region.as_str());
        let mut props = serde_json::Map::new();
        props.insert("Name".into(), json!(name));
        props.insert("CreationDate".into(), crate::json::t(bucket.creation_date()));

        let policy = match rec
            .fetch(SERVICE, r, "GetBucketPolicy", &["NoSuchBucketPolicy"], c.get_bucket_policy().bucket(name).send())
            .await
        {
            Fetched::Value(out) => out.policy().map(str::to_string),
            _ => None,
        };
        if policy.is_some() {
            if let Fetched::Value(out) = rec
                .fetch(
                    SERVICE,
                    r,
                    "GetBucketPolicyStatus",
                    &["NoSuchBucketPolicy"],
                    c.get_bucket_policy_status().bucket(name).send(),
                )
                .await
            {
                props.insert(
                    "PolicyStatus".into(),
                    json!({"IsPublic": out.policy_status().and_then(|p| p.is_public())}),
                );
            }
        }
        if let Some(out) =
            rec.fetch(SERVICE, r, "GetBucketAcl", &[], c.get_bucket_acl().bucket(name).send()).await.value()
        {
            let grants: Vec<Value> = out
                .grants()
                .iter()
                .map(|g| {
                    let grantee = g.grantee().map(|x| {
                        compact(json!({"Type": x.r#type().as_str(), "ID": s(x.id()), "URI": s(x.uri()), "DisplayName": s(x.display_name())}))
                    });
                    json!({"Grantee": grantee, "Permission": g.permission().map(|p| p.as_str())})
                })
                .collect();
            props.insert("Acl".into(), json!({"Owner": out.owner().and_then(|o| o.id()), "Grants": grants}));
        }
        match rec
            .fetch(
                SERVICE,
                r,
                "GetPublicAccessBlock",
                &["NoSuchPublicAccessBlockConfiguration"],
                c.get_public_access_block().bucket(name).send(),
            )
            .await
        {
            Fetched::Value(out) => {
                props.insert("PublicAccessBlockConfiguration".into(), pab(out.public_access_block_configuration()));
            }
            Fetched::Absent => {
                props.insert("PublicAccessBlockConfiguration".into(), Value::Null);
            }
            Fetched::Error => {}
        }
        match rec
            .fetch(
                SERVICE,
                r,
                "GetBucketEncryption",
                &["ServerSideEncryptionConfigurationNotFoundError"],
                c.get_bucket_encryption().bucket(name).send(),
            )
            .await
        {
            Fetched::Value(out) => {
                let rules: Vec<Value> = out
                    .server_side_encryption_configuration()
                    .map(|c| c.rules())
                    .unwrap_or_default()
                    .iter()
                    .map(|rule| {
                        let d = rule.apply_server_side_encryption_by_default();
                        compact(json!({
                            "ApplyServerSideEncryptionByDefault": d.map(|d| compact(json!({"SSEAlgorithm": d.sse_algorithm().as_str(), "KMSMasterKeyID": s(d.kms_master_key_id())}))),
                            "BucketKeyEnabled": b(rule.bucket_key_enabled())
                        }))
                    })
                    .collect();
                props.insert("BucketEncryption".into(), json!({"ServerSideEncryptionConfiguration": rules}));
            }
            Fetched::Absent => {
                props.insert("BucketEncryption".into(), Value::Null);
            }
            Fetched::Error => {}
        }
        if let Some(out) = rec
            .fetch(SERVICE, r, "GetBucketVersioning", &[], c.get_bucket_versioning().bucket(name).send())
            .await
            .value()
        {
            props.insert(
                "VersioningConfiguration".into(),
                compact(json!({"Status": out.status().map(|x| x.as_str()), "MFADelete": out.mfa_delete().map(|x| x.as_str())})),
            );
        }
        if let Some(out) =
            rec.fetch(SERVICE, r, "GetBucketLogging", &[], c.get_bucket_logging().bucket(name).send()).await.value()
        {
            props.insert(
                "LoggingConfiguration".into(),
                match out.logging_enabled() {
                    Some(l) => json!({"DestinationBucketName": l.target_bucket(), "LogFilePrefix": l.target_prefix()}),
                    None => Value::Null,
                },
            );
        }
        match rec
            .fetch(
                SERVICE,
                r,
                "GetObjectLockConfiguration",
                &["ObjectLockConfigurationNotFoundError"],
                c.get_object_lock_configuration().bucket(name).send(),
            )
            .await
        {
            Fetched::Value(out) => {
                let cfg = out.object_lock_configuration();
                props.insert(
                    "ObjectLockConfiguration".into(),
                    compact(
                        json!({"ObjectLockEnabled": cfg.and_then(|c| c.object_lock_enabled()).map(|x| x.as_str())}),
                    ),
                );
            }
            Fetched::Absent => {
                props.insert("ObjectLockConfiguration".into(), Value::Null);
            }
            Fetched::Error => {}
        }
        match rec
            .fetch(
                SERVICE,
                r,
                "GetBucketOwnershipControls",
                &["OwnershipControlsNotFoundError"],
                c.get_bucket_ownership_controls().bucket(name).send(),
            )
            .await
        {
            Fetched::Value(out) => {
                let rules: Vec<Value> = out
                    .ownership_controls()
                    .map(|o| o.rules())
                    .unwrap_or_default()
                    .iter()
                    .map(|rule| json!({"ObjectOwnership": rule.object_ownership().as_str()}))
                    .collect();
                props.insert("OwnershipControls".into(), json!({"Rules": rules}));
            }
            Fetched::Absent => {
                props.insert("OwnershipControls".into(), Value::Null);
            }
            Fetched::Error => {}
        }
        let mut tags = BTreeMap::new();
        if let Fetched::Value(out) = rec
            .fetch(SERVICE, r, "GetBucketTagging", &["NoSuchTagSet"], c.get_bucket_tagging().bucket(name).send())
            .await
        {
            for t in out.tag_set() {
                tags.insert(t.key().to_string(), t.value().to_string());
            }
        }
        let policy = rec.policy_document(SERVICE, r, "GetBucketPolicy", &format!("bucket {name}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: format!("arn:aws:s3:::{name}"),
            resource_type: "AWS::S3::Bucket".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name: name.to_string(),
            policy,
            tags,
            properties: Value::Object(props).into(),
        });
    }
    snapshot
}

fn pab(c: Option<&aws_sdk_s3::types::PublicAccessBlockConfiguration>) -> Value {
    match c {
        Some(c) => json!({
            "BlockPublicAcls": c.block_public_acls(), "IgnorePublicAcls": c.ignore_public_acls(),
            "BlockPublicPolicy": c.block_public_policy(), "RestrictPublicBuckets": c.restrict_public_buckets()
        }),
        None => Value::Null,
    }
}

#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(aws_smithy_types::endpoint::Endpoint::builder()
            .url(self.0.clone())
            .build()))
    }
}

async fn account_public_access_block(
    config: &SdkConfig,
    rec: &Recorder,
    account: &str,
    endpoint: Option<&str>,
    snapshot: &mut Snapshot,
) {
    let mut builder = aws_sdk_s3control::config::Builder::from(config);
    if let Some(url) = endpoint {
        // S3 Control puts the account id in the host name; a custom endpoint must be used as it is.
        builder = builder.endpoint_resolver(FixedEndpoint(url.to_string()));
    }
    let client = aws_sdk_s3control::Client::from_conf(builder.build());
    let call = client.get_public_access_block().account_id(account).send();
    let props = match rec
        .fetch("s3control", None, "GetPublicAccessBlock", &["NoSuchPublicAccessBlockConfiguration"], call)
        .await
    {
        Fetched::Value(out) => {
            let c = out.public_access_block_configuration();
            json!({"PublicAccessBlockConfiguration": c.map(|c| json!({
                "BlockPublicAcls": c.block_public_acls(), "IgnorePublicAcls": c.ignore_public_acls(),
                "BlockPublicPolicy": c.block_public_policy(), "RestrictPublicBuckets": c.restrict_public_buckets()
            }))})
        }
        Fetched::Absent => json!({"PublicAccessBlockConfiguration": null}),
        Fetched::Error => return,
    };
    snapshot.resources.push(Resource {
        provider: Provider::Aws,
        id: format!("arn:aws:s3:::account/{account}/public-access-block"),
        resource_type: "AWS::S3::AccountPublicAccessBlock".into(),
        account_id: account.to_string(),
        region: None,
        name: "account public access block".into(),
        policy: None,
        tags: BTreeMap::new(),
        properties: props.into(),
    });
}
