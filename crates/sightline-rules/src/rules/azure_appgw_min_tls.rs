//! Application gateways negotiate TLS 1.2 or newer only.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appgw-min-tls",
        title: "Application gateways require TLS 1.2 or newer",
        severity: Severity::Medium,
        resource_type: "Microsoft.Network/applicationGateways",
        domain: Domain::Encryption,
        rationale: "Gateways left on the oldest predefined policy (AppGwSslPolicy20150501) accept TLS 1.0 and 1.1, which are deprecated and weak. A predefined policy from 2017-04-01S onwards, or a custom policy with TLS 1.2 minimum, refuses them.",
        remediation: Remediation {
            console: "Application gateways > GATEWAY > Settings > Listeners > SSL settings (or Listener TLS certificates > Change SSL policy): AppGwSslPolicy20220101S > Save.",
            cli: "az network application-gateway ssl-policy set --gateway-name GATEWAY --resource-group RG --policy-type Predefined --name AppGwSslPolicy20220101S",
            terraform: "resource \"azurerm_application_gateway\" \"this\" {\n  # ...\n  ssl_policy {\n    policy_type = \"Predefined\"\n    policy_name = \"AppGwSslPolicy20220101S\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/application-gateway/application-gateway-ssl-policy-overview"],
        controls: &[cis_azure("7.12"), nist("SC-8"), nist("SC-13"), pci("4.2.1")],
        needs: &[az("Microsoft.Network", "applicationGateways")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"CustomV2","minProtocolVersion":"TLSv1_2","cipherSuites":["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20150501"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Custom","minProtocolVersion":"TLSv1_0"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let Some(policy) = prop(r, "sslPolicy") else {
        // No policy set: the gateway uses the platform default, which for older gateways still allows TLS 1.0.
        return Ok(Some((
            false,
            "no SSL policy is set: the gateway uses the platform default".to_string(),
            json!({ "sslPolicy": null }),
        )));
    };
    let name = policy.get("policyName").and_then(Props::as_str).unwrap_or("");
    let min = policy.get("minProtocolVersion").and_then(Props::as_str).unwrap_or("");
    let ok = match policy.get("policyType").and_then(Props::as_str).unwrap_or("") {
        "Predefined" => {
            ["AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S"].contains(&name)
        }
        _ => matches!(min, "TLSv1_2" | "TLSv1_3"),
    };
    Ok(Some((
        ok,
        if name.is_empty() {
            format!("the custom SSL policy's minimum is {min}")
        } else {
            format!("the SSL policy is {name}")
        },
        json!({ "policyName": name, "minProtocolVersion": min }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/applicationGateways", judge);
}
