//! Enabled Key Vault secrets have an expiration date.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-secrets-expiry",
        title: "Key Vault secrets have an expiration date",
        severity: Severity::Medium,
        resource_type: "Microsoft.KeyVault/vaults/secrets",
        domain: Domain::Encryption,
        rationale: "A secret without an expiration date invites being kept forever. An expiration date forces the owner to rotate the password or token it holds, and tools can warn before it lapses. CIS numbers this control 8.3.3 for vaults using Azure RBAC and 8.3.4 for vaults using access policies.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Objects > Secrets > SECRET > current version > Set expiration date > Save.",
            cli: "az keyvault secret set-attributes --vault-name VAULT --name SECRET --expires 2027-06-30T00:00:00Z",
            terraform: "resource \"azurerm_key_vault_secret\" \"this\" {\n  # ...\n  expiration_date = \"2027-06-30T00:00:00Z\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/secrets/about-secrets"],
        controls: &[cis_azure("8.3.3"), cis_azure("8.3.4"), nist("IA-5(1)")],
        needs: &[az("Microsoft.KeyVault", "vaults/secrets")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/secrets/db-password","resource_type":"Microsoft.KeyVault/vaults/secrets","name":"db-password","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/secrets/db-password","name":"db-password","type":"Microsoft.KeyVault/vaults/secrets","location":"westeurope","properties":{"attributes":{"enabled":true,"created":1764547200,"updated":1764547200,"exp":1798761600},"contentType":"text/plain","secretUri":"https://kv-prod-secrets.vault.azure.net/secrets/db-password"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/secrets/db-password","resource_type":"Microsoft.KeyVault/vaults/secrets","name":"db-password","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/secrets/db-password","name":"db-password","type":"Microsoft.KeyVault/vaults/secrets","location":"westeurope","properties":{"attributes":{"enabled":true,"created":1764547200,"updated":1764547200},"contentType":"text/plain","secretUri":"https://kv-prod-secrets.vault.azure.net/secrets/db-password"}},"region":"westeurope"}]}"#],
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
            Some(_) => "the secret has an expiration date".to_string(),
            None => "the secret never expires".to_string(),
        },
        json!({ "exp": exp }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults/secrets", judge);
}
