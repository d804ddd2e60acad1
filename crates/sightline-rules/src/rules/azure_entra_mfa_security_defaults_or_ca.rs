//! Every user must pass MFA: security defaults or a Conditional Access policy requires it.

use super::azure::{az, each_tenant, tenant_record};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-entra-security-defaults-or-ca-mfa",
        title: "Security defaults are on, or Conditional Access requires MFA for all users",
        severity: Severity::High,
        resource_type: "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy",
        domain: Domain::Identity,
        rationale: "Passwords alone are phished, sprayed and reused; multifactor authentication stops most account takeovers. Security defaults require MFA registration and challenge for every user in tenants without Conditional Access; tenants that turn security defaults off must require MFA for all users and all applications with an enabled Conditional Access policy instead.",
        remediation: Remediation {
            console: "Microsoft Entra admin center > Identity > Overview > Properties > Manage security defaults: Enabled > Save. With Entra ID P1/P2, instead: Protection > Conditional Access > + New policy: All users, All resources, Grant: Require multifactor authentication, Enable policy: On.",
            cli: "az rest --method patch --url https://graph.microsoft.com/v1.0/policies/identitySecurityDefaultsEnforcementPolicy --body \"{\\\"isEnabled\\\":true}\"",
            terraform: "resource \"azuread_conditional_access_policy\" \"mfa_all\" {\n  display_name = \"Require MFA for all users\"\n  state        = \"enabled\"\n  conditions {\n    client_app_types = [\"all\"]\n    users {\n      included_users = [\"All\"]\n      excluded_users = [var.break_glass_object_id]\n    }\n    applications {\n      included_applications = [\"All\"]\n    }\n  }\n  grant_controls {\n    operator          = \"OR\"\n    built_in_controls = [\"mfa\"]\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/entra/fundamentals/security-defaults", "https://learn.microsoft.com/en-us/entra/identity/conditional-access/policy-all-users-mfa-strength"],
        controls: &[cis_azure("5.1.1"), nist("IA-2(1)"), nist("IA-2(2)"), pci("8.4.2")],
        needs: &[az("graph", "identitySecurityDefaultsEnforcementPolicy"), az("graph", "conditionalAccessPolicies")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":true}}]}"#, r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":false}},{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","resource_type":"Microsoft.Graph/conditionalAccessPolicies","name":"Require MFA for all users","properties":{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","displayName":"Require MFA for all users","state":"enabled","conditions":{"users":{"includeUsers":["All"],"excludeUsers":[],"includeRoles":[]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}}]}"#, r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":false}},{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","resource_type":"Microsoft.Graph/conditionalAccessPolicies","name":"Require MFA for all users","properties":{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","displayName":"Require MFA for all users","state":"enabled","conditions":{"users":{"includeUsers":["All"],"excludeUsers":[],"includeRoles":[]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":[],"authenticationStrength":{"id":"00000000-0000-0000-0000-000000000004","displayName":"Phishing-resistant MFA"}}}}]}"#],
        fail: &[r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":false}}]}"#, r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":false}},{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","resource_type":"Microsoft.Graph/conditionalAccessPolicies","name":"Require MFA for all users","properties":{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","displayName":"Require MFA for all users","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":["All"],"excludeUsers":[],"includeRoles":[]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}}]}"#, r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":false}},{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","resource_type":"Microsoft.Graph/conditionalAccessPolicies","name":"Require MFA for all users","properties":{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","displayName":"Require MFA for all users","state":"enabled","conditions":{"users":{"includeUsers":["GuestsOrExternalUsers"],"excludeUsers":[],"includeRoles":[]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}}]}"#, r#"{"resources":[{"id":"00000000-0000-0000-0000-000000000005","resource_type":"Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy","name":"Security Defaults","properties":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","isEnabled":false}},{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","resource_type":"Microsoft.Graph/conditionalAccessPolicies","name":"Require MFA for all users","properties":{"id":"6f1c2f0e-7d4c-4a25-9a0b-5d7f7d3c0a11","displayName":"Require MFA for all users","state":"enabled","conditions":{"users":{"includeUsers":["All"],"excludeUsers":[],"includeRoles":[]},"applications":{"includeApplications":["797f4846-ba00-4fd7-ba43-dac1f8f63013"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}}]}"#],
    },
};

/// Whether a Conditional Access policy is on and requires MFA (or an authentication strength) of all users for all
/// applications. Excluded break-glass accounts are expected and allowed.
fn requires_mfa_of_everyone(policy: &Resource) -> bool {
    let p = &policy.properties;
    let has = |pointer: &str, value: &str| {
        p.pointer(pointer)
            .and_then(Props::as_array)
            .is_some_and(|a| a.iter().any(|v| v.as_str().is_some_and(|v| v.eq_ignore_ascii_case(value))))
    };
    p.get("state").and_then(Props::as_str) == Some("enabled")
        && has("/conditions/users/includeUsers", "All")
        && has("/conditions/applications/includeApplications", "All")
        && (has("/grantControls/builtInControls", "mfa")
            || p.pointer("/grantControls/authenticationStrength/id").is_some())
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_tenant(scan, out, needs, |tenant, out| {
        let defaults = tenant_record(scan, "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy", tenant);
        let on = defaults.and_then(|d| d.properties.get("isEnabled")).and_then(Props::as_bool);
        let policies: Vec<&str> = scan
            .resources("Microsoft.Graph/conditionalAccessPolicies")
            .filter(|p| p.account_id.eq_ignore_ascii_case(tenant) && requires_mfa_of_everyone(p))
            .map(|p| p.name.as_str())
            .collect();
        let subject = match defaults {
            Some(d) => Subject::from(d),
            None => Subject::tenant(tenant),
        };
        match (on, policies.is_empty()) {
            (Some(true), _) => out.pass(subject, "security defaults are enabled"),
            (_, false) => out.pass(subject, format!("Conditional Access requires MFA of all users: {}", policies.join(", "))),
            (None, true) => out.not_evaluated(subject, "the tenant's security defaults policy is not in the snapshot"),
            (Some(false), true) => out.fail(
                subject,
                "security defaults are off and no enabled Conditional Access policy requires MFA of all users for all applications",
                json!({ "securityDefaults": false, "mfaPolicies": policies }),
            ),
        }
    });
}
