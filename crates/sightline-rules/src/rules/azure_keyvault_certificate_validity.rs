//! Key Vault certificates are issued for twelve months or less.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-certificate-validity",
        title: "Key Vault certificates are issued with a validity period of 12 months or less",
        severity: Severity::Medium,
        resource_type: "Microsoft.KeyVault/vaults/certificates",
        domain: Domain::Encryption,
        rationale: "A certificate's issuance policy sets how long each certificate Key Vault issues or renews stays valid. The longer the period, the longer a stolen private key keeps working and the longer a weak key or algorithm stays in use; short-lived certificates, renewed automatically before they expire, limit both. Disabled certificates are not judged.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Objects > Certificates > CERTIFICATE > Issuance Policy > Validity Period (in months) = 12 or less > Save (the next renewal uses it).",
            cli: "az keyvault certificate set-attributes --vault-name VAULT --name CERTIFICATE --policy @policy.json  # policy.json: {\"x509CertificateProperties\": {\"validityInMonths\": 12}}",
            terraform: "resource \"azurerm_key_vault_certificate\" \"this\" {\n  name         = \"web-tls\"\n  key_vault_id = azurerm_key_vault.this.id\n  certificate_policy {\n    issuer_parameters {\n      name = \"Self\"\n    }\n    key_properties {\n      exportable = true\n      key_type   = \"RSA\"\n      key_size   = 2048\n      reuse_key  = false\n    }\n    secret_properties {\n      content_type = \"application/x-pkcs12\"\n    }\n    x509_certificate_properties {\n      subject            = \"CN=app.example\"\n      validity_in_months = 12\n      key_usage          = [\"digitalSignature\", \"keyEncipherment\"]\n    }\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/certificates/about-certificates", "https://learn.microsoft.com/en-us/rest/api/keyvault/certificates/get-certificate-policy/get-certificate-policy"],
        controls: &[cis_azure("8.3.11"), nist("SC-12"), nist("SC-17")],
        needs: &[az("Microsoft.KeyVault", "vaults/certificates")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/web-tls","resource_type":"Microsoft.KeyVault/vaults/certificates","name":"web-tls","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/web-tls","name":"web-tls","type":"Microsoft.KeyVault/vaults/certificates","properties":{"certificateUri":"https://kv-prod-secrets.vault.azure.net/certificates/web-tls","attributes":{"enabled":true,"nbf":1764547200,"exp":1796083200},"policy":{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=app.example","validity_months":12},"lifetime_actions":[{"trigger":{"lifetime_percentage":80},"action":{"action_type":"AutoRenew"}}]}}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/old-ca","resource_type":"Microsoft.KeyVault/vaults/certificates","name":"old-ca","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/old-ca","name":"old-ca","type":"Microsoft.KeyVault/vaults/certificates","properties":{"certificateUri":"https://kv-prod-secrets.vault.azure.net/certificates/old-ca","attributes":{"enabled":false,"nbf":1764547200,"exp":1796083200},"policy":{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=app.example","validity_months":120},"lifetime_actions":[{"trigger":{"lifetime_percentage":80},"action":{"action_type":"AutoRenew"}}]}}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/api-tls","resource_type":"Microsoft.KeyVault/vaults/certificates","name":"api-tls","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/api-tls","name":"api-tls","type":"Microsoft.KeyVault/vaults/certificates","properties":{"certificateUri":"https://kv-prod-secrets.vault.azure.net/certificates/api-tls","attributes":{"enabled":true,"nbf":1764547200,"exp":1796083200},"policy":{"issuerParameters":{"name":"Self"},"x509CertificateProperties":{"subject":"CN=app.example","validityInMonths":6}}}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/internal-ca","resource_type":"Microsoft.KeyVault/vaults/certificates","name":"internal-ca","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/internal-ca","name":"internal-ca","type":"Microsoft.KeyVault/vaults/certificates","properties":{"certificateUri":"https://kv-prod-secrets.vault.azure.net/certificates/internal-ca","attributes":{"enabled":true,"nbf":1764547200,"exp":1796083200},"policy":{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=app.example","validity_months":60},"lifetime_actions":[{"trigger":{"lifetime_percentage":80},"action":{"action_type":"AutoRenew"}}]}}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/api-tls","resource_type":"Microsoft.KeyVault/vaults/certificates","name":"api-tls","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/certificates/api-tls","name":"api-tls","type":"Microsoft.KeyVault/vaults/certificates","properties":{"certificateUri":"https://kv-prod-secrets.vault.azure.net/certificates/api-tls","attributes":{"enabled":true,"nbf":1764547200,"exp":1796083200},"policy":{"issuerParameters":{"name":"Self"},"x509CertificateProperties":{"subject":"CN=app.example","validityInMonths":24}}}}}]}"#],
    },
};

/// The longest validity the benchmark accepts, in months.
const MAX_MONTHS: i64 = 12;

fn judge(r: &Resource) -> Judgement {
    if prop(r, "attributes").and_then(|a| a.get("enabled")).and_then(Props::as_bool) == Some(false) {
        return Ok(None);
    }
    let Some(policy) = prop(r, "policy") else {
        return Err("the record has no issuance policy (properties.policy)".into());
    };
    // The REST API spells it `x509_props.validity_months`; the az CLI and the SDKs `x509CertificateProperties.validityInMonths`.
    let months = policy
        .pointer("/x509_props/validity_months")
        .or_else(|| policy.pointer("/x509CertificateProperties/validityInMonths"))
        .and_then(Props::as_i64);
    let Some(months) = months else {
        return Err("the issuance policy gives no validity period".into());
    };
    Ok(Some((
        months <= MAX_MONTHS,
        format!("certificates are issued for {months} month(s)"),
        json!({ "validityMonths": months }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults/certificates", judge);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{snapshot, statuses};
    use sightline_model::FindingStatus;

    /// A vault whose certificates were never listed (an import of Resource Graph alone) makes the subscription
    /// NOT_EVALUATED: no certificate record does not mean no certificate.
    #[test]
    fn vaults_without_a_certificate_listing_are_not_evaluated() {
        let vault = r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1","resource_type":"Microsoft.KeyVault/vaults","name":"kv1","properties":{"properties":{"vaultUri":"https://kv1.vault.azure.net/"}}}],
            "coverage":[{"provider":"azure","account_id":"00000000-0000-0000-0000-00000000000a","service":"Microsoft.KeyVault","operation":"vaults","status":"collected"}]}"#;
        let got = statuses(&RULE, &snapshot(&RULE, vault, false));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, FindingStatus::NotEvaluated);
        assert!(got[0].1.contains("vaults/certificates was not collected"), "{got:?}");
        // With the listing collected and no certificate in it, there is nothing to judge.
        let listed = vault.replace(
            r#""status":"collected"}]"#,
            r#""status":"collected"},{"provider":"azure","account_id":"00000000-0000-0000-0000-00000000000a","service":"Microsoft.KeyVault","operation":"vaults/certificates","status":"collected"}]"#,
        );
        assert!(statuses(&RULE, &snapshot(&RULE, &listed, false)).is_empty());
    }
}
