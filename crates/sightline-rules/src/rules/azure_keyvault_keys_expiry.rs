//! Enabled Key Vault keys have an expiration date.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-keys-expiry",
        title: "Key Vault keys have an expiration date",
        severity: Severity::Medium,
        resource_type: "Microsoft.KeyVault/vaults/keys",
        domain: Domain::Encryption,
        rationale: "A key without an expiration date stays valid forever, so it is never rotated out and a leaked copy never stops working. Setting an expiration (and rotating before it) limits how long any key material is in use. CIS numbers this control 8.3.1 for vaults using Azure RBAC and 8.3.2 for vaults using access policies.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Objects > Keys > KEY > current version > Set expiration date > Save (or set an expiry in the key's rotation policy).",
            cli: "az keyvault key set-attributes --vault-name VAULT --name KEY --expires 2027-12-31T00:00:00Z",
            terraform: "resource \"azurerm_key_vault_key\" \"this\" {\n  # ...\n  expiration_date = \"2027-12-31T00:00:00Z\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/keys/about-keys-details"],
        controls: &[cis_azure("8.3.1"), cis_azure("8.3.2"), nist("SC-12")],
        needs: &[az("Microsoft.KeyVault", "vaults/keys")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","resource_type":"Microsoft.KeyVault/vaults/keys","name":"cmk-storage","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","name":"cmk-storage","type":"Microsoft.KeyVault/vaults/keys","location":"westeurope","properties":{"attributes":{"enabled":true,"created":1764547200,"updated":1764547200,"recoveryLevel":"Recoverable","exportable":false,"exp":1830297600},"kty":"RSA","keySize":3072,"keyOps":["wrapKey","unwrapKey"],"keyUri":"https://kv-prod-secrets.vault.azure.net/keys/cmk-storage","rotationPolicy":{"attributes":{"expiryTime":"P1Y"},"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"notify"}}]}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/old","resource_type":"Microsoft.KeyVault/vaults/keys","name":"old","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/old","name":"old","type":"Microsoft.KeyVault/vaults/keys","location":"westeurope","properties":{"attributes":{"enabled":false,"created":1764547200,"updated":1764547200,"recoveryLevel":"Recoverable","exportable":false},"kty":"RSA","keySize":3072,"keyOps":["wrapKey","unwrapKey"],"keyUri":"https://kv-prod-secrets.vault.azure.net/keys/old","rotationPolicy":{"attributes":{"expiryTime":"P1Y"},"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"notify"}}]}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","resource_type":"Microsoft.KeyVault/vaults/keys","name":"cmk-storage","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/keys/cmk-storage","name":"cmk-storage","type":"Microsoft.KeyVault/vaults/keys","location":"westeurope","properties":{"attributes":{"enabled":true,"created":1764547200,"updated":1764547200,"recoveryLevel":"Recoverable","exportable":false},"kty":"RSA","keySize":3072,"keyOps":["wrapKey","unwrapKey"],"keyUri":"https://kv-prod-secrets.vault.azure.net/keys/cmk-storage","rotationPolicy":{"attributes":{"expiryTime":"P1Y"},"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"notify"}}]}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let Some(attributes) = prop(r, "attributes") else {
        return Err("the record has no properties.attributes".into());
    };
    if attributes.get("enabled").and_then(Props::as_bool) == Some(false) {
        return Ok(None);
    }
    let exp = attributes.get("exp").and_then(Props::as_i64);
    Ok(Some((
        exp.is_some(),
        match exp {
            Some(_) => "the key has an expiration date".to_string(),
            None => "the key never expires".to_string(),
        },
        json!({ "exp": exp }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults/keys", judge);
}
