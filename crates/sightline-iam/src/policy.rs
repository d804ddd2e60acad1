//! The IAM policy language: parsing a JSON policy document into statements, with the validation IAM itself does.
//!
//! Parsing is strict where IAM is strict (an unknown element, a missing `Effect`, `Action` with `NotAction`, an
//! unknown condition operator are errors naming the statement), because a policy that IAM would reject cannot be
//! in force, and a policy we misread would give wrong verdicts.

use crate::arn::Arn;
use crate::condition::{Condition, Operator};
use crate::json::{get, Json};
use crate::pattern::Pattern;
use std::fmt;

/// Where a policy is used; validation differs (IAM rejects a `Principal` in an identity policy, and requires one in
/// a resource-based policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyType {
    /// Inline or managed policy of a user, group or role.
    Identity,
    /// Managed policy used as a permissions boundary.
    PermissionsBoundary,
    /// Policy passed when a session is created.
    Session,
    /// AWS Organizations service control policy.
    ServiceControl,
    /// AWS Organizations resource control policy.
    ResourceControl,
    /// Policy attached to a resource (bucket policy, key policy, queue policy, ...).
    Resource,
    /// A role's trust policy (the resource-based policy of `sts:AssumeRole*`).
    Trust,
}

impl PolicyType {
    /// Human name used in explanations.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceControl => "resource control policy",
            PolicyType::Resource => "resource-based policy",
            PolicyType::Trust => "role trust policy",
        }
    }

    fn takes_principal(self) -> bool {
        matches!(self, PolicyType::Resource | PolicyType::Trust | PolicyType::ResourceControl)
    }
}

/// The policy language version. Without `Version`, IAM uses 2008-10-17, where `${...}` is literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2008_10_17,
    V2012_10_17,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// A parsed policy document.
#[derive(Debug, Clone)]
pub struct PolicyDocument {
    pub version: Version,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

/// One statement. `index` is its 0-based position in the document, used in explanations and errors.
#[derive(Debug, Clone)]
pub struct Statement {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`; `None` in identity policies.
    pub principal: Option<PrincipalMatcher>,
    pub action: ActionMatcher,
    /// `Resource` or `NotResource`; `None` in trust policies, which name no resource.
    pub resource: Option<ResourceMatcher>,
    pub conditions: Vec<Condition>,
}

/// `Principal` (or `NotPrincipal` when `negated`).
#[derive(Debug, Clone, Default)]
pub struct PrincipalMatcher {
    pub negated: bool,
    /// `"Principal": "*"` or `{"AWS": "*"}`.
    pub wildcard: bool,
    /// AWS account ids and IAM/STS ARNs, as written.
    pub aws: Vec<String>,
    pub service: Vec<String>,
    pub federated: Vec<String>,
    pub canonical_user: Vec<String>,
}

/// `Action` (or `NotAction` when `negated`).
#[derive(Debug, Clone)]
pub struct ActionMatcher {
    pub negated: bool,
    /// Lower-cased `service:action` patterns (`*` alone matches every action).
    pub patterns: Vec<String>,
}

impl ActionMatcher {
    /// Whether the element covers `action` (already lower-cased), honouring `NotAction`.
    pub fn covers(&self, action_lower: &str) -> bool {
        let hit = self.patterns.iter().any(|p| crate::glob::matches(p, action_lower));
        hit != self.negated
    }
}

/// `Resource` (or `NotResource` when `negated`).
#[derive(Debug, Clone)]
pub struct ResourceMatcher {
    pub negated: bool,
    pub patterns: Vec<Pattern>,
}

/// A policy IAM would reject, or one we cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// 0-based statement index, when the fault is inside a statement.
    pub statement: Option<usize>,
    pub sid: Option<String>,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.statement, &self.sid) {
            (Some(i), Some(sid)) => write!(f, "statement {i} (Sid {sid:?}): {}", self.message),
            (Some(i), None) => write!(f, "statement {i}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

fn doc_error(message: impl Into<String>) -> PolicyError {
    PolicyError { statement: None, sid: None, message: message.into() }
}

impl PolicyDocument {
    /// Parses a policy from JSON text.
    pub fn parse(text: &str, kind: PolicyType) -> Result<PolicyDocument, PolicyError> {
        let value = Json::parse(text).map_err(|e| doc_error(format!("the policy is not valid JSON: {e}")))?;
        from_json(&value, kind)
    }

    /// Parses a policy from a JSON value.
    pub fn from_value(value: &serde_json::Value, kind: PolicyType) -> Result<PolicyDocument, PolicyError> {
        PolicyDocument::parse(&value.to_string(), kind)
    }
}

fn from_json(value: &Json<'_>, kind: PolicyType) -> Result<PolicyDocument, PolicyError> {
    {
        let object = value.as_object().ok_or_else(|| doc_error("the policy must be a JSON object"))?;
        let mut version = Version::V2008_10_17;
        let mut id = None;
        let mut statement_value = None;
        for (key, v) in object {
            match key.as_ref() {
                "Version" => {
                    version = match v.as_str() {
                        Some("2012-10-17") => Version::V2012_10_17,
                        Some("2008-10-17") => Version::V2008_10_17,
                        _ => {
                            return Err(doc_error(format!(
                                "invalid Version {v}: it must be \"2012-10-17\" or \"2008-10-17\""
                            )))
                        }
                    }
                }
                "Id" => {
                    id = Some(v.as_str().ok_or_else(|| doc_error("Id must be a string"))?.to_string());
                }
                "Statement" => statement_value = Some(v),
                other => return Err(doc_error(format!("unknown policy element {other:?}"))),
            }
        }
        let statement_value = statement_value.ok_or_else(|| doc_error("the policy has no Statement"))?;
        let raw: Vec<&Json<'_>> = match statement_value {
            Json::Array(items) => items.iter().collect(),
            Json::Object(_) => vec![statement_value],
            _ => return Err(doc_error("Statement must be an object or an array of objects")),
        };
        let mut statements = Vec::with_capacity(raw.len());
        for (index, s) in raw.into_iter().enumerate() {
            statements.push(parse_statement(index, s, kind, version)?);
        }
        Ok(PolicyDocument { version, id, statements })
    }
}

fn parse_statement(
    index: usize,
    value: &Json<'_>,
    kind: PolicyType,
    version: Version,
) -> Result<Statement, PolicyError> {
    let object = value.as_object().ok_or_else(|| PolicyError {
        statement: Some(index),
        sid: None,
        message: "a statement must be a JSON object".into(),
    })?;
    let sid = get(object, "Sid").and_then(Json::as_str).map(str::to_string);
    let err = |message: String| PolicyError { statement: Some(index), sid: sid.clone(), message };

    let mut effect = None;
    let mut principal = None;
    let mut action = None;
    let mut resource = None;
    let mut conditions = Vec::new();
    for (key, v) in object {
        match key.as_ref() {
            "Sid" => {
                if v.as_str().is_none() {
                    return Err(err("Sid must be a string".into()));
                }
            }
            "Effect" => {
                effect = Some(match v.as_str() {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    _ => return Err(err(format!("invalid Effect {v}: it must be \"Allow\" or \"Deny\""))),
                })
            }
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    return Err(err("a statement cannot have both Principal and NotPrincipal".into()));
                }
                if !kind.takes_principal() {
                    return Err(err(format!("{key} is not allowed in a {}", kind.as_str())));
                }
                principal = Some(parse_principal(v, key == "NotPrincipal").map_err(err)?);
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    return Err(err("a statement cannot have both Action and NotAction".into()));
                }
                action = Some(parse_actions(v, key == "NotAction").map_err(err)?);
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    return Err(err("a statement cannot have both Resource and NotResource".into()));
                }
                if kind == PolicyType::Trust {
                    return Err(err(format!("{key} is not allowed in a role trust policy")));
                }
                resource = Some(parse_resources(v, key == "NotResource", version).map_err(err)?);
            }
            "Condition" => conditions = parse_conditions(v, version).map_err(err)?,
            other => return Err(err(format!("unknown statement element {other:?}"))),
        }
    }
    let effect = effect.ok_or_else(|| err("the statement has no Effect".into()))?;
    let action = action.ok_or_else(|| err("the statement has no Action or NotAction".into()))?;
    if let Some(p) = &principal {
        if p.negated && matches!(kind, PolicyType::Trust | PolicyType::ResourceControl) {
            return Err(err(format!("NotPrincipal is not allowed in a {}", kind.as_str())));
        }
        if kind == PolicyType::ResourceControl
            && (!p.wildcard
                || !p.aws.is_empty()
                || !p.service.is_empty()
                || !p.federated.is_empty()
                || !p.canonical_user.is_empty())
        {
            return Err(err("the Principal of a resource control policy must be \"*\"".into()));
        }
        if p.service.iter().any(|s| s.contains('*')) {
            return Err(err("a Service principal cannot contain a wildcard".into()));
        }
    }
    if kind.takes_principal() && principal.is_none() {
        return Err(err(format!("a {} statement needs a Principal or NotPrincipal", kind.as_str())));
    }
    // A resource-based policy may leave `Resource` out (ECR repository policies do): it then applies to the
    // resource it is attached to. Trust policies never have one.
    if resource.is_none() && !matches!(kind, PolicyType::Trust | PolicyType::Resource) {
        return Err(err("the statement has no Resource or NotResource".into()));
    }
    Ok(Statement { index, sid, effect, principal, action, resource, conditions })
}

/// The strings of an element that may be one string or an array of strings.
fn strings<'v>(value: &'v Json<'_>, element: &str) -> Result<Vec<&'v str>, String> {
    match value {
        Json::String(s) => Ok(vec![s.as_ref()]),
        Json::Array(items) => {
            if items.is_empty() {
                return Err(format!("{element} must not be an empty array"));
            }
            items
                .iter()
                .map(|i| i.as_str().ok_or_else(|| format!("{element} values must be strings, found {i}")))
                .collect()
        }
        other => Err(format!("{element} must be a string or an array of strings, found {other}")),
    }
}

fn parse_actions(value: &Json<'_>, negated: bool) -> Result<ActionMatcher, String> {
    let element = if negated { "NotAction" } else { "Action" };
    let mut patterns = Vec::new();
    for action in strings(value, element)? {
        if action != "*" {
            let valid = action.split_once(':').is_some_and(|(service, name)| {
                !service.is_empty()
                    && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?')
                    && !name.is_empty()
                    && !name.contains(':')
                    && !name.bytes().any(|b| b.is_ascii_whitespace())
            });
            if !valid {
                return Err(format!(
                    "invalid action {action:?} in {element}: actions are written \"service:ActionName\" (wildcards allowed) or \"*\""
                ));
            }
        }
        patterns.push(action.to_ascii_lowercase());
    }
    Ok(ActionMatcher { negated, patterns })
}

fn parse_resources(value: &Json<'_>, negated: bool, version: Version) -> Result<ResourceMatcher, String> {
    let element = if negated { "NotResource" } else { "Resource" };
    let mut patterns = Vec::new();
    for resource in strings(value, element)? {
        if resource != "*" {
            Arn::parse(resource).map_err(|e| format!("{element} {resource:?} must be \"*\" or an ARN: {e}"))?;
        }
        patterns.push(Pattern::parse_resource(resource, version == Version::V2012_10_17)?);
    }
    Ok(ResourceMatcher { negated, patterns })
}

fn parse_principal(value: &Json<'_>, negated: bool) -> Result<PrincipalMatcher, String> {
    let element = if negated { "NotPrincipal" } else { "Principal" };
    let mut matcher = PrincipalMatcher { negated, ..Default::default() };
    match value {
        Json::String(s) if s == "*" => matcher.wildcard = true,
        Json::Object(map) => {
            if map.is_empty() {
                return Err(format!("{element} must not be empty"));
            }
            for (key, v) in map {
                let values = strings(v, &format!("{element}.{key}"))?;
                match key.as_ref() {
                    "AWS" => {
                        for p in values {
                            if p == "*" {
                                matcher.wildcard = true;
                            } else {
                                validate_aws_principal(p).map_err(|e| format!("{element}: {e}"))?;
                                matcher.aws.push(p.to_string());
                            }
                        }
                    }
                    "Service" => matcher.service.extend(values.iter().map(|s| s.to_string())),
                    "Federated" => matcher.federated.extend(values.iter().map(|s| s.to_string())),
                    "CanonicalUser" => matcher.canonical_user.extend(values.iter().map(|s| s.to_string())),
                    other => {
                        return Err(format!(
                            "unknown principal type {other:?} in {element} (expected AWS, Service, Federated or CanonicalUser)"
                        ))
                    }
                }
            }
        }
        other => return Err(format!("{element} must be \"*\" or an object, found {other}")),
    }
    Ok(matcher)
}

fn validate_aws_principal(p: &str) -> Result<(), String> {
    if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let arn = Arn::parse(p).map_err(|e| format!("invalid AWS principal {p:?}: {e}"))?;
    if crate::glob::has_wildcard(p) {
        return Err(format!("invalid AWS principal {p:?}: wildcards are not allowed in principal ARNs (use \"*\" with a condition on aws:PrincipalArn)"));
    }
    if arn.service != "iam" && arn.service != "sts" {
        return Err(format!("invalid AWS principal {p:?}: expected an IAM or STS ARN"));
    }
    Ok(())
}

fn parse_conditions(value: &Json<'_>, version: Version) -> Result<Vec<Condition>, String> {
    let map = value.as_object().ok_or("Condition must be an object")?;
    let mut conditions = Vec::new();
    for (operator_name, block) in map {
        let operator = Operator::parse(operator_name)?;
        let block =
            block.as_object().ok_or_else(|| format!("condition {operator_name} must map condition keys to values"))?;
        if block.is_empty() {
            return Err(format!("condition {operator_name} names no condition key"));
        }
        for (key, values) in block {
            let values: Vec<String> = match values {
                Json::Array(items) => items.iter().map(scalar).collect::<Result<_, _>>(),
                other => scalar(other).map(|v| vec![v]),
            }
            .map_err(|e| format!("condition {operator_name} on {key}: {e}"))?;
            conditions.push(Condition::new(operator, key, values, version == Version::V2012_10_17)?);
        }
    }
    Ok(conditions)
}

fn scalar(value: &Json<'_>) -> Result<String, String> {
    match value {
        Json::String(s) => Ok(s.to_string()),
        Json::Number(n) => Ok(n.to_string()),
        Json::Bool(b) => Ok(b.to_string()),
        other => Err(format!("condition values must be strings, numbers or booleans, found {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, kind: PolicyType) -> Result<PolicyDocument, PolicyError> {
        PolicyDocument::parse(text, kind)
    }

    #[test]
    fn single_statement_object_and_strings() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"S3:Get*","Resource":"*"}}"#,
            PolicyType::Identity,
        )
        .unwrap();
        assert_eq!(p.statements.len(), 1);
        assert_eq!(p.statements[0].action.patterns, vec!["s3:get*"]);
    }

    #[test]
    fn rejects_what_iam_rejects() {
        let cases = [
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":1}]}"#,
                "unknown statement element",
            ),
            (r#"{"Statement":[{"Action":"s3:*","Resource":"*"}]}"#, "no Effect"),
            (r#"{"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}"#, "invalid Effect"),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:x","Resource":"*"}]}"#,
                "both Action and NotAction",
            ),
            (r#"{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#, "no Resource"),
            (r#"{"Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"}]}"#, "invalid action"),
            (r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}]}"#, "must be \"*\" or an ARN"),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
                "not allowed in a identity",
            ),
            (r#"{"Version":"2013-01-01","Statement":[]}"#, "invalid Version"),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}]}"#,
                "unknown condition operator",
            ),
            (r#"{"Statemen":[]}"#, "unknown policy element"),
            (r#"[1]"#, "must be a JSON object"),
        ];
        for (text, expected) in cases {
            let e = parse(text, PolicyType::Identity).unwrap_err();
            assert!(e.to_string().contains(expected), "{text}: got {e}");
        }
        for (text, kind, expected) in [
            (
                r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}"#,
                PolicyType::Trust,
                "NotPrincipal is not allowed",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*"}]}"#,
                PolicyType::ResourceControl,
                "must be \"*\"",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"*"},"Action":"sts:AssumeRole"}]}"#,
                PolicyType::Trust,
                "wildcard",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}"#,
                PolicyType::Trust,
                "not allowed in a role trust policy",
            ),
        ] {
            let e = parse(text, kind).unwrap_err();
            assert!(e.to_string().contains(expected), "{text}: got {e}");
        }
        let e = parse(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#, PolicyType::Resource)
            .unwrap_err();
        assert!(e.to_string().contains("needs a Principal"));
        let e = parse(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Resource,
        )
        .unwrap_err();
        assert!(e.to_string().contains("wildcards are not allowed"));
        assert_eq!(e.statement, Some(0));
    }
}
