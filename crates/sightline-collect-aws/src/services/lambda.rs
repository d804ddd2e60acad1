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

/// A function URL configuration in the API's shape (ListFunctionUrlConfigs and GetFunctionUrlConfig answer the same
/// fields in two SDK types).
struct Url<'a> {
    url: &'a str,
    function_arn: &'a str,
    auth_type: &'a aws_sdk_lambda::types::FunctionUrlAuthType,
    cors: Option<&'a aws_sdk_lambda::types::Cors>,
    invoke_mode: Option<&'a aws_sdk_lambda::types::InvokeMode>,
    creation_time: &'a str,
    last_modified_time: &'a str,
}

impl Url<'_> {
    fn json(&self) -> Value {
        let cors = self.cors.map(|c| {
            compact(json!({
                "AllowCredentials": b(c.allow_credentials()), "AllowHeaders": list(c.allow_headers()),
                "AllowMethods": list(c.allow_methods()), "AllowOrigins": list(c.allow_origins()),
                "ExposeHeaders": list(c.expose_headers()), "MaxAge": i(c.max_age())
            }))
        });
        compact(json!({
            "FunctionUrl": self.url, "FunctionArn": self.function_arn, "AuthType": self.auth_type.as_str(),
            "Cors": cors, "InvokeMode": self.invoke_mode.map(|x| x.as_str()), "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time
        }))
    }
}

fn listed_url(u: &aws_sdk_lambda::types::FunctionUrlConfig) -> Value {
    Url {
        url: u.function_url(),
        function_arn: u.function_arn(),
        auth_type: u.auth_type(),
        cors: u.cors(),
        invoke_mode: u.invoke_mode(),
        creation_time: u.creation_time(),
        last_modified_time: u.last_modified_time(),
    }
    .json()
}

/// The function URLs of one function: every URL (the function's and its aliases') from ListFunctionUrlConfigs, or,
/// where that call fails (emulators without it), only the unqualified function's from GetFunctionUrlConfig. `None`
/// when neither answered. `list_works` is cleared after the first failure so that the region's other functions go
/// straight to the fallback.
async fn function_urls(
    client: &aws_sdk_lambda::Client,
    rec: &Recorder,
    r: Option<&str>,
    arn: &str,
    list_works: &mut bool,
) -> Option<Vec<Value>> {
    if *list_works {
        let mut urls = Vec::new();
        let mut pages = client.list_function_url_configs().function_name(arn).into_paginator().send();
        let mut failed = false;
        while let Some(page) = pages.next().await {
            match rec.fetch(SERVICE, r, "ListFunctionUrlConfigs", &["ResourceNotFoundException"], async { page }).await
            {
                Fetched::Value(page) => urls.extend(page.function_url_configs().iter().map(listed_url)),
                Fetched::Absent => break,
                Fetched::Error => {
                    failed = true;
                    break;
                }
            }
        }
        if !failed {
            return Some(urls);
        }
        *list_works = false;
    }
    let call = client.get_function_url_config().function_name(arn).send();
    match rec.fetch(SERVICE, r, "GetFunctionUrlConfig", &["ResourceNotFoundException"], call).await {
        Fetched::Value(u) => Some(vec![Url {
            url: u.function_url(),
            function_arn: u.function_arn(),
            auth_type: u.auth_type(),
            cors: u.cors(),
            invoke_mode: u.invoke_mode(),
            creation_time: u.creation_time(),
            last_modified_time: u.last_modified_time(),
        }
        .json()]),
        Fetched::Absent => Some(Vec::new()),
        Fetched::Error => None,
    }
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
    let mut list_works = true;
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

        // Unknown when no call answered: no key, rather than an empty list that would read as "no URL".
        if let Some(urls) = function_urls(&client, &rec, r, &arn, &mut list_works).await {
            props.insert("FunctionUrlConfigs".into(), Value::Array(urls));
        }

        let call = client.list_tags().resource(&arn).send();
        let tags = match rec.fetch(SERVICE, r, "ListTags", &["ResourceNotFoundException"], call).await {
            Fetched::Value(out) => sorted(out.tags()),
            _ => BTreeMap::new(),
        };

        let policy = rec.policy_document(SERVICE, r, "GetPolicy", &format!("function {name}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::Lambda::Function".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name,
            policy,
            tags,
            properties: Value::Object(props).into(),
        });
    }
    snapshot
}
