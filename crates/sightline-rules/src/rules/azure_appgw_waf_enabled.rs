//! Application gateways filter traffic with a web application firewall.

use super::azure::{az, prop_bool, prop_str};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appgw-waf-enabled",
        title: "Application gateways have the web application firewall enabled",
        severity: Severity::High,
        resource_type: "Microsoft.Network/applicationGateways",
        domain: Domain::NetworkControls,
        rationale: "The WAF on Application Gateway blocks common web attacks (SQL injection, cross-site scripting, protocol abuse) before they reach the applications behind it. A gateway on the Standard tier or with the WAF off forwards them untouched.",
        remediation: Remediation {
            console: "Application gateways > GATEWAY > Settings > Web application firewall: tier WAF V2, associate a WAF policy in Prevention mode > Save.",
            cli: "az network application-gateway update --name GATEWAY --resource-group RG --sku WAF_v2 --set firewallPolicy.id=WAF_POLICY_ID",
            terraform: "resource \"azurerm_application_gateway\" \"this\" {\n  # ...\n  sku {\n    name = \"WAF_v2\"\n    tier = \"WAF_v2\"\n  }\n  firewall_policy_id = azurerm_web_application_firewall_policy.this.id\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/web-application-firewall/ag/ag-overview"],
        controls: &[cis_azure("7.10"), nist("SC-7"), nist("SI-10"), pci("6.4.2")],
        needs: &[az("Microsoft.Network", "applicationGateways")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"webApplicationFirewallConfiguration":{"enabled":true,"firewallMode":"Prevention","ruleSetType":"OWASP","ruleSetVersion":"3.2"}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"Standard_v2","tier":"Standard_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"webApplicationFirewallConfiguration":{"enabled":false}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let tier = prop_str(r, "sku/tier").unwrap_or("");
    let policy = prop_str(r, "firewallPolicy/id").is_some();
    let inline = prop_bool(r, "webApplicationFirewallConfiguration/enabled").unwrap_or(false);
    let ok = tier.to_ascii_uppercase().starts_with("WAF") && (policy || inline);
    Ok(Some((
        ok,
        if ok {
            format!("the {tier} gateway has its web application firewall on")
        } else {
            format!("the {tier} gateway has no web application firewall on")
        },
        json!({ "tier": tier, "firewallPolicy": policy, "inlineWaf": inline }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/applicationGateways", judge);
}
