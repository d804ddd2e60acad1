//! Key Vault keys rotate automatically.

use super::azure::{az, prop, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-key-rotation",
        title: "Key Vault keys have an automatic rotation policy",
        severity: Severity::Low,
        resource_type: "Microsoft.KeyVault/vaults/keys",
        domain: Domain::Encryption,
        rationale: "A rotation policy with a rotate action makes Key Vault create new key versions on a schedule, so keys are replaced without anyone having to remember; services that use the versionless key id pick the new version up.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Objects > Keys > KEY > Rotation policy: Enable auto rotation, rotation time (for example 90 days after creation) > Save.",
            cli: "az keyvault key rotation-policy update --vault-name VAULT --name KEY --value \"{\\\"lifetimeActions\\\":[{\\\"trigger\\\":{\\\"timeAfterCreate\\\":\\\"P90D\\\"},\\\"action\\\":{\\\"type\\\":\\\"Rotate\\\"}}],\\\"attributes\\\":{\\\"expiryTime\\\":\\\"P1Y\\\"}}\"",
            terraform: "resource \"azurerm_key_vault_key\" \"this\" {\n  # ...\n  rotation_policy {\n    expire_after         = \"P1Y\"\n    notify_before_expiry = \"P30D\"\n    automatic {\n      time_after_creation = \"P90D\"\n    }\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation"],
        controls: &[cis_azure("8.3.9"), nist("SC-12")],
        needs: &[az("Microsoft.KeyVault", "vaults/keys")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","resource_type":"Microsoft.KeyVault/vaults/keys","name":"cmk-storage","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","name":"cmk-storage","type":"Microsoft.KeyVault/vaults/keys","location":"westeurope","properties":{"attributes":{"enabled":true,"created":1764547200,"updated":1764547200,"recoveryLevel":"Recoverable","exportable":false,"exp":1830297600},"kty":"RSA","keySize":3072,"keyOps":["wrapKey","unwrapKey"],"keyUri":"https://kv-prod-secrets.vault.azure.net/keys/cmk-storage","rotationPolicy":{"attributes":{"expiryTime":"P1Y"},"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"notify"}}]}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","resource_type":"Microsoft.KeyVault/vaults/keys","name":"cmk-storage","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","name":"cmk-storage","type":"Microsoft.KeyVault/vaults/keys","location":"westeurope","properties":{"attributes":{"enabled":true,"created":1764547200,"updated":1764547200,"recoveryLevel":"Recoverable","exportable":false,"exp":1830297600},"kty":"RSA","keySize":3072,"keyOps":["wrapKey","unwrapKey"],"keyUri":"https://kv-prod-secrets.vault.azure.net/keys/cmk-storage"}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    if prop_bool(r, "attributes/enabled") == Some(false) {
        return Ok(None);
    }
    // ARM reports no rotationPolicy for a key that has none.
    let actions = prop(r, "rotationPolicy/lifetimeActions").and_then(Props::as_array).unwrap_or_default();
    let rotates = actions
        .iter()
        .any(|a| a.pointer("/action/type").and_then(Props::as_str).is_some_and(|t| t.eq_ignore_ascii_case("Rotate")));
    Ok(Some((
        rotates,
        if rotates { "the key rotates automatically" } else { "the key has no automatic rotation" }.to_string(),
        json!({ "lifetimeActions": actions.len() }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults/keys", judge);
}
