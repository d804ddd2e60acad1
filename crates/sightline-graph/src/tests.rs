//! The graph's node and edge kinds beyond the identities' moves, on one snapshot: services, identity providers and
//! outside accounts that trust policies let in, passing roles, access to resources and their classifications.

use crate::{Graph, NodeKind, Options};
use serde_json::{json, Value};
use sightline_iam::actions::AccessLevel;
use sightline_iam::authz::Authorizer;
use sightline_model::Snapshot;

const ACCOUNT: &str = "111111111111";
const GITHUB: &str = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
const OKTA: &str = "arn:aws:iam::111111111111:saml-provider/okta";
const VENDOR: &str = "arn:aws:iam::999999999999:root";
const DATA: &str = "arn:aws:s3:::acme-data";

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}")
}

fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn user(name: &str, statements: Value) -> Value {
    json!({"provider": "aws", "id": arn("user", name), "kind": "user", "account_id": ACCOUNT, "name": name,
           "inline_policies": [{"name": "inline", "document": doc(statements)}]})
}

fn role(name: &str, trust: Value) -> Value {
    json!({"provider": "aws", "id": arn("role", name), "kind": "role", "account_id": ACCOUNT, "name": name,
           "trust_policy": doc(json!([trust])),
           "inline_policies": [{"name": "inline", "document": doc(json!([{"Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*"}]))}]})
}

fn snapshot() -> Snapshot {
    let github = json!({"Federated": GITHUB});
    serde_json::from_value(json!({
        "format_version": 1,
        "accounts": [{"provider": "aws", "id": ACCOUNT}],
        "principals": [
            user("dev", json!([
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": arn("role", "fn"),
                 "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [DATA, format!("{DATA}/*")]}])),
            user("nopass", json!([{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}])),
            // A service, asked on behalf of a resource of the role's own account.
            role("fn", json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
                              "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}})),
            // An OIDC provider, with the claims of its tokens.
            role("deploy", json!({"Effect": "Allow", "Principal": github, "Action": "sts:AssumeRoleWithWebIdentity",
                                  "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                                                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}})),
            // The same provider, but only from an address no token request comes from.
            role("deploy-vpn", json!({"Effect": "Allow", "Principal": github, "Action": "sts:AssumeRoleWithWebIdentity",
                                      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})),
            role("sso", json!({"Effect": "Allow", "Principal": {"Federated": OKTA}, "Action": "sts:AssumeRoleWithSAML",
                               "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}})),
            // An outside account, with the external id it was given.
            role("vendor", json!({"Effect": "Allow", "Principal": {"AWS": VENDOR}, "Action": "sts:AssumeRole",
                                  "Condition": {"StringEquals": {"sts:ExternalId": "s3cret"}}})),
            // An outside account, but only for principals of an organization it is not in.
            role("vendor-org", json!({"Effect": "Allow", "Principal": {"AWS": VENDOR}, "Action": "sts:AssumeRole",
                                      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-acme"}}})),
            {"provider": "aws", "id": GITHUB, "kind": "identity_provider", "account_id": ACCOUNT,
             "name": "token.actions.githubusercontent.com"},
        ],
        "resources": [
            {"provider": "aws", "id": DATA, "resource_type": "AWS::S3::Bucket", "account_id": ACCOUNT, "name": "acme-data",
             "policy": doc(json!([{"Sid": "VendorReads", "Effect": "Allow", "Principal": {"AWS": VENDOR},
                                   "Action": "s3:GetObject", "Resource": format!("{DATA}/*")}])),
             "properties": {"sightline_classifications": ["pii", "pci", "pii"]}},
            {"provider": "aws", "id": "arn:aws:s3:::acme-logs", "resource_type": "AWS::S3::Bucket", "account_id": ACCOUNT,
             "name": "acme-logs"},
            {"provider": "aws", "id": OKTA, "resource_type": "AWS::IAM::SAMLProvider", "account_id": ACCOUNT, "name": "okta"},
        ],
    }))
    .unwrap()
}

fn kind_of<'g>(graph: &'g Graph, id: &str) -> Option<&'g NodeKind> {
    graph.nodes.iter().find(|n| n.id == id).map(|n| &n.kind)
}

fn edge<'g>(graph: &'g Graph, from: &str, to: &str, kind: &str) -> Option<&'g crate::Edge> {
    graph.edges.iter().find(|e| e.from == from && e.to == to && e.kind.id() == kind)
}

#[test]
fn nodes_of_every_kind() {
    let snapshot = snapshot();
    let authz = Authorizer::new(&snapshot).unwrap();
    let graph = Graph::build(&snapshot, &authz);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    assert_eq!(kind_of(&graph, &arn("user", "dev")), Some(&NodeKind::User));
    assert_eq!(kind_of(&graph, &arn("role", "fn")), Some(&NodeKind::Role));
    assert_eq!(kind_of(&graph, "lambda.amazonaws.com"), Some(&NodeKind::ServicePrincipal));
    assert_eq!(kind_of(&graph, GITHUB), Some(&NodeKind::IdentityProvider));
    // A provider the collector recorded as a resource is a provider.
    assert_eq!(kind_of(&graph, OKTA), Some(&NodeKind::IdentityProvider));
    assert_eq!(kind_of(&graph, VENDOR), Some(&NodeKind::ExternalAccount));
    assert_eq!(kind_of(&graph, DATA), Some(&NodeKind::Resource("AWS::S3::Bucket".into())));
    assert_eq!(kind_of(&graph, "arn:aws:s3:::acme-logs"), Some(&NodeKind::Resource("AWS::S3::Bucket".into())));
    assert_eq!(kind_of(&graph, "classification:pii"), Some(&NodeKind::Classification));
    assert_eq!(kind_of(&graph, "classification:pci"), Some(&NodeKind::Classification));
    let ids: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "each node once: {ids:?}");
    // Classifications: one edge per label.
    let classified: Vec<&str> =
        graph.edges.iter().filter(|e| e.kind.id() == "classified-as").map(|e| e.to.as_str()).collect();
    assert_eq!(classified, vec!["classification:pii", "classification:pci"]);
    assert_eq!(edge(&graph, DATA, "classification:pii", "classified-as").unwrap().from, DATA);
}

#[test]
fn outside_principals_assume_roles_as_the_engine_decides() {
    let snapshot = snapshot();
    let authz = Authorizer::new(&snapshot).unwrap();
    let graph = Graph::build(&snapshot, &authz);

    let service = edge(&graph, "lambda.amazonaws.com", &arn("role", "fn"), "sts-assume-role").unwrap();
    assert_eq!(service.proof[0].action, "sts:AssumeRole");
    assert!(service.proof[0].statements.iter().any(|s| s.contains("role/fn")), "{service:?}");
    assert!(service.detail.contains("on behalf of a resource of account 111111111111"), "{}", service.detail);

    let oidc = edge(&graph, GITHUB, &arn("role", "deploy"), "sts-assume-role").unwrap();
    assert_eq!(oidc.proof[0].action, "sts:AssumeRoleWithWebIdentity");
    assert!(oidc.proof[0].statements.iter().any(|s| s.contains("role/deploy")), "{oidc:?}");
    assert!(oidc.detail.contains("token.actions.githubusercontent.com:sub = repo:acme/"), "{}", oidc.detail);
    // A condition no token request meets keeps the provider out.
    assert!(edge(&graph, GITHUB, &arn("role", "deploy-vpn"), "sts-assume-role").is_none());

    let saml = edge(&graph, OKTA, &arn("role", "sso"), "sts-assume-role").unwrap();
    assert_eq!(saml.proof[0].action, "sts:AssumeRoleWithSAML");

    let vendor = edge(&graph, VENDOR, &arn("role", "vendor"), "sts-assume-role").unwrap();
    assert!(vendor.detail.contains("sts:ExternalId = s3cret"), "{}", vendor.detail);
    assert!(vendor.proof[0].statements.iter().any(|s| s.contains("role/vendor")), "{vendor:?}");
    // An organization condition the outside account cannot meet.
    assert!(edge(&graph, VENDOR, &arn("role", "vendor-org"), "sts-assume-role").is_none());
    // No user or role is let in by these trust policies.
    assert!(!graph
        .edges
        .iter()
        .any(|e| e.kind.id() == "sts-assume-role" && (e.from.contains(":user/") || e.from.contains(":role/"))));
}

#[test]
fn pass_role_needs_the_engine_to_allow_it() {
    let snapshot = snapshot();
    let authz = Authorizer::new(&snapshot).unwrap();
    let graph = Graph::build(&snapshot, &authz);
    let pass = edge(&graph, &arn("user", "dev"), &arn("role", "fn"), "can-pass-role").unwrap();
    assert!(pass.detail.contains("lambda.amazonaws.com"), "{}", pass.detail);
    assert_eq!(pass.proof[0].action, "iam:PassRole");
    assert!(pass.proof[0].statements.iter().any(|s| s.contains("user/dev#inline")), "{pass:?}");
    let passes: Vec<(&str, &str)> = graph
        .edges
        .iter()
        .filter(|e| e.kind.id() == "can-pass-role")
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    // dev's grant names one role, for Lambda only; nopass has no PassRole at all.
    assert_eq!(passes.len(), 1, "{passes:?}");
    // Passing a role is not becoming it: paths do not follow it.
    assert!(graph.shortest_path(&arn("user", "dev"), &arn("role", "fn")).is_none());
    assert_eq!(graph.privesc(), crate::privesc(&snapshot, &authz).escalations);
}

#[test]
fn access_to_resources_with_levels() {
    let snapshot = snapshot();
    let authz = Authorizer::new(&snapshot).unwrap();
    assert!(!Graph::build(&snapshot, &authz).edges.iter().any(|e| e.kind.id() == "has-access"));
    let graph = Graph::build_with(&snapshot, &authz, Options { access: true });
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);

    let dev = edge(&graph, &arn("user", "dev"), DATA, "has-access").unwrap();
    assert_eq!(dev.kind, crate::EdgeKind::HasAccess(vec![AccessLevel::List, AccessLevel::Read]));
    assert!(dev.proof.iter().any(|s| s.action == "s3:GetObject" && s.resource == format!("{DATA}/*")), "{dev:?}");
    assert!(dev.proof.iter().all(|s| s.statements.iter().any(|st| st.contains("user/dev#inline"))), "{dev:?}");

    let vendor = edge(&graph, VENDOR, DATA, "has-access").unwrap();
    assert_eq!(vendor.kind, crate::EdgeKind::HasAccess(vec![AccessLevel::Read]));
    assert!(vendor.proof[0].statements.iter().any(|s| s.contains("VendorReads")), "{vendor:?}");
    assert!(vendor.detail.starts_with("Read (1 action) on acme-data"), "{}", vendor.detail);

    // nopass lists buckets, which is no action on a bucket; nobody reaches the logs bucket.
    assert!(!graph.edges.iter().any(|e| e.kind.id() == "has-access" && e.from == arn("user", "nopass")));
    assert!(!graph.edges.iter().any(|e| e.kind.id() == "has-access" && e.to == "arn:aws:s3:::acme-logs"));
}

#[test]
fn export_holds_the_new_kinds() {
    let snapshot = snapshot();
    let authz = Authorizer::new(&snapshot).unwrap();
    let graph = Graph::build_with(&snapshot, &authz, Options { access: true });
    let c = crate::export::export(&graph, crate::export::ExportFormat::Cypher);
    for part in [
        ":AWSService {arn: 'lambda.amazonaws.com'}",
        ":IdentityProvider {arn: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'}",
        ":AWSAccount {arn: 'arn:aws:iam::999999999999:root'}",
        ":Resource {arn: 'arn:aws:s3:::acme-data'}",
        ":DataClassification {arn: 'classification:pii'}",
        "[r:CAN_PASS_ROLE {technique: 'can-pass-role'}]",
        "r.access_levels = ['List', 'Read']",
        "[r:CLASSIFIED_AS {technique: 'classified-as'}]",
    ] {
        assert!(c.contains(part), "{part}\n{c}");
    }
}

#[test]
fn paths_to_labelled_data() {
    let snapshot = snapshot();
    let authz = Authorizer::new(&snapshot).unwrap();
    let (target, path) = crate::path_to_label(&snapshot, &authz, &arn("user", "dev"), "pci").unwrap().unwrap();
    assert!(target.starts_with(DATA), "{target}");
    assert_eq!(path.len(), 1);
    assert_eq!(path[0].technique, "has-access");
    assert!(!path[0].proof.is_empty());
    // No way there; no such label.
    assert!(crate::path_to_label(&snapshot, &authz, &arn("user", "nopass"), "pci").unwrap().is_none());
    assert!(crate::path_to_label(&snapshot, &authz, &arn("user", "dev"), "phi").unwrap().is_none());
}
