//! Matching of operation names against the patterns of role definitions and deny assignments.

/// Whether an Azure RBAC operation pattern (`Microsoft.Storage/*`, `*/read`,
/// `Microsoft.Compute/virtualMachines/*/action`, `*`) covers `operation`.
///
/// `*` stands for any run of characters, `/` included, wherever it appears; everything else must match exactly
/// but for ASCII case, which Azure ignores in operation names. A whole segment `/*/` also stands for no segment at
/// all: the built-in Managed Identity Operator role grants `Microsoft.ManagedIdentity/userAssignedIdentities/*/
/// assign/action`, and Azure lets it perform `Microsoft.ManagedIdentity/userAssignedIdentities/assign/action`, the
/// operation that attaches the identity to a resource
/// (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/identity#managed-identity-operator).
pub fn operation_matches(pattern: &str, operation: &str) -> bool {
    if glob(pattern.as_bytes(), operation.as_bytes()) {
        return true;
    }
    // Each `/*/` may stand for `/` alone: try the patterns with some of them collapsed (at most 2^4 tries).
    let stars: Vec<usize> = pattern.match_indices("/*/").map(|(i, _)| i).take(4).collect();
    (1u32..(1 << stars.len())).any(|mask| {
        let mut collapsed = String::with_capacity(pattern.len());
        let mut from = 0;
        for (bit, at) in stars.iter().enumerate() {
            if mask & (1 << bit) != 0 && *at >= from {
                collapsed.push_str(&pattern[from..*at]);
                from = at + 2; // drop "/*", keep the second "/"
            }
        }
        collapsed.push_str(&pattern[from..]);
        glob(collapsed.as_bytes(), operation.as_bytes())
    })
}

/// Glob matching with `*` only, without regard to ASCII case. The classic linear-backtracking algorithm: on a
/// mismatch, the last `*` takes one more byte. Each `*` only ever moves forward, so the work is bounded by
/// `pattern.len() * text.len()` even for adversarial inputs.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it currently stands for the end of.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if c.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

/// Whether a Microsoft Entra resource action pattern covers `action`.
///
/// Entra actions have the shape `{namespace}/{entity}/{propertySet}/{action}`, the property set being optional
/// (`microsoft.directory/users/password/update`, `microsoft.directory/users/create`). Built-in roles grant whole
/// families with placeholders: `allEntities` stands for any one entity, `allTasks` for any one task, and
/// `allProperties` for any property set or none; `allProperties/allTasks` is every task of the entity, creation
/// and deletion included. A `*` inside a segment matches within that segment. Case is ignored.
pub fn directory_action_matches(pattern: &str, action: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let a: Vec<&str> = action.split('/').collect();
    segments(&p, &a)
}

fn segments(p: &[&str], a: &[&str]) -> bool {
    let Some((first, rest)) = p.split_first() else { return a.is_empty() };
    if first.eq_ignore_ascii_case("allProperties") {
        if rest.len() == 1 && rest[0].eq_ignore_ascii_case("allTasks") {
            // Every task on the entity, with or without a property set.
            return !a.is_empty();
        }
        // The property set is optional and may itself span segments: try every split.
        return (0..=a.len()).any(|skip| segments(rest, &a[skip..]));
    }
    let Some((head, tail)) = a.split_first() else { return false };
    let segment_ok = first.eq_ignore_ascii_case("allEntities")
        || first.eq_ignore_ascii_case("allTasks")
        || glob(first.as_bytes(), head.as_bytes());
    segment_ok && segments(rest, tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Managed Identity Operator's `userAssignedIdentities/*/assign/action` covers the assign operation itself.
    /// https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/identity#managed-identity-operator
    #[test]
    fn a_star_segment_also_stands_for_no_segment() {
        let p = "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action";
        assert!(operation_matches(p, "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"));
        assert!(operation_matches(p, "Microsoft.ManagedIdentity/userAssignedIdentities/federated/assign/action"));
        assert!(!operation_matches(p, "Microsoft.ManagedIdentity/userAssignedIdentities/write"));
        assert!(!operation_matches(p, "Microsoft.ManagedIdentity/userAssignedIdentitiesassign/action"));
        assert!(operation_matches("*/read", "Microsoft.Storage/storageAccounts/read"));
        assert!(!operation_matches("Microsoft.Compute/*/start/action", "Microsoft.Compute/start"));
    }

    /// A plainly correct reference: recursion over every way a `*` can split the text.
    fn reference(pattern: &[u8], text: &[u8]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((b'*', rest)) => (0..=text.len()).any(|i| reference(rest, &text[i..])),
            Some((c, rest)) => text.first().is_some_and(|t| t.eq_ignore_ascii_case(c)) && reference(rest, &text[1..]),
        }
    }

    // Examples from https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions
    // (wildcard permissions: `Microsoft.CostManagement/*`, `*/read`, `Microsoft.Compute/*`).
    #[test]
    fn documented_wildcards() {
        assert!(operation_matches("*", "Microsoft.Compute/virtualMachines/start/action"));
        assert!(operation_matches("Microsoft.CostManagement/*", "Microsoft.CostManagement/exports/write"));
        assert!(!operation_matches("Microsoft.CostManagement/*", "Microsoft.Compute/virtualMachines/read"));
        assert!(operation_matches("*/read", "Microsoft.Compute/virtualMachines/read"));
        assert!(!operation_matches("*/read", "Microsoft.Compute/virtualMachines/write"));
        assert!(operation_matches(
            "Microsoft.Compute/virtualMachines/*/action",
            "Microsoft.Compute/virtualMachines/restart/action"
        ));
        assert!(!operation_matches(
            "Microsoft.Compute/virtualMachines/*/action",
            "Microsoft.Compute/virtualMachines/write"
        ));
        assert!(operation_matches("microsoft.storage/*", "Microsoft.Storage/storageAccounts/listKeys/action"));
        assert!(!operation_matches(
            "Microsoft.Storage/storageAccounts/read",
            "Microsoft.Storage/storageAccounts/readx"
        ));
        assert!(!operation_matches("", "x"));
        assert!(operation_matches("", ""));
    }

    // Placeholders of https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference
    // and the action format of https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/custom-overview
    #[test]
    fn directory_placeholders() {
        let all = "microsoft.directory/applications/allProperties/allTasks";
        assert!(directory_action_matches(all, "microsoft.directory/applications/create"));
        assert!(directory_action_matches(all, "microsoft.directory/applications/credentials/update"));
        assert!(!directory_action_matches(all, "microsoft.directory/servicePrincipals/credentials/update"));
        let read = "microsoft.directory/users/allProperties/read";
        assert!(directory_action_matches(read, "microsoft.directory/users/standard/read"));
        assert!(directory_action_matches(read, "microsoft.directory/users/read"));
        assert!(!directory_action_matches(read, "microsoft.directory/users/password/update"));
        assert!(directory_action_matches(
            "microsoft.azure.supportTickets/allEntities/allTasks",
            "microsoft.azure.supportTickets/tickets/create"
        ));
        assert!(directory_action_matches(
            "microsoft.directory/*/allProperties/allTasks",
            "Microsoft.Directory/Users/Password/Update"
        ));
        assert!(directory_action_matches(
            "microsoft.directory/users/password/update",
            "microsoft.directory/users/password/update"
        ));
        assert!(!directory_action_matches(
            "microsoft.directory/users/password/update",
            "microsoft.directory/users/password/update/x"
        ));
    }

    proptest! {
        // Alphabets small enough that matches and near misses are both common.
        #[test]
        fn glob_agrees_with_reference(pattern in "[aAb/*]{0,8}", text in "[aAbB/]{0,10}") {
            prop_assert_eq!(glob(pattern.as_bytes(), text.as_bytes()), reference(pattern.as_bytes(), text.as_bytes()));
        }

        #[test]
        fn a_pattern_without_wildcards_matches_only_itself(text in "[a-zA-Z./]{0,12}", other in "[a-zA-Z./]{0,12}") {
            prop_assert!(operation_matches(&text, &text.to_ascii_uppercase()));
            prop_assert_eq!(operation_matches(&text, &other), text.eq_ignore_ascii_case(&other));
        }
    }
}
