//! Live collection of an Azure tenant, read-only: subscriptions, management groups, resources (Resource Graph),
//! Azure RBAC (role definitions, active and eligible assignments, deny assignments) and Microsoft Entra (users,
//! groups with members and owners, applications and service principals with owners, directory roles, eligible
//! directory roles, application permissions, conditional access and authorization policies).
//!
//! The responses are kept in their REST shape, one document per listing, as the `import azure` command reads them
//! from files: collection and import share one reader. Every listing writes a coverage record: collected, denied
//! (the identity lacks the permission, with Azure's message) or failed.

use crate::rest::{Audience, Rest, RestError};
use serde_json::{json, Value};
use sightline_model::{Coverage, CoverageStatus, Provider};

/// What to collect.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these subscriptions (ids); all the identity can see when empty.
    pub subscriptions: Vec<String>,
    /// The tenant, when the identity sees several; otherwise taken from the subscriptions.
    pub tenant: Option<String>,
    /// Skip Microsoft Graph (Entra) entirely.
    pub skip_graph: bool,
}

/// One listing's result in its REST shape, named like the file `import azure` would read.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub body: Value,
}

/// Everything collected.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub tenant: Option<String>,
    pub documents: Vec<Document>,
    pub coverage: Vec<Coverage>,
    /// Calls that failed for another reason than a missing permission, for the summary.
    pub errors: Vec<String>,
}

impl Collected {
    fn record(&mut self, account: &str, service: &str, operation: &str, outcome: Result<(), &RestError>) {
        let (status, detail) = match outcome {
            Ok(()) => (CoverageStatus::Collected, None),
            Err(e) if e.is_denied() => (CoverageStatus::Denied, Some(e.to_string())),
            Err(e) => {
                self.errors.push(e.to_string());
                (CoverageStatus::Failed, Some(e.to_string()))
            }
        };
        self.coverage.push(Coverage {
            provider: Provider::Azure,
            account_id: account.to_string(),
            service: service.to_string(),
            region: None,
            operation: operation.to_string(),
            status,
            detail,
        });
    }
}

const ARM_LIST: &str = "2022-12-01";

/// The listings made once per subscription: (namespace, listed type, path below the subscription, API version).
const SUBSCRIPTION_LISTS: &[(&str, &str, &str, &str)] = &[
    ("Microsoft.Authorization", "roleDefinitions", "/providers/Microsoft.Authorization/roleDefinitions", "2022-04-01"),
    ("Microsoft.Authorization", "roleAssignments", "/providers/Microsoft.Authorization/roleAssignments", "2022-04-01"),
    ("Microsoft.Authorization", "denyAssignments", "/providers/Microsoft.Authorization/denyAssignments", "2022-04-01"),
    (
        "Microsoft.Authorization",
        "roleEligibilityScheduleInstances",
        "/providers/Microsoft.Authorization/roleEligibilityScheduleInstances",
        "2020-10-01",
    ),
    ("Microsoft.Authorization", "locks", "/providers/Microsoft.Authorization/locks", "2020-05-01"),
    (
        "Microsoft.Insights",
        "diagnosticSettings",
        "/providers/Microsoft.Insights/diagnosticSettings",
        "2021-05-01-preview",
    ),
    ("Microsoft.Security", "pricings", "/providers/Microsoft.Security/pricings", "2024-01-01"),
    ("Microsoft.Security", "securityContacts", "/providers/Microsoft.Security/securityContacts", "2023-12-01-preview"),
    (
        "Microsoft.Security",
        "autoProvisioningSettings",
        "/providers/Microsoft.Security/autoProvisioningSettings",
        "2017-08-01-preview",
    ),
    ("Microsoft.Security", "settings", "/providers/Microsoft.Security/settings", "2022-05-01"),
    (
        "Microsoft.Security",
        "serverVulnerabilityAssessmentsSettings",
        "/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings",
        "2023-05-01",
    ),
];

/// Child and extension listings per resource: (the parent's type, lowercase; the path below the parent; API version;
/// the listed type; whether the path names one document, `config/web`, rather than a list).
const CHILD_LISTS: &[(&str, &str, &str, &str, bool)] = &[
    (
        "microsoft.storage/storageaccounts",
        "/blobServices",
        "2023-05-01",
        "Microsoft.Storage/storageAccounts/blobServices",
        false,
    ),
    (
        "microsoft.storage/storageaccounts",
        "/fileServices",
        "2023-05-01",
        "Microsoft.Storage/storageAccounts/fileServices",
        false,
    ),
    (
        "microsoft.storage/storageaccounts",
        "/blobServices/default/containers",
        "2023-05-01",
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        false,
    ),
    ("microsoft.keyvault/vaults", "/keys", "2023-07-01", "Microsoft.KeyVault/vaults/keys", false),
    ("microsoft.keyvault/vaults", "/secrets", "2023-07-01", "Microsoft.KeyVault/vaults/secrets", false),
    (
        "microsoft.keyvault/vaults",
        "/providers/Microsoft.Insights/diagnosticSettings",
        "2021-05-01-preview",
        "Microsoft.Insights/diagnosticSettings",
        false,
    ),
    // Recorded under the workspaces' own operation: the subscription's and the vaults' diagnostic settings say
    // nothing about whether the workspaces' were listed.
    (
        "microsoft.databricks/workspaces",
        "/providers/Microsoft.Insights/diagnosticSettings",
        "2021-05-01-preview",
        "Microsoft.Databricks/workspaces/diagnosticSettings",
        false,
    ),
    (
        "microsoft.network/networkwatchers",
        "/flowLogs",
        "2024-05-01",
        "Microsoft.Network/networkWatchers/flowLogs",
        false,
    ),
    ("microsoft.sql/servers", "/auditingSettings", "2021-11-01", "Microsoft.Sql/servers/auditingSettings", false),
    ("microsoft.sql/servers", "/firewallRules", "2021-11-01", "Microsoft.Sql/servers/firewallRules", false),
    ("microsoft.sql/servers", "/administrators", "2021-11-01", "Microsoft.Sql/servers/administrators", false),
    ("microsoft.sql/servers", "/databases", "2021-11-01", "Microsoft.Sql/servers/databases", false),
    // Below each database listed just above.
    (
        "microsoft.sql/servers/databases",
        "/transparentDataEncryption",
        "2021-11-01",
        "Microsoft.Sql/servers/databases/transparentDataEncryption",
        false,
    ),
    (
        "microsoft.dbforpostgresql/flexibleservers",
        "/configurations",
        "2024-08-01",
        "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
        false,
    ),
    (
        "microsoft.dbformysql/flexibleservers",
        "/configurations",
        "2023-12-30",
        "Microsoft.DBforMySQL/flexibleServers/configurations",
        false,
    ),
    ("microsoft.web/sites", "/config/web", "2023-12-01", "Microsoft.Web/sites/config", true),
    ("microsoft.web/sites", "/config/authsettingsV2", "2023-12-01", "Microsoft.Web/sites/config", true),
];

/// The ARM types of the Resource Graph `resources` table that rules read (top-level types: one `/`).
const TOP_LEVEL: &[&str] = &[
    "Microsoft.Storage/storageAccounts",
    "Microsoft.KeyVault/vaults",
    "Microsoft.Compute/virtualMachines",
    "Microsoft.Compute/disks",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/networkWatchers",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/applicationGateways",
    "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
    "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/bastionHosts",
    "Microsoft.Network/virtualNetworkGateways",
    "Microsoft.Insights/activityLogAlerts",
    "Microsoft.Insights/components",
    "Microsoft.Sql/servers",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.Web/sites",
    "Microsoft.ManagedIdentity/userAssignedIdentities",
    "Microsoft.ContainerService/managedClusters",
    "Microsoft.Databricks/workspaces",
];

/// Calls in flight at once for the per-resource listings: the time is spent waiting on the network, so more than
/// the machine's cores, and few enough to stay well inside ARM's read limits.
const IN_FLIGHT: usize = 8;

/// `f` on every item, [`IN_FLIGHT`] at a time, the results in the items' order.
fn in_parallel<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let slots: Vec<std::sync::Mutex<Option<U>>> = items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT.min(items.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { return };
                let done = f(item);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(done);
                }
            });
        }
    });
    // A poisoned or empty slot means its thread panicked, and the scope above has already re-raised that panic.
    slots.into_iter().filter_map(|s| s.into_inner().ok().flatten()).collect()
}

/// `Microsoft.Storage/storageAccounts/blobServices` → (`Microsoft.Storage`, `storageAccounts/blobServices`).
fn split_type(t: &str) -> (&str, &str) {
    t.split_once('/').unwrap_or((t, ""))
}

/// The listings of [`CHILD_LISTS`] for every resource of a parent type (the parents include the children listed by
/// earlier entries: databases, then their encryption); one coverage record per subscription and listed type
/// (denied or failed if any call for it was).
fn children(rest: &Rest, ids: &[String], resources: &[Value], out: &mut Collected) {
    use std::collections::BTreeMap;
    let mut known: Vec<Value> = resources.to_vec();
    // Two entries may list the same type (`config/web`, `config/authsettingsV2`): one outcome per listed type.
    let mut outcomes: BTreeMap<&str, BTreeMap<String, Result<(), RestError>>> = BTreeMap::new();
    for (parent, suffix, version, listed, single) in CHILD_LISTS {
        let outcome =
            outcomes.entry(listed).or_insert_with(|| ids.iter().map(|id| (id.to_ascii_lowercase(), Ok(()))).collect());
        let parents: Vec<(&str, &str)> = known
            .iter()
            .filter(|r| r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(parent)))
            .filter_map(|r| {
                let id = r["id"].as_str()?;
                Some((id, id.split('/').nth(2)?))
            })
            .collect();
        let results = in_parallel(&parents, |(id, _)| {
            let path = format!("{id}{suffix}?api-version={version}");
            if *single {
                rest.get(Audience::Arm, &path).map(|v| vec![v])
            } else {
                rest.list(Audience::Arm, &path)
            }
        });
        let mut values = Vec::new();
        for ((_, sub), result) in parents.iter().zip(results) {
            match result {
                Ok(found) => values.extend(found),
                // A child that does not exist (a site without authentication settings) is not a failure.
                Err(RestError::NotFound { .. }) if *single => {}
                Err(e) => {
                    outcome.insert(sub.to_ascii_lowercase(), Err(e));
                }
            }
        }
        if !values.is_empty() {
            let file =
                format!("{}-{}", split_type(listed).1.replace('/', "-"), suffix.rsplit('/').next().unwrap_or(""));
            out.documents.push(Document { name: format!("arm-{file}.json"), body: json!({"value": values.clone()}) });
            known.extend(values);
        }
    }
    for (listed, outcome) in outcomes {
        let (namespace, operation) = split_type(listed);
        for id in ids {
            match outcome.get(&id.to_ascii_lowercase()) {
                Some(Err(e)) => out.record(id, namespace, operation, Err(e)),
                _ => out.record(id, namespace, operation, Ok(())),
            }
        }
    }
}

/// The Key Vault API version of the data-plane calls.
const KEY_VAULT: &str = "7.4";

/// Every vault's certificates with their issuance policies, from the vault's data plane (ARM does not list
/// certificates). Each becomes an ARM-shaped `Microsoft.KeyVault/vaults/certificates` record below the vault, whose
/// `properties` hold the listing's `attributes` and the `policy` (`x509_props.validity_months`...). One coverage
/// record per subscription (denied if the data plane refused any vault of it: the identity needs a Key Vault data
/// role or an access policy, and a vault's firewall may refuse the caller).
fn certificates(rest: &Rest, ids: &[String], resources: &[Value], out: &mut Collected) {
    use std::collections::BTreeMap;
    let mut outcome: BTreeMap<String, Result<(), RestError>> =
        ids.iter().map(|id| (id.to_ascii_lowercase(), Ok(()))).collect();
    let mut vaults: Vec<(&str, &str, &str)> = Vec::new();
    for vault in resources
        .iter()
        .filter(|r| r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("microsoft.keyvault/vaults")))
    {
        let Some(id) = vault["id"].as_str() else { continue };
        let Some(sub) = id.split('/').nth(2) else { continue };
        match vault["properties"]["vaultUri"].as_str() {
            Some(uri) => vaults.push((id, sub, uri.trim_end_matches('/'))),
            // Without its address the vault's certificates cannot be listed: say so rather than claim none.
            None => {
                let why =
                    RestError::Json { url: id.to_string(), message: "the vault has no properties.vaultUri".into() };
                outcome.insert(sub.to_ascii_lowercase(), Err(why));
            }
        }
    }
    let listings = in_parallel(&vaults, |(id, _, base)| -> Result<Vec<Value>, RestError> {
        let items = rest.list(Audience::KeyVault, &format!("{base}/certificates?api-version={KEY_VAULT}"))?;
        items
            .into_iter()
            .map(|item| {
                let uri = item["id"].as_str().unwrap_or_default().trim_end_matches('/');
                let name = uri.rsplit('/').next().unwrap_or_default();
                let policy =
                    rest.get(Audience::KeyVault, &format!("{base}/certificates/{name}/policy?api-version={KEY_VAULT}"))?;
                Ok(json!({
                    "id": format!("{id}/certificates/{name}"),
                    "name": name,
                    "type": "Microsoft.KeyVault/vaults/certificates",
                    "properties": {"certificateUri": uri, "attributes": item["attributes"], "x5t": item["x5t"], "policy": policy},
                }))
            })
            .collect()
    });
    let mut values = Vec::new();
    for ((_, sub, _), listed) in vaults.iter().zip(listings) {
        match listed {
            Ok(found) => values.extend(found),
            Err(e) => {
                outcome.insert(sub.to_ascii_lowercase(), Err(e));
            }
        }
    }
    if !values.is_empty() {
        out.documents.push(Document { name: "arm-vaults-certificates.json".into(), body: json!({"value": values}) });
    }
    for id in ids {
        let result = outcome.get(&id.to_ascii_lowercase()).and_then(|r| r.as_ref().err());
        out.record(id, "Microsoft.KeyVault", "vaults/certificates", result.map_or(Ok(()), Err));
    }
}

/// Collects the tenant.
pub fn collect(rest: &Rest, options: &Options) -> Collected {
    let mut out = Collected::default();
    // Subscriptions the identity can see.
    let subscriptions = match rest.list(Audience::Arm, &format!("/subscriptions?api-version={ARM_LIST}")) {
        Ok(subs) => subs,
        Err(e) => {
            out.record(options.tenant.as_deref().unwrap_or("unknown"), "Microsoft.Resources", "subscriptions", Err(&e));
            Vec::new()
        }
    };
    let subscriptions: Vec<Value> = subscriptions
        .into_iter()
        .filter(|s| {
            options.subscriptions.is_empty()
                || s["subscriptionId"]
                    .as_str()
                    .is_some_and(|id| options.subscriptions.iter().any(|w| w.eq_ignore_ascii_case(id)))
        })
        .collect();
    let tenant = options
        .tenant
        .clone()
        .or_else(|| subscriptions.iter().find_map(|s| s["tenantId"].as_str().map(str::to_string)));
    out.tenant = tenant.clone();
    let tenant_id = tenant.clone().unwrap_or_else(|| "unknown".into());
    let ids: Vec<String> =
        subscriptions.iter().filter_map(|s| s["subscriptionId"].as_str().map(str::to_string)).collect();
    if !ids.is_empty() {
        out.record(&tenant_id, "Microsoft.Resources", "subscriptions", Ok(()));
    }

    // Resource Graph: containers (subscriptions, resource groups), management groups, and every resource.
    let queries: [(&str, &str, &str, bool); 3] = [
        ("resourcegraph-containers.json", "resourcecontainers", "resourcecontainers", false),
        (
            "resourcegraph-management-groups.json",
            "managementGroups",
            "resourcecontainers | where type =~ 'microsoft.management/managementgroups'",
            true,
        ),
        ("resourcegraph-resources.json", "resources", "resources", false),
    ];
    let mut resources: Vec<Value> = Vec::new();
    // Why the per-resource listings below could not be made: the resources they hang under were not listed.
    let mut unlisted: Option<RestError> = None;
    for (name, operation, query, by_group) in queries {
        if ids.is_empty() && !by_group {
            continue;
        }
        let Some(tenant) = tenant.as_deref() else { continue };
        match rest.resource_graph(query, &ids, by_group.then_some(tenant)) {
            Ok(rows) => {
                out.record(&tenant_id, "Microsoft.ResourceGraph", operation, Ok(()));
                if operation == "resources" {
                    resources.clone_from(&rows);
                }
                let n = rows.len();
                out.documents.push(Document {
                    name: name.to_string(),
                    body: json!({"totalRecords": n, "count": n, "data": rows, "resultTruncated": "false"}),
                });
                if operation == "resources" {
                    for id in &ids {
                        for t in TOP_LEVEL.iter() {
                            let (namespace, rest) = split_type(t);
                            out.record(id, namespace, rest, Ok(()));
                        }
                    }
                }
            }
            Err(e) => {
                out.record(&tenant_id, "Microsoft.ResourceGraph", operation, Err(&e));
                if operation == "resources" {
                    unlisted = Some(e.clone());
                    // Every type the query would have listed is missing, and rules must say so.
                    for id in &ids {
                        for t in TOP_LEVEL.iter() {
                            let (namespace, rest) = split_type(t);
                            out.record(id, namespace, rest, Err(&e));
                        }
                    }
                }
            }
        }
    }

    // Per subscription: Azure RBAC (each listing includes what is inherited from management groups), locks,
    // the activity log's diagnostic settings, Defender for Cloud.
    for id in &ids {
        for (namespace, operation, path, version) in SUBSCRIPTION_LISTS {
            let path = format!("/subscriptions/{id}{path}?api-version={version}");
            match rest.list(Audience::Arm, &path) {
                Ok(values) => {
                    out.record(id, namespace, operation, Ok(()));
                    let file = operation.replace('/', "-");
                    out.documents
                        .push(Document { name: format!("arm-{file}-{id}.json"), body: json!({"value": values}) });
                }
                Err(e) => out.record(id, namespace, operation, Err(&e)),
            }
        }
    }

    // Per resource: the child and extension resources Resource Graph does not hold.
    match &unlisted {
        None => {
            children(rest, &ids, &resources, &mut out);
            certificates(rest, &ids, &resources, &mut out);
        }
        Some(e) => {
            let listed = CHILD_LISTS.iter().map(|c| c.3).chain(["Microsoft.KeyVault/vaults/certificates"]);
            let mut done = std::collections::BTreeSet::new();
            for t in listed.filter(|t| done.insert(*t)) {
                let (namespace, operation) = split_type(t);
                for id in &ids {
                    out.record(id, namespace, operation, Err(e));
                }
            }
        }
    }

    if !options.skip_graph {
        collect_graph(rest, &tenant_id, &mut out);
    }
    out
}

/// Microsoft Graph (v1.0): one document per entity set, with members and owners inline as `$expand` would give.
fn collect_graph(rest: &Rest, tenant: &str, out: &mut Collected) {
    let list = |path: &str| rest.list(Audience::Graph, path);
    let put = |out: &mut Collected,
               name: &str,
               context: &str,
               operation: &str,
               result: Result<Vec<Value>, RestError>|
     -> Vec<Value> {
        match result {
            Ok(values) => {
                out.record(tenant, "graph", operation, Ok(()));
                out.documents.push(Document {
                    name: format!("graph-{name}.json"),
                    body: json!({"@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#{context}"), "value": values.clone()}),
                });
                values
            }
            Err(e) => {
                out.record(tenant, "graph", operation, Err(&e));
                Vec::new()
            }
        }
    };
    put(
        out,
        "users",
        "users",
        "users",
        list("/v1.0/users?$select=id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,onPremisesSyncEnabled&$top=999"),
    );
    // Groups, then each group's members and owners (an `$expand` stops at 20 of them).
    let groups = match list(
        "/v1.0/groups?$select=id,displayName,securityEnabled,mailEnabled,isAssignableToRole,groupTypes&$top=999",
    ) {
        Ok(groups) => {
            let mut expanded = Vec::with_capacity(groups.len());
            let (mut members_ok, mut owners_ok) = (Ok(()), Ok(()));
            for mut group in groups {
                let Some(id) = group["id"].as_str().map(str::to_string) else { continue };
                match list(&format!("/v1.0/groups/{id}/members?$select=id&$top=999")) {
                    Ok(members) => group["members"] = json!(members),
                    Err(e) => members_ok = Err(e),
                }
                match list(&format!("/v1.0/groups/{id}/owners?$select=id")) {
                    Ok(owners) => group["owners"] = json!(owners),
                    Err(e) => owners_ok = Err(e),
                }
                expanded.push(group);
            }
            out.record(tenant, "graph", "groups/members", members_ok.as_ref().map(|_| ()));
            out.record(tenant, "graph", "groups/owners", owners_ok.as_ref().map(|_| ()));
            Ok(expanded)
        }
        Err(e) => Err(e),
    };
    put(out, "groups", "groups(members(),owners())", "groups", groups);
    let with_owners = |path: &str, kind: &str| -> Result<Vec<Value>, RestError> {
        let mut items = list(path)?;
        for item in &mut items {
            if let Some(id) = item["id"].as_str().map(str::to_string) {
                // Owners matter for the tenant's own objects; a missing permission leaves them out.
                if let Ok(owners) = list(&format!("/v1.0/{kind}/{id}/owners?$select=id")) {
                    item["owners"] = json!(owners);
                }
            }
        }
        Ok(items)
    };
    put(
        out,
        "applications",
        "applications(owners())",
        "applications",
        with_owners("/v1.0/applications?$select=id,appId,displayName,signInAudience,createdDateTime,passwordCredentials,keyCredentials,requiredResourceAccess&$top=999", "applications"),
    );
    let sps = put(
        out,
        "service-principals",
        "servicePrincipals(owners())",
        "servicePrincipals",
        with_owners("/v1.0/servicePrincipals?$select=id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,appRoles,passwordCredentials,keyCredentials,alternativeNames,servicePrincipalNames&$top=999", "servicePrincipals"),
    );
    put(
        out,
        "role-definitions",
        "roleManagement/directory/roleDefinitions",
        "roleDefinitions",
        list("/v1.0/roleManagement/directory/roleDefinitions"),
    );
    put(
        out,
        "role-assignments",
        "roleManagement/directory/roleAssignments",
        "roleAssignments",
        list("/v1.0/roleManagement/directory/roleAssignments"),
    );
    put(
        out,
        "role-eligibility-schedules",
        "roleManagement/directory/roleEligibilitySchedules",
        "roleEligibilitySchedules",
        list("/v1.0/roleManagement/directory/roleEligibilitySchedules"),
    );
    // Application permissions: who was granted which app role of each API that defines app roles.
    let mut granted = Ok(Vec::new());
    for sp in sps.iter().filter(|sp| sp["appRoles"].as_array().is_some_and(|r| !r.is_empty())) {
        let Some(id) = sp["id"].as_str() else { continue };
        match (&mut granted, list(&format!("/v1.0/servicePrincipals/{id}/appRoleAssignedTo?$top=999"))) {
            (Ok(all), Ok(values)) => all.extend(values),
            (Ok(_), Err(e)) => granted = Err(e),
            (Err(_), _) => {}
        }
    }
    put(out, "app-role-assignments", "appRoleAssignments", "appRoleAssignments", granted);
    put(
        out,
        "conditional-access-policies",
        "identity/conditionalAccess/policies",
        "conditionalAccessPolicies",
        list("/v1.0/identity/conditionalAccess/policies"),
    );
    match rest.get(Audience::Graph, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy") {
        Ok(mut policy) => {
            out.record(tenant, "graph", "identitySecurityDefaultsEnforcementPolicy", Ok(()));
            policy["@odata.context"] = json!(
                "https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity"
            );
            out.documents.push(Document { name: "graph-security-defaults.json".into(), body: policy });
        }
        Err(e) => out.record(tenant, "graph", "identitySecurityDefaultsEnforcementPolicy", Err(&e)),
    }
    match rest.get(Audience::Graph, "/v1.0/policies/authorizationPolicy") {
        Ok(mut policy) => {
            out.record(tenant, "graph", "authorizationPolicy", Ok(()));
            policy["@odata.context"] =
                json!("https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity");
            out.documents.push(Document { name: "graph-authorization-policy.json".into(), body: policy });
        }
        Err(e) => out.record(tenant, "graph", "authorizationPolicy", Err(&e)),
    }
    // Administrative units with their members: directory roles scoped to a unit apply to its members.
    let units = list("/v1.0/directory/administrativeUnits?$select=id,displayName,membershipType").and_then(|units| {
        units
            .into_iter()
            .map(|mut unit| {
                if let Some(id) = unit["id"].as_str().map(str::to_string) {
                    // Every member, paged (an `$expand` stops at 20), as the ids `import azure` takes as complete.
                    let members = list(&format!("/v1.0/directory/administrativeUnits/{id}/members?$select=id"))?;
                    unit["memberIds"] = members.iter().filter_map(|m| m.get("id").cloned()).collect();
                }
                Ok(unit)
            })
            .collect()
    });
    put(out, "administrative-units", "directory/administrativeUnits(members())", "administrativeUnits", units);
    // Who has registered which authentication methods (needs AuditLog.Read.All and an Entra ID P1 licence).
    put(
        out,
        "user-registration-details",
        "reports/authenticationMethods/userRegistrationDetails",
        "userRegistrationDetails",
        list("/v1.0/reports/authenticationMethods/userRegistrationDetails"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The per-resource calls overlap, at most [`IN_FLIGHT`] at once, and their results keep the resources' order.
    #[test]
    fn calls_overlap_and_keep_their_order() {
        let items: Vec<usize> = (0..40).collect();
        let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let out = in_parallel(&items, |i| {
            let running = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(running, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(5));
            now.fetch_sub(1, Ordering::SeqCst);
            i * 10
        });
        assert_eq!(out, items.iter().map(|i| i * 10).collect::<Vec<_>>());
        let peak = peak.load(Ordering::SeqCst);
        assert!(peak > 1 && peak <= IN_FLIGHT, "{peak} calls at once");
        assert!(in_parallel(&[] as &[usize], |i| *i).is_empty());
    }
}
