//! The tenant collector against a local server that replays Azure-shaped responses.
//!
//! No emulator of Azure Resource Manager, Resource Graph or Microsoft Graph exists. This server answers each call
//! the collector makes with a response written to the shape the APIs document (ids, paging links, error bodies,
//! `Retry-After`), not recorded from a real tenant: paging over `nextLink`, `@odata.nextLink` and Resource Graph's
//! `$skipToken`, a throttled call (429 with `Retry-After`), and 403s for permissions the identity lacks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use sightline_collect_azure::collect::{collect, Options};
use sightline_collect_azure::rest::{Rest, StaticTokens};
use sightline_model::CoverageStatus;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const TENANT: &str = "6d3f9a52-8c1e-4b7a-9f20-5e4c1d2b7a90";
const SUB1: &str = "4f7c2e91-3a5b-4d6e-8f10-2b9c7d5e1a34";
const SUB2: &str = "9b1e6d2c-7f4a-4c3b-a5e8-6d0f2c8b9e71";

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    authorization: String,
}

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn denied(what: &str) -> (u16, Vec<(&'static str, String)>, Value) {
    (
        403,
        vec![],
        json!({"error": {"code": "AuthorizationFailed", "message": format!("The client does not have authorization to perform action '{what}' over scope or the scope is invalid.")}}),
    )
}

fn graph_denied() -> (u16, Vec<(&'static str, String)>, Value) {
    (
        403,
        vec![],
        json!({"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation."}}),
    )
}

fn ok(body: Value) -> (u16, Vec<(&'static str, String)>, Value) {
    (200, vec![], body)
}

fn route(
    base: &str,
    method: &str,
    target: &str,
    body: &str,
    throttled: &AtomicUsize,
) -> (u16, Vec<(&'static str, String)>, Value) {
    let path = target.split('?').next().unwrap_or_default();
    let query = target.split_once('?').map_or("", |(_, q)| q);
    match (method, path) {
        ("GET", "/subscriptions") if query.contains("skiptoken=2") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB2}"), "subscriptionId": SUB2, "tenantId": TENANT, "displayName": "nw-dev", "state": "Enabled"}]})),
        ("GET", "/subscriptions") => ok(json!({
            "value": [{"id": format!("/subscriptions/{SUB1}"), "subscriptionId": SUB1, "tenantId": TENANT, "displayName": "nw-prod", "state": "Enabled"}],
            "nextLink": format!("{base}/subscriptions?api-version=2022-12-01&%24skiptoken=2")})),
        ("POST", "/providers/Microsoft.ResourceGraph/resources") => {
            let request: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let query = request["query"].as_str().unwrap_or_default();
            // The first query is throttled once.
            if throttled.fetch_add(1, Ordering::SeqCst) == 0 {
                return (
                    429,
                    vec![("Retry-After", "1".into())],
                    json!({"error": {"code": "RateLimiting", "message": "Please provide below info when asking for support: timestamp = 2026-11-29T07:00:00Z"}}),
                );
            }
            if request.get("managementGroups").is_some() {
                return denied("Microsoft.Management/managementGroups/read");
            }
            if query.starts_with("resources") {
                let vm = |name: &str| {
                    json!({"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/{name}"),
                    "name": name, "type": "microsoft.compute/virtualmachines", "tenantId": TENANT, "location": "westeurope",
                    "resourceGroup": "rg-build", "subscriptionId": SUB1, "properties": {"hardwareProfile": {"vmSize": "Standard_D2s_v5"}}, "tags": {}})
                };
                if request["options"].get("$skipToken").is_some() {
                    let storage = json!({"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/nwdata"),
                        "name": "nwdata", "type": "microsoft.storage/storageaccounts", "tenantId": TENANT, "location": "westeurope", "kind": "StorageV2",
                        "resourceGroup": "rg-data", "subscriptionId": SUB1, "properties": {"allowBlobPublicAccess": true, "minimumTlsVersion": "TLS1_0"}, "tags": {}});
                    let sql = json!({"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/nw-sql"),
                        "name": "nw-sql", "type": "microsoft.sql/servers", "tenantId": TENANT, "location": "westeurope",
                        "resourceGroup": "rg-data", "subscriptionId": SUB1, "properties": {"publicNetworkAccess": "Enabled"}, "tags": {}});
                    // The vault's data plane is this server too.
                    let vault = json!({"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/nw-kv"),
                        "name": "nw-kv", "type": "microsoft.keyvault/vaults", "tenantId": TENANT, "location": "westeurope",
                        "resourceGroup": "rg-shared", "subscriptionId": SUB1, "properties": {"vaultUri": format!("{base}/vaults/nw-kv/"), "enableRbacAuthorization": true}, "tags": {}});
                    return ok(
                        json!({"totalRecords": 5, "count": 4, "data": [vm("vm-2"), storage, sql, vault], "resultTruncated": "false"}),
                    );
                }
                return ok(
                    json!({"totalRecords": 5, "count": 1, "data": [vm("vm-1")], "resultTruncated": "false", "$skipToken": "ew0KICAiJGlkIjogIjEiDQp9"}),
                );
            }
            if query.starts_with("resourcecontainers") {
                return ok(json!({"totalRecords": 1, "count": 1, "resultTruncated": "false", "data": [
                    {"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-build"), "name": "rg-build", "type": "microsoft.resources/subscriptions/resourcegroups",
                     "tenantId": TENANT, "subscriptionId": SUB1, "resourceGroup": "rg-build", "location": "westeurope", "properties": {"provisioningState": "Succeeded"}}]}));
            }
            ok(json!({"totalRecords": 0, "count": 0, "data": [], "resultTruncated": "false"}))
        }
        ("GET", p) if p == format!("/subscriptions/{SUB2}/providers/Microsoft.Authorization/roleAssignments") => {
            denied("Microsoft.Authorization/roleAssignments/read")
        }
        ("GET", p) if p.ends_with("/providers/Microsoft.Authorization/roleAssignments") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB1}/providers/Microsoft.Authorization/roleAssignments/11111111-aaaa-4bbb-8ccc-000000000001"),
             "type": "Microsoft.Authorization/roleAssignments", "name": "11111111-aaaa-4bbb-8ccc-000000000001",
             "properties": {"roleDefinitionId": format!("/subscriptions/{SUB1}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
                "principalId": "0b7e3f21-6a4c-4e2d-9b18-3c5f7a9d1e02", "principalType": "User", "scope": format!("/subscriptions/{SUB1}")}}]})),
        ("GET", p) if p.ends_with("/providers/Microsoft.Authorization/roleDefinitions") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB1}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
             "type": "Microsoft.Authorization/roleDefinitions", "name": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
             "properties": {"roleName": "Owner", "type": "BuiltInRole", "assignableScopes": ["/"],
                "permissions": [{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]}}]})),
        ("GET", p) if p.ends_with("/storageAccounts/nwdata/blobServices") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/nwdata/blobServices/default"),
             "name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
             "properties": {"deleteRetentionPolicy": {"enabled": false}, "containerDeleteRetentionPolicy": {"enabled": false}}}]})),
        ("GET", p) if p.ends_with("/storageAccounts/nwdata/blobServices/default/containers") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/nwdata/blobServices/default/containers/exports"),
             "name": "exports", "type": "Microsoft.Storage/storageAccounts/blobServices/containers", "properties": {"publicAccess": "Container"}}]})),
        ("GET", p) if p.ends_with("/servers/nw-sql/databases") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/nw-sql/databases/orders"),
             "name": "orders", "type": "Microsoft.Sql/servers/databases", "location": "westeurope", "properties": {"status": "Online"}}]})),
        ("GET", p) if p.ends_with("/databases/orders/transparentDataEncryption") => ok(json!({"value": [
            {"id": format!("/subscriptions/{SUB1}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/nw-sql/databases/orders/transparentDataEncryption/Current"),
             "name": "Current", "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": "Disabled"}}]})),
        ("GET", p) if p.ends_with("/storageAccounts/nwdata/fileServices") => {
            denied("Microsoft.Storage/storageAccounts/fileServices/read")
        }
        // The Key Vault data plane: two certificates, listed without their policies, then each policy.
        ("GET", "/vaults/nw-kv/certificates") => ok(json!({"value": [
            {"id": format!("{base}/vaults/nw-kv/certificates/web-tls"), "x5t": "fLi3U52HunIVNXubkEnf8tP6Wbo",
             "attributes": {"enabled": true, "nbf": 1764547200, "exp": 1796083200, "created": 1764547200, "updated": 1764547200}},
            {"id": format!("{base}/vaults/nw-kv/certificates/internal-ca"), "x5t": "Bt1rFZ9aUh7hSx9e5aAQ5nGfpL4",
             "attributes": {"enabled": true, "nbf": 1764547200, "exp": 1922313600, "created": 1764547200, "updated": 1764547200}}]})),
        ("GET", p) if p.starts_with("/vaults/nw-kv/certificates/") && p.ends_with("/policy") => {
            let months = if p.contains("internal-ca") { 60 } else { 12 };
            ok(json!({"id": format!("{base}{p}"), "issuer": {"name": "Self"},
                "key_props": {"exportable": true, "kty": "RSA", "key_size": 2048, "reuse_key": false},
                "secret_props": {"contentType": "application/x-pkcs12"},
                "x509_props": {"subject": "CN=northwind.example", "ekus": ["1.3.6.1.5.5.7.3.1"], "key_usage": ["digitalSignature", "keyEncipherment"], "validity_months": months},
                "lifetime_actions": [{"trigger": {"lifetime_percentage": 80}, "action": {"action_type": "AutoRenew"}}],
                "attributes": {"enabled": true, "created": 1764547200, "updated": 1764547200}}))
        }
        ("GET", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy") => {
            ok(json!({"id": "00000000-0000-0000-0000-000000000005",
            "displayName": "Security Defaults", "isEnabled": false}))
        }
        // Every other ARM list below a subscription: nothing of that kind.
        ("GET", p) if p.starts_with("/subscriptions/") && p.contains("/providers/Microsoft.") => {
            ok(json!({"value": []}))
        }
        // Microsoft Graph.
        ("GET", "/v1.0/users") if query.contains("skiptoken") => ok(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)",
            "value": [{"id": "1c8f4a32-7b5d-4f3e-8c29-4d6a8b0e2f13", "displayName": "Bob Lindqvist", "userPrincipalName": "bob@northwindrobotics.onmicrosoft.com", "accountEnabled": true, "userType": "Member"}]})),
        ("GET", "/v1.0/users") => ok(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)",
            "@odata.nextLink": format!("{base}/v1.0/users?$top=1&$skiptoken=RFNwdAIAAQAAAA"),
            "value": [{"id": "0b7e3f21-6a4c-4e2d-9b18-3c5f7a9d1e02", "displayName": "Alice Moreau", "userPrincipalName": "alice@northwindrobotics.onmicrosoft.com", "accountEnabled": true, "userType": "Member"}]})),
        ("GET", "/v1.0/groups") => ok(
            json!({"value": [{"id": "6b3e9f87-2a0c-4e8d-9b7e-9c1f3a5d7e68", "displayName": "Cloud Operations", "securityEnabled": true}]}),
        ),
        ("GET", p) if p.ends_with("/members") => ok(
            json!({"value": [{"@odata.type": "#microsoft.graph.user", "id": "1c8f4a32-7b5d-4f3e-8c29-4d6a8b0e2f13"}]}),
        ),
        ("GET", p) if p.ends_with("/owners") => ok(
            json!({"value": [{"@odata.type": "#microsoft.graph.user", "id": "0b7e3f21-6a4c-4e2d-9b18-3c5f7a9d1e02"}]}),
        ),
        ("GET", "/v1.0/applications") => ok(json!({"value": []})),
        ("GET", "/v1.0/servicePrincipals") => ok(json!({"value": [
            {"id": "a07c3d2b-6e4a-4c2b-9fbc-3a5d7e9b1cac", "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph", "servicePrincipalType": "Application",
             "appRoles": [{"id": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "value": "RoleManagement.ReadWrite.Directory", "allowedMemberTypes": ["Application"], "isEnabled": true}]}]})),
        ("GET", p) if p.ends_with("/appRoleAssignedTo") => ok(json!({"value": []})),
        ("GET", p) if p.starts_with("/v1.0/roleManagement/directory/") => ok(json!({"value": []})),
        ("GET", "/v1.0/identity/conditionalAccess/policies") => graph_denied(),
        ("GET", "/v1.0/policies/authorizationPolicy") => {
            ok(json!({"id": "authorizationPolicy", "allowInvitesFrom": "everyone",
            "defaultUserRolePermissions": {"allowedToCreateApps": true}}))
        }
        // Its members come from the `/members` route above.
        ("GET", "/v1.0/directory/administrativeUnits") => {
            ok(json!({"value": [{"id": "9c2e4a61-3b5d-4f7e-8a10-6d2f4b8c0e35", "displayName": "Build team"}]}))
        }
        ("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails") => ok(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails",
            "value": [
                {"id": "0b7e3f21-6a4c-4e2d-9b18-3c5f7a9d1e02", "userPrincipalName": "alice@northwindrobotics.onmicrosoft.com", "userType": "member", "isAdmin": true,
                 "isMfaRegistered": true, "isMfaCapable": true, "methodsRegistered": ["microsoftAuthenticatorPush"]},
                {"id": "1c8f4a32-7b5d-4f3e-8c29-4d6a8b0e2f13", "userPrincipalName": "bob@northwindrobotics.onmicrosoft.com", "userType": "member", "isAdmin": false,
                 "isMfaRegistered": false, "isMfaCapable": false, "methodsRegistered": []}]})),
        _ => {
            (404, vec![], json!({"error": {"code": "NotFound", "message": format!("no route for {method} {target}")}}))
        }
    }
}

fn serve(stream: TcpStream, base: String, seen: Arc<Mutex<Vec<Seen>>>, throttled: Arc<AtomicUsize>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, target) =
            (parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or_default().to_string());
        let (mut length, mut authorization) = (0usize, String::new());
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if k.eq_ignore_ascii_case("authorization") {
                    authorization = v.trim().to_string();
                }
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).unwrap();
        seen.lock().unwrap().push(Seen { method: method.clone(), target: target.clone(), authorization });
        let (status, headers, value) = route(&base, &method, &target, &String::from_utf8_lossy(&body), &throttled);
        let text = value.to_string();
        let mut response =
            format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n", text.len());
        for (k, v) in headers {
            response.push_str(&format!("{k}: {v}\r\n"));
        }
        response.push_str("\r\n");
        response.push_str(&text);
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let throttled = Arc::new(AtomicUsize::new(0));
    let (b, s) = (base.clone(), seen.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (b, s, t) = (b.clone(), s.clone(), throttled.clone());
            std::thread::spawn(move || serve(stream, b, s, t));
        }
    });
    Server { base, seen }
}

#[test]
fn collects_a_tenant_with_paging_throttling_and_missing_permissions() {
    let server = start();
    let tokens = Arc::new(StaticTokens {
        arm: Some("arm-token".into()),
        graph: Some("graph-token".into()),
        vault: Some("vault-token".into()),
    });
    let rest = Rest::new(tokens, Some(&server.base), Some(&server.base));
    let collected = collect(&rest, &Options::default());
    assert_eq!(collected.tenant.as_deref(), Some(TENANT));

    let doc = |name: &str| {
        collected.documents.iter().find(|d| d.name == name).unwrap_or_else(|| {
            panic!("no {name} in {:?}", collected.documents.iter().map(|d| &d.name).collect::<Vec<_>>())
        })
    };
    // Paging: both pages of resources ($skipToken) and of users (@odata.nextLink); subscriptions (nextLink) give
    // both subscriptions' RBAC listings.
    assert_eq!(doc("resourcegraph-resources.json").body["data"].as_array().unwrap().len(), 5);
    // Certificates come from the vault's data plane, each with its policy, as records below the vault.
    let certificates = &doc("arm-vaults-certificates.json").body["value"];
    assert_eq!(certificates.as_array().unwrap().len(), 2);
    assert!(certificates[1]["id"].as_str().unwrap().ends_with("/vaults/nw-kv/certificates/internal-ca"));
    assert_eq!(certificates[1]["properties"]["policy"]["x509_props"]["validity_months"], 60);
    // Child resources Resource Graph does not hold are listed per parent.
    assert_eq!(
        doc("arm-storageAccounts-blobServices-containers-containers.json").body["value"][0]["properties"]
            ["publicAccess"],
        "Container"
    );
    assert!(collected.documents.iter().any(|d| d.name == format!("arm-locks-{SUB1}.json")));
    // Children of children: each database listed below its server, then its encryption below the database.
    let tde = &doc("arm-servers-databases-transparentDataEncryption-transparentDataEncryption.json").body["value"][0];
    assert_eq!(tde["properties"]["state"], "Disabled");
    assert_eq!(doc("graph-users.json").body["value"].as_array().unwrap().len(), 2);
    assert!(collected.documents.iter().any(|d| d.name == format!("arm-roleDefinitions-{SUB2}.json")));
    // Members and owners inline, as `$expand` gives them.
    let group = &doc("graph-groups.json").body["value"][0];
    assert_eq!(group["members"][0]["id"], "1c8f4a32-7b5d-4f3e-8c29-4d6a8b0e2f13");
    assert_eq!(group["owners"][0]["id"], "0b7e3f21-6a4c-4e2d-9b18-3c5f7a9d1e02");
    assert_eq!(doc("graph-authorization-policy.json").body["allowInvitesFrom"], "everyone");
    let registrations = &doc("graph-user-registration-details.json").body["value"];
    assert_eq!(registrations[1]["isMfaRegistered"], false);

    // Coverage: denied calls are recorded as such, with Azure's message; the rest collected.
    let status = |account: &str, operation: &str| {
        collected
            .coverage
            .iter()
            .find(|c| c.account_id == account && c.operation == operation)
            .map(|c| (c.status, c.detail.clone().unwrap_or_default()))
            .unwrap_or_else(|| panic!("no coverage for {account} {operation}: {:?}", collected.coverage))
    };
    let (s, detail) = status(SUB2, "roleAssignments");
    assert_eq!(s, CoverageStatus::Denied);
    assert!(detail.contains("AuthorizationFailed"), "{detail}");
    assert_eq!(status(SUB1, "roleAssignments").0, CoverageStatus::Collected);
    assert_eq!(status(TENANT, "managementGroups").0, CoverageStatus::Denied);
    assert_eq!(status(TENANT, "conditionalAccessPolicies").0, CoverageStatus::Denied);
    assert_eq!(status(TENANT, "users").0, CoverageStatus::Collected);
    assert_eq!(status(TENANT, "userRegistrationDetails").0, CoverageStatus::Collected);
    assert_eq!(status(SUB1, "vaults/certificates").0, CoverageStatus::Collected);
    // A child listing denied for one storage account makes that listing denied for its subscription.
    assert_eq!(status(SUB1, "storageAccounts/fileServices").0, CoverageStatus::Denied);
    assert_eq!(status(SUB1, "storageAccounts/blobServices").0, CoverageStatus::Collected);
    assert_eq!(status(SUB1, "storageAccounts").0, CoverageStatus::Collected);
    assert_eq!(status(SUB2, "pricings").0, CoverageStatus::Collected);
    assert_eq!(status(SUB1, "servers/databases/transparentDataEncryption").0, CoverageStatus::Collected);
    assert!(collected.errors.is_empty(), "{:?}", collected.errors);

    // What was collected imports as `collect azure` imports it: certificates and registrations included.
    let mut importer = sightline_azure::import::Importer::new(sightline_azure::import::Options {
        shape: None,
        tenant: collected.tenant.clone(),
    });
    for d in &collected.documents {
        importer.add_value(std::path::Path::new(&d.name), d.body.clone()).unwrap();
    }
    let import = importer.finish();
    let certificate = import
        .snapshot
        .resources
        .iter()
        .find(|r| r.resource_type == "Microsoft.KeyVault/vaults/certificates" && r.name == "internal-ca")
        .expect("the certificate is imported");
    assert_eq!(certificate.account_id, SUB1);
    assert_eq!(certificate.properties["properties"]["policy"]["x509_props"]["validity_months"], 60);
    assert!(import.snapshot.resources.iter().any(|r| r.resource_type == "Microsoft.Graph/userRegistrationDetails"));
    let unit = import
        .snapshot
        .resources
        .iter()
        .find(|r| r.resource_type == "Microsoft.Graph/administrativeUnits")
        .expect("the administrative unit is imported");
    assert_eq!(unit.properties["members"][0], "1c8f4a32-7b5d-4f3e-8c29-4d6a8b0e2f13");

    // Throttling: the first Resource Graph call was answered 429 and retried after Retry-After.
    let seen = server.seen.lock().unwrap().clone();
    let posts = seen.iter().filter(|s| s.method == "POST").count();
    assert!(posts >= 5, "{posts} Resource Graph calls");
    // Each API gets its own token.
    assert!(seen.iter().filter(|s| s.target.starts_with("/v1.0/")).all(|s| s.authorization == "Bearer graph-token"));
    let vault_calls: Vec<&Seen> = seen.iter().filter(|s| s.target.starts_with("/vaults/")).collect();
    assert_eq!(vault_calls.len(), 3, "one listing and two policies");
    assert!(vault_calls.iter().all(|s| s.authorization == "Bearer vault-token"));
    assert!(seen
        .iter()
        .filter(|s| !s.target.starts_with("/v1.0/") && !s.target.starts_with("/vaults/"))
        .all(|s| s.authorization == "Bearer arm-token"));
}

#[test]
fn a_missing_token_is_a_failure_named_in_coverage_not_a_silent_gap() {
    let server = start();
    let tokens = Arc::new(StaticTokens { arm: None, graph: None, vault: None });
    let rest = Rest::new(tokens, Some(&server.base), Some(&server.base));
    let collected = collect(&rest, &Options { tenant: Some(TENANT.into()), ..Options::default() });
    let subscriptions = collected.coverage.iter().find(|c| c.operation == "subscriptions").unwrap();
    assert_eq!(subscriptions.status, CoverageStatus::Failed);
    assert!(subscriptions.detail.as_deref().unwrap_or_default().contains("AZURE_ARM_TOKEN"));
    assert!(server.seen.lock().unwrap().is_empty(), "no call is made without a token");
}
