//! Microsoft Entra: directory roles, ownership of groups, applications and service principals, and Graph
//! application permissions.

use super::pattern::directory_action_matches;
use super::{
    last_segment, text, AppPermission, Decision, EffectiveAssignment, Grant, GrantSource, Operation, Owned, Problem,
    RbacIndex, SubjectId, Unresolved,
};
use sightline_model::{Principal, PrincipalKind, Props, Resource};
use std::collections::{HashMap, HashSet};

/// What an owner may do to the object it owns, per kind of object, as Entra resource actions. Owners of a group
/// manage its members, owners and properties, and may delete it; owners of an application or service principal
/// manage it whole, credentials included (which is why owning one is a step to that application's permissions).
const GROUP_OWNER_ACTIONS: &[&str] = &[
    "microsoft.directory/groups/members/update",
    "microsoft.directory/groups/owners/update",
    "microsoft.directory/groups/basic/update",
    "microsoft.directory/groups/settings/update",
    "microsoft.directory/groups/delete",
    "microsoft.directory/groups/allProperties/read",
];
const APPLICATION_OWNER_ACTIONS: &[&str] = &[
    "microsoft.directory/applications/credentials/update",
    "microsoft.directory/applications/owners/update",
    "microsoft.directory/applications/basic/update",
    "microsoft.directory/applications/authentication/update",
    "microsoft.directory/applications/permissions/update",
    "microsoft.directory/applications/audience/update",
    "microsoft.directory/applications/notes/update",
    "microsoft.directory/applications/tag/update",
    "microsoft.directory/applications/delete",
    "microsoft.directory/applications/allProperties/read",
];
const SERVICE_PRINCIPAL_OWNER_ACTIONS: &[&str] = &[
    "microsoft.directory/servicePrincipals/credentials/update",
    "microsoft.directory/servicePrincipals/owners/update",
    "microsoft.directory/servicePrincipals/basic/update",
    "microsoft.directory/servicePrincipals/authentication/update",
    "microsoft.directory/servicePrincipals/appRoleAssignedTo/update",
    "microsoft.directory/servicePrincipals/audience/update",
    "microsoft.directory/servicePrincipals/notes/update",
    "microsoft.directory/servicePrincipals/tag/update",
    "microsoft.directory/servicePrincipals/disable",
    "microsoft.directory/servicePrincipals/enable",
    "microsoft.directory/servicePrincipals/delete",
    "microsoft.directory/servicePrincipals/allProperties/read",
];

/// The actions that ownership of an object of `kind` gives over that object.
/// (`kind` is `group`, `application` or `service_principal`, as in [`super::Owned::object_type`].)
pub fn owner_actions(kind: &str) -> &'static [&'static str] {
    match kind {
        "group" => GROUP_OWNER_ACTIONS,
        "application" => APPLICATION_OWNER_ACTIONS,
        "service_principal" => SERVICE_PRINCIPAL_OWNER_ACTIONS,
        _ => &[],
    }
}

/// The app role id that stands for "default access": it grants no permission.
const DEFAULT_ACCESS: &str = "00000000-0000-0000-0000-000000000000";

struct DirectoryRole {
    name: String,
    /// Each `rolePermissions` entry: its allowed actions and its condition.
    permissions: Vec<(Vec<String>, Option<String>)>,
}

struct DirectoryAssignment {
    id: String,
    subject: SubjectId,
    role_key: String,
    role: String,
    scope: String,
    scope_key: String,
    eligible: bool,
    /// For an eligibility whose schedule does not cover the snapshot's time: why.
    outside: Option<String>,
}

struct AppAssignment {
    id: String,
    subject: SubjectId,
    resource: String,
    resource_key: String,
    app_role: String,
}

struct OwnedObject {
    id: String,
    kind: &'static str,
    name: String,
    owners: Vec<SubjectId>,
}

/// The Entra records of a snapshot, indexed.
#[derive(Default)]
pub(super) struct EntraIndex {
    roles: Vec<DirectoryRole>,
    role_by_key: HashMap<String, usize>,
    assignments: Vec<DirectoryAssignment>,
    by_subject: HashMap<SubjectId, Vec<usize>>,
    /// (service principal key, app role id key) -> permission value.
    app_roles: HashMap<(String, String), String>,
    service_principal_names: HashMap<String, String>,
    app_assignments: Vec<AppAssignment>,
    app_by_subject: HashMap<SubjectId, Vec<usize>>,
    objects: Vec<OwnedObject>,
    object_by_key: HashMap<String, usize>,
    owned_by_subject: HashMap<SubjectId, Vec<usize>>,
    /// Owner ids by object, read before they can be interned.
    pending_owners: Vec<(usize, Vec<String>)>,
    /// The members (lowercase object ids) of each administrative unit whose members were collected, by scope key
    /// (`/administrativeunits/{id}`).
    unit_members: HashMap<String, HashSet<String>>,
}

/// A directory scope as an index key: `/`, `/{objectId}` or `/administrativeunits/{id}`, lowercase.
fn directory_scope_key(scope: &str) -> String {
    super::scope::key(scope)
}

fn owner_list(value: Option<&serde_json::Value>) -> Vec<String> {
    value
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|o| o.as_str().or_else(|| o.get("id").and_then(|v| v.as_str())))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl EntraIndex {
    pub(super) fn add_principal(&mut self, p: &Principal) {
        let key = p.id.trim().to_ascii_lowercase();
        if matches!(p.kind, PrincipalKind::ServicePrincipal | PrincipalKind::ManagedIdentity) {
            self.service_principal_names.insert(key.clone(), p.name.clone());
            for role in p.properties.get("appRoles").and_then(|v| v.as_array()).into_iter().flatten() {
                if let (Some(id), Some(value)) =
                    (role.get("id").and_then(|v| v.as_str()), role.get("value").and_then(|v| v.as_str()))
                {
                    self.app_roles.insert((key.clone(), id.to_ascii_lowercase()), value.to_string());
                }
            }
        }
        let kind = match p.kind {
            PrincipalKind::Group => "group",
            PrincipalKind::ServicePrincipal | PrincipalKind::ManagedIdentity => "service_principal",
            _ => return,
        };
        self.add_object(&p.id, kind, &p.name, owner_list(p.properties.get("owners")));
    }

    pub(super) fn add_application(&mut self, r: &Resource) {
        let owners = owner_list(r.properties.get("owners").map(Props::to_value).as_ref());
        let name = text(&r.properties, "displayName").unwrap_or_else(|| r.name.clone());
        self.add_object(&r.id, "application", &name, owners);
    }

    /// An administrative unit; its members count only when the record lists them (`members`, as `$expand=members`
    /// gives them, or their ids).
    pub(super) fn add_unit(&mut self, r: &Resource) {
        let Some(members) = r.properties.get("members").and_then(Props::as_array) else { return };
        let ids = members
            .iter()
            .filter_map(|m| m.as_str().or_else(|| m.get("id").and_then(Props::as_str)))
            .map(|id| format!("/{}", id.trim().to_ascii_lowercase()))
            .collect();
        let id = text(&r.properties, "id").unwrap_or_else(|| r.id.clone());
        self.unit_members.insert(format!("/administrativeunits/{}", id.trim().to_ascii_lowercase()), ids);
    }

    fn add_object(&mut self, id: &str, kind: &'static str, name: &str, owners: Vec<String>) {
        let i = self.objects.len();
        self.object_by_key.insert(id.trim().to_ascii_lowercase(), i);
        self.objects.push(OwnedObject { id: id.to_string(), kind, name: name.to_string(), owners: Vec::new() });
        if !owners.is_empty() {
            self.pending_owners.push((i, owners));
        }
    }

    pub(super) fn owner_ids(&mut self) -> Vec<(usize, Vec<String>)> {
        std::mem::take(&mut self.pending_owners)
    }

    pub(super) fn set_owners(&mut self, owners: Vec<(usize, Vec<SubjectId>)>) {
        for (object, subjects) in owners {
            for s in &subjects {
                self.owned_by_subject.entry(*s).or_default().push(object);
            }
            if let Some(o) = self.objects.get_mut(object) {
                o.owners = subjects;
            }
        }
    }

    pub(super) fn add_role_definition(
        &mut self,
        p: &sightline_model::Policy,
        document: &serde_json::Value,
        problems: &mut Vec<Problem>,
    ) {
        let Some(list) = document.get("rolePermissions").and_then(serde_json::Value::as_array) else {
            problems.push(Problem { record: p.id.clone(), message: "directory role without rolePermissions".into() });
            return;
        };
        let permissions = list
            .iter()
            .map(|perm| {
                let actions = super::strings(perm.get("allowedResourceActions"));
                let condition = perm.get("condition").and_then(|c| c.as_str()).map(str::trim).filter(|c| !c.is_empty());
                (actions, condition.map(str::to_string))
            })
            .collect();
        let name = document.get("displayName").and_then(|v| v.as_str()).map_or_else(|| p.name.clone(), str::to_string);
        let i = self.roles.len();
        self.roles.push(DirectoryRole { name, permissions });
        // Assignments name a role by its id, which for built-in roles is also the template id; both are keys.
        let mut keys = vec![last_segment(&p.id)];
        for field in ["id", "templateId"] {
            if let Some(k) = document.get(field).and_then(|v| v.as_str()) {
                keys.push(k.trim().to_ascii_lowercase());
            }
        }
        for k in keys {
            self.role_by_key.entry(k).or_insert(i);
        }
    }

    pub(super) fn add_assignment(&mut self, r: &Resource, subject: SubjectId, eligible: bool, outside: Option<String>) {
        let role = text(&r.properties, "roleDefinitionId").unwrap_or_default();
        let scope = text(&r.properties, "directoryScopeId").unwrap_or_else(|| "/".to_string());
        let i = self.assignments.len();
        self.by_subject.entry(subject).or_default().push(i);
        self.assignments.push(DirectoryAssignment {
            id: r.id.clone(),
            subject,
            role_key: if role.is_empty() { String::new() } else { last_segment(&role) },
            role,
            scope_key: directory_scope_key(&scope),
            scope,
            eligible,
            outside,
        });
    }

    pub(super) fn add_app_role_assignment(&mut self, r: &Resource, subject: SubjectId, problems: &mut Vec<Problem>) {
        let (Some(resource), Some(app_role)) = (text(&r.properties, "resourceId"), text(&r.properties, "appRoleId"))
        else {
            problems.push(Problem {
                record: r.id.clone(),
                message: "app role assignment without resourceId or appRoleId".into(),
            });
            return;
        };
        let i = self.app_assignments.len();
        self.app_by_subject.entry(subject).or_default().push(i);
        self.app_assignments.push(AppAssignment {
            id: r.id.clone(),
            subject,
            resource_key: resource.to_ascii_lowercase(),
            resource,
            app_role,
        });
    }

    /// The permission value of an app role assignment: `Ok(None)` for default access, `Err` when the API's
    /// service principal does not define the role (or is not in the snapshot).
    fn value_of(&self, a: &AppAssignment) -> Result<Option<&str>, String> {
        if a.app_role.eq_ignore_ascii_case(DEFAULT_ACCESS) {
            return Ok(None);
        }
        match self.app_roles.get(&(a.resource_key.clone(), a.app_role.to_ascii_lowercase())) {
            Some(v) => Ok(Some(v.as_str())),
            None if self.service_principal_names.contains_key(&a.resource_key) => {
                Err(format!("app role {} is not among the appRoles of service principal {}", a.app_role, a.resource))
            }
            None => Err(format!("the API's service principal {} is not in the snapshot", a.resource)),
        }
    }

    fn role_grants(&self, role: usize, action: &str) -> Option<(usize, &str, Option<&str>)> {
        let perms = &self.roles.get(role)?.permissions;
        let mut conditional = None;
        for (i, (actions, condition)) in perms.iter().enumerate() {
            if let Some(p) = actions.iter().find(|p| directory_action_matches(p, action)) {
                match condition {
                    // An unconditional permission settles it; a conditional one is kept in case none is.
                    None => return Some((i, p.as_str(), None)),
                    Some(c) if conditional.is_none() => conditional = Some((i, p.as_str(), Some(c.as_str()))),
                    Some(_) => {}
                }
            }
        }
        conditional
    }

    /// Whether an assignment at `assignment_scope` reaches the object at `scope_key`: the whole tenant, the object
    /// itself, or an administrative unit the object is a member of. `None` when the assignment is scoped to an
    /// administrative unit whose members are not in the snapshot.
    pub(super) fn covers(&self, assignment_scope: &str, scope_key: &str) -> Option<bool> {
        if assignment_scope == "/" || assignment_scope == scope_key {
            return Some(true);
        }
        if !assignment_scope.starts_with("/administrativeunits/") {
            return Some(false);
        }
        // A unit scope reaches the unit's members, not the whole tenant.
        if scope_key == "/" {
            return Some(false);
        }
        self.unit_members.get(assignment_scope).map(|members| members.contains(scope_key))
    }

    /// Principals that hold a directory role granting `operation` at `scope`, or own the object it names, or hold
    /// an assignment that cannot be evaluated there.
    pub(super) fn directory_candidates(&self, operation: &Operation, scope: &str) -> Vec<SubjectId> {
        let key = directory_scope_key(scope);
        let mut out = Vec::new();
        for a in &self.assignments {
            let relevant = match self.role_by_key.get(&a.role_key) {
                Some(r) => self.role_grants(*r, &operation.name).is_some(),
                None => true,
            };
            if relevant && self.covers(&a.scope_key, &key) != Some(false) {
                out.push(a.subject);
            }
        }
        if let Some(o) = self.object_by_key.get(key.trim_start_matches('/')).and_then(|o| self.objects.get(*o)) {
            if owner_actions(o.kind).iter().any(|p| directory_action_matches(p, &operation.name)) {
                out.extend(o.owners.iter().copied());
            }
        }
        out
    }

    /// Principals holding an app role assignment whose value is `value`, or whose value is unknown.
    pub(super) fn app_candidates(&self, value: &str) -> Vec<SubjectId> {
        self.app_assignments
            .iter()
            .filter(|a| match self.value_of(a) {
                Ok(Some(v)) => v.eq_ignore_ascii_case(value),
                Ok(None) => false,
                Err(_) => true,
            })
            .map(|a| a.subject)
            .collect()
    }

    pub(super) fn assignments_of(&self, s: SubjectId, via: Option<String>) -> Vec<EffectiveAssignment> {
        let mut out = Vec::new();
        for a in self.by_subject.get(&s).into_iter().flatten().filter_map(|i| self.assignments.get(*i)) {
            out.push(EffectiveAssignment {
                source: if a.eligible {
                    GrantSource::DirectoryRoleEligibility
                } else {
                    GrantSource::DirectoryRoleAssignment
                },
                assignment: a.id.clone(),
                role: a.role.clone(),
                role_name: self.role_by_key.get(&a.role_key).and_then(|r| self.roles.get(*r)).map(|r| r.name.clone()),
                scope: a.scope.clone(),
                via_group: via.clone(),
                condition: None,
            });
        }
        for a in self.app_by_subject.get(&s).into_iter().flatten().filter_map(|i| self.app_assignments.get(*i)) {
            out.push(EffectiveAssignment {
                source: GrantSource::AppRoleAssignment,
                assignment: a.id.clone(),
                role: a.app_role.clone(),
                role_name: self.value_of(a).ok().flatten().map(str::to_string),
                scope: a.resource.clone(),
                via_group: via.clone(),
                condition: None,
            });
        }
        out
    }

    pub(super) fn app_permissions(&self, s: SubjectId, via: Option<String>) -> Vec<AppPermission> {
        self.app_by_subject
            .get(&s)
            .into_iter()
            .flatten()
            .filter_map(|i| self.app_assignments.get(*i))
            .map(|a| AppPermission {
                assignment: a.id.clone(),
                resource: a.resource.clone(),
                resource_name: self.service_principal_names.get(&a.resource_key).cloned(),
                app_role: a.app_role.clone(),
                value: self.value_of(a).ok().flatten().map(str::to_string),
                via_group: via.clone(),
            })
            .collect()
    }

    pub(super) fn owned_by(&self, s: SubjectId) -> Vec<Owned> {
        self.owned_by_subject
            .get(&s)
            .into_iter()
            .flatten()
            .filter_map(|o| self.objects.get(*o))
            .map(|o| Owned { object: o.id.clone(), object_type: o.kind, name: o.name.clone() })
            .collect()
    }

    pub(super) fn owners_of(&self, object: &str) -> Vec<SubjectId> {
        self.object_by_key
            .get(&object.trim().trim_start_matches('/').to_ascii_lowercase())
            .and_then(|o| self.objects.get(*o))
            .map(|o| o.owners.clone())
            .unwrap_or_default()
    }
}

impl RbacIndex {
    /// Notes on the Entra lists that were not collected, and whether there were any.
    fn entra_gaps(&self) -> Vec<String> {
        self.gaps
            .iter()
            .filter(|(_, service, _, _)| service.eq_ignore_ascii_case("graph"))
            .map(|(account, service, list, status)| {
                format!("{service} {list} of {account} was not collected ({status})")
            })
            .collect()
    }

    /// Directory roles reach the principal and the groups it is a direct member of: a role-assignable group
    /// cannot have groups as members, so nesting never carries a directory role.
    pub(super) fn entra_decide(&self, s: SubjectId, operation: &Operation, scope: &str) -> Decision {
        let key = directory_scope_key(scope);
        let mut grants = Vec::new();
        let mut unresolved = Vec::new();
        let mut notes = self.entra_gaps();
        let incomplete = !notes.is_empty();
        for (m, via) in self.with_groups(s, &self.direct_groups[s as usize]) {
            for a in self.entra.by_subject.get(&m).into_iter().flatten().filter_map(|i| self.entra.assignments.get(*i))
            {
                let source = if a.eligible {
                    GrantSource::DirectoryRoleEligibility
                } else {
                    GrantSource::DirectoryRoleAssignment
                };
                let Some(r) = self.entra.role_by_key.get(&a.role_key) else {
                    if self.entra.covers(&a.scope_key, &key) == Some(true) {
                        unresolved.push(Unresolved {
                            assignment: a.id.clone(),
                            role: a.role.clone(),
                            scope: a.scope.clone(),
                            via_group: via.clone(),
                            reason: format!("directory role definition {} is not in the snapshot", a.role),
                        });
                    }
                    continue;
                };
                let Some((block, pattern, condition)) = self.entra.role_grants(*r, &operation.name) else { continue };
                let role_name = self.entra.roles.get(*r).map(|x| x.name.clone()).unwrap_or_default();
                if let Some(why) = &a.outside {
                    notes.push(format!(
                        "eligibility {} for {role_name} at {} is not in effect at the snapshot's time: {why}",
                        a.id, a.scope
                    ));
                    continue;
                }
                match self.entra.covers(&a.scope_key, &key) {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        notes.push(format!(
                            "{role_name} at {} would grant it if {scope} is in that administrative unit: \
                             the unit's members are not in the snapshot",
                            a.scope
                        ));
                        continue;
                    }
                }
                grants.push(Grant {
                    source,
                    assignment: a.id.clone(),
                    role: a.role.clone(),
                    role_name,
                    scope: a.scope.clone(),
                    via_group: via.clone(),
                    permission_block: Some(block),
                    pattern: pattern.to_string(),
                    condition: condition.map(str::to_string),
                    condition_version: None,
                });
            }
        }
        // Owners are users and service principals, never groups: only the principal's own ownership counts.
        if let Some(o) =
            self.entra.object_by_key.get(key.trim_start_matches('/')).and_then(|o| self.entra.objects.get(*o))
        {
            if o.owners.contains(&s) {
                if let Some(p) = owner_actions(o.kind).iter().find(|p| directory_action_matches(p, &operation.name)) {
                    grants.push(Grant {
                        source: GrantSource::Ownership,
                        assignment: o.id.clone(),
                        role: "owner".into(),
                        role_name: format!("owner of {} {}", o.kind.replace('_', " "), o.name),
                        scope: scope.to_string(),
                        via_group: None,
                        permission_block: None,
                        pattern: (*p).to_string(),
                        condition: None,
                        condition_version: None,
                    });
                }
            }
        }
        self.finish(operation, grants, Vec::new(), unresolved, notes, incomplete)
    }

    /// Application permissions are app role assignments to the principal itself; a group's app role assignments
    /// reach its direct members (Entra does not carry them through nested groups).
    pub(super) fn app_decide(&self, s: SubjectId, operation: &Operation) -> Decision {
        let mut grants = Vec::new();
        let mut unresolved = Vec::new();
        let notes = self.entra_gaps();
        let incomplete = !notes.is_empty();
        for (m, via) in self.with_groups(s, &self.direct_groups[s as usize]) {
            for a in self
                .entra
                .app_by_subject
                .get(&m)
                .into_iter()
                .flatten()
                .filter_map(|i| self.entra.app_assignments.get(*i))
            {
                match self.entra.value_of(a) {
                    Ok(Some(v)) if v.eq_ignore_ascii_case(&operation.name) => grants.push(Grant {
                        source: GrantSource::AppRoleAssignment,
                        assignment: a.id.clone(),
                        role: a.app_role.clone(),
                        role_name: v.to_string(),
                        scope: self
                            .entra
                            .service_principal_names
                            .get(&a.resource_key)
                            .cloned()
                            .unwrap_or(a.resource.clone()),
                        via_group: via.clone(),
                        permission_block: None,
                        pattern: v.to_string(),
                        condition: None,
                        condition_version: None,
                    }),
                    Ok(_) => {}
                    Err(reason) => unresolved.push(Unresolved {
                        assignment: a.id.clone(),
                        role: a.app_role.clone(),
                        scope: a.resource.clone(),
                        via_group: via.clone(),
                        reason,
                    }),
                }
            }
        }
        self.finish(operation, grants, Vec::new(), unresolved, notes, incomplete)
    }
}
