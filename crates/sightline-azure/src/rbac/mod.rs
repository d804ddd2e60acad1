//! Effective permissions in Azure: Azure RBAC (role assignments, PIM eligibility, deny assignments, conditions)
//! and Microsoft Entra (directory roles, ownership of groups and applications, Graph application permissions),
//! evaluated exactly over a [`Snapshot`] laid out as `docs/azure.md` says.
//!
//! Build an [`RbacIndex`] once per snapshot; it indexes assignments by principal and by scope and computes group
//! memberships, so that [`RbacIndex::decide`] and [`RbacIndex::who_can`] only look at what can matter. Every
//! answer is a [`Decision`] that tells *allowed*, *conditional* (an ABAC condition must hold), *eligible* (a PIM
//! eligibility the principal could activate), *denied* (by a deny assignment), *not allowed* or *not evaluated*
//! (the snapshot lacks what the answer depends on), with the assignments, roles, permission blocks and patterns
//! that decided.

mod entra;
mod pattern;
mod scope;
#[cfg(test)]
mod tests;

pub use entra::owner_actions;
pub use pattern::{directory_action_matches, operation_matches};

use serde::Serialize;
use sightline_model::{CoverageStatus, PrincipalKind, Props, Provider, Snapshot};
use std::collections::{HashMap, HashSet};

/// The resource type of an active Azure role assignment.
pub const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";
/// The resource type of an Azure PIM role eligibility.
pub const ROLE_ELIGIBILITY_TYPE: &str = "Microsoft.Authorization/roleEligibilityScheduleInstances";
/// The resource type of an Azure deny assignment.
pub const DENY_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/denyAssignments";
/// The resource type of an active Entra directory role assignment.
pub const DIRECTORY_ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Graph/roleAssignments";
/// The resource type of an Entra PIM directory role eligibility.
pub const DIRECTORY_ROLE_ELIGIBILITY_TYPE: &str = "Microsoft.Graph/roleEligibilitySchedules";
/// The resource type of a Graph app role assignment (an application permission when granted to a service principal).
pub const APP_ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Graph/appRoleAssignments";
/// The resource type of an Entra application (app registration).
pub const APPLICATION_TYPE: &str = "Microsoft.Graph/applications";
/// An administrative unit, with its members' ids in `members` when they were collected.
pub const ADMINISTRATIVE_UNIT_TYPE: &str = "Microsoft.Graph/administrativeUnits";
/// The principal id with which a deny assignment names every principal.
pub const EVERYONE: &str = "00000000-0000-0000-0000-000000000000";

/// Which permission system an operation belongs to. Azure keeps them apart: `*` in a role's `Actions` grants no
/// data action, and a directory role grants nothing in ARM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Plane {
    /// An ARM control-plane operation, granted by `Actions` (`Microsoft.Compute/virtualMachines/start/action`).
    Action,
    /// A data-plane operation, granted only by `DataActions`
    /// (`Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`).
    DataAction,
    /// A Microsoft Entra resource action (`microsoft.directory/users/password/update`), granted by directory roles
    /// and, on owned objects, by ownership.
    Directory,
    /// A Graph application permission, by its value (`RoleManagement.ReadWrite.Directory`).
    AppPermission,
}

impl Plane {
    /// The name used in JSON and in text.
    pub fn as_str(self) -> &'static str {
        match self {
            Plane::Action => "action",
            Plane::DataAction => "data_action",
            Plane::Directory => "directory",
            Plane::AppPermission => "app_permission",
        }
    }
}

/// An operation to decide: its name and the permission system it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The permission system.
    pub plane: Plane,
    /// The operation as Azure names it.
    pub name: String,
}

impl Operation {
    /// A control-plane operation.
    pub fn action(name: impl Into<String>) -> Operation {
        Operation { plane: Plane::Action, name: name.into() }
    }
    /// A data-plane operation.
    pub fn data_action(name: impl Into<String>) -> Operation {
        Operation { plane: Plane::DataAction, name: name.into() }
    }
    /// A Microsoft Entra resource action.
    pub fn directory(name: impl Into<String>) -> Operation {
        Operation { plane: Plane::Directory, name: name.into() }
    }
    /// A Graph application permission.
    pub fn app_permission(name: impl Into<String>) -> Operation {
        Operation { plane: Plane::AppPermission, name: name.into() }
    }
}

/// The answer to "may this principal do this here?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// An active, unconditional assignment grants it and no deny assignment removes it.
    Allowed,
    /// Only assignments with an ABAC condition grant it: allowed when the condition holds for the request.
    Conditional,
    /// Only PIM eligibilities grant it: allowed once the principal activates one.
    Eligible,
    /// A deny assignment removes it, whatever the role assignments grant.
    Denied,
    /// Nothing grants it.
    NotAllowed,
    /// Cannot be told from the snapshot: an assignment names a role definition it does not hold, or the lists the
    /// answer rests on were not collected.
    NotEvaluated,
}

impl Verdict {
    /// The name used in JSON and in text.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Conditional => "conditional",
            Verdict::Eligible => "eligible",
            Verdict::Denied => "denied",
            Verdict::NotAllowed => "not_allowed",
            Verdict::NotEvaluated => "not_evaluated",
        }
    }
}

/// What kind of record grants a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantSource {
    /// An active Azure role assignment.
    RoleAssignment,
    /// An Azure PIM role eligibility: not in force until activated.
    RoleEligibility,
    /// An active Entra directory role assignment.
    DirectoryRoleAssignment,
    /// An Entra PIM directory role eligibility: not in force until activated.
    DirectoryRoleEligibility,
    /// Ownership of a group, application or service principal.
    Ownership,
    /// A Graph app role assignment (application permission).
    AppRoleAssignment,
}

impl GrantSource {
    /// Whether the grant is in force without activation.
    pub fn is_active(self) -> bool {
        !matches!(self, GrantSource::RoleEligibility | GrantSource::DirectoryRoleEligibility)
    }
}

/// One assignment that grants the operation, and exactly how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grant {
    /// The kind of record.
    pub source: GrantSource,
    /// The record's id (the assignment's ARM or Graph id; for ownership, the owned object's id).
    pub assignment: String,
    /// The role definition id as the assignment names it (ownership: `owner`; app roles: the app role id).
    pub role: String,
    /// The role's name (app roles: the permission value).
    pub role_name: String,
    /// The scope of the assignment (directory scope for Entra; the API's service principal for app roles).
    pub scope: String,
    /// The group through which the principal holds the assignment, when not held directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_group: Option<String>,
    /// The index of the role's permission block that grants it (role definitions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_block: Option<usize>,
    /// The pattern of that block that matches the operation.
    pub pattern: String,
    /// The ABAC condition the grant depends on (role assignment condition, or an Entra role permission condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The condition's language version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_version: Option<String>,
}

/// A deny assignment that removes the operation from the principal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Denial {
    /// The deny assignment's id.
    pub deny_assignment: String,
    /// Its name.
    pub name: String,
    /// Its scope.
    pub scope: String,
    /// The index of its permission block that covers the operation.
    pub permission_block: usize,
    /// The pattern of that block that matches the operation.
    pub pattern: String,
    /// How it names the principal: the principal's id, a group it belongs to, or [`EVERYONE`].
    pub matched_principal: String,
}

/// An assignment that applies but could not be evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unresolved {
    /// The assignment's id.
    pub assignment: String,
    /// The role (or app role) it names.
    pub role: String,
    /// Its scope.
    pub scope: String,
    /// The group through which the principal holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_group: Option<String>,
    /// Why it could not be evaluated.
    pub reason: String,
}

/// A decision with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The answer.
    pub verdict: Verdict,
    /// One sentence: what decided.
    pub summary: String,
    /// Every assignment that grants the operation: active, conditional and eligible alike.
    pub grants: Vec<Grant>,
    /// Every deny assignment that removes it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denials: Vec<Denial>,
    /// Assignments that apply but could not be evaluated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<Unresolved>,
    /// Further facts: roles whose NotActions removed the operation, limits of the data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A principal that who-can found, with its decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Access {
    /// The principal's object id.
    pub principal: String,
    /// Its display name, when the snapshot has the principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_name: Option<String>,
    /// `user`, `group`, `service_principal`, `managed_identity`, or `unknown` when the snapshot lacks it.
    pub principal_type: &'static str,
    /// Its decision.
    pub decision: Decision,
}

/// An assignment that a principal holds, directly or through a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectiveAssignment {
    /// The kind of record (never [`GrantSource::Ownership`]; see [`RbacIndex::owned_by`]).
    pub source: GrantSource,
    /// The assignment's id.
    pub assignment: String,
    /// The role definition (or app role) id it names.
    pub role: String,
    /// The role's name, or the permission value, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// The scope.
    pub scope: String,
    /// The group through which the principal holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_group: Option<String>,
    /// The assignment's ABAC condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// An Entra object that a principal owns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Owned {
    /// The object id.
    pub object: String,
    /// `group`, `service_principal` or `application`.
    pub object_type: &'static str,
    /// Its display name.
    pub name: String,
}

/// A Graph application permission (app role) that a principal holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppPermission {
    /// The app role assignment's id.
    pub assignment: String,
    /// The API's service principal (`resourceId`).
    pub resource: String,
    /// The API's name, when the snapshot has its service principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// The app role id.
    pub app_role: String,
    /// The permission value (`RoleManagement.ReadWrite.Directory`); `None` when the API's `appRoles` do not
    /// define the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The group through which the principal holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_group: Option<String>,
}

/// A record the index could not use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The record's id.
    pub record: String,
    /// What is wrong.
    pub message: String,
}

/// Why a principal named on the command line or in a query could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No Azure principal has that object id, user principal name, app id or display name.
    #[error("no Azure principal in the snapshot has the object id, user principal name, app id or name {0:?}")]
    NotFound(String),
    /// Several principals have that display name.
    #[error("{name:?} names {} principals: {}; give an object id", ids.len(), ids.join(", "))]
    Ambiguous {
        /// The name given.
        name: String,
        /// The object ids of the principals it names.
        ids: Vec<String>,
    },
}

/// A principal, group or other object id seen in the snapshot, interned.
type SubjectId = u32;

struct Subject {
    /// The id as the snapshot first spelled it.
    id: String,
    /// Its index in `snapshot.principals`, when the snapshot has it.
    principal: Option<usize>,
}

/// A permission block of a role definition or deny assignment.
#[derive(Default)]
struct Block {
    actions: Vec<String>,
    not_actions: Vec<String>,
    data_actions: Vec<String>,
    not_data_actions: Vec<String>,
}

struct AzureRole {
    name: String,
    blocks: Vec<Block>,
}

struct RoleAssignment {
    id: String,
    subject: SubjectId,
    role: String,
    scope: String,
    /// The interned scope key, compared with a query's ancestors.
    scope_id: u32,
    /// The role definition, resolved when the assignment was read (definitions are read first).
    role_index: Option<usize>,
    condition: Option<String>,
    condition_version: Option<String>,
    eligible: bool,
    /// For an eligibility whose start or end puts the snapshot's time outside it: why.
    outside: Option<String>,
}

enum DenyPrincipal {
    Everyone,
    Subject(SubjectId),
}

struct DenyAssignment {
    id: String,
    name: String,
    scope: String,
    no_children: bool,
    blocks: Vec<Block>,
    principals: Vec<DenyPrincipal>,
    excluded: Vec<DenyPrincipal>,
}

/// How a role's permission blocks treat an operation.
#[derive(Clone)]
enum RoleMatch {
    /// A block grants it.
    Granted { block: usize, pattern: String },
    /// A block's allow list covers it but its not-list removes it.
    Excluded { block: usize, pattern: String, not_pattern: String },
    /// No block covers it.
    None,
}

/// The parts of a query that depend on the operation and scope only, computed once per query.
struct AzureQuery<'q> {
    operation: &'q Operation,
    /// The scope and every scope above it, nearest first, as keys; the flag tells the scope itself.
    ancestors: Vec<(String, bool)>,
    /// The interned ids of those of the ancestors that any assignment has.
    ancestor_ids: Vec<u32>,
    /// For each role definition, how it treats the operation.
    roles: Vec<RoleMatch>,
    /// Deny assignments in force at the scope that cover the operation: (index, block, pattern).
    denies: Vec<(usize, usize, String)>,
    notes: Vec<String>,
}

/// The Azure RBAC and Entra records of a snapshot, indexed for evaluation.
pub struct RbacIndex {
    subjects: Vec<Subject>,
    subject_by_key: HashMap<String, SubjectId>,
    /// Direct group memberships, by subject.
    direct_groups: Vec<Vec<SubjectId>>,
    /// Transitive (nested) group memberships, by subject, nearest first.
    transitive_groups: Vec<Vec<SubjectId>>,
    /// For each group, its direct and its transitive members.
    direct_members: HashMap<SubjectId, Vec<SubjectId>>,
    transitive_members: HashMap<SubjectId, Vec<SubjectId>>,
    principals: Vec<PrincipalInfo>,

    roles: Vec<AzureRole>,
    role_by_key: HashMap<String, usize>,
    assignments: Vec<RoleAssignment>,
    assignments_by_subject: HashMap<SubjectId, Vec<usize>>,
    assignments_by_scope: HashMap<String, Vec<usize>>,
    scope_ids: HashMap<String, u32>,
    denies: Vec<DenyAssignment>,
    denies_by_scope: HashMap<String, Vec<usize>>,
    /// Management group key -> parent management group key.
    management_group_parent: HashMap<String, Option<String>>,
    /// Subscription id (lowercase) -> management group key directly above it.
    subscription_parent: HashMap<String, Option<String>>,

    entra: entra::EntraIndex,
    /// Lists of the RBAC data that were not collected: (account, service, operation, status and detail).
    gaps: Vec<(String, String, String, String)>,
    tenants: HashSet<String>,
    problems: Vec<Problem>,
    /// The snapshot's time, against which PIM schedules are read.
    now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Answers of [`RbacIndex::who_can`] in ARM, by what decides them (see [`WhoCanKey`]): the resources of one
    /// resource group with no assignment or deny assignment of their own share one answer, so a graph of a
    /// tenant asks the engine once per resource group, not once per resource.
    /// With the number of answers' principals it holds, which bounds its memory.
    who_can_memo: std::sync::Mutex<(HashMap<WhoCanKey, Vec<Access>>, usize)>,
}

/// Everything an ARM `who_can` answer depends on: the operation, the scopes above the asked one that hold
/// assignments, the deny assignments in force there (index and permission block) and the notes (data not
/// collected, unknown scopes). Two scopes with the same key get the same answer.
type WhoCanKey = (Plane, String, Vec<u32>, Vec<(usize, usize)>, Vec<String>);

/// The most answers kept, and the most principals in them all; past either the memo starts over (it is a cache,
/// bounded in memory).
const WHO_CAN_MEMO: usize = 4096;
const WHO_CAN_HELD: usize = 250_000;

/// What the index keeps of each principal of the snapshot, to name it in answers.
struct PrincipalInfo {
    name: String,
    kind: PrincipalKind,
}

fn kind_name(kind: Option<PrincipalKind>) -> &'static str {
    match kind {
        Some(PrincipalKind::User) => "user",
        Some(PrincipalKind::Group) => "group",
        Some(PrincipalKind::ServicePrincipal) => "service_principal",
        Some(PrincipalKind::ManagedIdentity) => "managed_identity",
        Some(PrincipalKind::Role) => "role",
        Some(PrincipalKind::IdentityProvider) => "identity_provider",
        None => "unknown",
    }
}

fn text(props: &Props, key: &str) -> Option<String> {
    props.get(key).and_then(Props::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The last segment of an id: the GUID by which an assignment names its role definition, whatever the prefix.
fn last_segment(id: &str) -> String {
    id.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_ascii_lowercase()
}

fn strings(value: Option<&serde_json::Value>) -> Vec<String> {
    value
        .and_then(serde_json::Value::as_array)
        .map(|items| items.iter().filter_map(|v| v.as_str()).map(str::to_string).collect())
        .unwrap_or_default()
}

fn blocks_from_json(permissions: Option<&serde_json::Value>) -> Vec<Block> {
    permissions
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|b| Block {
                    actions: strings(b.get("actions")),
                    not_actions: strings(b.get("notActions")),
                    data_actions: strings(b.get("dataActions")),
                    not_data_actions: strings(b.get("notDataActions")),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn blocks_from_props(permissions: Option<&Props>) -> Vec<Block> {
    blocks_from_json(permissions.map(Props::to_value).as_ref())
}

impl Block {
    /// The block's verdict on an operation: granted, excluded by its not-list, or not covered.
    fn check(&self, plane: Plane, operation: &str, index: usize) -> RoleMatch {
        let (allow, not) = match plane {
            Plane::DataAction => (&self.data_actions, &self.not_data_actions),
            _ => (&self.actions, &self.not_actions),
        };
        let Some(pattern) = allow.iter().find(|p| operation_matches(p, operation)) else { return RoleMatch::None };
        match not.iter().find(|p| operation_matches(p, operation)) {
            Some(not_pattern) => {
                RoleMatch::Excluded { block: index, pattern: pattern.clone(), not_pattern: not_pattern.clone() }
            }
            None => RoleMatch::Granted { block: index, pattern: pattern.clone() },
        }
    }
}

/// The first block that grants, else the first that excludes, else none: the permissions of a role are the union
/// of its blocks, each block's not-list only subtracting from that block.
fn check_blocks(blocks: &[Block], plane: Plane, operation: &str) -> RoleMatch {
    let mut excluded = RoleMatch::None;
    for (i, b) in blocks.iter().enumerate() {
        match b.check(plane, operation, i) {
            granted @ RoleMatch::Granted { .. } => return granted,
            e @ RoleMatch::Excluded { .. } if matches!(excluded, RoleMatch::None) => excluded = e,
            _ => {}
        }
    }
    excluded
}

impl RbacIndex {
    /// Indexes the Azure records of `snapshot`. Records that cannot be used are listed in
    /// [`RbacIndex::problems`]; assignments naming role definitions that are not in the snapshot are kept, and
    /// reported in every decision they bear on.
    pub fn new(snapshot: &Snapshot) -> RbacIndex {
        let mut index = RbacIndex {
            subjects: Vec::new(),
            subject_by_key: HashMap::new(),
            direct_groups: Vec::new(),
            transitive_groups: Vec::new(),
            direct_members: HashMap::new(),
            transitive_members: HashMap::new(),
            principals: Vec::new(),
            roles: Vec::new(),
            role_by_key: HashMap::new(),
            assignments: Vec::new(),
            assignments_by_subject: HashMap::new(),
            assignments_by_scope: HashMap::new(),
            scope_ids: HashMap::new(),
            denies: Vec::new(),
            denies_by_scope: HashMap::new(),
            management_group_parent: HashMap::new(),
            subscription_parent: HashMap::new(),
            entra: entra::EntraIndex::default(),
            gaps: Vec::new(),
            tenants: HashSet::new(),
            problems: Vec::new(),
            now: chrono::DateTime::parse_from_rfc3339(snapshot.created_at.trim()).ok(),
            who_can_memo: std::sync::Mutex::new((HashMap::new(), 0)),
        };
        index.load_principals(snapshot);
        index.load_tree(snapshot);
        index.load_role_definitions(snapshot);
        index.load_assignments(snapshot);
        index.load_coverage(snapshot);
        // Ids first seen in assignments or owner lists (principals the snapshot lacks) came after the membership
        // walk: they belong to no group.
        index.transitive_groups.resize(index.subjects.len(), Vec::new());
        index
    }

    /// Records that could not be used, with the reason.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    fn intern(&mut self, id: &str) -> SubjectId {
        let key = id.trim().to_ascii_lowercase();
        if let Some(s) = self.subject_by_key.get(&key) {
            return *s;
        }
        // Over four billion distinct ids cannot fit in memory first; saturating keeps the conversion total.
        let s = SubjectId::try_from(self.subjects.len()).unwrap_or(SubjectId::MAX);
        self.subjects.push(Subject { id: id.trim().to_string(), principal: None });
        self.direct_groups.push(Vec::new());
        self.subject_by_key.insert(key, s);
        s
    }

    fn subject(&self, id: &str) -> Option<SubjectId> {
        self.subject_by_key.get(&id.trim().to_ascii_lowercase()).copied()
    }

    fn load_principals(&mut self, snapshot: &Snapshot) {
        for p in snapshot.principals.iter().filter(|p| p.provider == Provider::Azure) {
            let s = self.intern(&p.id);
            let slot = self.principals.len();
            self.principals.push(PrincipalInfo { name: p.name.clone(), kind: p.kind });
            self.subjects[s as usize].principal = Some(slot);
            let groups: Vec<SubjectId> = p.groups.iter().map(|g| self.intern(g)).collect();
            self.direct_groups[s as usize] = groups;
            self.entra.add_principal(p);
        }
        // Transitive memberships, each by a walk of the membership graph that visits a group once, so that a
        // cycle of groups (which Entra forbids, but an export may hold) ends.
        let mut transitive = Vec::with_capacity(self.subjects.len());
        for s in 0..self.subjects.len() {
            let mut seen: HashSet<SubjectId> = HashSet::new();
            let mut order = Vec::new();
            let mut queue: std::collections::VecDeque<SubjectId> = self.direct_groups[s].iter().copied().collect();
            while let Some(g) = queue.pop_front() {
                if g as usize == s || !seen.insert(g) {
                    continue;
                }
                order.push(g);
                queue.extend(self.direct_groups[g as usize].iter().copied());
            }
            transitive.push(order);
        }
        for (s, groups) in self.direct_groups.iter().enumerate() {
            for g in groups {
                self.direct_members.entry(*g).or_default().push(s as SubjectId);
            }
        }
        for (s, groups) in transitive.iter().enumerate() {
            for g in groups {
                self.transitive_members.entry(*g).or_default().push(s as SubjectId);
            }
        }
        self.transitive_groups = transitive;
    }

    fn load_tree(&mut self, snapshot: &Snapshot) {
        for org in snapshot.organizations.iter().filter(|o| o.provider == Provider::Azure) {
            self.tenants.insert(org.id.to_ascii_lowercase());
            for unit in &org.units {
                self.management_group_parent.insert(
                    scope::management_group_key(&unit.id),
                    unit.parent_id.as_deref().map(scope::management_group_key),
                );
            }
        }
        for account in snapshot.accounts.iter().filter(|a| a.provider == Provider::Azure) {
            self.subscription_parent.insert(
                account.id.trim().to_ascii_lowercase(),
                account.parent_id.as_deref().map(scope::management_group_key),
            );
        }
    }

    fn load_role_definitions(&mut self, snapshot: &Snapshot) {
        for p in snapshot.policies.iter().filter(|p| p.provider == Provider::Azure) {
            if p.kind != sightline_model::PolicyKind::RoleDefinition {
                continue;
            }
            let document: serde_json::Value = match serde_json::from_str(p.document.get()) {
                Ok(v) => v,
                Err(e) => {
                    self.problems.push(Problem { record: p.id.clone(), message: format!("unreadable document: {e}") });
                    continue;
                }
            };
            let is_directory = p.id.to_ascii_lowercase().contains("/microsoft.graph/roledefinitions/")
                || document.get("rolePermissions").is_some();
            if is_directory {
                self.entra.add_role_definition(p, &document, &mut self.problems);
                continue;
            }
            if document.get("permissions").and_then(serde_json::Value::as_array).is_none() {
                self.problems.push(Problem {
                    record: p.id.clone(),
                    message: "role definition without a permissions list".into(),
                });
                continue;
            }
            let key = last_segment(&p.id);
            if self.role_by_key.contains_key(&key) {
                self.problems.push(Problem {
                    record: p.id.clone(),
                    message: "a role definition with the same GUID is already in the snapshot; the first one is used"
                        .into(),
                });
                continue;
            }
            let name = document.get("roleName").and_then(|v| v.as_str()).map_or_else(|| p.name.clone(), str::to_string);
            self.role_by_key.insert(key, self.roles.len());
            self.roles.push(AzureRole { name, blocks: blocks_from_json(document.get("permissions")) });
        }
    }

    fn load_assignments(&mut self, snapshot: &Snapshot) {
        for r in snapshot.resources.iter().filter(|r| r.provider == Provider::Azure) {
            let t = r.resource_type.as_str();
            if t.eq_ignore_ascii_case(ROLE_ASSIGNMENT_TYPE) || t.eq_ignore_ascii_case(ROLE_ELIGIBILITY_TYPE) {
                self.add_role_assignment(r, t.eq_ignore_ascii_case(ROLE_ELIGIBILITY_TYPE));
            } else if t.eq_ignore_ascii_case(DENY_ASSIGNMENT_TYPE) {
                self.add_deny_assignment(r);
            } else if t.eq_ignore_ascii_case(DIRECTORY_ROLE_ASSIGNMENT_TYPE)
                || t.eq_ignore_ascii_case(DIRECTORY_ROLE_ELIGIBILITY_TYPE)
            {
                let Some(principal) = text(&r.properties, "principalId") else {
                    self.problems.push(Problem { record: r.id.clone(), message: "no principalId".into() });
                    continue;
                };
                let s = self.intern(&principal);
                let eligible = t.eq_ignore_ascii_case(DIRECTORY_ROLE_ELIGIBILITY_TYPE);
                let outside = if eligible {
                    self.outside_window(
                        r.properties.pointer("/scheduleInfo/startDateTime"),
                        r.properties.pointer("/scheduleInfo/expiration/endDateTime"),
                    )
                } else {
                    None
                };
                self.entra.add_assignment(r, s, eligible, outside);
            } else if t.eq_ignore_ascii_case(APP_ROLE_ASSIGNMENT_TYPE) {
                let Some(principal) = text(&r.properties, "principalId") else {
                    self.problems.push(Problem { record: r.id.clone(), message: "no principalId".into() });
                    continue;
                };
                let s = self.intern(&principal);
                self.entra.add_app_role_assignment(r, s, &mut self.problems);
            } else if t.eq_ignore_ascii_case(APPLICATION_TYPE) {
                self.entra.add_application(r);
            } else if t.eq_ignore_ascii_case(ADMINISTRATIVE_UNIT_TYPE) {
                self.entra.add_unit(r);
            }
        }
        // Owners are interned last: they are looked up by object id, and none of them needs group data.
        let owners = self.entra.owner_ids();
        let interned: Vec<(usize, Vec<SubjectId>)> =
            owners.into_iter().map(|(o, ids)| (o, ids.iter().map(|id| self.intern(id)).collect())).collect();
        self.entra.set_owners(interned);
    }

    fn add_role_assignment(&mut self, r: &sightline_model::Resource, eligible: bool) {
        let p = &r.properties;
        let Some(principal) = text(p, "principalId") else {
            self.problems.push(Problem { record: r.id.clone(), message: "no principalId".into() });
            return;
        };
        let role = text(p, "roleDefinitionId").unwrap_or_default();
        // The scope is a property of the assignment; when a source left it out, the id carries it in front of
        // `/providers/Microsoft.Authorization/`.
        let scope = text(p, "scope").unwrap_or_else(|| {
            let lower = r.id.to_ascii_lowercase();
            match lower.find("/providers/microsoft.authorization/") {
                Some(at) if at > 0 => r.id[..at].to_string(),
                _ => "/".to_string(),
            }
        });
        let subject = self.intern(&principal);
        let i = self.assignments.len();
        let scope_key = scope::key(&scope);
        let next = u32::try_from(self.scope_ids.len()).unwrap_or(u32::MAX);
        let scope_id = *self.scope_ids.entry(scope_key.clone()).or_insert(next);
        let role_key = if role.is_empty() { String::new() } else { last_segment(&role) };
        self.assignments_by_subject.entry(subject).or_default().push(i);
        self.assignments_by_scope.entry(scope_key).or_default().push(i);
        self.assignments.push(RoleAssignment {
            id: r.id.clone(),
            subject,
            role_index: self.role_by_key.get(&role_key).copied(),
            role,
            scope,
            scope_id,
            condition: text(p, "condition"),
            condition_version: text(p, "conditionVersion"),
            outside: if eligible { self.outside_window(p.get("startDateTime"), p.get("endDateTime")) } else { None },
            eligible,
        });
    }

    /// Why the snapshot's time falls outside a schedule from `start` to `end` (either may be open), if it does.
    /// Without a snapshot time, or with times that cannot be read, the schedule is taken as in effect.
    fn outside_window(&self, start: Option<&Props>, end: Option<&Props>) -> Option<String> {
        let now = self.now?;
        let read = |v: Option<&Props>| {
            v.and_then(Props::as_str).and_then(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok())
        };
        if let Some(end) = read(end) {
            if end <= now {
                return Some(format!("it ended at {}", end.to_rfc3339()));
            }
        }
        match read(start) {
            Some(start) if start > now => Some(format!("it starts at {}", start.to_rfc3339())),
            _ => None,
        }
    }

    fn add_deny_assignment(&mut self, r: &sightline_model::Resource) {
        let p = &r.properties;
        let Some(scope) = text(p, "scope") else {
            self.problems.push(Problem { record: r.id.clone(), message: "deny assignment without a scope".into() });
            return;
        };
        let principals_of = |key: &str, this: &mut RbacIndex| -> Vec<DenyPrincipal> {
            p.get(key)
                .and_then(Props::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.get("id").and_then(Props::as_str))
                        .map(|id| {
                            if id.trim().eq_ignore_ascii_case(EVERYONE) {
                                DenyPrincipal::Everyone
                            } else {
                                DenyPrincipal::Subject(this.intern(id))
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let principals = principals_of("principals", self);
        let excluded = principals_of("excludePrincipals", self);
        let scope_key = scope::key(&scope);
        let i = self.denies.len();
        self.denies_by_scope.entry(scope_key).or_default().push(i);
        self.denies.push(DenyAssignment {
            id: r.id.clone(),
            name: text(p, "denyAssignmentName").unwrap_or_else(|| r.name.clone()),
            scope,
            no_children: p.get("doNotApplyToChildScopes").and_then(Props::as_bool).unwrap_or(false),
            blocks: blocks_from_props(p.get("permissions")),
            principals,
            excluded,
        });
    }

    fn load_coverage(&mut self, snapshot: &Snapshot) {
        const LISTS: &[&str] = &[
            "roleAssignments",
            "roleDefinitions",
            "denyAssignments",
            "roleEligibilityScheduleInstances",
            "roleEligibilitySchedules",
            "appRoleAssignments",
            "groups",
            "users",
            "servicePrincipals",
            "applications",
            "managementGroups",
        ];
        for c in snapshot.coverage.iter().filter(|c| c.provider == Provider::Azure) {
            if c.status == CoverageStatus::Collected {
                continue;
            }
            let relevant = (c.service.eq_ignore_ascii_case("Microsoft.Authorization")
                || c.service.eq_ignore_ascii_case("graph")
                || c.service.eq_ignore_ascii_case("Microsoft.Management"))
                && LISTS.iter().any(|l| l.eq_ignore_ascii_case(&c.operation));
            if relevant {
                let status = match c.status {
                    CoverageStatus::Denied => "denied",
                    _ => "failed",
                };
                let detail = c.detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
                self.gaps.push((
                    c.account_id.to_ascii_lowercase(),
                    c.service.clone(),
                    c.operation.clone(),
                    format!("{status}{detail}"),
                ));
            }
        }
    }

    /// The object id of the Azure principal that `name` designates: an object id, a user principal name, a
    /// service principal's app id, or a display name that only one principal has. Case is ignored.
    pub fn find_principal(&self, snapshot: &Snapshot, name: &str) -> Result<String, LookupError> {
        let wanted = name.trim();
        let azure = || snapshot.principals.iter().filter(|p| p.provider == Provider::Azure);
        if let Some(p) = azure().find(|p| p.id.eq_ignore_ascii_case(wanted)) {
            return Ok(p.id.clone());
        }
        let by_property = |key: &str| {
            azure()
                .find(|p| {
                    p.properties.get(key).and_then(|v| v.as_str()).is_some_and(|v| v.eq_ignore_ascii_case(wanted))
                })
                .map(|p| p.id.clone())
        };
        if let Some(id) = by_property("userPrincipalName").or_else(|| by_property("appId")) {
            return Ok(id);
        }
        let named: Vec<String> =
            azure().filter(|p| p.name.eq_ignore_ascii_case(wanted)).map(|p| p.id.clone()).collect();
        match named.len() {
            1 => Ok(named.into_iter().next().unwrap_or_default()),
            0 => {
                // An id that only assignments mention is still a principal the engine can answer for.
                match self.subject(wanted) {
                    Some(s) if looks_like_guid(wanted) => Ok(self.subjects[s as usize].id.clone()),
                    _ if looks_like_guid(wanted) => Ok(wanted.to_string()),
                    _ => Err(LookupError::NotFound(wanted.to_string())),
                }
            }
            _ => Err(LookupError::Ambiguous { name: wanted.to_string(), ids: named }),
        }
    }

    /// The names of the role definitions whose `DataActions` cover `operation`: when a question was asked as a
    /// control-plane action, these tell that it is a data action (which `*` in `Actions` never grants).
    pub fn roles_with_data_action(&self, operation: &str) -> Vec<String> {
        self.roles
            .iter()
            .filter(|r| matches!(check_blocks(&r.blocks, Plane::DataAction, operation), RoleMatch::Granted { .. }))
            .map(|r| r.name.clone())
            .collect()
    }

    /// The display name of a principal, when the snapshot has it.
    pub fn principal_name(&self, id: &str) -> Option<&str> {
        let s = self.subject(id)?;
        let p = self.subjects[s as usize].principal?;
        Some(self.principals[p].name.as_str())
    }

    fn principal_type(&self, s: SubjectId) -> &'static str {
        kind_name(self.subjects[s as usize].principal.map(|p| self.principals[p].kind))
    }

    /// May `principal` (an object id) perform `operation` at `scope`? `scope` is an ARM scope for
    /// [`Plane::Action`] and [`Plane::DataAction`], a directory scope (`/`, `/{objectId}`,
    /// `/administrativeUnits/{id}`) for [`Plane::Directory`], and is not used for [`Plane::AppPermission`]
    /// (application permissions hold tenant-wide).
    pub fn decide(&self, principal: &str, operation: &Operation, scope: &str) -> Decision {
        let Some(s) = self.subject(principal) else {
            let mut d = self.finish(operation, Vec::new(), Vec::new(), Vec::new(), Vec::new(), false);
            d.notes.push(format!("{principal} is not in the snapshot and no assignment names it"));
            return d;
        };
        match operation.plane {
            Plane::Action | Plane::DataAction => {
                let query = self.azure_query(operation, scope);
                self.decide_azure(s, &query)
            }
            Plane::Directory => self.entra_decide(s, operation, scope),
            Plane::AppPermission => self.app_decide(s, operation),
        }
    }

    /// Every principal for which `operation` at `scope` is allowed, conditional, eligible, denied (by a deny
    /// assignment, despite a grant) or not evaluated, with its decision; principals that nothing grants (and no
    /// unresolved assignment might grant) are left out. Groups holding the grant are listed as well as their members. Sorted by name, then id.
    pub fn who_can(&self, operation: &Operation, scope: &str) -> Vec<Access> {
        let mut candidates: Vec<SubjectId> = Vec::new();
        let mut seen = HashSet::new();
        let mut add = |s: SubjectId, members: Option<&Vec<SubjectId>>| {
            for m in std::iter::once(s).chain(members.into_iter().flatten().copied()) {
                if seen.insert(m) {
                    candidates.push(m);
                }
            }
        };
        let mut out = Vec::new();
        let mut memo_key = None;
        match operation.plane {
            Plane::Action | Plane::DataAction => {
                let query = self.azure_query(operation, scope);
                let key: WhoCanKey = (
                    operation.plane,
                    operation.name.to_ascii_lowercase(),
                    query.ancestor_ids.clone(),
                    query.denies.iter().map(|(d, block, _)| (*d, *block)).collect(),
                    query.notes.clone(),
                );
                if let Some(answer) = self.who_can_memo.lock().ok().and_then(|memo| memo.0.get(&key).cloned()) {
                    return answer;
                }
                memo_key = Some(key);
                for (key, _) in &query.ancestors {
                    for a in self.assignments_by_scope.get(key).into_iter().flatten() {
                        let a = &self.assignments[*a];
                        let relevant = match a.role_index {
                            Some(r) => !matches!(query.roles[r], RoleMatch::None),
                            None => true,
                        };
                        if relevant {
                            add(a.subject, self.transitive_members.get(&a.subject));
                        }
                    }
                }
                for s in candidates {
                    out.push((s, self.decide_azure(s, &query)));
                }
            }
            Plane::Directory => {
                for s in self.entra.directory_candidates(operation, scope) {
                    add(s, self.direct_members.get(&s));
                }
                for s in candidates {
                    out.push((s, self.entra_decide(s, operation, scope)));
                }
            }
            Plane::AppPermission => {
                for s in self.entra.app_candidates(&operation.name) {
                    add(s, self.direct_members.get(&s));
                }
                for s in candidates {
                    out.push((s, self.app_decide(s, operation)));
                }
            }
        }
        let mut access: Vec<Access> = out
            .into_iter()
            // A deny assignment that names a principal nothing grants anything to is not worth listing.
            .filter(|(_, d)| d.verdict != Verdict::NotAllowed && !(d.grants.is_empty() && d.unresolved.is_empty()))
            .map(|(s, decision)| Access {
                principal: self.subjects[s as usize].id.clone(),
                principal_name: self.subjects[s as usize].principal.map(|p| self.principals[p].name.clone()),
                principal_type: self.principal_type(s),
                decision,
            })
            .collect();
        access.sort_by_cached_key(|a| {
            (a.principal_name.as_deref().unwrap_or_default().to_lowercase(), a.principal.to_lowercase())
        });
        if let (Some(key), Ok(mut memo)) = (memo_key, self.who_can_memo.lock()) {
            let (answers, held) = &mut *memo;
            if answers.len() >= WHO_CAN_MEMO || *held + access.len() > WHO_CAN_HELD {
                answers.clear();
                *held = 0;
            }
            if access.len() <= WHO_CAN_HELD {
                *held += access.len();
                answers.insert(key, access.clone());
            }
        }
        access
    }

    /// Every assignment `principal` holds, directly or through its groups (nested groups for Azure RBAC, direct
    /// ones for Entra, which admits no nesting in role-assignable groups): Azure role assignments and
    /// eligibilities, directory role assignments and eligibilities, and app role assignments.
    pub fn assignments_of(&self, principal: &str) -> Vec<EffectiveAssignment> {
        let Some(s) = self.subject(principal) else { return Vec::new() };
        let mut out = Vec::new();
        for (m, via) in self.with_groups(s, &self.transitive_groups[s as usize]) {
            for a in self.assignments_by_subject.get(&m).into_iter().flatten() {
                let a = &self.assignments[*a];
                out.push(EffectiveAssignment {
                    source: if a.eligible { GrantSource::RoleEligibility } else { GrantSource::RoleAssignment },
                    assignment: a.id.clone(),
                    role: a.role.clone(),
                    role_name: a.role_index.map(|r| self.roles[r].name.clone()),
                    scope: a.scope.clone(),
                    via_group: via.clone(),
                    condition: a.condition.clone(),
                });
            }
        }
        for (m, via) in self.with_groups(s, &self.direct_groups[s as usize]) {
            out.extend(self.entra.assignments_of(m, via));
        }
        out
    }

    /// The Graph application permissions (app roles) `principal` holds, directly or through a group it is a direct
    /// member of.
    pub fn app_permissions(&self, principal: &str) -> Vec<AppPermission> {
        let Some(s) = self.subject(principal) else { return Vec::new() };
        let mut out = Vec::new();
        for (m, via) in self.with_groups(s, &self.direct_groups[s as usize]) {
            out.extend(self.entra.app_permissions(m, via));
        }
        out
    }

    /// The groups, applications and service principals `principal` owns.
    pub fn owned_by(&self, principal: &str) -> Vec<Owned> {
        self.subject(principal).map(|s| self.entra.owned_by(s)).unwrap_or_default()
    }

    /// The owners (object ids) of a group, application or service principal.
    pub fn owners_of(&self, object: &str) -> Vec<String> {
        self.entra.owners_of(object).into_iter().map(|s| self.subjects[s as usize].id.clone()).collect()
    }

    /// The principal itself, then each of `groups` with its id as the "via" label.
    fn with_groups(&self, s: SubjectId, groups: &[SubjectId]) -> Vec<(SubjectId, Option<String>)> {
        std::iter::once((s, None))
            .chain(groups.iter().map(|g| (*g, Some(self.subjects[*g as usize].id.clone()))))
            .collect()
    }

    /// The scopes above `scope_key` by the management group tree, with notes on what the snapshot lacks.
    fn ancestors(&self, scope: &str, notes: &mut Vec<String>) -> Vec<(String, bool)> {
        let key = scope::key(scope);
        let path = scope::path(&key);
        let mut out: Vec<(String, bool)> = Vec::new();
        if key != "/" {
            out.push((key.clone(), true));
        }
        for k in path.chain.iter().skip(1) {
            out.push((k.clone(), false));
        }
        if key != "/" && path.chain.first().map(String::as_str) != Some(key.as_str()) {
            notes.push(format!(
                "{scope} is not an ARM scope Sightline recognizes; only the scopes its id spells are used"
            ));
        }
        let mut group = match (&path.management_group, &path.subscription) {
            (Some(mg), _) => self.management_group_parent.get(mg).cloned().unwrap_or_else(|| {
                if !self.management_group_parent.is_empty() {
                    notes.push(format!("management group {mg} is not in the snapshot: groups above it are not known"));
                }
                None
            }),
            (None, Some(sub)) => match self.subscription_parent.get(sub) {
                Some(parent) => parent.clone(),
                None => {
                    notes.push(format!(
                        "subscription {sub} is not in the snapshot: assignments at management groups above it are not known"
                    ));
                    None
                }
            },
            (None, None) => None,
        };
        let mut seen = HashSet::new();
        while let Some(g) = group {
            if !seen.insert(g.clone()) {
                notes.push(format!("the management group tree has a cycle at {g}"));
                break;
            }
            let parent = self.management_group_parent.get(&g).cloned().flatten();
            out.push((g, false));
            group = parent;
        }
        out.push(("/".to_string(), key == "/"));
        out
    }

    fn azure_query<'q>(&self, operation: &'q Operation, scope: &str) -> AzureQuery<'q> {
        let mut notes = Vec::new();
        let ancestors = self.ancestors(scope, &mut notes);
        let roles = self.roles.iter().map(|r| check_blocks(&r.blocks, operation.plane, &operation.name)).collect();
        let mut denies = Vec::new();
        for (key, is_self) in &ancestors {
            for d in self.denies_by_scope.get(key).into_iter().flatten() {
                let deny = &self.denies[*d];
                if deny.no_children && !is_self {
                    continue;
                }
                if let RoleMatch::Granted { block, pattern } =
                    check_blocks(&deny.blocks, operation.plane, &operation.name)
                {
                    denies.push((*d, block, pattern));
                }
            }
        }
        let subscription = scope::path(&scope::key(scope)).subscription;
        for (account, service, list, status) in &self.gaps {
            // A list of one subscription bears on scopes in it; a tenant's lists (management groups, root) on all.
            let applies = subscription.as_deref() == Some(account.as_str()) || self.tenants.contains(account);
            if applies {
                notes.push(format!("{service} {list} of {account} was not collected ({status})"));
            }
        }
        let ancestor_ids = ancestors.iter().filter_map(|(k, _)| self.scope_ids.get(k).copied()).collect();
        AzureQuery { operation, ancestors, ancestor_ids, roles, denies, notes }
    }

    fn decide_azure(&self, s: SubjectId, q: &AzureQuery<'_>) -> Decision {
        let mut grants = Vec::new();
        let mut unresolved = Vec::new();
        let mut notes = q.notes.clone();
        let members = self.with_groups(s, &self.transitive_groups[s as usize]);
        for (m, via) in &members {
            for a in self.assignments_by_subject.get(m).into_iter().flatten() {
                let a = &self.assignments[*a];
                if !q.ancestor_ids.contains(&a.scope_id) {
                    continue;
                }
                let Some(r) = a.role_index else {
                    unresolved.push(Unresolved {
                        assignment: a.id.clone(),
                        role: a.role.clone(),
                        scope: a.scope.clone(),
                        via_group: via.clone(),
                        reason: if a.role.is_empty() {
                            "the assignment names no role definition".into()
                        } else {
                            format!("role definition {} is not in the snapshot", a.role)
                        },
                    });
                    continue;
                };
                let role = &self.roles[r];
                match &q.roles[r] {
                    RoleMatch::Granted { .. } if a.outside.is_some() => notes.push(format!(
                        "eligibility {} for {} at {} is not in effect at the snapshot's time: {}",
                        a.id,
                        role.name,
                        a.scope,
                        a.outside.as_deref().unwrap_or_default()
                    )),
                    RoleMatch::Granted { block, pattern } => grants.push(Grant {
                        source: if a.eligible { GrantSource::RoleEligibility } else { GrantSource::RoleAssignment },
                        assignment: a.id.clone(),
                        role: a.role.clone(),
                        role_name: role.name.clone(),
                        scope: a.scope.clone(),
                        via_group: via.clone(),
                        permission_block: Some(*block),
                        pattern: pattern.clone(),
                        condition: a.condition.clone(),
                        condition_version: a.condition_version.clone(),
                    }),
                    RoleMatch::Excluded { block, pattern, not_pattern } => {
                        let list = if q.operation.plane == Plane::DataAction { "NotDataActions" } else { "NotActions" };
                        notes.push(format!(
                            "{} at {}: permission block {block} grants {pattern:?} but its {list} {not_pattern:?} removes \
                             the operation (not a deny: another role can grant it)",
                            role.name, a.scope
                        ));
                    }
                    RoleMatch::None => {}
                }
            }
        }
        let mut denials = Vec::new();
        for (d, block, pattern) in &q.denies {
            let deny = &self.denies[*d];
            let names = |list: &[DenyPrincipal]| -> Option<String> {
                list.iter().find_map(|p| match p {
                    DenyPrincipal::Everyone => Some(EVERYONE.to_string()),
                    DenyPrincipal::Subject(x) => {
                        members.iter().find(|(m, _)| m == x).map(|(m, _)| self.subjects[*m as usize].id.clone())
                    }
                })
            };
            if let Some(matched) = names(&deny.principals) {
                if let Some(excluded) = names(&deny.excluded) {
                    notes.push(format!(
                        "deny assignment {} at {} covers the operation but excludes {excluded}",
                        deny.name, deny.scope
                    ));
                    continue;
                }
                denials.push(Denial {
                    deny_assignment: deny.id.clone(),
                    name: deny.name.clone(),
                    scope: deny.scope.clone(),
                    permission_block: *block,
                    pattern: pattern.clone(),
                    matched_principal: matched,
                });
            }
        }
        let incomplete = notes.iter().any(|n| n.contains("was not collected"));
        self.finish(q.operation, grants, denials, unresolved, notes, incomplete)
    }
}

/// Whether `s` has the 8-4-4-4-12 hexadecimal shape of an object id.
pub fn looks_like_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.trim().split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl RbacIndex {
    /// Makes the verdict and summary from the evidence. A deny assignment wins over every grant; then an active
    /// unconditional grant; then, when an applicable assignment could not be evaluated (or the data was not
    /// collected), the answer is unknown; then a conditional grant; then an eligible one.
    fn finish(
        &self,
        operation: &Operation,
        grants: Vec<Grant>,
        denials: Vec<Denial>,
        unresolved: Vec<Unresolved>,
        notes: Vec<String>,
        incomplete: bool,
    ) -> Decision {
        let describe = |g: &Grant| {
            let via = g
                .via_group
                .as_deref()
                .map(|v| format!(" through group {}", self.principal_name(v).unwrap_or(v)))
                .unwrap_or_default();
            format!("{} at {}{via}", g.role_name, g.scope)
        };
        let active_plain = grants.iter().find(|g| g.source.is_active() && g.condition.is_none());
        let active_conditional = grants.iter().find(|g| g.source.is_active() && g.condition.is_some());
        let eligible = grants.iter().find(|g| !g.source.is_active());
        let op = &operation.name;
        let (verdict, summary) = if let Some(d) = denials.first() {
            (Verdict::Denied, format!("deny assignment {} at {} denies {op}", d.name, d.scope))
        } else if let Some(g) = active_plain {
            let how = match g.source {
                GrantSource::Ownership => format!("ownership of {}", g.scope),
                GrantSource::AppRoleAssignment => format!("application permission {} of {}", g.role_name, g.scope),
                _ => describe(g),
            };
            (Verdict::Allowed, format!("allowed by {how}"))
        } else if let Some(u) = unresolved.first() {
            (Verdict::NotEvaluated, format!("cannot tell: assignment {} at {}: {}", u.assignment, u.scope, u.reason))
        } else if incomplete {
            (
                Verdict::NotEvaluated,
                "cannot tell: the role assignments or definitions the answer rests on were not collected".to_string(),
            )
        } else if let Some(g) = active_conditional {
            (
                Verdict::Conditional,
                format!(
                    "allowed only when the condition of {} holds: {}",
                    describe(g),
                    g.condition.clone().unwrap_or_default()
                ),
            )
        } else if let Some(g) = eligible {
            (Verdict::Eligible, format!("not active: eligible for {} (allowed once activated)", describe(g)))
        } else {
            let what = match operation.plane {
                Plane::Action => "no role assignment of the principal or its groups at this scope or above grants",
                Plane::DataAction => {
                    "no role assignment of the principal or its groups at this scope or above grants the data action"
                }
                Plane::Directory => "no directory role or ownership of the principal grants",
                Plane::AppPermission => "the principal holds no application permission",
            };
            (Verdict::NotAllowed, format!("{what} {op}"))
        };
        Decision { verdict, summary, grants, denials, unresolved, notes }
    }
}
