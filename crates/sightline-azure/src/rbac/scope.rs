//! ARM scopes: their normal form and the scopes above them.

/// The prefix of every management group id.
pub const MANAGEMENT_GROUP_PREFIX: &str = "/providers/microsoft.management/managementgroups/";

/// A scope in the form used as an index key: lowercase (Azure ignores case in ids), with a leading `/` and no
/// trailing one; the root scope is `/`.
pub fn key(scope: &str) -> String {
    let trimmed = scope.trim().trim_end_matches('/');
    let mut out = String::with_capacity(trimmed.len() + 1);
    if !trimmed.starts_with('/') {
        out.push('/');
    }
    out.push_str(trimmed);
    out.make_ascii_lowercase();
    out
}

/// What a scope's own path says about the scopes above it, before the management group tree is consulted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Path {
    /// The scope and the scopes above it within its own id, nearest first, as keys: a child resource, its parent
    /// resources, the resource group, the subscription or the management group. Never `/`.
    pub chain: Vec<String>,
    /// The subscription id (lowercase) when the scope is in a subscription.
    pub subscription: Option<String>,
    /// The management group key when the scope is a management group or below one by its id.
    pub management_group: Option<String>,
}

/// Splits an ARM scope into its chain of enclosing scopes.
///
/// ARM ids alternate names and values: `subscriptions/{id}`, `resourceGroups/{name}`, then
/// `providers/{namespace}` followed by `{type}/{name}` pairs, the later pairs being child resources; an extension
/// resource repeats `providers/{namespace}/{type}/{name}` after the id of the resource it extends. Every prefix
/// that ends on a value is a scope.
pub fn path(scope_key: &str) -> Path {
    let mut out = Path::default();
    let segments: Vec<&str> = scope_key.split('/').filter(|s| !s.is_empty()).collect();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        match segments[i] {
            "subscriptions" if i + 1 < segments.len() => {
                if out.subscription.is_none() {
                    out.subscription = Some(segments[i + 1].to_string());
                }
                i += 2;
                ends.push(i);
            }
            "resourcegroups" if i + 1 < segments.len() => {
                i += 2;
                ends.push(i);
            }
            "providers" if i + 1 < segments.len() => {
                // The namespace, then (type, name) pairs until the next `providers`.
                i += 2;
                while i + 1 < segments.len() && segments[i] != "providers" {
                    i += 2;
                    ends.push(i);
                }
                if i < segments.len() && segments[i] != "providers" {
                    // A trailing type without a name: not a scope of its own.
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    for end in ends.iter().rev() {
        out.chain.push(format!("/{}", segments[..*end].join("/")));
    }
    if let Some(top) = out.chain.last() {
        if top.starts_with(MANAGEMENT_GROUP_PREFIX) {
            out.management_group = Some(top.clone());
        }
    }
    out
}

/// The management group key for a parent reference: a full id, or a bare group name.
pub fn management_group_key(parent: &str) -> String {
    let k = key(parent);
    if k.starts_with(MANAGEMENT_GROUP_PREFIX) {
        k
    } else {
        format!("{MANAGEMENT_GROUP_PREFIX}{}", k.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Scope levels of https://learn.microsoft.com/en-us/azure/role-based-access-control/scope-overview
    #[test]
    fn chains_follow_the_scope_levels() {
        let p = path(&key("/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Sql/servers/db1/databases/d/"));
        assert_eq!(
            p.chain,
            vec![
                "/subscriptions/s1/resourcegroups/rg/providers/microsoft.sql/servers/db1/databases/d",
                "/subscriptions/s1/resourcegroups/rg/providers/microsoft.sql/servers/db1",
                "/subscriptions/s1/resourcegroups/rg",
                "/subscriptions/s1",
            ]
        );
        assert_eq!(p.subscription.as_deref(), Some("s1"));
        let ext = path(&key(
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Insights/diagnosticSettings/d",
        ));
        assert_eq!(ext.chain.len(), 4);
        assert_eq!(ext.chain[1], "/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/sa");
        let mg = path(&key("/providers/Microsoft.Management/managementGroups/Contoso"));
        assert_eq!(mg.chain, vec!["/providers/microsoft.management/managementgroups/contoso"]);
        assert_eq!(mg.management_group.as_deref(), Some("/providers/microsoft.management/managementgroups/contoso"));
        assert!(path("/").chain.is_empty());
        assert_eq!(management_group_key("Contoso"), "/providers/microsoft.management/managementgroups/contoso");
    }
}
