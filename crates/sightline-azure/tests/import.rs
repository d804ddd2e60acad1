//! The importers on the fixtures: one file of every accepted shape, a truncated file, a malformed record, an
//! unknown type, and files that are no Azure export at all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use sightline_azure::import::{import_paths, Import, Importer, Options, Shape};
use sightline_model::{CoverageStatus, PolicyKind, PrincipalKind, Snapshot};
use std::path::{Path, PathBuf};

const TENANT: &str = "3f8a2c6e-9d41-4b7a-8e25-6c0d1b9f4a73";
const SUB1: &str = "9b2e7c41-5a3d-4f8e-b6c2-1d7a0e3f5b98";
const SUB2: &str = "c4d81f26-3b7e-4a95-9e0c-82f1a6d3b547";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn one(name: &str) -> Import {
    import_paths(&[fixture(name)], &Options { tenant: Some(TENANT.into()), ..Default::default() }).unwrap()
}

fn shape_of(name: &str) -> Shape {
    one(name).files[0].shape
}

fn resource<'a>(s: &'a Snapshot, name: &str) -> &'a sightline_model::Resource {
    s.resources.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no resource {name}"))
}

#[test]
fn every_shape_is_told_from_its_contents() {
    for (file, shape) in [
        ("resource-graph-resources.json", Shape::ResourceGraph),
        ("az-graph-query-containers.json", Shape::ResourceGraph),
        ("resource-graph-authorization.json", Shape::ResourceGraph),
        ("arm-role-assignments.json", Shape::Arm),
        ("arm-deny-assignments.json", Shape::Arm),
        ("graph-users.json", Shape::Graph),
        ("graph-group-members.json", Shape::Graph),
        ("graph-authorization-policy.json", Shape::Graph),
        ("az-role-assignment-list.json", Shape::AzCli),
        ("az-account-list.json", Shape::AzCli),
        ("az-ad-user-list.json", Shape::AzCli),
        ("azurehound.json", Shape::AzureHound),
    ] {
        assert_eq!(shape_of(file), shape, "{file}");
    }
}

#[test]
fn resource_graph_resources_keep_the_arm_object_under_canonical_types() {
    let import = one("resource-graph-resources.json");
    let s = &import.snapshot;
    assert_eq!(s.resources.len(), 5);
    let st = resource(s, "stpaymentsprod01");
    assert_eq!(st.resource_type, "Microsoft.Storage/storageAccounts");
    assert_eq!(st.account_id, SUB1);
    assert_eq!(st.properties["properties"]["minimumTlsVersion"], "TLS1_0");
    assert_eq!(st.properties["sku"]["name"], "Standard_GRS");
    assert!(st.properties.get("subscriptionId").is_none());
    assert_eq!(resource(s, "vm-batch-01").properties["identity"]["type"], "SystemAssigned");
    assert_eq!(resource(s, "nsg-batch").resource_type, "Microsoft.Network/networkSecurityGroups");
    // The unknown type is kept as given and reported, naming the file.
    assert_eq!(resource(s, "wf-01").resource_type, "contoso.widgets/widgetfactories");
    let w = import.warnings.iter().find(|w| w.message.contains("contoso.widgets/widgetfactories (1)")).unwrap();
    assert!(w.to_string().contains("resource-graph-resources.json"), "{w}");
    assert!(s
        .coverage
        .iter()
        .any(|c| c.service == "Microsoft.KeyVault" && c.operation == "vaults" && c.account_id == SUB1));
}

#[test]
fn containers_make_the_tenant_tree() {
    let s = one("az-graph-query-containers.json").snapshot;
    assert_eq!(s.accounts.len(), 2);
    let prod = s.accounts.iter().find(|a| a.id == SUB1).unwrap();
    assert_eq!(prod.name.as_deref(), Some("Payments Production"));
    assert_eq!(prod.organization_id.as_deref(), Some(TENANT));
    assert_eq!(prod.parent_id.as_deref(), Some("/providers/Microsoft.Management/managementGroups/mg-production"));
    assert_eq!(s.organizations.len(), 1);
    let units = &s.organizations[0].units;
    let root = units.iter().find(|u| u.name == "Tenant Root Group").unwrap();
    assert_eq!(root.parent_id, None);
    let production = units.iter().find(|u| u.name == "Production").unwrap();
    assert_eq!(production.parent_id.as_deref(), Some(root.id.as_str()));
    assert_eq!(s.resources[0].resource_type, "Microsoft.Resources/resourceGroups");
}

#[test]
fn authorization_records_follow_the_contract() {
    let s = one("resource-graph-authorization.json").snapshot;
    let sub = s.resources.iter().find(|r| r.account_id == SUB1).unwrap();
    assert_eq!(sub.resource_type, "Microsoft.Authorization/roleAssignments");
    assert_eq!(sub.properties["principalType"], "Group");
    let mg = s.resources.iter().find(|r| r.id.starts_with("/providers/Microsoft.Management")).unwrap();
    assert_eq!(mg.account_id, TENANT, "an assignment at management-group scope belongs to the tenant");
    let role = &s.policies[0];
    assert_eq!(role.kind, PolicyKind::RoleDefinition);
    assert_eq!(role.name, "Payments Operator");
    assert_eq!(role.account_id.as_deref(), Some(SUB1));
    let doc: serde_json::Value = serde_json::from_str(role.document.get()).unwrap();
    assert_eq!(doc["permissions"][0]["actions"][1], "Microsoft.Storage/storageAccounts/listKeys/action");

    let s = one("arm-deny-assignments.json").snapshot;
    assert_eq!(s.resources[0].properties["principals"][0]["type"], "SystemDefined");
    let s = one("arm-role-eligibility-schedule-instances.json").snapshot;
    assert_eq!(s.resources[0].resource_type, "Microsoft.Authorization/roleEligibilityScheduleInstances");
    assert_eq!(s.resources[0].properties["endDateTime"], "2025-04-02T09:30:45.987Z");
    let s = one("arm-role-definitions.json").snapshot;
    assert!(s.policies.iter().all(|p| p.account_id.is_none()), "built-in roles belong to no subscription");
}

#[test]
fn graph_objects_become_principals_and_resources() {
    let paths: Vec<PathBuf> = [
        "graph-users.json",
        "graph-groups-expand.json",
        "graph-group-members.json",
        "graph-service-principals.json",
        "graph-applications.json",
        "graph-role-definitions.json",
        "graph-role-assignments.json",
        "graph-role-eligibility-schedules.json",
        "graph-app-role-assigned-to.json",
        "graph-conditional-access-policies.json",
        "graph-authorization-policy.json",
        "graph-user-registration-details.json",
        "graph-security-defaults.json",
        "graph-administrative-units.json",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let import = import_paths(&paths, &Options { tenant: Some(TENANT.into()), ..Default::default() }).unwrap();
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    let s = import.snapshot;
    let kind = |k: PrincipalKind| s.principals.iter().filter(|p| p.kind == k).count();
    assert_eq!(kind(PrincipalKind::User), 3);
    assert_eq!(kind(PrincipalKind::Group), 2);
    assert_eq!(kind(PrincipalKind::ServicePrincipal), 2);
    assert_eq!(kind(PrincipalKind::ManagedIdentity), 1);
    assert!(s.principals.iter().all(|p| p.account_id == TENANT));
    let by_name = |n: &str| s.principals.iter().find(|p| p.name == n).unwrap();
    // Ana is in Payments Operators; Cloud Admins is nested in it; the CI service principal is in Cloud Admins.
    assert_eq!(by_name("Ana Lima").groups, vec!["5e9a1d3c-7b24-4f86-9c0e-a3d5b7f1e249"]);
    assert_eq!(by_name("Cloud Admins").groups, vec!["5e9a1d3c-7b24-4f86-9c0e-a3d5b7f1e249"]);
    assert_eq!(by_name("github-deploy").groups, vec!["b1d3f5a7-9c0e-4b24-86d8-e0a2c4f6b831"]);
    assert_eq!(by_name("Payments Operators").properties["owners"][0], "e7b3d5f9-1a2c-4e84-b6d0-3f9a1c5e7b42");
    // The member list did not replace the full service principal object.
    assert_eq!(by_name("github-deploy").properties["appOwnerOrganizationId"], TENANT);
    let app = resource(&s, "github-deploy");
    assert_eq!(app.resource_type, "Microsoft.Graph/applications");
    assert_eq!(app.properties["owners"][0], "1c8e4b7a-3f92-4d60-a5e1-7b2c9d0f4e86");
    let count = |t: &str| s.resources.iter().filter(|r| r.resource_type == t).count();
    assert_eq!(count("Microsoft.Graph/roleAssignments"), 2);
    assert_eq!(count("Microsoft.Graph/roleEligibilitySchedules"), 1);
    assert_eq!(count("Microsoft.Graph/appRoleAssignments"), 1);
    assert_eq!(count("Microsoft.Graph/conditionalAccessPolicies"), 1);
    assert_eq!(count("Microsoft.Graph/authorizationPolicy"), 1);
    // Registration records are resources keyed by the user's id, not a second principal for the user.
    assert_eq!(count("Microsoft.Graph/userRegistrationDetails"), 3);
    assert_eq!(count("Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy"), 1);
    // A unit's members are kept as ids on the unit, and make no group membership.
    let unit = resource(&s, "Nordic sales");
    assert_eq!(unit.resource_type, "Microsoft.Graph/administrativeUnits");
    assert_eq!(unit.properties["members"][0], "e7b3d5f9-1a2c-4e84-b6d0-3f9a1c5e7b42");
    assert!(by_name("Bo Jensen").groups.iter().all(|g| g != "7a1d3e5f-9b24-4c68-8e0a-2c4e6f8a0b13"));
    let bo = s
        .resources
        .iter()
        .find(|r| r.resource_type == "Microsoft.Graph/userRegistrationDetails" && r.name.starts_with("bo."))
        .unwrap();
    assert_eq!(bo.id, "/reports/authenticationMethods/userRegistrationDetails/e7b3d5f9-1a2c-4e84-b6d0-3f9a1c5e7b42");
    assert_eq!(bo.properties["id"], "e7b3d5f9-1a2c-4e84-b6d0-3f9a1c5e7b42");
    assert_eq!(bo.properties["isMfaRegistered"], false);
    let ga = s.policies.iter().find(|p| p.name == "Global Administrator").unwrap();
    assert_eq!(ga.id, "/providers/Microsoft.Graph/roleDefinitions/62e90394-69f5-4237-9190-012177145e10");
    for op in [
        "users",
        "groups",
        "servicePrincipals",
        "roleDefinitions",
        "conditionalAccessPolicies",
        "authorizationPolicy",
        "userRegistrationDetails",
        "identitySecurityDefaultsEnforcementPolicy",
        "administrativeUnits",
    ] {
        assert!(
            s.coverage
                .iter()
                .any(|c| c.service == "graph" && c.operation == op && c.status == CoverageStatus::Collected),
            "{op}"
        );
    }
}

#[test]
fn batch_responses_are_read_with_their_request_ids() {
    let paths = [fixture("graph-users.json"), fixture("graph-service-principals.json"), fixture("graph-batch.json")];
    let import = import_paths(&paths, &Options { tenant: Some(TENANT.into()), ..Default::default() }).unwrap();
    assert_eq!(import.files[2].shape, Shape::Graph);
    let s = &import.snapshot;
    let ana = s.principals.iter().find(|p| p.name == "Ana Lima").unwrap();
    assert_eq!(ana.groups, vec!["5e9a1d3c-7b24-4f86-9c0e-a3d5b7f1e249"]);
    let ci = s.principals.iter().find(|p| p.name == "github-deploy").unwrap();
    assert_eq!(ci.properties["owners"][0], "e7b3d5f9-1a2c-4e84-b6d0-3f9a1c5e7b42");
    // A failed request is reported, and the rest read.
    let w = import.warnings.iter().find(|w| w.message.contains("status 403")).unwrap();
    assert!(w.message.contains("identity/conditionalAccess/policies") && w.message.contains("required scopes"), "{w}");
    let denied = s.coverage.iter().find(|c| c.operation == "conditionalAccessPolicies").unwrap();
    assert_eq!(denied.status, CoverageStatus::Denied);
    assert_eq!(denied.account_id, TENANT);
}

#[test]
fn az_cli_output_is_mapped_back_to_rest() {
    let dir: Vec<PathBuf> = [
        "az-account-list.json",
        "az-role-assignment-list.json",
        "az-role-definition-list.json",
        "az-storage-account-list.json",
        "az-keyvault-list.json",
        "az-vm-list.json",
        "az-network-nsg-list.json",
        "az-sql-server-list.json",
        "az-ad-user-list.json",
        "az-ad-sp-list.json",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let import = import_paths(&dir, &Options::default()).unwrap();
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    let s = import.snapshot;
    assert_eq!(s.accounts[0].id, SUB2);
    assert_eq!(s.accounts[0].organization_id.as_deref(), Some(TENANT));
    let ra = s.resources.iter().find(|r| r.resource_type == "Microsoft.Authorization/roleAssignments").unwrap();
    assert_eq!(ra.properties["principalId"], "1c8e4b7a-3f92-4d60-a5e1-7b2c9d0f4e86");
    assert_eq!(ra.properties["scope"], format!("/subscriptions/{SUB2}").as_str());
    let reader = &s.policies[0];
    assert_eq!(reader.name, "Reader");
    assert!(reader.document.get().contains("\"type\":\"BuiltInRole\""));
    let st = resource(&s, "stsandboxlogs");
    assert_eq!(st.properties["properties"]["supportsHttpsTrafficOnly"], true);
    assert_eq!(st.properties["properties"]["networkAcls"]["defaultAction"], "Deny");
    assert_eq!(st.properties["kind"], "StorageV2");
    let kv = resource(&s, "kv-sandbox");
    assert_eq!(kv.properties["properties"]["sku"]["name"], "standard");
    assert_eq!(kv.properties["properties"]["enableRbacAuthorization"], false);
    let vm = resource(&s, "vm-jump");
    assert_eq!(vm.properties["properties"]["osProfile"]["linuxConfiguration"]["disablePasswordAuthentication"], false);
    let nsg = resource(&s, "nsg-jump");
    assert_eq!(nsg.properties["properties"]["securityRules"][0]["properties"]["destinationPortRange"], "3389");
    assert_eq!(resource(&s, "sql-sandbox-01").properties["properties"]["minimalTlsVersion"], "1.0");
    // Graph objects from `az ad`: the tenant comes from `az account list`.
    let chen = s.principals.iter().find(|p| p.name == "Chen Wu").unwrap();
    assert_eq!((chen.kind, chen.account_id.as_str()), (PrincipalKind::User, TENANT));
    assert!(s.principals.iter().any(|p| p.name == "backup-runner" && p.kind == PrincipalKind::ServicePrincipal));
}

#[test]
fn azurehound_output_is_read() {
    let import = one("azurehound.json");
    let s = &import.snapshot;
    let dee = s.principals.iter().find(|p| p.name == "Dee Okafor").unwrap();
    assert_eq!(dee.groups, vec!["8f0b2d4a-6c1e-4a37-9b59-e1c3a5e7b926"]);
    let helpdesk = s.principals.iter().find(|p| p.name == "Helpdesk").unwrap();
    assert_eq!(helpdesk.properties["owners"][0], "3b5d7f9a-1c2e-4e46-a8b0-d2f4a6c8e015");
    assert!(s.principals.iter().find(|p| p.name == "reporting-export").unwrap().properties["owners"].is_array());
    assert!(resource(s, "reporting-export").properties["owners"].is_array());
    assert_eq!(s.policies[0].name, "Helpdesk Administrator");
    assert_eq!(
        s.accounts[0].parent_id.as_deref(),
        Some("/providers/Microsoft.Management/managementGroups/mg-production")
    );
    assert_eq!(s.organizations[0].units[0].name, "Production");
    let types: Vec<&str> = s.resources.iter().map(|r| r.resource_type.as_str()).collect();
    for t in [
        "Microsoft.Graph/roleAssignments",
        "Microsoft.Graph/applications",
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.KeyVault/vaults",
        "Microsoft.Compute/virtualMachines",
        "Microsoft.Resources/resourceGroups",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    let kv = resource(s, "kv-reporting");
    assert!(kv.properties.get("subscriptionId").is_none() && kv.properties.get("resourceGroup").is_none());
    // The derived and unread kinds are reported, not imported.
    assert!(import
        .warnings
        .iter()
        .any(|w| w.message.contains("AZSubscriptionOwner (1)") && w.message.contains("AZDevice (1)")));
}

#[test]
fn a_truncated_file_keeps_its_whole_records_and_says_so() {
    let import = one("graph-users-truncated.json");
    assert_eq!(import.snapshot.principals.len(), 2);
    assert!(import.files[0].problem.is_some());
    let w = import.warnings.iter().find(|w| w.message.contains("cut short")).unwrap();
    assert!(w.to_string().starts_with(&fixture("graph-users-truncated.json").display().to_string()), "{w}");
    // What the file held is not all there was: coverage says so.
    let c = import.snapshot.coverage.iter().find(|c| c.operation == "users").unwrap();
    assert_eq!(c.status, CoverageStatus::Failed);
}

#[test]
fn a_malformed_record_is_skipped_with_its_index() {
    let import = one("arm-resources-malformed.json");
    let names: Vec<&str> = import.snapshot.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"vnet-sandbox") && names.contains(&"app-sandbox"));
    let w = import.warnings.iter().find(|w| w.record == Some(1)).unwrap();
    assert!(w.message.contains("malformed"), "{w}");
    assert_eq!(import.files[0].skipped, 1);
    // The list is not whole: the coverage of what it held says so.
    let c = import.snapshot.coverage.iter().find(|c| c.operation == "virtualNetworks").unwrap();
    assert_eq!(c.status, CoverageStatus::Failed);
}

#[test]
fn files_that_are_no_azure_export_are_errors() {
    for name in ["bad/unrecognised.json", "bad/not-json.json"] {
        let err = import_paths(&[fixture(name)], &Options::default()).unwrap_err();
        assert!(err.to_string().contains(name), "{err}");
    }
    let err = import_paths(&[fixture("no-such-file.json")], &Options::default()).unwrap_err();
    assert!(err.to_string().contains("cannot read"), "{err}");
}

#[test]
fn the_shape_can_be_forced() {
    // A Resource Graph export read as ARM reads the same records.
    let options = Options { shape: Some(Shape::Arm), tenant: None };
    let import = import_paths(&[fixture("resource-graph-resources.json")], &options).unwrap();
    assert_eq!(import.files[0].shape, Shape::Arm);
    assert_eq!(import.snapshot.resources.len(), 5);
    // Read as AzureHound, nothing in it is recognisable.
    let options = Options { shape: Some(Shape::AzureHound), tenant: None };
    assert!(import_paths(&[fixture("resource-graph-resources.json")], &options).is_err());
}

#[test]
fn values_from_a_collector_are_read_like_files() {
    let mut importer = Importer::new(Options::default());
    let page = serde_json::json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [
        {"id": "2e4a6c8f-0b1d-4f35-a7c9-e1b3d5f7a904", "displayName": "Emma Baker", "userPrincipalName": "emma@contoso.com"}]});
    importer.add_value(Path::new("GET /users"), page).unwrap();
    let import = importer.finish();
    assert_eq!(import.snapshot.principals.len(), 1);
    // No file named the tenant: said so.
    assert!(import.warnings.iter().any(|w| w.message.contains("--tenant")), "{:?}", import.warnings);
}

#[test]
fn the_whole_fixture_directory_imports_into_one_snapshot() {
    let import = import_paths(&[fixture("")], &Options::default()).unwrap();
    let s = &import.snapshot;
    assert_eq!(s.accounts.len(), 2, "{:?}", s.accounts);
    assert_eq!(s.organizations.len(), 1);
    assert!(s.principals.iter().all(|p| p.account_id == TENANT));
    assert!(s.resources.iter().all(|r| !r.account_id.is_empty()));
    // Ids read from several files are kept once.
    let mut ids: Vec<String> = s.resources.iter().map(|r| r.id.to_ascii_lowercase()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), s.resources.len());
    assert_eq!(import.files.len(), 35);
}
