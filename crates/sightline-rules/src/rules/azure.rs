//! Helpers shared by the Azure rules (`azure_*.rs`): subscriptions and tenants, ARM ids (which ignore ASCII case),
//! child and extension resources, and the fields of ARM and Graph objects as `docs/azure.md` stores them.

use crate::meta::Need;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{Props, Provider, Resource};
use std::collections::HashMap;

/// A need on one ARM listing (`Microsoft.Storage`, `storageAccounts`) or Graph listing (`graph`, `users`).
pub(crate) const fn az(service: &'static str, operation: &'static str) -> Need {
    Need { service, operation, regional: false }
}

/// Runs `f` once per Azure subscription whose data `needs` describe was collected; NOT_EVALUATED for the others.
pub(crate) fn each_subscription<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    needs: &[Need],
    mut f: impl FnMut(&'s str, &mut Out<'_>),
) {
    let subscriptions: Vec<&'s str> = scan.azure_subscriptions().collect();
    let arm: Vec<Need> = needs.iter().filter(|n| n.service != "graph").copied().collect();
    for subscription in subscriptions {
        match scan.gap(subscription, None, &arm, true) {
            Some(why) => out.not_evaluated(Subject::subscription(subscription), why),
            None => f(subscription, out),
        }
    }
}

/// Runs `f` once per Microsoft Entra tenant whose Graph data `needs` describe was collected; NOT_EVALUATED for the
/// others.
pub(crate) fn each_tenant<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    needs: &[Need],
    mut f: impl FnMut(&'s str, &mut Out<'_>),
) {
    let graph: Vec<Need> = needs.iter().filter(|n| n.service == "graph").copied().collect();
    for tenant in scan.azure_tenants() {
        match scan.gap(tenant, None, &graph, true) {
            Some(why) => out.not_evaluated(Subject::tenant(tenant), why),
            None => f(tenant, out),
        }
    }
}

/// The Azure resources of one type in one subscription (or tenant).
pub(crate) fn in_account<'s>(scan: &Scan<'s>, resource_type: &str, account: &str) -> Vec<&'s Resource> {
    scan.resources(resource_type)
        .filter(|r| r.provider == Provider::Azure && r.account_id.eq_ignore_ascii_case(account))
        .collect()
}

/// The id of the resource a child or extension resource belongs to: `{parent}/blobServices/default` →
/// `{parent}`; `{scope}/providers/Microsoft.Insights/diagnosticSettings/{name}` → `{scope}`; lower-cased.
pub(crate) fn parent_id(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    if let Some(i) = lower.rfind("/providers/microsoft.insights/diagnosticsettings/") {
        return lower[..i].to_string();
    }
    if let Some(i) = lower.rfind("/providers/microsoft.authorization/locks/") {
        return lower[..i].to_string();
    }
    let mut parts: Vec<&str> = lower.trim_end_matches('/').split('/').collect();
    parts.truncate(parts.len().saturating_sub(2));
    parts.join("/")
}

/// The resources of a child or extension type, by the lower-cased id of the resource they belong to.
pub(crate) fn children<'s>(scan: &Scan<'s>, resource_type: &str) -> HashMap<String, Vec<&'s Resource>> {
    let mut map: HashMap<String, Vec<&'s Resource>> = HashMap::new();
    for r in scan.resources(resource_type) {
        map.entry(parent_id(&r.id)).or_default().push(r);
    }
    map
}

/// The children of `r` in a map built by [`children`].
pub(crate) fn of<'m, 's>(map: &'m HashMap<String, Vec<&'s Resource>>, r: &Resource) -> &'m [&'s Resource] {
    map.get(&r.id.to_ascii_lowercase()).map(Vec::as_slice).unwrap_or_default()
}

/// A field of the ARM object's `properties` (`prop(r, "minimumTlsVersion")`), or of a nested object with a JSON
/// pointer (`prop(r, "networkAcls/defaultAction")`).
pub(crate) fn prop<'a>(r: &'a Resource, path: &str) -> Option<&'a Props> {
    r.properties.get("properties")?.pointer(&format!("/{path}"))
}

/// A string field of the ARM object's `properties`.
pub(crate) fn prop_str<'a>(r: &'a Resource, path: &str) -> Option<&'a str> {
    prop(r, path).and_then(Props::as_str)
}

/// A boolean field of the ARM object's `properties`.
pub(crate) fn prop_bool(r: &Resource, path: &str) -> Option<bool> {
    prop(r, path).and_then(Props::as_bool)
}

/// The last segment of an id (the GUID of a role definition id, the name of a resource).
pub(crate) fn last_segment(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

/// Whether `scope` is `id` or one of its ancestors in the ARM hierarchy (ignoring case).
pub(crate) fn scope_covers(scope: &str, id: &str) -> bool {
    let (scope, id) = (scope.trim_end_matches('/').to_ascii_lowercase(), id.to_ascii_lowercase());
    scope.is_empty() || id == scope || id.starts_with(&format!("{scope}/"))
}

/// The `name` of a resource, or the last segment of its id.
pub(crate) fn name(r: &Resource) -> &str {
    if r.name.is_empty() {
        last_segment(&r.id)
    } else {
        &r.name
    }
}

/// What a rule on a resource and one of its child (or extension) resources says: like
/// [`super::util::Judgement`].
pub(crate) type ChildJudge = fn(&Resource, &Resource) -> super::util::Judgement;

/// Runs `judge` on every resource of `resource_type` with its first child of `child_type` (the blob service of a
/// storage account, say); a resource whose child was not recorded is NOT_EVALUATED. `applies` picks the resources the
/// rule is about.
pub(crate) fn judge_with_child(
    scan: &Scan<'_>,
    out: &mut Out<'_>,
    resource_type: &str,
    child_type: &str,
    applies: fn(&Resource) -> bool,
    judge: ChildJudge,
) {
    let needs = out.meta().needs;
    let map = children(scan, child_type);
    super::util::each_resource(scan, out, resource_type, needs, |r, out| {
        if !applies(r) {
            return;
        }
        match of(&map, r).first() {
            None => out.not_evaluated(r, format!("no {child_type} record for this resource")),
            Some(child) => match judge(r, child) {
                Err(why) => out.not_evaluated(r, why),
                Ok(Some((ok, message, evidence))) => out.verdict(r, ok, message, evidence),
                Ok(None) => {}
            },
        }
    });
}

/// Every resource applies.
pub(crate) fn always(_: &Resource) -> bool {
    true
}

/// The Defender for Cloud plan `plan` (a `Microsoft.Security/pricings` name such as `VirtualMachines`) is on the
/// Standard tier in every subscription.
pub(crate) fn defender_plan(scan: &Scan<'_>, out: &mut Out<'_>, plan: &str) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let pricing = in_account(scan, "Microsoft.Security/pricings", subscription)
            .into_iter()
            .find(|r| name(r).eq_ignore_ascii_case(plan));
        match pricing {
            None => out.not_evaluated(
                Subject::subscription(subscription),
                format!("the subscription's Defender pricings have no {plan} plan"),
            ),
            Some(p) => {
                let tier = prop_str(p, "pricingTier").unwrap_or("Free");
                let on = tier.eq_ignore_ascii_case("Standard");
                out.verdict(
                    p,
                    on,
                    format!("Microsoft Defender for Cloud plan {plan} is on the {tier} tier"),
                    json!({ "plan": plan, "pricingTier": tier }),
                );
            }
        }
    });
}

/// The enabled activity log alerts of a subscription that watch it (their scopes include the subscription) and
/// match `condition` on their `allOf` conditions.
pub(crate) fn activity_alerts<'s>(
    scan: &Scan<'s>,
    subscription: &str,
    condition: impl Fn(&[Props]) -> bool,
) -> Vec<&'s Resource> {
    let me = format!("/subscriptions/{subscription}");
    in_account(scan, "Microsoft.Insights/activityLogAlerts", subscription)
        .into_iter()
        .filter(|a| prop_bool(a, "enabled") != Some(false))
        .filter(|a| {
            prop(a, "scopes")
                .and_then(Props::as_array)
                .is_some_and(|scopes| scopes.iter().filter_map(Props::as_str).any(|s| s.eq_ignore_ascii_case(&me)))
        })
        .filter(|a| prop(a, "condition/allOf").and_then(Props::as_array).is_some_and(&condition))
        .collect()
}

/// Whether a list of activity log alert conditions has `field` equal to `value` (ignoring case).
pub(crate) fn condition_equals(all_of: &[Props], field: &str, value: &str) -> bool {
    all_of.iter().any(|c| {
        c.get("field").and_then(Props::as_str).is_some_and(|f| f.eq_ignore_ascii_case(field))
            && c.get("equals").and_then(Props::as_str).is_some_and(|v| v.eq_ignore_ascii_case(value))
    })
}

/// A subscription has an enabled activity log alert for the administrative operation `operation`
/// (`Microsoft.Network/networkSecurityGroups/write`).
pub(crate) fn activity_alert_for(scan: &Scan<'_>, out: &mut Out<'_>, operation: &str) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let alerts = activity_alerts(scan, subscription, |all_of| condition_equals(all_of, "operationName", operation));
        out.verdict(
            Subject::subscription(subscription),
            !alerts.is_empty(),
            if alerts.is_empty() {
                format!("no enabled activity log alert on the subscription watches {operation}")
            } else {
                format!("{} enabled activity log alert(s) watch {operation}", alerts.len())
            },
            json!({ "operation": operation, "alerts": alerts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>() }),
        );
    });
}

/// The inbound rules of a network security group that allow traffic from anywhere on the internet, with
/// `protocol` (`Tcp`, `Udp`; `*` matches every rule's protocol) to one of `ports` (any port when empty).
pub(crate) fn open_to_internet<'r>(nsg: &'r Resource, protocol: &str, ports: &[u16]) -> Vec<&'r str> {
    let rules = prop(nsg, "securityRules").and_then(Props::as_array).unwrap_or_default();
    rules
        .iter()
        .filter(|rule| {
            let rule_protocol = rule_field(rule, "protocol");
            rule_field(rule, "access").eq_ignore_ascii_case("Allow")
                && rule_field(rule, "direction").eq_ignore_ascii_case("Inbound")
                && (protocol == "*" || rule_protocol == "*" || rule_protocol.eq_ignore_ascii_case(protocol))
                && rule_list(rule, "sourceAddressPrefix", "sourceAddressPrefixes").iter().any(|s| internet(s))
                && (ports.is_empty()
                    || rule_list(rule, "destinationPortRange", "destinationPortRanges")
                        .iter()
                        .any(|range| ports.iter().any(|port| port_in(range, *port))))
        })
        .map(|rule| rule.get("name").and_then(Props::as_str).unwrap_or("(unnamed rule)"))
        .collect()
}

/// A string field of an NSG security rule's `properties` (empty when absent).
fn rule_field<'a>(rule: &'a Props, key: &str) -> &'a str {
    rule.pointer(&format!("/properties/{key}")).and_then(Props::as_str).unwrap_or("")
}

/// The values of a security rule field that has a single (`sourceAddressPrefix`) and a list form
/// (`sourceAddressPrefixes`).
fn rule_list<'a>(rule: &'a Props, one: &str, many: &str) -> Vec<&'a str> {
    let mut all: Vec<&'a str> = rule
        .pointer(&format!("/properties/{many}"))
        .and_then(Props::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Props::as_str)
        .collect();
    let single = rule_field(rule, one);
    if !single.is_empty() {
        all.push(single);
    }
    all
}

/// Whether an NSG source prefix means anywhere on the internet.
fn internet(source: &str) -> bool {
    let s = source.trim();
    matches!(s.to_ascii_lowercase().as_str(), "*" | "any" | "internet" | "0.0.0.0" | "0.0.0.0/0" | "::/0")
        || s.ends_with("/0")
}

/// Whether an NSG port range (`*`, `3389`, `3000-4000`) includes `port`.
fn port_in(range: &str, port: u16) -> bool {
    let range = range.trim();
    if range == "*" {
        return true;
    }
    match range.split_once('-') {
        Some((a, b)) => match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
            (Ok(a), Ok(b)) => a <= port && port <= b,
            _ => false,
        },
        None => range.parse::<u16>() == Ok(port),
    }
}

/// The NSG rule of `protocol` on `ports` (see [`open_to_internet`]): each network security group passes when no
/// inbound rule allows it from the internet.
pub(crate) fn nsg_closed(scan: &Scan<'_>, out: &mut Out<'_>, what: &str, protocol: &str, ports: &[u16]) {
    let needs = out.meta().needs;
    super::util::each_resource(scan, out, "Microsoft.Network/networkSecurityGroups", needs, |nsg, out| {
        if prop(nsg, "securityRules").is_none() {
            out.not_evaluated(nsg, "the network security group record has no properties.securityRules");
            return;
        }
        let open = open_to_internet(nsg, protocol, ports);
        out.verdict(
            nsg,
            open.is_empty(),
            if open.is_empty() {
                format!("no inbound rule allows {what} from the internet")
            } else {
                format!("inbound rule(s) {} allow {what} from the internet", open.join(", "))
            },
            json!({ "rules": open }),
        );
    });
}

/// The diagnostic settings of a resource (or subscription) id, from a map built by [`children`] over
/// `Microsoft.Insights/diagnosticSettings`.
pub(crate) fn settings_of<'m, 's>(map: &'m HashMap<String, Vec<&'s Resource>>, id: &str) -> &'m [&'s Resource] {
    map.get(&id.to_ascii_lowercase()).map(Vec::as_slice).unwrap_or_default()
}

/// Whether a diagnostic setting sends its logs somewhere (a Log Analytics workspace, a storage account, an event
/// hub or a partner solution).
pub(crate) fn has_destination(setting: &Resource) -> bool {
    ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"]
        .iter()
        .any(|k| prop_str(setting, k).is_some_and(|v| !v.is_empty()))
}

/// The log categories (and category groups, lower-cased) a diagnostic setting has enabled.
pub(crate) fn enabled_categories(setting: &Resource) -> Vec<String> {
    prop(setting, "logs")
        .and_then(Props::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|l| l.get("enabled").and_then(Props::as_bool) == Some(true))
        .filter_map(|l| l.get("category").or_else(|| l.get("categoryGroup")).and_then(Props::as_str))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The tenant-wide Graph record of a type (the authorization policy, say) of one tenant.
pub(crate) fn tenant_record<'s>(scan: &Scan<'s>, resource_type: &str, tenant: &str) -> Option<&'s Resource> {
    scan.resources(resource_type).find(|r| r.provider == Provider::Azure && r.account_id.eq_ignore_ascii_case(tenant))
}

/// What a rule says of a Graph object: PASS or FAIL with a message and the evidence, or why it cannot tell.
pub(crate) type GraphJudge = fn(&Props) -> Result<(bool, String, serde_json::Value), String>;

/// A rule on the tenant's authorization policy: `judge` reads the Graph object.
pub(crate) fn authorization_policy(scan: &Scan<'_>, out: &mut Out<'_>, judge: GraphJudge) {
    let needs = out.meta().needs;
    each_tenant(scan, out, needs, |tenant, out| {
        match tenant_record(scan, "Microsoft.Graph/authorizationPolicy", tenant) {
            None => {
                out.not_evaluated(Subject::tenant(tenant), "the tenant's authorization policy is not in the snapshot")
            }
            Some(policy) => match judge(&policy.properties) {
                Err(why) => out.not_evaluated(policy, why),
                Ok((ok, message, evidence)) => out.verdict(policy, ok, message, evidence),
            },
        }
    });
}

/// The scopes at or above a subscription, lower-cased: the subscription, the management groups above it (as far as
/// the snapshot knows them) and the root `/`.
pub(crate) fn scopes_above(scan: &Scan<'_>, subscription: &str) -> Vec<String> {
    let mut scopes = vec![format!("/subscriptions/{subscription}").to_ascii_lowercase(), "/".to_string()];
    let snapshot = scan.snapshot;
    let units: HashMap<String, Option<String>> = snapshot
        .organizations
        .iter()
        .filter(|o| o.provider == Provider::Azure)
        .flat_map(|o| o.units.iter())
        .map(|u| (u.id.to_ascii_lowercase(), u.parent_id.as_ref().map(|p| p.to_ascii_lowercase())))
        .collect();
    let mut next = snapshot
        .accounts
        .iter()
        .find(|a| a.provider == Provider::Azure && a.id.eq_ignore_ascii_case(subscription))
        .and_then(|a| a.parent_id.as_ref().map(|p| p.to_ascii_lowercase()));
    while let Some(group) = next {
        if scopes.contains(&group) {
            break;
        }
        next = units.get(&group).cloned().flatten();
        scopes.push(group);
    }
    scopes
}

/// The active Azure role assignments of the built-in role `role` (its GUID) at a subscription's scope or above
/// (see [`scopes_above`]); with `exact`, only those at the subscription itself.
pub(crate) fn assignments_of_role<'s>(
    scan: &Scan<'s>,
    subscription: &str,
    role: &str,
    exact: bool,
) -> Vec<&'s Resource> {
    let scopes = scopes_above(scan, subscription);
    let wanted = if exact { &scopes[..1] } else { &scopes[..] };
    scan.resources("Microsoft.Authorization/roleAssignments")
        .filter(|a| a.provider == Provider::Azure)
        .filter(|a| {
            a.properties
                .get("roleDefinitionId")
                .and_then(Props::as_str)
                .is_some_and(|d| last_segment(d).eq_ignore_ascii_case(role))
        })
        .filter(|a| {
            a.properties.get("scope").and_then(Props::as_str).is_some_and(|s| {
                wanted.contains(&s.trim_end_matches('/').to_ascii_lowercase())
                    || (s == "/" && wanted.iter().any(|w| w == "/"))
            })
        })
        .collect()
}

/// A database server parameter must be `on` (or `ON`): each server of `server_type` passes or fails on the value
/// of its `parameter` child record (`{server}/configurations/{parameter}`), or is NOT_EVALUATED without one.
pub(crate) fn server_parameter_on(scan: &Scan<'_>, out: &mut Out<'_>, server_type: &str, parameter: &str) {
    let needs = out.meta().needs;
    let parameters = children(scan, &format!("{server_type}/configurations"));
    super::util::each_resource(scan, out, server_type, needs, |server, out| {
        let value = of(&parameters, server)
            .iter()
            .find(|p| name(p).eq_ignore_ascii_case(parameter))
            .and_then(|p| prop_str(p, "value"));
        match value {
            None => out.not_evaluated(server, format!("the server parameter {parameter} is not in the snapshot")),
            Some(v) => {
                let ok = v.eq_ignore_ascii_case("on");
                out.verdict(server, ok, format!("{parameter} is {v}"), serde_json::json!({ parameter: v }));
            }
        }
    });
}

/// A soft-delete retention policy of a storage service (`deleteRetentionPolicy`, `containerDeleteRetentionPolicy`,
/// `shareDeleteRetentionPolicy`): on, for at least 7 days. `what` names it in the message (`blob soft delete`).
pub(crate) fn soft_delete(service: &Resource, policy_key: &str, what: &str) -> super::util::Judgement {
    let Some(policy) = prop(service, policy_key) else {
        return Err(format!("the service record has no properties.{policy_key}"));
    };
    let enabled = policy.get("enabled").and_then(Props::as_bool).unwrap_or(false);
    let days = policy.get("days").and_then(Props::as_i64).unwrap_or(0);
    let message = if enabled { format!("{what} is on for {days} days") } else { format!("{what} is off") };
    Ok(Some((enabled && days >= 7, message, json!({ "enabled": enabled, "days": days }))))
}

/// Whether a flow log's target is of a type (`networksecuritygroups`, `virtualnetworks`).
fn flow_log_targets(flow_log: &Resource, target_type: &str) -> bool {
    prop_str(flow_log, "targetResourceId")
        .is_some_and(|t| t.to_ascii_lowercase().contains(&format!("/providers/microsoft.network/{target_type}/")))
}

/// A flow log of a target type keeps its logs at least 90 days (0 days with retention on: forever); flow logs of
/// other targets are not judged.
pub(crate) fn flow_log_retention(flow_log: &Resource, target_type: &str) -> super::util::Judgement {
    if !flow_log_targets(flow_log, target_type) {
        return Ok(None);
    }
    let enabled = prop_bool(flow_log, "retentionPolicy/enabled").unwrap_or(false);
    let days = prop(flow_log, "retentionPolicy/days").and_then(Props::as_i64).unwrap_or(0);
    let message = if !enabled {
        "retention is off: logs are kept only as long as the storage account keeps them".to_string()
    } else if days == 0 {
        "logs are retained indefinitely".to_string()
    } else {
        format!("logs are retained for {days} days")
    };
    Ok(Some((enabled && (days == 0 || days >= 90), message, json!({ "enabled": enabled, "days": days }))))
}

/// A flow log of a target type feeds traffic analytics in a Log Analytics workspace; flow logs of other targets
/// are not judged.
pub(crate) fn flow_log_traffic_analytics(flow_log: &Resource, target_type: &str) -> super::util::Judgement {
    if !flow_log_targets(flow_log, target_type) {
        return Ok(None);
    }
    let analytics = prop(flow_log, "flowAnalyticsConfiguration/networkWatcherFlowAnalyticsConfiguration");
    let on = prop_bool(flow_log, "enabled").unwrap_or(false)
        && analytics.and_then(|a| a.get("enabled")).and_then(Props::as_bool) == Some(true)
        && analytics.and_then(|a| a.get("workspaceResourceId")).and_then(Props::as_str).is_some();
    let message = if on {
        "the flow log feeds traffic analytics in a Log Analytics workspace"
    } else {
        "the flow log does not feed a Log Analytics workspace"
    };
    Ok(Some((on, message.to_string(), json!({ "trafficAnalytics": on }))))
}

/// A Defender for Servers extension (`AgentlessVmScanning`, `FileIntegrityMonitoring`) is on in each subscription:
/// the VirtualMachines plan on Standard with the extension enabled. `what` names it in messages.
pub(crate) fn defender_servers_extension(scan: &Scan<'_>, out: &mut Out<'_>, extension: &str, what: &str) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let servers = in_account(scan, "Microsoft.Security/pricings", subscription)
            .into_iter()
            .find(|r| name(r).eq_ignore_ascii_case("VirtualMachines"));
        let Some(servers) = servers else {
            return out.not_evaluated(
                Subject::subscription(subscription),
                "the subscription's Defender pricings have no VirtualMachines plan",
            );
        };
        let standard = prop_str(servers, "pricingTier").is_some_and(|t| t.eq_ignore_ascii_case("Standard"));
        // `isEnabled` is the string "True" or "False" in the REST API; accept a boolean too.
        let enabled = prop(servers, "extensions").and_then(Props::as_array).unwrap_or_default().iter().any(|e| {
            e.get("name").and_then(Props::as_str).is_some_and(|n| n.eq_ignore_ascii_case(extension))
                && match e.get("isEnabled") {
                    Some(v) => v.as_bool() == Some(true) || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true")),
                    None => false,
                }
        });
        let ok = standard && enabled;
        let message = if ok {
            format!("{what} is on in Defender for Servers")
        } else if !standard {
            format!("Defender for Servers is off, so {what} is too")
        } else {
            format!("{what} is off in Defender for Servers")
        };
        out.verdict(
            servers,
            ok,
            message,
            json!({ "pricingTier": prop_str(servers, "pricingTier"), extension: enabled }),
        );
    });
}

/// A resource with at least one approved private endpoint connection (`properties.privateEndpointConnections`).
pub(crate) fn private_endpoints(r: &Resource) -> super::util::Judgement {
    let connections = prop(r, "privateEndpointConnections").and_then(Props::as_array).unwrap_or_default();
    let approved = connections
        .iter()
        .filter(|c| {
            c.pointer("/properties/privateLinkServiceConnectionState/status").and_then(Props::as_str)
                == Some("Approved")
        })
        .count();
    Ok(Some((
        approved > 0,
        format!("{approved} approved private endpoint connection(s)"),
        json!({ "approved": approved }),
    )))
}

/// A resource whose `properties.publicNetworkAccess` is `Disabled` (absent means the default, `Enabled`).
pub(crate) fn public_network_disabled(r: &Resource) -> super::util::Judgement {
    let access = prop_str(r, "publicNetworkAccess").unwrap_or("Enabled");
    let ok = access.eq_ignore_ascii_case("Disabled");
    Ok(Some((ok, format!("publicNetworkAccess is {access}"), json!({ "publicNetworkAccess": access }))))
}

/// Every resource of `resource_type` has a diagnostic setting that sends logs to a destination: any enabled log
/// category when `categories` is empty, else one of `categories` (lower-case categories or category groups).
pub(crate) fn resource_logging(
    scan: &Scan<'_>,
    out: &mut Out<'_>,
    resource_type: &str,
    categories: &[&str],
    what: &str,
) {
    let needs = out.meta().needs;
    let settings = children(scan, "Microsoft.Insights/diagnosticSettings");
    super::util::each_resource(scan, out, resource_type, needs, |r, out| {
        let logging: Vec<&str> = settings_of(&settings, &r.id)
            .iter()
            .filter(|s| has_destination(s))
            .filter(|s| {
                let enabled = enabled_categories(s);
                if categories.is_empty() {
                    !enabled.is_empty()
                } else {
                    enabled.iter().any(|c| categories.contains(&c.as_str()))
                }
            })
            .map(|s| name(s))
            .collect();
        out.verdict(
            r,
            !logging.is_empty(),
            if logging.is_empty() {
                format!("no diagnostic setting sends {what} anywhere")
            } else {
                format!("{what} go to diagnostic setting(s) {}", logging.join(", "))
            },
            json!({ "settings": logging }),
        );
    });
}

/// Whether an Azure Databricks workspace is serverless-only (`properties.computeMode` `Serverless`): it has no
/// classic compute plane, so no virtual network or cluster public IPs of its own.
pub(crate) fn databricks_serverless(workspace: &Resource) -> bool {
    prop_str(workspace, "computeMode").is_some_and(|m| m.eq_ignore_ascii_case("Serverless"))
}

/// A custom parameter of an Azure Databricks workspace (`properties.parameters.NAME.value`).
pub(crate) fn databricks_parameter<'a>(workspace: &'a Resource, parameter: &str) -> Option<&'a Props> {
    prop(workspace, "parameters").and_then(|p| p.get(parameter)).and_then(|p| p.get("value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_sources() {
        assert!(port_in("*", 22) && port_in("20-25", 22) && port_in("22", 22) && !port_in("2222", 22));
        assert!(internet("Internet") && internet("*") && internet("0.0.0.0/0") && !internet("10.0.0.0/8"));
    }

    #[test]
    fn parents_of_children_and_extensions() {
        let sa = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a";
        assert_eq!(parent_id(&format!("{sa}/blobServices/default")), sa.to_ascii_lowercase());
        assert_eq!(
            parent_id(&format!("{sa}/providers/Microsoft.Insights/diagnosticSettings/to-law")),
            sa.to_ascii_lowercase()
        );
        assert_eq!(parent_id("/subscriptions/S/providers/microsoft.insights/diagnosticSettings/x"), "/subscriptions/s");
        assert!(scope_covers("/subscriptions/S/resourceGroups/RG", &format!("{sa}/x").replace("rg", "RG")));
        assert!(!scope_covers("/subscriptions/S/resourceGroups/r", sa));
        assert_eq!(last_segment("/providers/Microsoft.Authorization/roleDefinitions/abc"), "abc");
    }
}
