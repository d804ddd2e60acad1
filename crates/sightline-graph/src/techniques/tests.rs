//! One generic test runs every technique on its fixtures, written in a short form:
//!
//! ```json
//! {"attacker": [["Allow", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/victim"]],
//!  "attacker_kind": "role",                      // default: a user
//!  "boundary": [["Allow", "iam:*", "*"]],         // the attacker's permissions boundary
//!  "users": {"victim": [statements]},
//!  "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]],
//!                      "properties": {"InstanceProfileArns": ["..."]}}},   // optional
//!  "groups": {"devs": {"members": ["attacker"], "policy": [statements]}},
//!  "managed": {"shared": {"statements": [statements], "attached_to": ["attacker"],
//!                         "versions": [[statements]]}},             // optional: its non-default versions
//!  "resources": [resource records as in a snapshot]}
//! ```
//!
//! Everything lives in account 111111111111. A statement is `[effect, action, resource]` or
//! `[effect, action, resource, condition]`. `trust` is a service, `account` (the account's root), or a document.

use super::*;
use crate::{Graph, ADMIN};
use serde_json::{json, Value};
use sightline_iam::authz::Authorizer;
use sightline_model::Snapshot;

const ACCOUNT: &str = "111111111111";

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}")
}

fn document(statements: &Value) -> Value {
    let statements: Vec<Value> = statements
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let s = s.as_array().unwrap();
            let mut out = json!({"Effect": s[0], "Action": s[1], "Resource": s[2]});
            if let Some(condition) = s.get(3) {
                out["Condition"] = condition.clone();
            }
            out
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn trust(how: &Value) -> Value {
    match how.as_str() {
        Some("account") => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]}),
        Some(service) => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}),
        None => how.clone(),
    }
}

fn principal(kind: &str, name: &str, inline: Option<Value>) -> Value {
    let mut p = json!({"provider": "aws", "id": arn(kind, name), "kind": kind, "account_id": ACCOUNT,
                       "name": name, "path": "/"});
    if let Some(statements) = inline {
        p["inline_policies"] = json!([{"name": "inline", "document": document(&statements)}]);
    }
    p
}

/// The snapshot a fixture describes.
pub(crate) fn snapshot(fixture: &str) -> Snapshot {
    let f: Value = serde_json::from_str(fixture).unwrap_or_else(|e| panic!("fixture: {e}\n{fixture}"));
    let mut principals = Vec::new();
    let mut policies = Vec::new();
    let kind = f["attacker_kind"].as_str().unwrap_or("user");
    let mut attacker = principal(kind, "attacker", Some(f["attacker"].clone()));
    if kind == "role" {
        attacker["trust_policy"] = trust(&json!("account"));
    }
    if let Some(b) = f.get("boundary") {
        let id = format!("arn:aws:iam::{ACCOUNT}:policy/boundary");
        policies.push(json!({"provider": "aws", "id": id, "kind": "customer_managed", "name": "boundary",
                             "account_id": ACCOUNT, "document": document(b)}));
        attacker["permissions_boundary"] = json!(id);
    }
    let mut groups_of: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (name, g) in f["groups"].as_object().into_iter().flatten() {
        for m in g["members"].as_array().into_iter().flatten() {
            groups_of.entry(m.as_str().unwrap().to_string()).or_default().push(arn("group", name));
        }
        principals.push(principal("group", name, g.get("policy").cloned()));
    }
    let mut attached: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (name, m) in f["managed"].as_object().into_iter().flatten() {
        let id = format!("arn:aws:iam::{ACCOUNT}:policy/{name}");
        let mut policy = json!({"provider": "aws", "id": id, "kind": "customer_managed", "name": name,
                                "account_id": ACCOUNT, "document": document(&m["statements"])});
        if let Some(versions) = m.get("versions").and_then(Value::as_array) {
            let others: Vec<Value> = versions
                .iter()
                .enumerate()
                .map(|(i, v)| json!({"VersionId": format!("v{}", i + 1), "Document": document(v)}))
                .collect();
            policy["properties"] = json!({"NonDefaultVersions": others});
        }
        policies.push(policy);
        for who in m["attached_to"].as_array().into_iter().flatten() {
            attached.entry(who.as_str().unwrap().to_string()).or_default().push(id.clone());
        }
    }
    let mut users = vec![("attacker".to_string(), attacker)];
    if kind == "role" {
        principals.push(users.pop().unwrap().1);
    }
    for (name, statements) in f["users"].as_object().into_iter().flatten() {
        users.push((name.clone(), principal("user", name, Some(statements.clone()))));
    }
    for (name, mut u) in users {
        u["groups"] = json!(groups_of.get(&name).cloned().unwrap_or_default());
        u["attached_policies"] = json!(attached.get(&name).cloned().unwrap_or_default());
        principals.push(u);
    }
    for (name, r) in f["roles"].as_object().into_iter().flatten() {
        let mut role = principal("role", name, r.get("policy").cloned());
        role["trust_policy"] = trust(&r["trust"]);
        if let Some(properties) = r.get("properties") {
            role["properties"] = properties.clone();
        }
        principals.push(role);
    }
    if kind == "role" {
        if let Some(a) = attached.get("attacker") {
            principals[0]["attached_policies"] = json!(a);
        }
    }
    let snapshot = json!({
        "format_version": 1,
        "accounts": [{"provider": "aws", "id": ACCOUNT}],
        "principals": principals,
        "policies": policies,
        "resources": f.get("resources").cloned().unwrap_or(json!([])),
    });
    serde_json::from_value(snapshot).unwrap_or_else(|e| panic!("fixture snapshot: {e}\n{fixture}"))
}

/// The edges of `technique` from the attacker in the fixture's snapshot.
fn edges_of(technique: &Technique, fixture: &str) -> Vec<crate::Edge> {
    let snapshot = snapshot(fixture);
    let authz = Authorizer::new(&snapshot).unwrap_or_else(|e| panic!("{}: {e:?}", technique.id));
    let ctx = Ctx::new(&snapshot, &authz);
    let kind = if fixture.contains("\"attacker_kind\": \"role\"") { "role" } else { "user" };
    let attacker = snapshot.principals.iter().find(|p| p.id == arn(kind, "attacker")).unwrap();
    (technique.find)(&ctx, attacker)
}

fn target(expect: &str) -> String {
    match expect.split_once('/') {
        Some((kind, name)) => arn(kind, name),
        None => expect.to_string(),
    }
}

/// Each technique finds its edge in each positive fixture, with a proof for every request, and not in any
/// negative twin.
#[test]
fn every_technique_meets_its_fixtures() {
    let mut problems = Vec::new();
    for t in TECHNIQUES {
        if t.fixtures.positive.is_empty() || t.fixtures.negative.is_empty() {
            problems.push(format!("{}: needs a positive and a negative fixture", t.id));
        }
        let want = target(t.fixtures.expect);
        for (i, fixture) in t.fixtures.positive.iter().enumerate() {
            let edges = edges_of(t, fixture);
            match edges.iter().find(|e| e.to == want) {
                Some(e) if e.kind == EdgeKind::Technique(t.id) && !e.proof.is_empty() => {
                    if let Some(needed) = t.needs {
                        if !e.proof.iter().any(|s| s.action == needed) {
                            problems.push(format!("{}: positive {i}: {needed} is not among the requests", t.id));
                        }
                    }
                    let reaches = match t.fixtures.expect {
                        "admin" => Reaches::Admin,
                        e if e.starts_with("user/") => Reaches::User,
                        _ => Reaches::Role,
                    };
                    if reaches != t.reaches {
                        problems.push(format!("{}: reaches {:?}, its fixture {}", t.id, t.reaches, t.fixtures.expect));
                    }
                    if e.proof.iter().any(|s| s.statements.is_empty()) {
                        problems.push(format!("{}: positive {i}: a step without statements: {e:?}", t.id));
                    }
                }
                _ => problems.push(format!("{}: positive {i}: no edge to {want}: {edges:?}", t.id)),
            }
        }
        for (i, fixture) in t.fixtures.negative.iter().enumerate() {
            let edges = edges_of(t, fixture);
            if !edges.is_empty() {
                problems.push(format!("{}: negative {i}: found {edges:?}", t.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for t in TECHNIQUES {
        assert!(seen.insert(t.id), "duplicate {}", t.id);
        assert!(t.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", t.id);
        assert!(!t.title.is_empty() && !t.description.is_empty() && !t.references.is_empty(), "{}", t.id);
    }
}

/// A permissions boundary, an explicit deny, or an SCP that blocks a request removes the technique.
#[test]
fn boundaries_and_denies_remove_techniques() {
    let open = r#"{"attacker": [["Allow", "iam:CreateAccessKey", "*"]], "users": {"victim": []}}"#;
    let t = technique("iam-create-access-key").unwrap();
    assert_eq!(edges_of(t, open).len(), 1);
    let bounded = r#"{"attacker": [["Allow", "iam:CreateAccessKey", "*"]], "users": {"victim": []},
                      "boundary": [["Allow", "s3:*", "*"]]}"#;
    assert!(edges_of(t, bounded).is_empty());
    let denied = r#"{"attacker": [["Allow", "iam:CreateAccessKey", "*"],
                                  ["Deny", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/victim"]],
                     "users": {"victim": []}}"#;
    assert!(edges_of(t, denied).is_empty());
}

/// The graph over a whole snapshot: escalations split across a group's and a managed policy are found, chains of
/// several hops come out whole and shortest, and loops of roles assuming each other end.
#[test]
fn paths_across_policies_groups_and_role_chains() {
    // The attacker's group may pass any role; its managed policy may create and invoke functions. Neither alone
    // escalates. role/a and role/b trust the account and each other (a loop); role/b may create access keys for
    // the admin user.
    let fixture = r#"{
        "attacker": [["Allow", "sts:AssumeRole", "arn:aws:iam::111111111111:role/a"]],
        "groups": {"devs": {"members": ["attacker"], "policy": [["Allow", "iam:PassRole", "*"]]}},
        "managed": {"fn": {"statements": [["Allow", "lambda:CreateFunction", "*"], ["Allow", "lambda:InvokeFunction", "*"]],
                           "attached_to": ["attacker"]}},
        "users": {"boss": [["Allow", "*", "*"]]},
        "roles": {
            "lambda-admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]},
            "a": {"trust": "account", "policy": [["Allow", "sts:AssumeRole", "arn:aws:iam::111111111111:role/b"]]},
            "b": {"trust": "account", "policy": [["Allow", "sts:AssumeRole", "arn:aws:iam::111111111111:role/a"],
                                                 ["Allow", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/boss"]]}
        }
    }"#;
    let snapshot = snapshot(fixture);
    let authz = Authorizer::new(&snapshot).unwrap();
    let graph = Graph::build(&snapshot, &authz);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    assert!(
        graph.admins.contains(&arn("user", "boss")) && graph.admins.contains(&arn("role", "lambda-admin")),
        "{:?}",
        graph.admins
    );
    let path = graph.shortest_path(&arn("user", "attacker"), ADMIN).unwrap();
    assert_eq!(path.len(), 1, "{path:?}");
    assert_eq!(
        (path[0].technique, path[0].to.as_str()),
        ("iam-pass-role-lambda-invoke", arn("role", "lambda-admin").as_str())
    );
    // The proof names the group's statement and the managed policy's.
    let proof: Vec<&str> = path[0].proof.iter().flat_map(|s| s.statements.iter().map(String::as_str)).collect();
    assert!(proof.iter().any(|s| s.contains("group/devs#inline")), "{proof:?}");
    assert!(proof.iter().any(|s| s.contains("policy/fn#")), "{proof:?}");
    // role/a reaches the admin user through role/b: two hops, through the loop without hanging.
    let chain = graph.shortest_path(&arn("role", "a"), ADMIN).unwrap();
    assert_eq!(crate::shortest_path(&snapshot, &authz, &arn("role", "a"), ADMIN), Some(chain.clone()));
    let to_b = crate::shortest_path(&snapshot, &authz, &arn("user", "attacker"), &arn("role", "b")).unwrap();
    assert_eq!(to_b, graph.shortest_path(&arn("user", "attacker"), &arn("role", "b")).unwrap());
    assert_eq!(to_b.len(), 2);
    assert_eq!(crate::shortest_path(&snapshot, &authz, &arn("user", "boss"), ADMIN), None);
    let hops: Vec<(&str, &str)> = chain.iter().map(|h| (h.technique, h.to.as_str())).collect();
    assert_eq!(
        hops,
        vec![("sts-assume-role", arn("role", "b").as_str()), ("iam-create-access-key", arn("user", "boss").as_str())]
    );
    let escalations = graph.privesc();
    // The backward search without the whole graph gives the same answer.
    let lazy = crate::privesc(&snapshot, &authz);
    assert_eq!(lazy.escalations, escalations);
    assert_eq!(lazy.admins, graph.admins);
    let who: Vec<&str> = escalations.iter().map(|e| e.principal.as_str()).collect();
    assert!(who.contains(&arn("user", "attacker").as_str()) && who.contains(&arn("role", "b").as_str()), "{who:?}");
    assert!(!who.contains(&arn("user", "boss").as_str()));
}

/// An escalation across accounts: a user of one account assumes a role of another, which can pass that
/// account's administrator role to Lambda.
#[test]
fn escalation_across_accounts() {
    let doc = |statements: Value| json!({"Version": "2012-10-17", "Statement": statements});
    let role = |account: &str, name: &str, trust: Value, policy: Value| {
        json!({"provider": "aws", "id": format!("arn:aws:iam::{account}:role/{name}"), "kind": "role",
               "account_id": account, "name": name, "path": "/", "trust_policy": trust,
               "inline_policies": [{"name": "inline", "document": policy}]})
    };
    let snapshot: Snapshot = serde_json::from_value(json!({
        "format_version": 1,
        "accounts": [{"provider": "aws", "id": "111111111111"}, {"provider": "aws", "id": "222222222222"}],
        "principals": [
            {"provider": "aws", "id": "arn:aws:iam::111111111111:user/dev", "kind": "user", "account_id": "111111111111",
             "name": "dev", "path": "/", "inline_policies": [{"name": "inline", "document": doc(json!([
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/ops"}]))}]},
            role("222222222222", "ops",
                 doc(json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}])),
                 doc(json!([{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]))),
            role("222222222222", "fn-admin",
                 doc(json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}])),
                 doc(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))),
        ]
    }))
    .unwrap();
    let authz = Authorizer::new(&snapshot).unwrap();
    let found = crate::privesc(&snapshot, &authz);
    assert_eq!(found.admins, vec!["arn:aws:iam::222222222222:role/fn-admin".to_string()]);
    let dev = found.escalations.iter().find(|e| e.principal == "arn:aws:iam::111111111111:user/dev").unwrap();
    let hops: Vec<(&str, &str)> = dev.path.iter().map(|h| (h.technique, h.to.as_str())).collect();
    assert_eq!(
        hops,
        vec![
            ("sts-assume-role", "arn:aws:iam::222222222222:role/ops"),
            ("iam-pass-role-lambda-invoke", "arn:aws:iam::222222222222:role/fn-admin")
        ]
    );
    // The whole-graph search agrees.
    let graph = Graph::build(&snapshot, &authz);
    assert_eq!(graph.privesc(), found.escalations);
}

/// Techniques on existing resources, in a whole snapshot: the attacker opens a session on an instance, whose role
/// may start builds of a project that runs as an administrator role (two hops). The backward search finds the same
/// escalations as the whole graph.
#[test]
fn existing_resources_lazy_equals_full() {
    let fixture = r#"{
        "attacker": [["Allow", "ssm:StartSession", "*"]],
        "roles": {
            "web": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "ssm:UpdateInstanceInformation", "*"], ["Allow", "codebuild:StartBuild", "*"]],
                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}},
            "deployer": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}
        },
        "resources": [
            {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0web", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111",
             "region": "us-east-1", "name": "i-0web", "properties": {"State": "running", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/web"}}},
            {"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project", "account_id": "111111111111",
             "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "deployer"}}
        ]
    }"#;
    let snapshot = snapshot(fixture);
    let authz = Authorizer::new(&snapshot).unwrap();
    let graph = Graph::build(&snapshot, &authz);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    let lazy = crate::privesc(&snapshot, &authz);
    assert_eq!(lazy.escalations, graph.privesc());
    let path = graph.shortest_path(&arn("user", "attacker"), ADMIN).unwrap();
    let hops: Vec<(&str, &str)> = path.iter().map(|h| (h.technique, h.to.as_str())).collect();
    assert_eq!(
        hops,
        vec![
            ("ssm-start-session", arn("role", "web").as_str()),
            ("codebuild-start-build-existing-project", arn("role", "deployer").as_str())
        ]
    );
}
