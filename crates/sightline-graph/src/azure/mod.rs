//! Azure in the security graph: Entra principals, applications, the scope tree and ARM resources as nodes, and the
//! Azure edges of [`EDGES`] (one file each), every one decided by an Azure permission engine behind the
//! [`Permissions`] trait: effective permissions (role assignments at the scope or above, through nested groups,
//! after deny assignments; PIM eligibilities and ABAC conditions told apart), never role names.
//!
//! The trait asks exactly the questions the edges need, in the shape of `sightline_azure::rbac::RbacIndex`, so
//! that the adapter to that engine (`azure::engine`) stays thin.
//!
//! Administrators join the graph's [`ADMIN`] node: a principal is an Azure administrator when it can grant itself
//! any role, which the `grant-role` edge tells (role assignments at the root, a management group or a
//! subscription; any directory role; or the Graph permission `RoleManagement.ReadWrite.Directory`). Moves that
//! need a PIM activation are `role-eligible` edges, and say "after activating".

mod add_member;
mod add_secret;
mod contains;
pub mod engine;
mod get_keys;
mod get_secrets;
mod grant_app_roles;
mod grant_role;
mod has_role;
mod list_keys;
mod managed_identity;
mod member_of;
mod owns;
mod reset_password;
mod role_eligible;
mod run_command;
#[cfg(test)]
pub(crate) mod tests;

use crate::{Edge, EdgeKind, Escalation, Graph, Node, NodeKind, Privesc, Step, ADMIN};
use serde::Serialize;
/// The engine's own kinds: which permission system an operation belongs to, its answer, and what grants it.
pub use sightline_azure::rbac::{GrantSource, Plane, Verdict};
use sightline_model::{Principal, PrincipalKind, Provider, Resource, Snapshot};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// An operation to ask about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub plane: Plane,
    /// The operation as Azure names it.
    pub name: String,
}

impl Operation {
    /// A control-plane operation.
    pub fn action(name: &str) -> Operation {
        Operation { plane: Plane::Action, name: name.to_string() }
    }
    /// A data-plane operation.
    pub fn data_action(name: &str) -> Operation {
        Operation { plane: Plane::DataAction, name: name.to_string() }
    }
    /// A Microsoft Entra resource action.
    pub fn directory(name: &str) -> Operation {
        Operation { plane: Plane::Directory, name: name.to_string() }
    }
    /// A Graph application permission.
    pub fn app_permission(name: &str) -> Operation {
        Operation { plane: Plane::AppPermission, name: name.to_string() }
    }
}

/// One record that grants an operation: the proof an edge carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub source: GrantSource,
    /// The assignment's id (ownership: the owned object; app roles: the app role assignment).
    pub assignment: String,
    /// The role's name (app roles: the permission value; ownership: `owner of ...`).
    pub role_name: String,
    /// The assignment's scope (directory scope for Entra roles).
    pub scope: String,
    /// The group through which the principal holds it.
    pub via_group: Option<String>,
    /// The pattern of the role that matches the operation.
    pub pattern: String,
    /// The ABAC condition the grant depends on.
    pub condition: Option<String>,
}

/// A decision with the grants behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub verdict: Verdict,
    /// One sentence: what decided.
    pub summary: String,
    /// Every grant: active, conditional and eligible alike.
    pub grants: Vec<Grant>,
}

/// A principal and its decision, from [`Permissions::who_can`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Access {
    /// The principal's object id.
    pub principal: String,
    pub decision: Decision,
}

/// An assignment a principal holds, directly or through a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Role assignment or eligibility, directory role assignment or eligibility, or app role assignment.
    pub source: GrantSource,
    pub assignment: String,
    pub role_name: Option<String>,
    pub scope: String,
    pub via_group: Option<String>,
    pub condition: Option<String>,
}

/// The questions Azure edges ask of the permission engine. Every answer is effective: assignments at the scope and
/// above (through the management group tree), through groups, after deny assignments and `NotActions`.
pub trait Permissions {
    /// May `principal` (object id) perform `operation` at `scope`? `scope` is an ARM scope (`/` for the root) for
    /// actions and data actions, a directory scope (`/`, `/{objectId}`) for Entra actions (where ownership of the
    /// object counts), and is not used for application permissions.
    fn decide(&self, principal: &str, operation: &Operation, scope: &str) -> Decision;
    /// Every principal (groups and their members alike) for which `operation` at `scope` is allowed, conditional,
    /// eligible, denied despite a grant, or not evaluated; principals nothing grants are left out.
    fn who_can(&self, operation: &Operation, scope: &str) -> Vec<Access>;
    /// Every assignment `principal` holds, directly or through its groups: Azure role assignments and
    /// eligibilities, directory role assignments and eligibilities, app role assignments.
    fn assignments_of(&self, principal: &str) -> Vec<Assignment>;
    /// The owners (object ids) of a group, application or service principal.
    fn owners_of(&self, object: &str) -> Vec<String>;
    /// The groups `principal` belongs to, directly or through nested groups.
    fn groups_of(&self, principal: &str) -> Vec<String>;
}

/// One kind of Azure edge.
pub struct AzureEdge {
    /// Stable id, such as `add-secret`.
    pub id: &'static str,
    pub title: &'static str,
    /// When the edge holds and what it gives, in words.
    pub description: &'static str,
    /// Whether its edges can be moves (the kinds that paths to an administrator need); access and structure
    /// (`contains`, `has-role`, `owns`, Key Vault and storage access) cannot.
    pub moves: bool,
    /// Every edge of this kind in the snapshot.
    pub find: fn(&Ctx<'_, '_>) -> Vec<Edge>,
    /// Test fixtures (see `azure/tests.rs`): snapshots where the edge from `from` to `to` is (positive) or is not
    /// (negative) found.
    pub fixtures: Fixtures,
}

/// An edge kind's fixtures, in the short form the tests read.
pub struct Fixtures {
    /// The edge's source, by fixture name.
    pub from: &'static str,
    /// Its target: a fixture name, a scope or resource id, or `admin`.
    pub to: &'static str,
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

/// Every Azure edge kind. `role-eligible` comes last: it asks the others again with PIM eligibilities activated.
pub static EDGES: &[&AzureEdge] = &[
    &contains::EDGE,
    &member_of::EDGE,
    &has_role::EDGE,
    &owns::EDGE,
    &add_secret::EDGE,
    &reset_password::EDGE,
    &grant_role::EDGE,
    &grant_app_roles::EDGE,
    &add_member::EDGE,
    &managed_identity::EDGE,
    &run_command::EDGE,
    &get_secrets::EDGE,
    &get_keys::EDGE,
    &list_keys::EDGE,
    &role_eligible::EDGE,
];

/// The edge kind with this id.
pub fn edge_kind(id: &str) -> Option<&'static AzureEdge> {
    EDGES.iter().copied().find(|e| e.id == id)
}

/// How an edge uses a permission, which decides what a conditional grant counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A move: a grant that rests on an ABAC condition is not counted (a condition on role assignments typically
    /// limits which roles may be assigned), and is reported as a problem.
    Move,
    /// Access to a resource: a conditional grant counts, and the edge says so.
    Access,
}

/// A principal that may perform an operation, with the grants that prove it.
#[derive(Debug, Clone)]
pub struct Holder {
    pub principal: String,
    pub verdict: Verdict,
    /// The grants that make it so: active ones, else conditional ones, else (with PIM activated) eligible ones.
    pub grants: Vec<Grant>,
}

/// The marker that starts a proof statement of a PIM eligibility.
pub const ELIGIBLE: &str = "eligible: ";

/// What edges read: the snapshot, the engine, and lookups computed once.
pub struct Ctx<'p, 's> {
    pub snapshot: &'s Snapshot,
    pub perms: &'p dyn Permissions,
    /// Whether PIM eligibilities count as if activated (for `role-eligible`).
    activated: bool,
    /// With PIM activated, the principals worth asking about (those holding an eligibility, directly or through
    /// a group): no one else can have a move that needs one.
    eligible: Option<HashSet<String>>,
    /// When set, edges are looked for only to these nodes (lowercase ids, [`ADMIN`] among them): the backward
    /// search of [`privesc`].
    targets: Option<HashSet<String>>,
    principals: HashMap<String, &'s Principal>,
    /// For every Azure principal, its groups (transitive), lowercase.
    groups: HashMap<String, HashSet<String>>,
    /// Scope and resource nodes, by lowercase id.
    nodes: HashMap<String, Node>,
    /// Node ids in the order added.
    order: Vec<String>,
    /// Parent scope of each scope or resource node (lowercase id -> id).
    parents: HashMap<String, String>,
    /// Managed identities by the resource ids in their `alternativeNames` (lowercase).
    identities: HashMap<String, &'s Principal>,
    /// What could not be decided or was not counted, grouped by what it is: (what, whom it concerns).
    problems: RefCell<Vec<(String, Vec<String>)>>,
    /// Whether access edges (not moves) are looked for.
    access: bool,
}

/// Lowercase: Azure ids compare without regard to ASCII case.
pub fn key(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

/// Whether two Azure ids, types or actions are the same.
pub fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The node of an ARM scope or resource id, its kind told from the id's shape.
pub fn scope_node(id: &str) -> Node {
    let parts: Vec<&str> = id.trim_matches('/').split('/').collect();
    let name = parts.last().copied().unwrap_or(id).to_string();
    let kind = if key(id).starts_with("/providers/microsoft.management/managementgroups/") && parts.len() == 4 {
        NodeKind::ManagementGroup
    } else if parts.len() == 2 && same(parts[0], "subscriptions") {
        NodeKind::Subscription
    } else if parts.len() == 4 && same(parts[0], "subscriptions") && same(parts[2], "resourceGroups") {
        NodeKind::ResourceGroup
    } else {
        NodeKind::Resource(resource_type_of(id))
    };
    Node { id: id.to_string(), kind, name }
}

/// The ARM type an id names: `Microsoft.Compute/virtualMachines` for
/// `.../providers/Microsoft.Compute/virtualMachines/vm1`, child types included.
pub fn resource_type_of(id: &str) -> String {
    let parts: Vec<&str> = id.trim_matches('/').split('/').collect();
    let Some(p) = parts.iter().rposition(|s| same(s, "providers")) else { return String::new() };
    let rest = &parts[p + 1..];
    let Some((namespace, names)) = rest.split_first() else { return String::new() };
    let types: Vec<&str> = names.iter().step_by(2).copied().collect();
    format!("{namespace}/{}", types.join("/"))
}

fn principal_kind(p: &Principal) -> Option<NodeKind> {
    let managed =
        p.properties.get("servicePrincipalType").and_then(|v| v.as_str()).is_some_and(|t| same(t, "ManagedIdentity"));
    Some(match p.kind {
        PrincipalKind::User => NodeKind::AzureUser,
        PrincipalKind::Group => NodeKind::AzureGroup,
        PrincipalKind::ServicePrincipal if managed => NodeKind::ManagedIdentity,
        PrincipalKind::ServicePrincipal => NodeKind::AzureServicePrincipal,
        PrincipalKind::ManagedIdentity => NodeKind::ManagedIdentity,
        _ => return None,
    })
}

/// Resource types that are authorization records or Graph objects, not resources anyone reaches.
fn is_record(resource_type: &str) -> bool {
    let t = key(resource_type);
    t.starts_with("microsoft.authorization/")
        || (t.starts_with("microsoft.graph/") && t != "microsoft.graph/applications")
}

impl<'p, 's> Ctx<'p, 's> {
    /// Indexes the Azure records of `snapshot`; `perms` answers for them.
    pub fn new(snapshot: &'s Snapshot, perms: &'p dyn Permissions) -> Ctx<'p, 's> {
        let azure = || snapshot.principals.iter().filter(|p| p.provider == Provider::Azure);
        let principals = azure().map(|p| (key(&p.id), p)).collect();
        let mut identities = HashMap::new();
        for p in azure().filter(|p| principal_kind(p) == Some(NodeKind::ManagedIdentity)) {
            let names = p.properties.get("alternativeNames").and_then(|v| v.as_array());
            for name in names.into_iter().flatten().filter_map(|n| n.as_str()) {
                identities.entry(key(name)).or_insert(p);
            }
        }
        let groups = azure().map(|p| (key(&p.id), perms.groups_of(&p.id).iter().map(|g| key(g)).collect())).collect();
        let mut ctx = Ctx {
            snapshot,
            perms,
            activated: false,
            eligible: None,
            targets: None,
            principals,
            groups,
            nodes: HashMap::new(),
            order: Vec::new(),
            parents: HashMap::new(),
            identities,
            problems: RefCell::new(Vec::new()),
            access: true,
        };
        ctx.index_scopes();
        ctx
    }

    /// A copy of this context with other settings.
    fn copy(
        &self,
        activated: bool,
        eligible: Option<HashSet<String>>,
        targets: Option<HashSet<String>>,
    ) -> Ctx<'p, 's> {
        Ctx {
            snapshot: self.snapshot,
            perms: self.perms,
            activated,
            eligible,
            targets,
            principals: self.principals.clone(),
            groups: self.groups.clone(),
            nodes: self.nodes.clone(),
            order: self.order.clone(),
            parents: self.parents.clone(),
            identities: self.identities.clone(),
            problems: RefCell::new(Vec::new()),
            access: self.access,
        }
    }

    /// The same context with the PIM eligibilities of `eligible` (principal ids) counted as activated, asking
    /// only about those principals.
    pub fn activated(&self, eligible: &[String]) -> Ctx<'p, 's> {
        self.copy(true, Some(eligible.iter().map(|p| key(p)).collect()), self.targets.clone())
    }

    /// The same context, looking only for edges to `targets` (ids, or [`ADMIN`]).
    pub fn focused(&self, targets: impl IntoIterator<Item = String>) -> Ctx<'p, 's> {
        self.copy(self.activated, self.eligible.clone(), Some(targets.into_iter().map(|t| key(&t)).collect()))
    }

    /// Whether access edges (to resources, not moves) are looked for here.
    pub fn wants_access(&self) -> bool {
        self.access
    }

    /// Whether edges to `id` are looked for here.
    pub fn wants(&self, id: &str) -> bool {
        self.targets.as_ref().is_none_or(|t| t.contains(&key(id)))
    }

    /// Takes in the problems another context recorded.
    fn absorb(&self, other: Ctx<'_, '_>) {
        for (what, whom) in other.problems.into_inner() {
            for w in whom {
                self.problem(what.clone(), w);
            }
        }
    }

    /// Whether eligibilities count as activated here.
    pub fn is_activated(&self) -> bool {
        self.activated
    }

    fn add_node(&mut self, node: Node, parent: Option<&str>) {
        let k = key(&node.id);
        if let Some(parent) = parent {
            self.parents.entry(k.clone()).or_insert_with(|| parent.to_string());
        }
        if !self.nodes.contains_key(&k) {
            self.order.push(k.clone());
            self.nodes.insert(k, node);
        }
    }

    /// Tenants, management groups, subscriptions, resource groups, resources and applications, with their parents.
    fn index_scopes(&mut self) {
        let s = self.snapshot;
        for org in s.organizations.iter().filter(|o| o.provider == Provider::Azure) {
            self.add_node(Node { id: org.id.clone(), kind: NodeKind::AzureTenant, name: org.id.clone() }, None);
            for unit in &org.units {
                let node = Node { id: unit.id.clone(), kind: NodeKind::ManagementGroup, name: unit.name.clone() };
                self.add_node(node, Some(unit.parent_id.as_deref().unwrap_or(&org.id)));
            }
        }
        for a in s.accounts.iter().filter(|a| a.provider == Provider::Azure) {
            let id = format!("/subscriptions/{}", a.id);
            let name = a.name.clone().unwrap_or_else(|| a.id.clone());
            let parent = a.parent_id.clone().or_else(|| a.organization_id.clone());
            self.add_node(Node { id, kind: NodeKind::Subscription, name }, parent.as_deref());
        }
        let resources: Vec<&Resource> =
            s.resources.iter().filter(|r| r.provider == Provider::Azure && !is_record(&r.resource_type)).collect();
        for r in &resources {
            if same(&r.resource_type, "Microsoft.Graph/applications") {
                let node = Node { id: r.id.clone(), kind: NodeKind::AzureApplication, name: r.name.clone() };
                self.add_node(node, Some(&r.account_id));
                continue;
            }
            let mut node = scope_node(&r.id);
            if !r.name.is_empty() {
                node.name.clone_from(&r.name);
            }
            if let NodeKind::Resource(t) = &mut node.kind {
                t.clone_from(&r.resource_type);
            }
            self.add_node(node, None);
        }
        // Parents: each resource's nearest enclosing node (a parent resource, else its resource group, which is
        // made a node when the snapshot does not list it), each resource group's subscription.
        for r in &resources {
            if same(&r.resource_type, "Microsoft.Graph/applications") {
                continue;
            }
            let parts: Vec<&str> = r.id.trim_end_matches('/').split('/').collect();
            for end in (2..parts.len()).rev() {
                let prefix = parts[..end].join("/");
                let n = scope_node(&prefix);
                let found = self.nodes.contains_key(&key(&prefix));
                if found || matches!(n.kind, NodeKind::ResourceGroup | NodeKind::Subscription) {
                    if !found {
                        let parent = (n.kind == NodeKind::ResourceGroup).then(|| parts[..3].join("/"));
                        self.add_node(n, parent.as_deref());
                    }
                    self.parents.entry(key(&r.id)).or_insert(prefix);
                    break;
                }
            }
        }
        let groups: Vec<(String, String)> = self
            .nodes
            .values()
            .filter(|n| n.kind == NodeKind::ResourceGroup)
            .map(|n| (key(&n.id), n.id.split('/').take(3).collect::<Vec<_>>().join("/")))
            .collect();
        for (k, sub) in groups {
            self.parents.entry(k).or_insert(sub);
        }
    }

    /// The Azure principal with this object id.
    pub fn principal(&self, id: &str) -> Option<&'s Principal> {
        self.principals.get(&key(id)).copied()
    }

    /// The Azure principals of a kind (a managed identity is a service principal whose type says so, or of kind
    /// `managed_identity`).
    pub fn principals(&self, kind: NodeKind) -> impl Iterator<Item = &'s Principal> + '_ {
        self.snapshot
            .principals
            .iter()
            .filter(move |p| p.provider == Provider::Azure && principal_kind(p).as_ref() == Some(&kind))
    }

    /// The Azure resources of an ARM type.
    pub fn resources(&self, resource_type: &str) -> impl Iterator<Item = &'s Resource> + '_ {
        let t = resource_type.to_string();
        self.snapshot.resources.iter().filter(move |r| r.provider == Provider::Azure && same(&r.resource_type, &t))
    }

    /// The groups `principal` belongs to, nested ones included (lowercase ids).
    pub fn groups_of(&self, principal: &str) -> Option<&HashSet<String>> {
        self.groups.get(&key(principal))
    }

    /// The node of a scope or resource id, when the snapshot has it.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.get(&key(id))
    }

    /// The parent of a scope or resource (its id).
    pub fn parent(&self, id: &str) -> Option<&str> {
        self.parents.get(&key(id)).map(String::as_str)
    }

    /// Whether `ancestor` is `scope` or above it in the tree (`/` is above everything).
    pub fn within(&self, scope: &str, ancestor: &str) -> bool {
        if ancestor == "/" {
            return true;
        }
        let mut at = Some(scope.to_string());
        let mut steps = 0;
        while let Some(s) = at {
            if same(&s, ancestor) {
                return true;
            }
            steps += 1;
            if steps > 64 {
                return false;
            }
            at = self.parent(&s).map(str::to_string);
        }
        false
    }

    /// The tenant a principal or record belongs to.
    pub fn tenant_of(&self, principal: &str) -> String {
        self.principal(principal)
            .map(|p| p.account_id.clone())
            .filter(|t| !t.is_empty())
            .or_else(|| {
                self.snapshot.organizations.iter().find(|o| o.provider == Provider::Azure).map(|o| o.id.clone())
            })
            .unwrap_or_else(|| "the tenant".to_string())
    }

    /// A display name: the principal's or node's name, else the id.
    pub fn name(&self, id: &str) -> String {
        if let Some(p) = self.principal(id) {
            return p.name.clone();
        }
        self.node(id).map(|n| n.name.clone()).unwrap_or_else(|| id.to_string())
    }

    /// Records what could not be decided, or was not counted, for the principals it concerns. Problems of the
    /// same kind are grouped, so that a list the snapshot lacks makes one problem rather than one per principal.
    pub fn problem(&self, what: String, whom: String) {
        let mut problems = self.problems.borrow_mut();
        match problems.iter_mut().find(|(w, _)| *w == what) {
            Some((_, list)) if !list.contains(&whom) => list.push(whom),
            Some(_) => {}
            None => problems.push((what, vec![whom])),
        }
    }

    /// The problems recorded, one line per kind.
    pub fn problems(&self) -> Vec<String> {
        const SHOWN: usize = 5;
        self.problems
            .borrow()
            .iter()
            .map(|(what, whom)| {
                let mut line = format!("{what}: {}", whom.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("; "));
                if whom.len() > SHOWN {
                    line.push_str(&format!(" and {} more", whom.len() - SHOWN));
                }
                line
            })
            .collect()
    }

    /// Keeps a decision when it counts for `use_`: allowed always; conditional for access (a move's conditional
    /// grant is reported); eligible only with PIM activated. Not evaluated is reported.
    fn keep(&self, principal: &str, operation: &Operation, scope: &str, d: Decision, use_: Use) -> Option<Holder> {
        let grants = |f: &dyn Fn(&Grant) -> bool| d.grants.iter().filter(|g| f(g)).cloned().collect::<Vec<_>>();
        let chosen = match d.verdict {
            Verdict::Allowed => grants(&|g| g.source.is_active() && g.condition.is_none()),
            Verdict::Conditional if use_ == Use::Access => grants(&|g| g.source.is_active()),
            Verdict::Conditional => {
                self.problem(
                    format!("{} granted only under an ABAC condition, not counted as a move", operation.name),
                    format!("{principal} at {scope} ({})", d.summary),
                );
                return None;
            }
            Verdict::Eligible if self.activated => grants(&|g| !g.source.is_active()),
            Verdict::NotEvaluated => {
                self.problem(
                    format!("{} not evaluated: {}", operation.name, d.summary),
                    format!("{principal} at {scope}"),
                );
                return None;
            }
            _ => return None,
        };
        Some(Holder { principal: principal.to_string(), verdict: d.verdict, grants: chosen })
    }

    /// The principals of the snapshot that may perform `operation` at `scope`, for `use_`. For access, a member
    /// that holds it only through groups that are holders themselves is left out: the group's access edge and the
    /// member's member-of edges already lead there, and a tenant's graph would otherwise repeat each group's access
    /// once per member (millions of edges for a group with Contributor on a subscription). Moves keep every member:
    /// who becomes an administrator is told per principal.
    pub fn holders(&self, operation: &Operation, scope: &str, use_: Use) -> Vec<Holder> {
        let holders: Vec<Holder> = self
            .perms
            .who_can(operation, scope)
            .into_iter()
            .filter(|a| self.principal(&a.principal).is_some())
            .filter(|a| self.eligible.as_ref().is_none_or(|only| only.contains(&key(&a.principal))))
            .filter_map(|a| self.keep(&a.principal, operation, scope, a.decision, use_))
            .collect();
        if use_ != Use::Access {
            return holders;
        }
        let groups: HashSet<String> = holders.iter().map(|h| key(&h.principal)).collect();
        holders
            .into_iter()
            .filter(|h| {
                let through_holding_groups = |g: &Grant| g.via_group.as_ref().is_some_and(|v| groups.contains(&key(v)));
                h.grants.is_empty() || !h.grants.iter().all(through_holding_groups)
            })
            .collect()
    }

    /// Whether `principal` may perform `operation` at `scope`, for `use_`.
    pub fn allows(&self, principal: &str, operation: &Operation, scope: &str, use_: Use) -> Option<Holder> {
        let d = self.perms.decide(principal, operation, scope);
        self.keep(principal, operation, scope, d, use_)
    }

    /// The proof step of a holder's permission.
    pub fn step(&self, operation: &Operation, scope: &str, holder: &Holder) -> Step {
        let statements = holder
            .grants
            .iter()
            .map(|g| {
                let mut s = if g.source.is_active() { String::new() } else { ELIGIBLE.to_string() };
                s.push_str(&format!("{} at {} ({}", g.role_name, g.scope, g.assignment));
                if let Some(v) = &g.via_group {
                    s.push_str(&format!(", through group {}", self.name(v)));
                }
                s.push_str(&format!(", matching {})", g.pattern));
                if let Some(c) = &g.condition {
                    s.push_str(&format!(" if {c}"));
                }
                s
            })
            .collect();
        Step { action: operation.name.clone(), resource: scope.to_string(), statements }
    }

    /// An edge of kind `id`, noting a conditional grant in its detail.
    pub fn edge(&self, id: &'static str, moves: bool, from: &str, to: &str, detail: String, proof: Vec<Step>) -> Edge {
        let conditional = proof.iter().flat_map(|s| &s.statements).any(|s| s.contains(") if "));
        let detail =
            if conditional { format!("{detail} (only where the ABAC condition in the proof holds)") } else { detail };
        Edge { from: from.to_string(), to: to.to_string(), kind: EdgeKind::Azure { id, moves }, detail, proof }
    }

    /// The managed identities of a resource (`properties.identity`): the system-assigned one and the
    /// user-assigned ones, as principals of the snapshot, each with how it is attached.
    pub fn identities_of(&self, r: &Resource) -> Vec<(&'s Principal, String)> {
        let Some(identity) = r.properties.get("identity") else { return Vec::new() };
        let mut out: Vec<(&Principal, String)> = Vec::new();
        let by_alternative = |id: &str| self.identities.get(&key(id)).copied();
        let kind = identity.get("type").and_then(|t| t.as_str()).unwrap_or_default().to_ascii_lowercase();
        if kind.contains("systemassigned") {
            let found = identity.get("principalId").and_then(|v| v.as_str()).and_then(|id| self.principal(id));
            if let Some(p) = found.or_else(|| by_alternative(&r.id)) {
                out.push((p, "system-assigned".to_string()));
            }
        }
        for (id, value) in identity.get("userAssignedIdentities").and_then(|v| v.as_object()).into_iter().flatten() {
            let found = value.get("principalId").and_then(|v| v.as_str()).and_then(|p| self.principal(p));
            if let Some(p) = found.or_else(|| by_alternative(id)) {
                if !out.iter().any(|(q, _)| q.id == p.id) {
                    out.push((p, format!("user-assigned {id}")));
                }
            }
        }
        out
    }

    /// The user-assigned identity resources of the snapshot, with their principals.
    pub fn user_assigned_identities(&self) -> Vec<(&'s Resource, &'s Principal)> {
        self.resources("Microsoft.ManagedIdentity/userAssignedIdentities")
            .filter_map(|r| {
                let by_id = r
                    .properties
                    .pointer("/properties/principalId")
                    .and_then(|v| v.as_str())
                    .and_then(|p| self.principal(p));
                let p = by_id.or_else(|| self.identities.get(&key(&r.id)).copied())?;
                Some((r, p))
            })
            .collect()
    }
}

/// Edges in order, one per (kind, from, to): the proofs of repeats are merged into the first.
pub(crate) fn merge(edges: Vec<Edge>) -> Vec<Edge> {
    let mut out: Vec<Edge> = Vec::new();
    let mut at: HashMap<(String, String, &'static str), usize> = HashMap::new();
    for e in edges {
        let k = (key(&e.from), key(&e.to), e.kind.id());
        match at.get(&k) {
            Some(i) => {
                for step in e.proof {
                    if !out[*i].proof.contains(&step) {
                        out[*i].proof.push(step);
                    }
                }
            }
            None => {
                at.insert(k, out.len());
                out.push(e);
            }
        }
    }
    out
}

impl Graph {
    /// Adds the Azure part of `snapshot` to the graph, every edge decided by `perms`: principals, applications,
    /// scopes and resources as nodes, the edges of [`EDGES`], and Azure administrators (the sources of
    /// `grant-role` edges) among [`Graph::admins`]. AWS nodes and edges are left as they are.
    pub fn add_azure(&mut self, snapshot: &Snapshot, perms: &dyn Permissions) {
        let ctx = Ctx::new(snapshot, perms);
        let edges = EDGES.iter().flat_map(|kind| (kind.find)(&ctx)).collect();
        self.insert_azure(&ctx, edges);
    }

    /// Adds the Azure nodes of `ctx`'s snapshot and `edges` (merged, their ends spelled as the nodes are), the
    /// sources of `grant-role` edges to [`ADMIN`] as administrators, and `ctx`'s problems.
    fn insert_azure(&mut self, ctx: &Ctx<'_, '_>, edges: Vec<Edge>) {
        let snapshot = ctx.snapshot;
        let mut ids: HashMap<String, String> = self.nodes.iter().map(|n| (key(&n.id), n.id.clone())).collect();
        for p in snapshot.principals.iter().filter(|p| p.provider == Provider::Azure) {
            if let Some(kind) = principal_kind(p) {
                add_node(&mut ids, &mut self.nodes, Node { id: p.id.clone(), kind, name: p.name.clone() });
            }
        }
        for k in &ctx.order {
            if let Some(n) = ctx.nodes.get(k) {
                add_node(&mut ids, &mut self.nodes, n.clone());
            }
        }
        for e in merge(edges) {
            let Some((node, e)) = place(&mut ids, e) else { continue };
            self.nodes.extend(node);
            if e.to == ADMIN {
                if e.kind.id() == grant_role::EDGE.id && !self.admins.contains(&e.from) {
                    self.admins.push(e.from.clone());
                }
                let admin = Node { id: ADMIN.to_string(), kind: NodeKind::Admin, name: "administrator".into() };
                add_node(&mut ids, &mut self.nodes, admin);
            }
            self.edges.push(e);
        }
        self.problems.extend(ctx.problems());
    }
}

/// Places an edge among the nodes of `ids` (lowercase id -> id): its ends spelled as the nodes are, and a scope or
/// resource the snapshot lacks made a node (returned, and added to `ids`). `None` for an edge from a principal the
/// snapshot lacks (an assignment to a deleted object) or to an object it lacks that is no scope. [`ADMIN`] is left
/// to the caller.
fn place(ids: &mut HashMap<String, String>, mut e: Edge) -> Option<(Option<Node>, Edge)> {
    if !ids.contains_key(&key(&e.from)) {
        return None;
    }
    let mut added = None;
    if e.to != ADMIN && !ids.contains_key(&key(&e.to)) {
        if !e.to.starts_with('/') {
            return None;
        }
        let node = scope_node(&e.to);
        ids.insert(key(&node.id), node.id.clone());
        added = Some(node);
    }
    for end in [&mut e.from, &mut e.to] {
        if let Some(id) = ids.get(&key(end)) {
            end.clone_from(id);
        }
    }
    Some((added, e))
}

/// Adds `node` unless a node with its id (in any case) is there.
fn add_node(ids: &mut HashMap<String, String>, nodes: &mut Vec<Node>, node: Node) {
    if let std::collections::hash_map::Entry::Vacant(v) = ids.entry(key(&node.id)) {
        v.insert(node.id.clone());
        nodes.push(node);
    }
}

/// What [`stream`] hands its sink.
pub enum Item<'a> {
    /// A node, and whether it is an administrator.
    Node(&'a Node, bool),
    Edge(&'a Edge),
}

/// The Azure part of `snapshot` as [`Graph::add_azure`] builds it (without `access`, leaving out the access edges
/// and not asking for them), handed to `sink` one edge kind at a time, so that only one kind's
/// edges are in memory at once: every principal, scope and resource node first (administrators are known up front
/// from the `grant-role` edges), then the edges of each kind; a node an edge needs that the snapshot lacks (a scope
/// of a deleted resource, or the administrator node unless `admin_written`) comes just before that edge. Returns
/// the graph's problems.
pub fn stream<E>(
    snapshot: &Snapshot,
    perms: &dyn Permissions,
    access: bool,
    mut admin_written: bool,
    mut sink: impl FnMut(Item<'_>) -> Result<(), E>,
) -> Result<Vec<String>, E> {
    let mut ctx = Ctx::new(snapshot, perms);
    ctx.access = access;
    let mut granting = Some(merge((grant_role::EDGE.find)(&ctx)));
    let admins: HashSet<String> = granting.iter().flatten().filter(|e| e.to == ADMIN).map(|e| key(&e.from)).collect();
    let mut ids: HashMap<String, String> = HashMap::new();
    let principals = snapshot.principals.iter().filter(|p| p.provider == Provider::Azure);
    let principal_nodes =
        principals.filter_map(|p| principal_kind(p).map(|kind| Node { id: p.id.clone(), kind, name: p.name.clone() }));
    let scope_nodes = ctx.order.iter().filter_map(|k| ctx.nodes.get(k)).cloned();
    for node in principal_nodes.chain(scope_nodes) {
        if let std::collections::hash_map::Entry::Vacant(v) = ids.entry(key(&node.id)) {
            v.insert(node.id.clone());
            sink(Item::Node(&node, admins.contains(&key(&node.id))))?;
        }
    }
    for kind in EDGES.iter().filter(|k| access || k.moves || !ACCESS.contains(&k.id)) {
        let found = match granting.take_if(|_| kind.id == grant_role::EDGE.id) {
            Some(edges) => edges,
            None => merge((kind.find)(&ctx)),
        };
        for e in found {
            if !access && matches!(e.kind, EdgeKind::Azure { moves: false, id } if ACCESS.contains(&id)) {
                continue;
            }
            let Some((node, e)) = place(&mut ids, e) else { continue };
            if let Some(node) = node {
                sink(Item::Node(&node, false))?;
            }
            if e.to == ADMIN && !admin_written {
                let admin = Node { id: ADMIN.to_string(), kind: NodeKind::Admin, name: "administrator".into() };
                sink(Item::Node(&admin, true))?;
                admin_written = true;
            }
            sink(Item::Edge(&e))?;
        }
    }
    Ok(ctx.problems())
}

/// The Azure graph of a snapshot alone.
pub fn graph(snapshot: &Snapshot, perms: &dyn Permissions) -> Graph {
    let mut g = Graph::default();
    g.add_azure(snapshot, perms);
    g
}

/// Who can become an administrator in the Azure part of `snapshot`, and how: [`Graph::privesc`] over the moves
/// that lead to an administrator, found backwards from [`ADMIN`]. Each round asks only for the edges into the
/// nodes the last round reached, so moves into nodes that lead nowhere (most Run Command edges, most password
/// resets) are never evaluated; every edge of a path to an administrator goes into a node that reaches one, so
/// the paths are those of the whole graph (a test compares them).
pub fn privesc(snapshot: &Snapshot, perms: &dyn Permissions) -> Privesc {
    let ctx = Ctx::new(snapshot, perms);
    let edges = search_back(&ctx, ADMIN, None);
    let mut g = Graph::default();
    g.insert_azure(&ctx, edges);
    let escalations: Vec<Escalation> = g.privesc();
    Privesc { admins: g.admins, escalations, problems: g.problems }
}

/// The moves that lead to `target` (a node id or [`ADMIN`]), found backwards: each round asks only for the edges
/// into the nodes the last round reached. Stops once `until` is reached.
fn search_back(ctx: &Ctx<'_, '_>, target: &str, until: Option<&str>) -> Vec<Edge> {
    let mut reached: HashSet<String> = HashSet::from([key(target)]);
    let mut frontier: Vec<String> = vec![target.to_string()];
    let mut edges = Vec::new();
    while !frontier.is_empty() && until.is_none_or(|u| !reached.contains(&key(u))) {
        let focused = ctx.focused(std::mem::take(&mut frontier));
        let mut found = Vec::new();
        for kind in EDGES.iter().filter(|k| k.moves) {
            found.extend((kind.find)(&focused).into_iter().filter(|e| e.kind.is_move()));
        }
        ctx.absorb(focused);
        for e in &found {
            if reached.insert(key(&e.from)) {
                frontier.push(e.from.clone());
            }
        }
        edges.extend(found);
    }
    edges
}

/// The edges of kind `id` to Key Vaults for one family of vault objects (`secrets`, `keys`): by the engine's data
/// actions in Azure RBAC mode; by the vault's access policies (for the principal or its groups) in access-policy
/// mode, or by the engine's `accessPolicies/write`, with which a principal adds an access policy for itself.
pub(crate) fn vault_edges(
    ctx: &Ctx<'_, '_>,
    id: &'static str,
    family: &str,
    data_actions: &[&str],
    permissions: &[&str],
    doing: &str,
) -> Vec<Edge> {
    let mut edges = Vec::new();
    for vault in ctx.resources("Microsoft.KeyVault/vaults") {
        let rbac =
            vault.properties.pointer("/properties/enableRbacAuthorization").and_then(|v| v.as_bool()) == Some(true);
        if rbac {
            let mut found: Vec<(String, Vec<String>, Vec<Step>)> = Vec::new();
            for action in data_actions {
                let op = Operation::data_action(action);
                for h in ctx.holders(&op, &vault.id, Use::Access) {
                    let step = ctx.step(&op, &vault.id, &h);
                    let short = action.rsplit('/').nth(1).unwrap_or(action).to_string();
                    match found.iter_mut().find(|(p, _, _)| same(p, &h.principal)) {
                        Some((_, names, proof)) => {
                            names.push(short);
                            proof.push(step);
                        }
                        None => found.push((h.principal.clone(), vec![short], vec![step])),
                    }
                }
            }
            for (principal, names, proof) in found {
                let detail = format!("{doing} {} (Azure RBAC: {})", vault.name, names.join(", "));
                edges.push(ctx.edge(id, false, &principal, &vault.id, detail, proof));
            }
            continue;
        }
        let policies =
            vault.properties.pointer("/properties/accessPolicies").and_then(|v| v.as_array()).unwrap_or_default();
        for policy in policies {
            let Some(object) = policy.get("objectId").and_then(|v| v.as_str()) else { continue };
            let held: Vec<&str> = policy
                .pointer(&format!("/permissions/{family}"))
                .and_then(|v| v.as_array())
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str())
                .collect();
            let granted: Vec<&str> = if held.iter().any(|h| same(h, "all")) {
                permissions.to_vec()
            } else {
                permissions.iter().copied().filter(|p| held.iter().any(|h| same(h, p))).collect()
            };
            if granted.is_empty() {
                continue;
            }
            let proof = |through: String| {
                vec![Step {
                    action: format!("{family}: {}", granted.join(", ")),
                    resource: vault.id.clone(),
                    statements: vec![format!("access policy of {} for {}{through}", vault.name, ctx.name(object))],
                }]
            };
            let detail = format!("{doing} {} (access policy: {})", vault.name, granted.join(", "));
            // The edge starts at the policy's principal; a group's members reach it through their member-of edges.
            if let Some(p) = ctx.principal(object) {
                edges.push(ctx.edge(id, false, &p.id, &vault.id, detail, proof(String::new())));
                continue;
            }
            // A group the snapshot knows only from its members' memberships: an edge from each member.
            let object_key = key(object);
            let members = ctx
                .snapshot
                .principals
                .iter()
                .filter(|p| p.provider == Provider::Azure)
                .filter(|p| ctx.groups_of(&p.id).is_some_and(|g| g.contains(&object_key)));
            for p in members {
                let through = format!(", through group {object}");
                edges.push(ctx.edge(id, false, &p.id, &vault.id, detail.clone(), proof(through)));
            }
        }
        let op = Operation::action("Microsoft.KeyVault/vaults/accessPolicies/write");
        for h in ctx.holders(&op, &vault.id, Use::Access) {
            let detail = format!("adds itself an access policy (access-policy mode), then {doing} {}", vault.name);
            edges.push(ctx.edge(id, false, &h.principal, &vault.id, detail, vec![ctx.step(&op, &vault.id, &h)]));
        }
    }
    edges
}

/// The edge kinds that give access to a resource (the last hop of a path to one).
const ACCESS: &[&str] = &["run-command", "get-secrets", "get-keys", "list-keys"];

impl Graph {
    /// The shortest way from `from` to `to` in the graph: to a principal or [`ADMIN`], by moves
    /// ([`Graph::shortest_path`]); to an Azure resource (a Key Vault, a storage account, a VM), by the fewest moves
    /// to a principal with an access edge to it (`run-command`, `get-secrets`, `get-keys`, `list-keys`), then that
    /// edge. `None` when nothing leads there, or when `from` needs no path.
    pub fn azure_path(&self, from: &str, to: &str) -> Option<Vec<crate::Hop>> {
        let access = |e: &&Edge| matches!(e.kind, EdgeKind::Azure { moves: false, id } if ACCESS.contains(&id));
        if to == ADMIN || !self.edges.iter().filter(access).any(|e| same(&e.to, to)) {
            return self.shortest_path(from, to);
        }
        let mut out: HashMap<&str, Vec<&Edge>> = HashMap::new();
        for e in self.edges.iter().filter(|e| e.kind.is_move()) {
            out.entry(e.from.as_str()).or_default().push(e);
        }
        let last = |node: &str| self.edges.iter().filter(access).find(|e| e.from == node && same(&e.to, to));
        let mut came_by: HashMap<&str, &Edge> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        let mut seen = HashSet::from([from]);
        while let Some(node) = queue.pop_front() {
            if let Some(end) = last(node) {
                let mut hops = vec![crate::Hop::from(end)];
                let mut at = node;
                while let Some(e) = came_by.get(at) {
                    hops.push(crate::Hop::from(*e));
                    at = e.from.as_str();
                }
                hops.reverse();
                return Some(hops);
            }
            for e in out.get(node).into_iter().flatten() {
                if seen.insert(e.to.as_str()) {
                    came_by.insert(e.to.as_str(), e);
                    queue.push_back(e.to.as_str());
                }
            }
        }
        None
    }
}

/// The shortest way from `from` to `to` (a principal, [`ADMIN`], or an Azure resource) in the Azure part of
/// `snapshot`, as [`Graph::azure_path`] finds it.
pub fn shortest_path(snapshot: &Snapshot, perms: &dyn Permissions, from: &str, to: &str) -> Option<Vec<crate::Hop>> {
    let mut g = Graph::default();
    // To a principal or to admin, the moves found backwards from it; to a resource, the access edges too.
    if to == ADMIN || snapshot.principals.iter().any(|p| p.provider == Provider::Azure && same(&p.id, to)) {
        let ctx = Ctx::new(snapshot, perms);
        let edges = search_back(&ctx, to, Some(from));
        g.insert_azure(&ctx, edges);
    } else {
        g.add_azure(snapshot, perms);
    }
    g.azure_path(from, to)
}
