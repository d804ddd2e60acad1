//! The engine on the cases Microsoft documents, each test citing its page.

use super::*;
use serde_json::{json, Value};
use sightline_model::{
    compact_document, Account, Coverage, Organization, OrganizationUnit, Policy, PolicyKind, Principal, Resource,
};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SUB: &str = "11111111-1111-1111-1111-111111111111";
const ALICE: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const BOB: &str = "bbbbbbbb-0000-0000-0000-000000000002";
const CAROL: &str = "cccccccc-0000-0000-0000-000000000003";
const OPS: &str = "99999999-0000-0000-0000-00000000000a";
const ENGINEERING: &str = "99999999-0000-0000-0000-00000000000b";
const APP_SP: &str = "dddddddd-0000-0000-0000-000000000004";
const GRAPH_SP: &str = "eeeeeeee-0000-0000-0000-000000000005";

// Built-in role GUIDs, as Microsoft publishes them.
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const USER_ACCESS_ADMIN: &str = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
const BLOB_DATA_READER: &str = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const VM_CONTRIBUTOR: &str = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c";

fn rg() -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg-app")
}
fn vm() -> String {
    format!("{}/providers/Microsoft.Compute/virtualMachines/vm1", rg())
}
fn storage() -> String {
    format!("{}/providers/Microsoft.Storage/storageAccounts/sa1", rg())
}
fn container() -> String {
    format!("{}/blobServices/default/containers/c1", storage())
}

fn principal(id: &str, kind: PrincipalKind, name: &str, groups: &[&str], properties: Value) -> Principal {
    Principal {
        provider: Provider::Azure,
        id: id.into(),
        kind,
        account_id: TENANT.into(),
        name: name.into(),
        path: None,
        unique_id: None,
        created_at: None,
        tags: Default::default(),
        attached_policies: Vec::new(),
        inline_policies: Vec::new(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
        permissions_boundary: None,
        trust_policy: None,
        properties,
    }
}

fn policy(id: String, name: &str, document: Value) -> Policy {
    Policy {
        provider: Provider::Azure,
        id,
        kind: PolicyKind::RoleDefinition,
        name: name.into(),
        account_id: None,
        document: compact_document(&document.to_string()).unwrap(),
        properties: Value::Null,
    }
}

fn role(guid: &str, name: &str, permissions: Value) -> Policy {
    policy(
        format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
        name,
        json!({"roleName": name, "type": "BuiltInRole", "permissions": permissions, "assignableScopes": ["/"]}),
    )
}

fn resource(resource_type: &str, id: &str, properties: Value) -> Resource {
    Resource {
        provider: Provider::Azure,
        id: id.into(),
        resource_type: resource_type.into(),
        account_id: SUB.into(),
        region: None,
        name: id.rsplit('/').next().unwrap().into(),
        policy: None,
        tags: Default::default(),
        properties: Props::from(properties),
    }
}

fn assign(kind: &str, n: u32, principal: &str, role: &str, scope: &str, extra: Value) -> Resource {
    let id = format!("{scope}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-{n:012}");
    let mut props = json!({
        "principalId": principal,
        "roleDefinitionId": format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{role}"),
        "scope": scope,
    });
    if let (Some(p), Some(e)) = (props.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    resource(kind, &id, props)
}

fn active(n: u32, principal: &str, role: &str, scope: &str) -> Resource {
    assign(ROLE_ASSIGNMENT_TYPE, n, principal, role, scope, json!({}))
}

/// A tenant with a management group chain above the subscription, three users, two nested groups and the
/// built-in roles the tests use, with their permissions as Microsoft documents them.
fn base() -> Snapshot {
    let mut s = Snapshot::new("test");
    let mg = |name: &str| format!("/providers/Microsoft.Management/managementGroups/{name}");
    s.organizations.push(Organization {
        provider: Provider::Azure,
        id: TENANT.into(),
        management_account_id: None,
        units: vec![
            OrganizationUnit { id: mg(TENANT), name: "Tenant Root Group".into(), parent_id: None },
            OrganizationUnit { id: mg("contoso"), name: "Contoso".into(), parent_id: Some(mg(TENANT)) },
            OrganizationUnit { id: mg("production"), name: "Production".into(), parent_id: Some(mg("contoso")) },
        ],
        attachments: Vec::new(),
    });
    s.accounts.push(Account {
        provider: Provider::Azure,
        id: SUB.into(),
        name: Some("prod".into()),
        organization_id: Some(TENANT.into()),
        parent_id: Some(mg("production")),
        tags: Default::default(),
    });
    s.principals.push(principal(
        ALICE,
        PrincipalKind::User,
        "Alice",
        &[],
        json!({"userPrincipalName": "alice@contoso.com"}),
    ));
    s.principals.push(principal(
        BOB,
        PrincipalKind::User,
        "Bob",
        &[OPS],
        json!({"userPrincipalName": "bob@contoso.com"}),
    ));
    s.principals.push(principal(
        CAROL,
        PrincipalKind::User,
        "Carol",
        &[],
        json!({"userPrincipalName": "carol@contoso.com"}),
    ));
    // Ops is nested in Engineering: Bob is a transitive member of Engineering.
    s.principals.push(principal(OPS, PrincipalKind::Group, "Ops", &[ENGINEERING], json!({})));
    s.principals.push(principal(ENGINEERING, PrincipalKind::Group, "Engineering", &[], json!({})));
    s.policies.push(role(
        OWNER,
        "Owner",
        json!([{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]),
    ));
    s.policies.push(role(
        CONTRIBUTOR,
        "Contributor",
        json!([{"actions": ["*"], "notActions": [
            "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete"
        ], "dataActions": [], "notDataActions": []}]),
    ));
    s.policies.push(role(
        READER,
        "Reader",
        json!([{"actions": ["*/read"], "notActions": [], "dataActions": [], "notDataActions": []}]),
    ));
    s.policies.push(role(
        USER_ACCESS_ADMIN,
        "User Access Administrator",
        json!([{"actions": ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], "notActions": [], "dataActions": [], "notDataActions": []}]),
    ));
    s.policies.push(role(
        BLOB_DATA_READER,
        "Storage Blob Data Reader",
        json!([{"actions": [
            "Microsoft.Storage/storageAccounts/blobServices/containers/read",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"
        ], "notActions": [], "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], "notDataActions": []}]),
    ));
    s.policies.push(role(
        VM_CONTRIBUTOR,
        "Virtual Machine Contributor",
        json!([{"actions": ["Microsoft.Compute/virtualMachines/*", "Microsoft.Resources/subscriptions/resourceGroups/read"], "notActions": [], "dataActions": [], "notDataActions": []}]),
    ));
    s
}

const VM_START: &str = "Microsoft.Compute/virtualMachines/start/action";
const ROLE_ASSIGNMENT_WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";

fn decide(s: &Snapshot, who: &str, op: &Operation, scope: &str) -> Decision {
    RbacIndex::new(s).decide(who, op, scope)
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/overview#how-azure-rbac-determines-if-a-user-has-access-to-a-resource
// Access is the union of the role assignments at the scope or above; the decision names the assignment.
#[test]
fn role_assignments_grant_at_their_scope_and_below() {
    let mut s = base();
    s.resources.push(active(1, ALICE, VM_CONTRIBUTOR, &rg()));
    let d = decide(&s, ALICE, &Operation::action(VM_START), &vm());
    assert_eq!(d.verdict, Verdict::Allowed, "{d:?}");
    assert_eq!(d.grants.len(), 1);
    let g = &d.grants[0];
    assert_eq!(g.role_name, "Virtual Machine Contributor");
    assert_eq!(g.pattern, "Microsoft.Compute/virtualMachines/*");
    assert_eq!(g.permission_block, Some(0));
    assert_eq!(g.scope, rg());
    assert!(d.summary.contains("Virtual Machine Contributor"));
    // Not at the subscription above the assignment, nor for another operation, nor for another principal.
    assert_eq!(
        decide(&s, ALICE, &Operation::action(VM_START), &format!("/subscriptions/{SUB}")).verdict,
        Verdict::NotAllowed
    );
    assert_eq!(
        decide(&s, ALICE, &Operation::action("Microsoft.Storage/storageAccounts/write"), &storage()).verdict,
        Verdict::NotAllowed
    );
    assert_eq!(decide(&s, CAROL, &Operation::action(VM_START), &vm()).verdict, Verdict::NotAllowed);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/scope-overview
// Scopes: management group > subscription > resource group > resource; a role assigned at a parent scope is
// inherited by the child scopes, and a sibling resource group inherits nothing.
#[test]
fn scopes_inherit_down_the_management_group_tree() {
    let mut s = base();
    s.resources.push(active(1, ALICE, READER, "/providers/Microsoft.Management/managementGroups/Contoso"));
    s.resources.push(active(2, CAROL, READER, &format!("/subscriptions/{SUB}/resourceGroups/rg-other")));
    s.resources.push(active(3, BOB, OWNER, &storage()));
    let read = Operation::action("Microsoft.Compute/virtualMachines/read");
    let d = decide(&s, ALICE, &read, &vm());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].scope, "/providers/Microsoft.Management/managementGroups/Contoso");
    assert_eq!(d.grants[0].pattern, "*/read");
    assert_eq!(
        decide(&s, ALICE, &read, "/providers/Microsoft.Management/managementGroups/production").verdict,
        Verdict::Allowed
    );
    assert_eq!(
        decide(&s, ALICE, &read, &format!("/providers/Microsoft.Management/managementGroups/{TENANT}")).verdict,
        Verdict::NotAllowed
    );
    assert_eq!(decide(&s, CAROL, &read, &vm()).verdict, Verdict::NotAllowed);
    // A parent resource's assignment reaches its child resources.
    let d = decide(
        &s,
        BOB,
        &Operation::action("Microsoft.Storage/storageAccounts/blobServices/containers/write"),
        &container(),
    );
    assert_eq!(d.verdict, Verdict::Allowed);
    // The root scope `/` is above everything.
    s.resources.push(active(4, CAROL, READER, "/"));
    assert_eq!(decide(&s, CAROL, &read, &vm()).verdict, Verdict::Allowed);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#notactions
// "NotActions ... isn't a deny": Contributor lacks roleAssignments/write, User Access Administrator grants it back.
#[test]
fn not_actions_subtract_but_do_not_deny() {
    let mut s = base();
    s.resources.push(active(1, ALICE, CONTRIBUTOR, &format!("/subscriptions/{SUB}")));
    let op = Operation::action(ROLE_ASSIGNMENT_WRITE);
    let d = decide(&s, ALICE, &op, &rg());
    assert_eq!(d.verdict, Verdict::NotAllowed);
    assert!(
        d.notes.iter().any(|n| n.contains("Microsoft.Authorization/*/Write") && n.contains("Contributor")),
        "{:?}",
        d.notes
    );
    assert_eq!(decide(&s, ALICE, &Operation::action(VM_START), &vm()).verdict, Verdict::Allowed);
    s.resources.push(active(2, ALICE, USER_ACCESS_ADMIN, &rg()));
    let d = decide(&s, ALICE, &op, &rg());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].role_name, "User Access Administrator");
    assert_eq!(d.grants[0].pattern, "Microsoft.Authorization/*");
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#dataactions
// Data actions are granted only by DataActions: Owner's `*` in Actions grants no blob read; Storage Blob Data
// Reader does; NotDataActions subtract within the block.
#[test]
fn data_actions_come_only_from_data_actions() {
    let mut s = base();
    s.resources.push(active(1, ALICE, OWNER, &format!("/subscriptions/{SUB}")));
    s.resources.push(active(2, BOB, BLOB_DATA_READER, &storage()));
    let read = Operation::data_action(BLOB_READ);
    assert_eq!(RbacIndex::new(&s).roles_with_data_action(BLOB_READ), vec!["Storage Blob Data Reader".to_string()]);
    let blob = format!("{}/blobs/report.csv", container());
    let d = decide(&s, ALICE, &read, &container());
    assert_eq!(d.verdict, Verdict::NotAllowed, "Owner must not read blobs: {d:?}");
    let d = decide(&s, BOB, &read, &container());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].pattern, BLOB_READ);
    assert_eq!(decide(&s, BOB, &read, &blob).verdict, Verdict::Allowed);
    // The same name asked as a control-plane action is not granted by DataActions.
    assert_eq!(decide(&s, BOB, &Operation::action(BLOB_READ), &container()).verdict, Verdict::NotAllowed);
    // A custom role (treated exactly as a built-in one) with a wildcard data action and a NotDataActions.
    s.policies.push(policy(
        format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/c0ffee00-0000-0000-0000-000000000001"),
        "Blob editor without delete",
        json!({"roleName": "Blob editor without delete", "type": "CustomRole", "permissions": [{
            "actions": [], "notActions": [],
            "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
            "notDataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"]}],
            "assignableScopes": [format!("/subscriptions/{SUB}")]}),
    ));
    s.resources.push(active(3, CAROL, "C0FFEE00-0000-0000-0000-000000000001", &rg()));
    let write = Operation::data_action("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write");
    let delete = Operation::data_action("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete");
    let d = decide(&s, CAROL, &write, &container());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].role_name, "Blob editor without delete");
    let d = decide(&s, CAROL, &delete, &container());
    assert_eq!(d.verdict, Verdict::NotAllowed);
    assert!(d.notes.iter().any(|n| n.contains("NotDataActions")));
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#assignablescopes
// and https://learn.microsoft.com/en-us/azure/role-based-access-control/role-assignments :
// an assignment names its definition by id; the GUID identifies it whatever the scope prefix and case.
// An assignment naming a definition the snapshot lacks is reported, never dropped.
#[test]
fn unknown_role_definitions_are_reported() {
    let mut s = base();
    s.resources.push(active(1, ALICE, "deadbeef-0000-0000-0000-000000000000", &rg()));
    let d = decide(&s, ALICE, &Operation::action(VM_START), &vm());
    assert_eq!(d.verdict, Verdict::NotEvaluated);
    assert_eq!(d.unresolved.len(), 1);
    assert!(d.unresolved[0].reason.contains("not in the snapshot"));
    // A known grant still decides, and the unresolved assignment stays in the explanation.
    s.resources.push(active(2, ALICE, &VM_CONTRIBUTOR.to_uppercase(), &rg()));
    let d = decide(&s, ALICE, &Operation::action(VM_START), &vm());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.unresolved.len(), 1);
    // who-can lists the principal with the unresolved assignment as not evaluated.
    let index = RbacIndex::new(&s);
    let who = index.who_can(&Operation::action("Microsoft.Network/virtualNetworks/write"), &vm());
    assert_eq!(who.len(), 1);
    assert_eq!(who[0].decision.verdict, Verdict::NotEvaluated);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/overview#groups and
// https://learn.microsoft.com/en-us/azure/role-based-access-control/role-assignments-steps#group :
// "Role assignments are transitive for groups": members of a nested group get the role.
#[test]
fn nested_groups_carry_role_assignments() {
    let mut s = base();
    s.resources.push(active(1, ENGINEERING, VM_CONTRIBUTOR, &rg()));
    let d = decide(&s, BOB, &Operation::action(VM_START), &vm());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].via_group.as_deref(), Some(ENGINEERING));
    let index = RbacIndex::new(&s);
    let who = index.who_can(&Operation::action(VM_START), &vm());
    assert_eq!(who.iter().map(|a| a.principal.as_str()).collect::<Vec<_>>(), vec![BOB, ENGINEERING, OPS]);
    let a = index.assignments_of(BOB);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].role_name.as_deref(), Some("Virtual Machine Contributor"));
    assert_eq!(a[0].via_group.as_deref(), Some(ENGINEERING));
}

fn deny(n: u32, scope: &str, principals: Value, excluded: Value, permissions: Value, no_children: bool) -> Resource {
    let id = format!("{scope}/providers/Microsoft.Authorization/denyAssignments/00000000-0000-0000-0001-{n:012}");
    resource(
        DENY_ASSIGNMENT_TYPE,
        &id,
        json!({"denyAssignmentName": format!("deny-{n}"), "permissions": permissions, "principals": principals,
               "excludePrincipals": excluded, "scope": scope, "doNotApplyToChildScopes": no_children}),
    )
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/deny-assignments
// "Deny assignments take precedence over role assignments"; Everyone is the SystemDefined all-zero principal;
// excludePrincipals exempts principals; DoNotApplyToChildScopes limits it to its own scope; NotActions remove
// operations from the deny.
#[test]
fn deny_assignments_take_precedence() {
    let mut s = base();
    s.resources.push(active(1, ALICE, OWNER, &format!("/subscriptions/{SUB}")));
    s.resources.push(active(2, BOB, OWNER, &format!("/subscriptions/{SUB}")));
    s.resources.push(deny(
        1,
        &rg(),
        json!([{"id": EVERYONE, "type": "SystemDefined"}]),
        json!([{"id": OPS, "type": "Group"}]),
        json!([{"actions": ["*/write", "*/delete", "*/action"], "notActions": ["Microsoft.Compute/virtualMachines/start/action"], "dataActions": [], "notDataActions": []}]),
        false,
    ));
    let write = Operation::action("Microsoft.Compute/virtualMachines/write");
    let d = decide(&s, ALICE, &write, &vm());
    assert_eq!(d.verdict, Verdict::Denied, "{d:?}");
    assert_eq!(d.denials[0].matched_principal, EVERYONE);
    assert_eq!(d.denials[0].pattern, "*/write");
    assert_eq!(d.grants.len(), 1, "the grant is still shown");
    // NotActions of the deny leave start/action allowed.
    assert_eq!(decide(&s, ALICE, &Operation::action(VM_START), &vm()).verdict, Verdict::Allowed);
    // Bob is a member of the excluded group.
    let d = decide(&s, BOB, &write, &vm());
    assert_eq!(d.verdict, Verdict::Allowed);
    assert!(d.notes.iter().any(|n| n.contains("excludes")));
    // Outside the deny's scope nothing is denied.
    assert_eq!(
        decide(&s, ALICE, &write, &format!("/subscriptions/{SUB}/resourceGroups/rg-other")).verdict,
        Verdict::Allowed
    );
    // A deny that does not apply to child scopes denies at its own scope only.
    let mut s2 = base();
    s2.resources.push(active(1, ALICE, OWNER, &format!("/subscriptions/{SUB}")));
    s2.resources.push(deny(
        2,
        &rg(),
        json!([{"id": ALICE, "type": "User"}]),
        json!([]),
        json!([{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]),
        true,
    ));
    assert_eq!(decide(&s2, ALICE, &write, &rg()).verdict, Verdict::Denied);
    assert_eq!(decide(&s2, ALICE, &write, &vm()).verdict, Verdict::Allowed);
    // Deny assignments name data actions separately.
    assert_eq!(decide(&s2, ALICE, &Operation::data_action(BLOB_READ), &rg()).verdict, Verdict::NotAllowed);
    // who-can shows the denied principal with its verdict.
    let who = RbacIndex::new(&s).who_can(&write, &vm());
    let verdicts: Vec<(&str, Verdict)> = who.iter().map(|a| (a.principal.as_str(), a.decision.verdict)).collect();
    assert_eq!(verdicts, vec![(ALICE, Verdict::Denied), (BOB, Verdict::Allowed)]);
}

/// who-can answers are shared between scopes only when nothing differs: the same index answers a resource group, a
/// resource below it, a resource with its own deny assignment and a resource with its own assignment, each as a
/// fresh index would.
#[test]
fn who_can_answers_are_shared_only_between_equal_scopes() {
    let mut s = base();
    s.resources.push(active(1, ALICE, OWNER, &format!("/subscriptions/{SUB}")));
    s.resources.push(active(2, BOB, CONTRIBUTOR, &rg()));
    let vm2 = format!("{}/providers/Microsoft.Compute/virtualMachines/vm2", rg());
    let vm3 = format!("{}/providers/Microsoft.Compute/virtualMachines/vm3", rg());
    s.resources.push(deny(
        3,
        &vm2,
        json!([{"id": ALICE, "type": "User"}]),
        json!([]),
        json!([{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]),
        false,
    ));
    s.resources.push(active(4, CAROL, VM_CONTRIBUTOR, &vm3));
    // A deny at the resource group that spares its children: the group's answer is not its resources'.
    s.resources.push(deny(
        5,
        &rg(),
        json!([{"id": BOB, "type": "User"}]),
        json!([]),
        json!([{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]),
        true,
    ));
    let write = Operation::action("Microsoft.Compute/virtualMachines/write");
    let shared = RbacIndex::new(&s);
    for scope in [rg(), vm(), vm2.clone(), vm3.clone(), vm(), rg(), vm2, vm3] {
        let fresh = RbacIndex::new(&s).who_can(&write, &scope);
        assert_eq!(shared.who_can(&write, &scope), fresh, "{scope}");
    }
    let verdicts = |scope: &str| -> Vec<(String, Verdict)> {
        shared.who_can(&write, scope).into_iter().map(|a| (a.principal, a.decision.verdict)).collect()
    };
    assert_eq!(verdicts(&vm()), vec![(ALICE.to_string(), Verdict::Allowed), (BOB.to_string(), Verdict::Allowed)]);
    assert_eq!(verdicts(&rg()), vec![(ALICE.to_string(), Verdict::Allowed), (BOB.to_string(), Verdict::Denied)]);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/deny-assignments#deny-assignment-properties
// A deny assignment may name a group (its members, nested ones included, are denied) and may deny data actions,
// which it lists under DataActions like a role definition.
#[test]
fn deny_assignments_reach_group_members_and_data_actions() {
    let mut s = base();
    s.resources.push(active(1, BOB, BLOB_DATA_READER, &storage()));
    s.resources.push(deny(
        1,
        &storage(),
        json!([{"id": ENGINEERING, "type": "Group"}]),
        json!([]),
        json!([{"actions": [], "notActions": [], "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"], "notDataActions": []}]),
        false,
    ));
    let d = decide(&s, BOB, &Operation::data_action(BLOB_READ), &container());
    assert_eq!(d.verdict, Verdict::Denied);
    assert_eq!(d.denials[0].matched_principal, ENGINEERING);
    // The control-plane read of the container is not in the deny's DataActions.
    let read = Operation::action("Microsoft.Storage/storageAccounts/blobServices/containers/read");
    assert_eq!(decide(&s, BOB, &read, &container()).verdict, Verdict::Allowed);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/conditions-overview
// A role assignment with a condition grants only when the condition holds: reported as conditional, with the text.
#[test]
fn conditions_make_grants_conditional() {
    let condition = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR \
        (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'))";
    let mut s = base();
    s.resources.push(assign(
        ROLE_ASSIGNMENT_TYPE,
        1,
        ALICE,
        BLOB_DATA_READER,
        &storage(),
        json!({"condition": condition, "conditionVersion": "2.0"}),
    ));
    let read = Operation::data_action(BLOB_READ);
    let d = decide(&s, ALICE, &read, &container());
    assert_eq!(d.verdict, Verdict::Conditional);
    assert_eq!(d.grants[0].condition.as_deref(), Some(condition));
    assert_eq!(d.grants[0].condition_version.as_deref(), Some("2.0"));
    assert!(d.summary.contains("Cascade"));
    // An unconditional assignment makes it a plain allow.
    s.resources.push(active(2, ALICE, BLOB_DATA_READER, &rg()));
    assert_eq!(decide(&s, ALICE, &read, &container()).verdict, Verdict::Allowed);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/role-assignments-portal#step-6-select-assignment-type
// and https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-resource-roles-assign-roles :
// an eligible assignment requires activation before use.
#[test]
fn eligible_assignments_are_not_in_force() {
    let mut s = base();
    s.resources.push(assign(
        ROLE_ELIGIBILITY_TYPE,
        1,
        ALICE,
        OWNER,
        &format!("/subscriptions/{SUB}"),
        json!({"startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z"}),
    ));
    let d = decide(&s, ALICE, &Operation::action(ROLE_ASSIGNMENT_WRITE), &vm());
    assert_eq!(d.verdict, Verdict::Eligible);
    assert_eq!(d.grants[0].source, GrantSource::RoleEligibility);
    s.resources.push(active(2, ALICE, USER_ACCESS_ADMIN, &rg()));
    assert_eq!(decide(&s, ALICE, &Operation::action(ROLE_ASSIGNMENT_WRITE), &vm()).verdict, Verdict::Allowed);
    let index = RbacIndex::new(&s);
    let sources: Vec<GrantSource> = index.assignments_of(ALICE).iter().map(|a| a.source).collect();
    assert_eq!(sources, vec![GrantSource::RoleEligibility, GrantSource::RoleAssignment]);
    // Against the snapshot's time, an eligibility that has ended (or not yet started) is not one.
    s.created_at = "2027-03-01T00:00:00Z".into();
    let d = decide(&s, ALICE, &Operation::action(VM_START), &vm());
    assert_eq!(d.verdict, Verdict::NotAllowed);
    assert!(d.notes.iter().any(|n| n.contains("ended at 2027-01-01")), "{:?}", d.notes);
    s.created_at = "2026-06-01T00:00:00+02:00".into();
    assert_eq!(decide(&s, ALICE, &Operation::action(VM_START), &vm()).verdict, Verdict::Eligible);
}

// https://learn.microsoft.com/en-us/azure/role-based-access-control/overview#how-azure-rbac-determines-if-a-user-has-access-to-a-resource
// (step 5: "Azure Resource Manager determines if the action in the API call is included in the roles"): the
// engine cannot decide when the role assignments were not collected.
#[test]
fn uncollected_assignments_make_decisions_not_evaluated() {
    let mut s = base();
    s.coverage.push(Coverage {
        provider: Provider::Azure,
        account_id: SUB.into(),
        service: "Microsoft.Authorization".into(),
        region: None,
        operation: "roleAssignments".into(),
        status: CoverageStatus::Denied,
        detail: Some("AuthorizationFailed".into()),
    });
    let d = decide(&s, ALICE, &Operation::action(VM_START), &vm());
    assert_eq!(d.verdict, Verdict::NotEvaluated);
    assert!(d.notes.iter().any(|n| n.contains("AuthorizationFailed")));
}

fn directory_role(id: &str, name: &str, permissions: Value) -> Policy {
    policy(
        format!("/providers/Microsoft.Graph/roleDefinitions/{id}"),
        name,
        json!({"id": id, "displayName": name, "isBuiltIn": true, "templateId": id, "rolePermissions": permissions}),
    )
}

fn graph(kind: &str, id: &str, properties: Value) -> Resource {
    let mut r = resource(kind, id, properties);
    r.account_id = TENANT.into();
    r
}

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const APP_ADMIN: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
const GROUP_ID: &str = "12121212-0000-0000-0000-000000000012";
const APPLICATION_ID: &str = "34343434-0000-0000-0000-000000000034";

fn entra() -> Snapshot {
    let mut s = base();
    s.policies.push(directory_role(
        HELPDESK,
        "Helpdesk Administrator",
        json!([{"allowedResourceActions": ["microsoft.directory/users/password/update", "microsoft.directory/users/invalidateAllRefreshTokens"]}]),
    ));
    s.policies.push(directory_role(
        APP_ADMIN,
        "Application Administrator",
        json!([{"allowedResourceActions": ["microsoft.directory/applications/allProperties/allTasks", "microsoft.directory/servicePrincipals/credentials/update"]}]),
    ));
    s.principals.push(principal(GROUP_ID, PrincipalKind::Group, "Finance", &[], json!({"owners": [CAROL]})));
    s.resources.push(graph(
        APPLICATION_TYPE,
        APPLICATION_ID,
        json!({"appId": "0f0f0f0f-0000-0000-0000-000000000000", "displayName": "Payroll", "owners": [BOB]}),
    ));
    s
}

fn directory_assignment(kind: &str, n: u32, principal: &str, role: &str, scope: &str) -> Resource {
    graph(
        kind,
        &format!("directory-assignment-{n}"),
        json!({"principalId": principal, "roleDefinitionId": role, "directoryScopeId": scope}),
    )
}

// https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/custom-overview
// (role assignment = principal + role definition + scope; scope `/` is the tenant, `/{objectId}` one object) and
// https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference (Helpdesk
// Administrator: microsoft.directory/users/password/update; allProperties/allTasks).
#[test]
fn directory_roles_grant_at_their_directory_scope() {
    let mut s = entra();
    s.resources.push(directory_assignment(DIRECTORY_ROLE_ASSIGNMENT_TYPE, 1, ALICE, HELPDESK, "/"));
    s.resources.push(directory_assignment(
        DIRECTORY_ROLE_ASSIGNMENT_TYPE,
        2,
        CAROL,
        APP_ADMIN,
        &format!("/{APPLICATION_ID}"),
    ));
    s.resources.push(directory_assignment(DIRECTORY_ROLE_ELIGIBILITY_TYPE, 3, BOB, HELPDESK, "/"));
    let reset = Operation::directory("microsoft.directory/users/password/update");
    let d = decide(&s, ALICE, &reset, &format!("/{BOB}"));
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].role_name, "Helpdesk Administrator");
    assert_eq!(d.grants[0].source, GrantSource::DirectoryRoleAssignment);
    assert_eq!(decide(&s, BOB, &reset, "/").verdict, Verdict::Eligible);
    let creds = Operation::directory("microsoft.directory/applications/credentials/update");
    let d = decide(&s, CAROL, &creds, &format!("/{APPLICATION_ID}"));
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].pattern, "microsoft.directory/applications/allProperties/allTasks");
    assert_eq!(decide(&s, CAROL, &creds, "/").verdict, Verdict::NotAllowed, "scoped to one application");
    // Azure RBAC roles grant nothing in Entra, and directory roles nothing in ARM.
    assert_eq!(
        decide(&s, ALICE, &Operation::action("microsoft.directory/users/password/update"), "/").verdict,
        Verdict::NotAllowed
    );
    // A role assigned to a group reaches its direct members only (role-assignable groups admit no nested groups).
    s.resources.push(directory_assignment(DIRECTORY_ROLE_ASSIGNMENT_TYPE, 4, OPS, HELPDESK, "/"));
    s.resources.push(directory_assignment(DIRECTORY_ROLE_ASSIGNMENT_TYPE, 5, ENGINEERING, APP_ADMIN, "/"));
    let d = decide(&s, BOB, &reset, "/");
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants.iter().find(|g| g.source.is_active()).unwrap().via_group.as_deref(), Some(OPS));
    assert_eq!(decide(&s, BOB, &creds, "/").verdict, Verdict::NotAllowed);
    // A role scoped to an administrative unit whose members are not in the snapshot is noted, not applied.
    s.resources.push(directory_assignment(
        DIRECTORY_ROLE_ASSIGNMENT_TYPE,
        7,
        CAROL,
        HELPDESK,
        "/administrativeUnits/au-1",
    ));
    let d = decide(&s, CAROL, &reset, &format!("/{BOB}"));
    assert_eq!(d.verdict, Verdict::NotAllowed);
    assert!(d.notes.iter().any(|n| n.contains("administrative unit")), "{:?}", d.notes);
    assert_eq!(decide(&s, CAROL, &reset, "/administrativeUnits/AU-1").verdict, Verdict::Allowed);
    // An assignment naming an unknown directory role is reported.
    s.resources.push(directory_assignment(
        DIRECTORY_ROLE_ASSIGNMENT_TYPE,
        6,
        CAROL,
        "62e90394-69f5-4237-9190-012177145e10",
        "/",
    ));
    assert_eq!(decide(&s, CAROL, &reset, "/").verdict, Verdict::NotEvaluated);
}

// https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/admin-units-assign-roles and
// https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/administrative-units: a role assigned
// at an administrative unit applies to the unit's members (users, groups, devices) only, not to the tenant.
#[test]
fn roles_scoped_to_administrative_units_reach_the_units_members() {
    let mut s = entra();
    s.resources.push(directory_assignment(
        DIRECTORY_ROLE_ASSIGNMENT_TYPE,
        1,
        CAROL,
        HELPDESK,
        "/administrativeUnits/AU-Paris",
    ));
    s.resources.push(graph(
        ADMINISTRATIVE_UNIT_TYPE,
        "au-paris",
        json!({"id": "au-paris", "displayName": "Paris", "members": [BOB]}),
    ));
    let reset = Operation::directory("microsoft.directory/users/password/update");
    let d = decide(&s, CAROL, &reset, &format!("/{BOB}"));
    assert_eq!(d.verdict, Verdict::Allowed, "{d:?}");
    assert_eq!(d.grants[0].scope, "/administrativeUnits/AU-Paris");
    assert_eq!(decide(&s, CAROL, &reset, &format!("/{ALICE}")).verdict, Verdict::NotAllowed, "not a member");
    assert_eq!(decide(&s, CAROL, &reset, "/").verdict, Verdict::NotAllowed, "not the whole tenant");
    let who: Vec<String> =
        RbacIndex::new(&s).who_can(&reset, &format!("/{BOB}")).into_iter().map(|a| a.principal).collect();
    assert_eq!(who, vec![CAROL.to_string()]);
    // A unit whose members were not collected: noted, not granted.
    let mut unknown = entra();
    unknown.resources.push(directory_assignment(
        DIRECTORY_ROLE_ASSIGNMENT_TYPE,
        1,
        CAROL,
        HELPDESK,
        "/administrativeUnits/au-lyon",
    ));
    unknown.resources.push(graph(ADMINISTRATIVE_UNIT_TYPE, "au-lyon", json!({"id": "au-lyon", "displayName": "Lyon"})));
    let d = decide(&unknown, CAROL, &reset, &format!("/{BOB}"));
    assert_eq!(d.verdict, Verdict::NotAllowed);
    assert!(d.notes.iter().any(|n| n.contains("members are not in the snapshot")), "{:?}", d.notes);
}

// https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference
// Built-in role permissions may carry a condition (e.g. `$ResourceIsSelf`): such grants are conditional.
#[test]
fn conditional_directory_permissions_are_conditional() {
    let mut s = entra();
    let self_role = "a0b1b346-4d3e-4e8b-98f8-753987be4970";
    s.policies.push(directory_role(
        self_role,
        "User",
        json!([{"allowedResourceActions": ["microsoft.directory/users/basic/update"], "condition": "$ResourceIsSelf"}]),
    ));
    s.resources.push(directory_assignment(DIRECTORY_ROLE_ASSIGNMENT_TYPE, 1, ALICE, self_role, "/"));
    let d = decide(&s, ALICE, &Operation::directory("microsoft.directory/users/basic/update"), &format!("/{ALICE}"));
    assert_eq!(d.verdict, Verdict::Conditional);
    assert_eq!(d.grants[0].condition.as_deref(), Some("$ResourceIsSelf"));
}

// https://learn.microsoft.com/en-us/entra/fundamentals/users-default-permissions#object-ownership
// Group owners manage membership; application owners manage the application, credentials included.
#[test]
fn owners_manage_what_they_own() {
    let s = entra();
    let index = RbacIndex::new(&s);
    let add_member = Operation::directory("microsoft.directory/groups/members/update");
    let d = index.decide(CAROL, &add_member, &format!("/{GROUP_ID}"));
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].source, GrantSource::Ownership);
    assert_eq!(index.decide(ALICE, &add_member, &format!("/{GROUP_ID}")).verdict, Verdict::NotAllowed);
    let creds = Operation::directory("microsoft.directory/applications/credentials/update");
    assert_eq!(index.decide(BOB, &creds, &format!("/{APPLICATION_ID}")).verdict, Verdict::Allowed);
    assert_eq!(index.decide(BOB, &creds, &format!("/{GROUP_ID}")).verdict, Verdict::NotAllowed);
    assert_eq!(index.owners_of(GROUP_ID), vec![CAROL.to_string()]);
    let owned = index.owned_by(BOB);
    assert_eq!(owned.len(), 1);
    assert_eq!(
        (owned[0].object.as_str(), owned[0].object_type, owned[0].name.as_str()),
        (APPLICATION_ID, "application", "Payroll")
    );
    let who = index.who_can(&add_member, &format!("/{GROUP_ID}"));
    assert_eq!(who.iter().map(|a| a.principal.as_str()).collect::<Vec<_>>(), vec![CAROL]);
}

// https://learn.microsoft.com/en-us/graph/permissions-reference#rolemanagementreadwritedirectory and
// https://learn.microsoft.com/en-us/graph/api/resources/approleassignment : an app role assignment's appRoleId
// is an id among the resource service principal's appRoles, whose value is the permission.
#[test]
fn application_permissions_resolve_through_app_roles() {
    let mut s = entra();
    let rm = "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8";
    s.principals.push(principal(
        GRAPH_SP,
        PrincipalKind::ServicePrincipal,
        "Microsoft Graph",
        &[],
        json!({"appId": "00000003-0000-0000-c000-000000000000", "appRoles": [
            {"id": rm, "value": "RoleManagement.ReadWrite.Directory", "allowedMemberTypes": ["Application"]},
            {"id": "06b708a9-e830-4db3-a914-8e69da51d44f", "value": "AppRoleAssignment.ReadWrite.All", "allowedMemberTypes": ["Application"]}
        ]}),
    ));
    s.principals.push(principal(
        APP_SP,
        PrincipalKind::ServicePrincipal,
        "deploy-bot",
        &[],
        json!({"appId": "0a0a0a0a-0000-0000-0000-000000000000"}),
    ));
    s.resources.push(graph(
        APP_ROLE_ASSIGNMENT_TYPE,
        "ara-1",
        json!({"principalId": APP_SP, "resourceId": GRAPH_SP, "appRoleId": rm}),
    ));
    let index = RbacIndex::new(&s);
    let op = Operation::app_permission("RoleManagement.ReadWrite.Directory");
    let d = index.decide(APP_SP, &op, "/");
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.grants[0].scope, "Microsoft Graph");
    assert_eq!(
        index.decide(APP_SP, &Operation::app_permission("AppRoleAssignment.ReadWrite.All"), "/").verdict,
        Verdict::NotAllowed
    );
    let perms = index.app_permissions(APP_SP);
    assert_eq!(perms[0].value.as_deref(), Some("RoleManagement.ReadWrite.Directory"));
    assert_eq!(perms[0].resource_name.as_deref(), Some("Microsoft Graph"));
    assert_eq!(index.who_can(&op, "/").iter().map(|a| a.principal.as_str()).collect::<Vec<_>>(), vec![APP_SP]);
    assert_eq!(index.find_principal(&s, "0a0a0a0a-0000-0000-0000-000000000000").unwrap(), APP_SP);
    // An app role id the API does not define cannot be evaluated.
    s.resources.push(graph(
        APP_ROLE_ASSIGNMENT_TYPE,
        "ara-2",
        json!({"principalId": APP_SP, "resourceId": GRAPH_SP, "appRoleId": "11111111-2222-3333-4444-555555555555"}),
    ));
    let d = RbacIndex::new(&s).decide(APP_SP, &Operation::app_permission("Directory.ReadWrite.All"), "/");
    assert_eq!(d.verdict, Verdict::NotEvaluated);
}

#[test]
fn principals_are_found_by_id_upn_and_name() {
    let s = base();
    let index = RbacIndex::new(&s);
    assert_eq!(index.find_principal(&s, "ALICE@contoso.com").unwrap(), ALICE);
    assert_eq!(index.find_principal(&s, "bob").unwrap(), BOB);
    assert_eq!(index.find_principal(&s, &CAROL.to_uppercase()).unwrap(), CAROL);
    assert!(matches!(index.find_principal(&s, "nobody"), Err(LookupError::NotFound(_))));
    let mut twice = base();
    twice.principals.push(principal(
        "aaaaaaaa-0000-0000-0000-0000000000ff",
        PrincipalKind::User,
        "Alice",
        &[],
        json!({}),
    ));
    assert!(matches!(RbacIndex::new(&twice).find_principal(&twice, "alice"), Err(LookupError::Ambiguous { .. })));
}

/// 20,000 principals in 200 groups and 50,000 role assignments spread over 50 resource groups: the index and a
/// who-can over every principal at one scope must stay far under the benchmark's 10 s (here in a debug build).
#[test]
fn who_can_is_fast_at_scale() {
    let mut s = base();
    let group = |g: usize| format!("77777777-0000-0000-0000-{g:012}");
    for g in 0..200 {
        s.principals.push(principal(&group(g), PrincipalKind::Group, &format!("group {g}"), &[], json!({})));
    }
    for u in 0..20_000 {
        let id = format!("55555555-0000-0000-0000-{u:012}");
        let groups = [group(u % 200), group((u * 7 + 3) % 200)];
        let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
        s.principals.push(principal(&id, PrincipalKind::User, &format!("user {u}"), &refs, json!({})));
    }
    let roles = [READER, CONTRIBUTOR, VM_CONTRIBUTOR, BLOB_DATA_READER, OWNER];
    for n in 0..50_000u32 {
        let principal =
            if n % 3 == 0 { group(n as usize % 200) } else { format!("55555555-0000-0000-0000-{:012}", n % 20_000) };
        let scope = format!("/subscriptions/{SUB}/resourceGroups/rg-{}", (n / 5) % 50);
        s.resources.push(active(n, &principal, roles[n as usize % roles.len()], &scope));
    }
    let started = std::time::Instant::now();
    let index = RbacIndex::new(&s);
    let built = started.elapsed();
    let started = std::time::Instant::now();
    let who = index.who_can(
        &Operation::action(VM_START),
        &format!("/subscriptions/{SUB}/resourceGroups/rg-7/providers/Microsoft.Compute/virtualMachines/vm"),
    );
    let asked = started.elapsed();
    eprintln!("index of 50,000 assignments: {built:?}; who-can ({} principals): {asked:?}", who.len());
    assert!(who.len() > 1000, "{}", who.len());
    assert!(built.as_secs_f64() < 5.0, "index built in {built:?}");
    assert!(asked.as_secs_f64() < 1.0, "who-can took {asked:?}");
}

mod consistency {
    use super::*;
    use proptest::prelude::*;

    fn principals() -> [&'static str; 5] {
        [ALICE, BOB, CAROL, OPS, ENGINEERING]
    }
    fn scopes() -> [String; 4] {
        [
            "/providers/Microsoft.Management/managementGroups/contoso".to_string(),
            format!("/subscriptions/{SUB}"),
            rg(),
            vm(),
        ]
    }
    const ROLES: [&str; 5] = [OWNER, READER, VM_CONTRIBUTOR, CONTRIBUTOR, "deadbeef-0000-0000-0000-000000000000"];
    const OPERATIONS: [&str; 3] = [VM_START, "Microsoft.Compute/virtualMachines/read", ROLE_ASSIGNMENT_WRITE];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // who-can must list exactly the principals for which decide finds a grant (or cannot tell), with the same
        // verdict: the two queries walk the indexes from opposite ends.
        #[test]
        fn who_can_agrees_with_decide(
            assignments in proptest::collection::vec((0..5usize, 0..5usize, 0..4usize, any::<bool>(), any::<bool>()), 0..12),
            denies in proptest::collection::vec((0..6usize, 0..4usize, any::<bool>()), 0..3),
            operation in 0..3usize,
            at in 0..4usize,
        ) {
            let mut s = base();
            for (n, (p, r, sc, eligible, conditional)) in assignments.iter().enumerate() {
                let kind = if *eligible { ROLE_ELIGIBILITY_TYPE } else { ROLE_ASSIGNMENT_TYPE };
                let extra = if *conditional { json!({"condition": "@Resource[x] StringEquals 'y'", "conditionVersion": "2.0"}) } else { json!({}) };
                s.resources.push(assign(kind, n as u32, principals()[*p], ROLES[*r], &scopes()[*sc], extra));
            }
            for (n, (p, sc, no_children)) in denies.iter().enumerate() {
                let who = if *p == 5 { json!([{"id": EVERYONE, "type": "SystemDefined"}]) } else { json!([{"id": principals()[*p], "type": "User"}]) };
                s.resources.push(deny(n as u32, &scopes()[*sc], who, json!([]),
                    json!([{"actions": ["*/write", "*/action"], "notActions": [], "dataActions": [], "notDataActions": []}]), *no_children));
            }
            let index = RbacIndex::new(&s);
            let op = Operation::action(OPERATIONS[operation]);
            let scope = &scopes()[at];
            let listed: HashMap<String, Verdict> =
                index.who_can(&op, scope).into_iter().map(|a| (a.principal, a.decision.verdict)).collect();
            for p in principals() {
                let d = index.decide(p, &op, scope);
                if d.verdict == Verdict::NotAllowed || (d.verdict == Verdict::Denied && d.grants.is_empty() && d.unresolved.is_empty()) {
                    prop_assert!(!listed.contains_key(p), "{p} listed but decide says {:?}", d);
                } else {
                    prop_assert_eq!(listed.get(p), Some(&d.verdict), "{}", p);
                }
            }
        }
    }
}
