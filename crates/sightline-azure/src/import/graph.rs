//! Microsoft Graph objects: users, groups, service principals, applications, directory roles and role
//! definitions, role assignments and eligibilities, app role assignments, conditional access policies, the
//! authorization policy, and group members and owners.

use super::builder::{lower, str_of, Builder, NO_TENANT};
use super::json::{Item, Parsed};
use serde_json::{Map, Value};
use sightline_model::{Policy, PolicyKind, Principal, PrincipalKind, Provider, Resource};

/// The kinds of Graph objects Sightline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    User,
    Group,
    ServicePrincipal,
    Application,
    DirectoryRole,
    RoleDefinition,
    RoleAssignment,
    RoleEligibilitySchedule,
    RoleEligibilityScheduleInstance,
    AppRoleAssignment,
    ConditionalAccessPolicy,
    AuthorizationPolicy,
    /// The tenant's security defaults (`policies/identitySecurityDefaultsEnforcementPolicy`).
    SecurityDefaults,
    /// An administrative unit (`directory/administrativeUnits`), with its members when expanded.
    AdministrativeUnit,
    /// A user's authentication-method registration (`reports/authenticationMethods/userRegistrationDetails`).
    UserRegistrationDetails,
    /// A member or owner list (`/groups/{id}/members`): users, groups and service principals, each with its
    /// `@odata.type`.
    DirectoryObject,
}

impl Entity {
    /// The entity of an `@odata.type` (`#microsoft.graph.user`).
    fn from_odata_type(t: &str) -> Option<Entity> {
        let name = t.trim_start_matches('#').strip_prefix("microsoft.graph.")?;
        Some(match name {
            "user" => Entity::User,
            "group" => Entity::Group,
            "servicePrincipal" => Entity::ServicePrincipal,
            "application" => Entity::Application,
            "directoryRole" => Entity::DirectoryRole,
            "unifiedRoleDefinition" => Entity::RoleDefinition,
            "unifiedRoleAssignment" => Entity::RoleAssignment,
            "unifiedRoleEligibilitySchedule" => Entity::RoleEligibilitySchedule,
            "unifiedRoleEligibilityScheduleInstance" => Entity::RoleEligibilityScheduleInstance,
            "appRoleAssignment" => Entity::AppRoleAssignment,
            "conditionalAccessPolicy" => Entity::ConditionalAccessPolicy,
            "authorizationPolicy" => Entity::AuthorizationPolicy,
            "userRegistrationDetails" => Entity::UserRegistrationDetails,
            "identitySecurityDefaultsEnforcementPolicy" => Entity::SecurityDefaults,
            "administrativeUnit" => Entity::AdministrativeUnit,
            "directoryObject" => Entity::DirectoryObject,
            _ => return None,
        })
    }

    /// The Graph collection name, used as the coverage operation.
    fn operation(self) -> &'static str {
        match self {
            Entity::User => "users",
            Entity::Group => "groups",
            Entity::ServicePrincipal => "servicePrincipals",
            Entity::Application => "applications",
            Entity::DirectoryRole => "directoryRoles",
            Entity::RoleDefinition => "roleDefinitions",
            Entity::RoleAssignment => "roleAssignments",
            Entity::RoleEligibilitySchedule => "roleEligibilitySchedules",
            Entity::RoleEligibilityScheduleInstance => "roleEligibilityScheduleInstances",
            Entity::AppRoleAssignment => "appRoleAssignments",
            Entity::ConditionalAccessPolicy => "conditionalAccessPolicies",
            Entity::AuthorizationPolicy => "authorizationPolicy",
            Entity::UserRegistrationDetails => "userRegistrationDetails",
            Entity::SecurityDefaults => "identitySecurityDefaultsEnforcementPolicy",
            Entity::AdministrativeUnit => "administrativeUnits",
            Entity::DirectoryObject => "directoryObjects",
        }
    }
}

/// What an `@odata.context` says a file holds: the entity, and for a member or owner list
/// (`groups('{id}')/members`) the object the list belongs to.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Context {
    pub entity: Option<Entity>,
    pub relation: Option<(Relation, String)>,
}

/// Member and owner lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Members,
    Owners,
}

/// Reads an `@odata.context` such as `https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)`,
/// `...#roleManagement/directory/roleAssignments`, `...#servicePrincipals('{id}')/appRoleAssignedTo`,
/// `...#policies/authorizationPolicy/$entity`.
pub(crate) fn context(text: &str) -> Context {
    let Some((_, fragment)) = text.split_once("$metadata#") else { return Context::default() };
    let segments: Vec<&str> = fragment.split('/').filter(|s| !s.starts_with('$')).collect();
    let bare = |s: &str| s.split('(').next().unwrap_or(s).to_string();
    let key = |s: &str| -> Option<String> {
        let inside = s.split_once('(')?.1.trim_end_matches(')');
        Some(inside.trim_matches('\'').to_string())
    };
    let Some(last) = segments.last() else { return Context::default() };
    let last = bare(last);
    let entity = match last.as_str() {
        "users" => Some(Entity::User),
        "groups" => Some(Entity::Group),
        "servicePrincipals" => Some(Entity::ServicePrincipal),
        "applications" => Some(Entity::Application),
        "directoryRoles" => Some(Entity::DirectoryRole),
        "roleDefinitions" => Some(Entity::RoleDefinition),
        "roleAssignments" => Some(Entity::RoleAssignment),
        "roleEligibilitySchedules" => Some(Entity::RoleEligibilitySchedule),
        "roleEligibilityScheduleInstances" => Some(Entity::RoleEligibilityScheduleInstance),
        "appRoleAssignments" | "appRoleAssignedTo" => Some(Entity::AppRoleAssignment),
        "policies" if segments.contains(&"conditionalAccess") => Some(Entity::ConditionalAccessPolicy),
        "authorizationPolicy" => Some(Entity::AuthorizationPolicy),
        "userRegistrationDetails" => Some(Entity::UserRegistrationDetails),
        "identitySecurityDefaultsEnforcementPolicy" => Some(Entity::SecurityDefaults),
        "administrativeUnits" => Some(Entity::AdministrativeUnit),
        "members" | "owners" | "directoryObjects" => Some(Entity::DirectoryObject),
        _ => None,
    };
    let relation = match last.as_str() {
        // An administrative unit's members are not a group's: read only inline (`$expand=members`).
        "members" | "owners"
            if segments.len() >= 2 && !segments[segments.len() - 2].starts_with("administrativeUnits") =>
        {
            key(segments[segments.len() - 2]).map(|id| {
                let relation = if last == "members" { Relation::Members } else { Relation::Owners };
                (relation, id)
            })
        }
        _ => None,
    };
    Context { entity, relation }
}

/// The most related objects Graph returns inline with `$expand`.
const EXPAND_LIMIT: usize = 20;

/// The id Graph gives every tenant's security defaults policy.
const SECURITY_DEFAULTS_ID: &str = "00000000-0000-0000-0000-000000000005";

/// Tells a Graph object's entity from its members, for objects without `@odata.type` (the `az ad` commands).
pub(crate) fn sniff(obj: &Map<String, Value>) -> Option<Entity> {
    let has = |k: &str| obj.contains_key(k);
    // A registration record names its user too: tell it first.
    if has("isMfaRegistered") && has("methodsRegistered") {
        Some(Entity::UserRegistrationDetails)
    } else if has("userPrincipalName") {
        Some(Entity::User)
    } else if has("servicePrincipalType") || has("servicePrincipalNames") {
        Some(Entity::ServicePrincipal)
    } else if has("securityEnabled") && (has("groupTypes") || has("mailEnabled")) {
        Some(Entity::Group)
    } else if has("appId") && (has("signInAudience") || has("requiredResourceAccess")) {
        Some(Entity::Application)
    } else if has("rolePermissions") {
        Some(Entity::RoleDefinition)
    } else if has("roleTemplateId") {
        Some(Entity::DirectoryRole)
    } else if has("appRoleId") && has("resourceId") && has("principalId") {
        Some(Entity::AppRoleAssignment)
    } else if has("principalId") && has("roleDefinitionId") && has("directoryScopeId") {
        if has("roleEligibilityScheduleId") {
            Some(Entity::RoleEligibilityScheduleInstance)
        } else if has("scheduleInfo") {
            Some(Entity::RoleEligibilitySchedule)
        } else {
            Some(Entity::RoleAssignment)
        }
    } else if has("conditions") && has("grantControls") {
        Some(Entity::ConditionalAccessPolicy)
    } else if has("defaultUserRolePermissions") {
        Some(Entity::AuthorizationPolicy)
    } else if has("isEnabled") && str_of(obj, "id") == Some(SECURITY_DEFAULTS_ID) {
        Some(Entity::SecurityDefaults)
    } else {
        None
    }
}

/// The entity of an object: its `@odata.type` first, then what the file said, then its members.
fn entity_of(obj: &Map<String, Value>, hint: Option<Entity>) -> Option<Entity> {
    str_of(obj, "@odata.type").and_then(Entity::from_odata_type).or(hint).or_else(|| sniff(obj))
}

/// The top-level keys of the member and owner wrapper (`{"group": "{id}", "members": {...}, "owners": {...}}`).
const WRAPPER_KEYS: [&str; 3] = ["group", "servicePrincipal", "application"];

/// Whether a file's envelope is the member and owner wrapper.
pub(crate) fn is_wrapper(envelope: &Map<String, Value>) -> bool {
    WRAPPER_KEYS.iter().any(|k| envelope.get(*k).is_some_and(Value::is_string))
        && (envelope.contains_key("members") || envelope.contains_key("owners"))
}

/// Reads a Graph file: a list response, a single object, or the member and owner wrapper.
pub(crate) fn file(b: &mut Builder, parsed: Parsed, tenant: Option<&str>) {
    if is_batch(&parsed.envelope) {
        batch(b, parsed.envelope, tenant);
        return;
    }
    body(b, parsed, tenant, None);
}

/// Whether a file's envelope is a `$batch` response (`{"responses": [{"id", "status", "body"}]}`).
pub(crate) fn is_batch(envelope: &Map<String, Value>) -> bool {
    envelope
        .get("responses")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().all(|x| x.get("status").is_some() && x.get("id").is_some()))
}

/// The relation a request URL names (`/groups/{id}/members`, `groups/{id}/owners`,
/// `servicePrincipals/{id}/owners`, `applications/{id}/owners`, with or without the API version and the query).
pub(crate) fn relation_of_url(url: &str) -> Option<(Relation, String)> {
    let path = url.split('?').next().unwrap_or(url);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let n = segments.len();
    if n < 3 {
        return None;
    }
    let relation = match segments[n - 1] {
        "members" => Relation::Members,
        "owners" => Relation::Owners,
        _ => return None,
    };
    let collection = segments[n - 3];
    let known = ["groups", "servicePrincipals", "applications", "directoryRoles"];
    known.iter().any(|k| k.eq_ignore_ascii_case(collection)).then(|| (relation, segments[n - 2].to_string()))
}

/// A `$batch` response: each successful response's body is read like a file. Graph's responses do not repeat the
/// request's URL: a member or owner list is linked to its object when the request's `id` is its URL
/// (`"id": "groups/{id}/members"`), the convention docs/azure-import.md sets.
fn batch(b: &mut Builder, mut envelope: Map<String, Value>, tenant: Option<&str>) {
    let Some(Value::Array(responses)) = envelope.remove("responses") else { return };
    for response in responses {
        let id = response.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        let status = response.get("status").and_then(Value::as_u64).unwrap_or(0);
        let Some(body_value) = response.get("body").cloned() else { continue };
        if !(200..300).contains(&status) {
            let message = body_value.pointer("/error/message").and_then(Value::as_str).unwrap_or("no message");
            b.warn_file(format!("batch request {id} failed with status {status}: {message}"));
            // When the request id is its URL, the list it was for is known: not collected.
            if let Some(entity) = context(&format!("$metadata#{}", id.trim_start_matches('/'))).entity {
                let why = format!("status {status}: {message}");
                let account = tenant.unwrap_or(NO_TENANT);
                b.not_covered(account, "graph", entity.operation(), status == 401 || status == 403, why);
            }
            continue;
        }
        match super::json::from_value(body_value) {
            Ok(parsed) => body(b, parsed, tenant, relation_of_url(&id)),
            Err(e) => b.warn_file(format!("batch request {id}: {e}")),
        }
    }
}

/// One Graph response: a list, a single object, or the member and owner wrapper; `relation` says whose member
/// or owner list it is when the response does not.
fn body(b: &mut Builder, parsed: Parsed, tenant: Option<&str>, relation: Option<(Relation, String)>) {
    let mut envelope = parsed.envelope;
    if is_wrapper(&envelope) {
        wrapper(b, &envelope, tenant);
        return;
    }
    let mut ctx = str_of(&envelope, "@odata.context").map(context).unwrap_or_default();
    if ctx.relation.is_none() {
        ctx.relation = relation;
    }
    if let Some(entity) = ctx.entity {
        if entity != Entity::DirectoryObject {
            b.covered(tenant.unwrap_or(NO_TENANT), "graph", entity.operation());
        }
    }
    if parsed.records_key.is_none() && !parsed.bare_array {
        // A single object (`GET /policies/authorizationPolicy`, `GET /users/{id}`).
        envelope.retain(|k, _| !k.starts_with("@odata.") || k == "@odata.type");
        b.counts.records += 1;
        object(b, ctx.entity, envelope, tenant);
        return;
    }
    let mut unattached = 0usize;
    for (index, item) in parsed.items.into_iter().enumerate() {
        b.place.index = Some(index);
        b.counts.records += 1;
        match item {
            Item::Malformed(e) => {
                b.counts.skipped += 1;
                b.warn(None, format!("malformed JSON: {e}: skipped"));
            }
            Item::Ok(Value::Object(obj)) => match &ctx.relation {
                Some((relation, owner)) => related(b, *relation, owner, obj, tenant),
                None => {
                    if ctx.entity == Some(Entity::DirectoryObject) {
                        unattached += 1;
                    }
                    object(b, ctx.entity.filter(|e| *e != Entity::DirectoryObject), obj, tenant);
                }
            },
            Item::Ok(_) => {
                b.counts.skipped += 1;
                b.warn(None, "not a JSON object: skipped");
            }
        }
    }
    b.place.index = None;
    if unattached > 0 {
        b.warn_file(format!(
            "a member or owner list that does not say whose it is: its {unattached} principal(s) are imported but \
             not linked; wrap the list as {{\"group\": \"<id>\", \"members\": <list>}} (see docs/azure-import.md)"
        ));
    }
}

/// The wrapper `{"group" | "servicePrincipal" | "application": "{id}", "members": <list>, "owners": <list>}`, a
/// list being a Graph list response or a bare array.
fn wrapper(b: &mut Builder, envelope: &Map<String, Value>, tenant: Option<&str>) {
    let Some(owner) = WRAPPER_KEYS.iter().find_map(|k| str_of(envelope, k)) else { return };
    for (key, relation) in [("members", Relation::Members), ("owners", Relation::Owners)] {
        let list = match envelope.get(key) {
            Some(Value::Array(items)) => items.as_slice(),
            Some(Value::Object(o)) => o.get("value").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default(),
            _ => continue,
        };
        for (index, item) in list.iter().enumerate() {
            b.place.index = Some(index);
            b.counts.records += 1;
            match item {
                Value::Object(o) => related(b, relation, owner, o.clone(), tenant),
                _ => {
                    b.counts.skipped += 1;
                    b.warn(None, format!("an item of \"{key}\" that is not a JSON object: skipped"));
                }
            }
        }
    }
    b.place.index = None;
}

/// One item of a member or owner list of `owner`.
pub(crate) fn related(b: &mut Builder, relation: Relation, owner: &str, obj: Map<String, Value>, tenant: Option<&str>) {
    let Some(id) = str_of(&obj, "id").map(str::to_string) else {
        b.counts.skipped += 1;
        b.warn(None, "a member or owner without an id: skipped");
        return;
    };
    match relation {
        Relation::Members => {
            b.membership(&id, owner);
            b.covered(tenant.unwrap_or(NO_TENANT), "graph", "groupMembers");
        }
        Relation::Owners => {
            b.owner(owner, &id);
            b.covered(tenant.unwrap_or(NO_TENANT), "graph", "owners");
        }
    }
    if let Some(kind) = principal_kind(&obj, entity_of(&obj, None)) {
        b.principal(make_principal(kind, id, obj, tenant), true);
    }
    b.counts.imported += 1;
}

fn principal_kind(obj: &Map<String, Value>, entity: Option<Entity>) -> Option<PrincipalKind> {
    match entity? {
        Entity::User => Some(PrincipalKind::User),
        Entity::Group => Some(PrincipalKind::Group),
        Entity::ServicePrincipal => {
            if str_of(obj, "servicePrincipalType").is_some_and(|t| t.eq_ignore_ascii_case("ManagedIdentity")) {
                Some(PrincipalKind::ManagedIdentity)
            } else {
                Some(PrincipalKind::ServicePrincipal)
            }
        }
        _ => None,
    }
}

fn make_principal(kind: PrincipalKind, id: String, obj: Map<String, Value>, tenant: Option<&str>) -> Principal {
    let name = str_of(&obj, "displayName").or_else(|| str_of(&obj, "userPrincipalName")).unwrap_or(&id).to_string();
    let created_at = str_of(&obj, "createdDateTime").map(str::to_string);
    Principal {
        provider: Provider::Azure,
        id,
        kind,
        account_id: tenant.unwrap_or(NO_TENANT).to_string(),
        name,
        path: None,
        unique_id: None,
        created_at,
        tags: Default::default(),
        attached_policies: Vec::new(),
        inline_policies: Vec::new(),
        groups: Vec::new(),
        permissions_boundary: None,
        trust_policy: None,
        properties: Value::Object(obj),
    }
}

/// Reads the relations Graph returns inline with `$expand` (`members`, `owners`, `memberOf`, `appRoleAssignedTo`,
/// `appRoleAssignments`), removing them from the object.
fn expanded(b: &mut Builder, id: &str, obj: &mut Map<String, Value>, tenant: Option<&str>) {
    // Inline relations are parts of this record, not records of their own.
    let imported = b.counts.imported;
    for (key, relation) in [("members", Relation::Members), ("owners", Relation::Owners)] {
        if let Some(Value::Array(items)) = obj.remove(key) {
            for item in items {
                if let Value::Object(o) = item {
                    related(b, relation, id, o, tenant);
                }
            }
        }
        obj.remove(&format!("{key}@odata.context"));
    }
    if let Some(Value::Array(groups)) = obj.remove("memberOf") {
        for group in groups {
            if let Some(Value::String(gid)) = group.get("id") {
                let is_group = group
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .is_none_or(|t| t.eq_ignore_ascii_case("#microsoft.graph.group"));
                if is_group {
                    b.membership(id, gid);
                }
            }
        }
    }
    for key in ["appRoleAssignedTo", "appRoleAssignments"] {
        if let Some(Value::Array(items)) = obj.remove(key) {
            for item in items {
                if let Value::Object(o) = item {
                    object(b, Some(Entity::AppRoleAssignment), o, tenant);
                }
            }
        }
    }
    b.counts.imported = imported;
}

/// One Graph object.
pub(crate) fn object(b: &mut Builder, hint: Option<Entity>, mut obj: Map<String, Value>, tenant: Option<&str>) {
    // AzureHound adds the tenant to every object.
    obj.remove("tenantName");
    let tenant =
        obj.remove("tenantId").and_then(|t| t.as_str().map(|t| b.tenant(t))).or_else(|| tenant.map(str::to_string));
    let tenant = tenant.as_deref();
    let Some(entity) = entity_of(&obj, hint) else {
        b.counts.skipped += 1;
        let id = str_of(&obj, "id").map(str::to_string);
        b.warn(id.as_deref(), "not a Graph object Sightline reads: skipped");
        return;
    };
    let Some(id) = str_of(&obj, "id").map(str::to_string) else {
        b.counts.skipped += 1;
        b.warn(None, format!("a Graph {} without an id: skipped", entity.operation()));
        return;
    };
    let account = tenant.unwrap_or(NO_TENANT).to_string();
    b.covered(&account, "graph", entity.operation());
    match entity {
        Entity::User | Entity::Group | Entity::ServicePrincipal => {
            expanded(b, &id, &mut obj, tenant);
            if let Some(kind) = principal_kind(&obj, Some(entity)) {
                b.principal(make_principal(kind, id, obj, tenant), false);
            }
        }
        Entity::DirectoryObject => {
            b.counts.skipped += 1;
            b.warn(Some(&id), "a directory object of no known type: skipped");
            return;
        }
        Entity::Application => {
            expanded(b, &id, &mut obj, tenant);
            let name = str_of(&obj, "displayName").unwrap_or(&id).to_string();
            resource(b, "Microsoft.Graph/applications", id, name, account, obj);
        }
        Entity::RoleDefinition | Entity::DirectoryRole => role_definition(b, entity, &id, obj, tenant),
        Entity::RoleAssignment => resource(b, "Microsoft.Graph/roleAssignments", id.clone(), id, account, obj),
        Entity::RoleEligibilitySchedule => {
            resource(b, "Microsoft.Graph/roleEligibilitySchedules", id.clone(), id, account, obj)
        }
        Entity::RoleEligibilityScheduleInstance => {
            resource(b, "Microsoft.Graph/roleEligibilityScheduleInstances", id.clone(), id, account, obj)
        }
        Entity::AppRoleAssignment => resource(b, "Microsoft.Graph/appRoleAssignments", id.clone(), id, account, obj),
        Entity::ConditionalAccessPolicy => {
            let name = str_of(&obj, "displayName").unwrap_or(&id).to_string();
            resource(b, "Microsoft.Graph/conditionalAccessPolicies", id, name, account, obj)
        }
        Entity::AuthorizationPolicy => {
            let name = str_of(&obj, "displayName").unwrap_or(&id).to_string();
            resource(b, "Microsoft.Graph/authorizationPolicy", id, name, account, obj)
        }
        // Members are kept as ids in the record (they make no group membership); without `members` the unit's
        // membership is unknown, and roles scoped to it are reported as such.
        Entity::AdministrativeUnit => {
            obj.remove("members@odata.context");
            let ids = |members: &[Value]| -> Vec<Value> {
                members
                    .iter()
                    .filter_map(|m| m.get("id").and_then(Value::as_str).or_else(|| m.as_str()))
                    .map(|m| Value::String(m.to_string()))
                    .collect()
            };
            let expanded = obj.remove("members");
            // `memberIds`: the complete list `collect azure` pages through. `members`: an `$expand`, which Graph
            // stops at 20, so a list of 20 may be cut short and leaves the membership unknown.
            match (obj.remove("memberIds"), expanded) {
                (Some(Value::Array(complete)), _) => {
                    obj.insert("members".into(), Value::Array(ids(&complete)));
                }
                (_, Some(Value::Array(members))) if members.len() < EXPAND_LIMIT => {
                    obj.insert("members".into(), Value::Array(ids(&members)));
                }
                (_, Some(Value::Array(_))) => b.warn(
                    Some(&id),
                    format!(
                        "administrative unit: $expand lists at most {EXPAND_LIMIT} members, so its membership is \
                         treated as unknown (collect azure pages through all of them)"
                    ),
                ),
                _ => {}
            }
            let name = str_of(&obj, "displayName").unwrap_or(&id).to_string();
            resource(b, "Microsoft.Graph/administrativeUnits", id, name, account, obj)
        }
        Entity::SecurityDefaults => {
            let name = str_of(&obj, "displayName").unwrap_or(&id).to_string();
            resource(b, "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy", id, name, account, obj)
        }
        // The record's id is its user's object id: kept in the properties, with a path of its own as the resource
        // id so that it never stands for the user.
        Entity::UserRegistrationDetails => {
            let name = str_of(&obj, "userPrincipalName").unwrap_or(&id).to_string();
            let path = format!("/reports/authenticationMethods/userRegistrationDetails/{id}");
            resource(b, "Microsoft.Graph/userRegistrationDetails", path, name, account, obj)
        }
    }
    b.counts.imported += 1;
}

fn resource(b: &mut Builder, resource_type: &str, id: String, name: String, account: String, obj: Map<String, Value>) {
    b.resource(Resource {
        provider: Provider::Azure,
        id,
        resource_type: resource_type.to_string(),
        account_id: account,
        region: None,
        name,
        policy: None,
        tags: Default::default(),
        properties: Value::Object(obj).into(),
    });
}

/// An Entra role: a unifiedRoleDefinition, or an activated directoryRole (known by its template id, with its
/// `members` when expanded: they hold the role tenant-wide).
fn role_definition(b: &mut Builder, entity: Entity, id: &str, mut obj: Map<String, Value>, tenant: Option<&str>) {
    let template = if entity == Entity::DirectoryRole { str_of(&obj, "roleTemplateId").unwrap_or(id) } else { id };
    let policy_id = format!("/providers/Microsoft.Graph/roleDefinitions/{template}");
    let template = template.to_string();
    if entity == Entity::DirectoryRole {
        if let Some(Value::Array(members)) = obj.remove("members") {
            let account = tenant.unwrap_or(NO_TENANT).to_string();
            for member in members {
                let Some(member_id) = member.get("id").and_then(Value::as_str).map(str::to_string) else { continue };
                if let Value::Object(m) = member {
                    if let Some(kind) = principal_kind(&m, entity_of(&m, None)) {
                        b.principal(make_principal(kind, member_id.clone(), m, tenant), true);
                    }
                }
                let properties = serde_json::json!({
                    "principalId": member_id,
                    "roleDefinitionId": template,
                    "directoryScopeId": "/",
                });
                let Value::Object(properties) = properties else { continue };
                let assignment_id = format!("{id}/members/{member_id}");
                resource(
                    b,
                    "Microsoft.Graph/roleAssignments",
                    assignment_id.clone(),
                    assignment_id,
                    account.clone(),
                    properties,
                );
            }
            b.covered(&account, "graph", "roleAssignments");
        }
        obj.remove("members@odata.context");
    }
    let name = str_of(&obj, "displayName").unwrap_or(id).to_string();
    let document = match serde_json::value::to_raw_value(&obj) {
        Ok(d) => d,
        Err(e) => {
            b.warn(Some(id), format!("a role definition that cannot be stored: {e}"));
            return;
        }
    };
    let key = lower(&policy_id);
    let from_directory_role = entity == Entity::DirectoryRole;
    b.policy(
        key,
        Policy {
            provider: Provider::Azure,
            id: policy_id,
            kind: PolicyKind::RoleDefinition,
            name,
            account_id: None,
            document,
            properties: Value::Null,
        },
        // A directoryRole has no permissions: the unifiedRoleDefinition of the same role, when read, wins.
        |existing| from_directory_role && existing.document.get().contains("\"rolePermissions\""),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn contexts_name_the_entity() {
        let c = |s: &str| context(&format!("https://graph.microsoft.com/v1.0/$metadata#{s}"));
        assert_eq!(c("users").entity, Some(Entity::User));
        assert_eq!(c("users(id,displayName)").entity, Some(Entity::User));
        assert_eq!(c("roleManagement/directory/roleDefinitions").entity, Some(Entity::RoleDefinition));
        assert_eq!(c("servicePrincipals('1d0c')/appRoleAssignedTo").entity, Some(Entity::AppRoleAssignment));
        assert_eq!(c("identity/conditionalAccess/policies").entity, Some(Entity::ConditionalAccessPolicy));
        assert_eq!(c("policies/authorizationPolicy/$entity").entity, Some(Entity::AuthorizationPolicy));
        let m = c("groups('6b5a')/members");
        assert_eq!(m.relation, Some((Relation::Members, "6b5a".to_string())));
        assert_eq!(c("directoryObjects").entity, Some(Entity::DirectoryObject));
        assert_eq!(context("nothing").entity, None);
    }

    #[test]
    fn administrative_unit_members_are_complete_or_unknown() {
        let unit = |extra: Value| {
            let mut u =
                json!({"@odata.type": "#microsoft.graph.administrativeUnit", "id": "au1", "displayName": "Paris"});
            u.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            let Value::Object(u) = u else { unreachable!() };
            let mut b = Builder::default();
            object(&mut b, None, u, Some("T"));
            b.finish("t", None)
        };
        let ids = |n: usize| (0..n).map(|i| json!({"id": format!("u{i}")})).collect::<Vec<_>>();
        // As collect azure writes it: every member, paged.
        let (s, warnings) = unit(json!({"memberIds": (0..25).map(|i| format!("u{i}")).collect::<Vec<_>>()}));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(s.resources[0].properties["members"].as_array().unwrap().len(), 25);
        // An $expand under Graph's limit is the whole list; members are no group memberships.
        let (s, _) = unit(json!({"members": ids(3)}));
        assert_eq!(s.resources[0].properties["members"], json!(["u0", "u1", "u2"]));
        assert!(s.principals.is_empty());
        // An $expand of 20 may be cut short: the membership is unknown, and the import says so.
        let (s, warnings) = unit(json!({"members": ids(20)}));
        assert!(s.resources[0].properties.get("members").is_none());
        assert!(warnings.iter().any(|w| w.message.contains("at most 20 members")), "{warnings:?}");
    }

    #[test]
    fn expanded_members_make_memberships() {
        let mut b = Builder::default();
        let group = json!({"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Ops", "securityEnabled": true,
            "members": [{"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ana", "userPrincipalName": "ana@contoso.com"},
                        {"@odata.type": "#microsoft.graph.servicePrincipal", "id": "sp1", "displayName": "mi", "servicePrincipalType": "ManagedIdentity"}],
            "owners": [{"@odata.type": "#microsoft.graph.user", "id": "u2", "userPrincipalName": "bo@contoso.com"}]});
        let Value::Object(g) = group else { unreachable!() };
        object(&mut b, Some(Entity::Group), g, Some("T"));
        let (s, warnings) = b.finish("t", None);
        assert!(warnings.is_empty(), "{warnings:?}");
        let u1 = s.principals.iter().find(|p| p.id == "u1").unwrap();
        assert_eq!(u1.groups, vec!["g1"]);
        let mi = s.principals.iter().find(|p| p.id == "sp1").unwrap();
        assert_eq!(mi.kind, PrincipalKind::ManagedIdentity);
        let g = s.principals.iter().find(|p| p.id == "g1").unwrap();
        assert_eq!(g.properties["owners"], json!(["u2"]));
        assert!(g.properties.get("members").is_none());
        assert_eq!(g.account_id, "T");
    }

    #[test]
    fn directory_roles_give_way_to_role_definitions() {
        let mut b = Builder::default();
        let def = json!({"id": "62e90394-69f5-4237-9190-012177145e10", "displayName": "Global Administrator", "isBuiltIn": true,
                         "rolePermissions": [{"allowedResourceActions": ["microsoft.directory/*"]}]});
        let role = json!({"id": "9f0c", "displayName": "Global Administrator", "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10",
                          "members": [{"@odata.type": "#microsoft.graph.user", "id": "u1", "userPrincipalName": "a@b"}]});
        let (Value::Object(def), Value::Object(role)) = (def, role) else { unreachable!() };
        object(&mut b, Some(Entity::RoleDefinition), def, Some("T"));
        object(&mut b, Some(Entity::DirectoryRole), role, Some("T"));
        let (s, _) = b.finish("t", None);
        assert_eq!(s.policies.len(), 1);
        assert!(s.policies[0].document.get().contains("rolePermissions"));
        let a = s.resources.iter().find(|r| r.resource_type == "Microsoft.Graph/roleAssignments").unwrap();
        assert_eq!(a.properties["principalId"], "u1");
        assert_eq!(a.properties["directoryScopeId"], "/");
    }
}
