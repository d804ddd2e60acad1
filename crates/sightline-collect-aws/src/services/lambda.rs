//! Lambda: functions (role, runtime, environment, network, encryption), their resource policies and function URLs.
//!
//! Environment variables are kept, names and values, as the API returns them: secret-detection rules inspect them
//! and are responsible for redacting what they report. Nothing here logs them.

use crate::json::{b, compact, i, list, s};
use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::{json, Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::{BTreeMap, HashMap};

const SERVICE: &str = "lambda";

/// A string map in a stable order (the SDK gives a `HashMap`).
fn sorted(map: Option<&HashMap<String, String>>) -> BTreeMap<String, String> {
    map.map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
}

fn function_properties(f: &aws_sdk_lambda::types::FunctionConfiguration, arn: &str) -> Map<String, Value> {
    let vpc = f.vpc_config().map(|v| {
        compact(json!({
            "SubnetIds": list(v.subnet_ids()), "SecurityGroupIds": list(v.security_group_ids()), "VpcId": s(v.vpc_id()),
            "Ipv6AllowedForDualStack": b(v.ipv6_allowed_for_dual_stack())
        }))
    });
    let environment = f.environment().map(|e| {
        compact(json!({
            "Variables": e.variables().map(|v| json!(sorted(Some(v)))),
            "Error": e.error().map(|x| compact(json!({"ErrorCode": s(x.error_code()), "Message": s(x.message())})))
        }))
    });
    let layers: Vec<Value> =
        f.layers().iter().map(|l| compact(json!({"Arn": s(l.arn()), "CodeSize": l.code_size()}))).collect();
    let props = compact(json!({
        "FunctionName": s(f.function_name()),
        "FunctionArn": arn,
        "Runtime": f.runtime().map(|x| x.as_str()),
        "Role": s(f.role()),
        "Handler": s(f.handler()),
        "Description": s(f.description()),
        "Timeout": i(f.timeout()),
        "MemorySize": i(f.memory_size()),
        "LastModified": s(f.last_modified()),
        "Version": s(f.version()),
        "PackageType": f.package_type().map(|x| x.as_str()),
        "Architectures": f.architectures().iter().map(|a| a.as_str()).collect::<Vec<_>>(),
        "State": f.state().map(|x| x.as_str()),
        "Environment": environment,
        "VpcConfig": vpc,
        "KMSKeyArn": s(f.kms_key_arn()),
        "TracingConfig": f.tracing_config().map(|x| compact(json!({"Mode": x.mode().map(|m| m.as_str())}))),
        "DeadLetterConfig": f.dead_letter_config().map(|x| compact(json!({"TargetArn": s(x.target_arn())}))),
        "Layers": layers,
        "SigningProfileVersionArn": s(f.signing_profile_version_arn()),
        "MasterArn": s(f.master_arn())
    }));
    match props {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn url_config(u: &aws_sdk_lambda::types::FunctionUrlConfig) -> Value {
    let cors = u.cors().map(|c| {
        compact(json!({
            "AllowCredentials": b(c.allow_credentials()), "AllowHeaders": list(c.allow_headers()),
            "AllowMethods": list(c.allow_methods()), "AllowOrigins": list(c.allow_origins()),
            "ExposeHeaders": list(c.expose_headers()), "MaxAge": i(c.max_age())
        }))
    });
    compact(json!({
        "FunctionUrl": u.function_url(), "FunctionArn": u.function_arn(), "AuthType": u.auth_type().as_str(),
        "Cors": cors, "InvokeMode": u.invoke_mode().map(|x| x.as_str()), "CreationTime": u.creation_time(),
        "LastModifiedTime": u.last_modified_time()
    }))
}

/// Collects Lambda in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_lambda::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut functions = Vec::new();
    let mut pages = client.list_functions().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListFunctions", &[], async { page }).await.value() else { break };
        functions.extend(page.functions().iter().cloned());
    }
    for f in functions {
        let Some(name) = f.function_name().map(str::to_string) else { continue };
        let arn = f
            .function_arn()
            .map(str::to_string)
            .unwrap_or_else(|| format!("arn:aws:lambda:{region}:{account}:function:{name}"));
        let mut props = function_properties(&f, &arn);

        // The function's own resource policy (the unqualified function, which is what `$LATEST` and callers of
        // the bare name get). No policy: ResourceNotFoundException.
        let call = client.get_policy().function_name(&arn).send();
        let policy = match rec.fetch(SERVICE, r, "GetPolicy", &["ResourceNotFoundException"], call).await {
            Fetched::Value(out) => out.policy().map(str::to_string),
            _ => None,
        };

        let mut urls = Vec::new();
        let mut complete = true;
        let mut pages = client.list_function_url_configs().function_name(&arn).into_paginator().send();
        while let Some(page) = pages.next().await {
            match rec.fetch(SERVICE, r, "ListFunctionUrlConfigs", &["ResourceNotFoundException"], async { page }).await
            {
                Fetched::Value(page) => urls.extend(page.function_url_configs().iter().map(url_config)),
                Fetched::Absent => break,
                Fetched::Error => {
                    complete = false;
                    break;
                }
            }
        }
        // Unknown when the listing failed: no key, rather than an empty list that would read as "no URL".
        if complete {
            props.insert("FunctionUrlConfigs".into(), Value::Array(urls));
        }

        let call = client.list_tags().resource(&arn).send();
        let tags = match rec.fetch(SERVICE, r, "ListTags", &["ResourceNotFoundException"], call).await {
            Fetched::Value(out) => sorted(out.tags()),
            _ => BTreeMap::new(),
        };

        let policy = match policy.map(|p| sightline_model::compact_document(&p)) {
            Some(Ok(doc)) => Some(doc),
            Some(Err(e)) => {
                rec.failed(SERVICE, r, "GetPolicy", format!("function {name}: the policy is not valid JSON: {e}"));
                None
            }
            None => None,
        };
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::Lambda::Function".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name,
            policy,
            tags,
            properties: Value::Object(props),
        });
    }
    snapshot
}
