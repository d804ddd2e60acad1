//! Application gateways speak HTTP/2 to clients.

use super::azure::{az, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appgw-http2",
        title: "Application gateways have HTTP/2 enabled",
        severity: Severity::Info,
        resource_type: "Microsoft.Network/applicationGateways",
        domain: Domain::Configuration,
        rationale: "HTTP/2 multiplexes requests over one TLS connection and is only offered over HTTPS, which encourages encrypted listeners and reduces connection-exhaustion pressure on the gateway.",
        remediation: Remediation {
            console: "Application gateways > GATEWAY > Settings > Configuration > HTTP2: Enabled > Save.",
            cli: "az network application-gateway update --name GATEWAY --resource-group RG --http2 Enabled",
            terraform: "resource \"azurerm_application_gateway\" \"this\" {\n  # ...\n  enable_http2 = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/application-gateway/configuration-listeners#http2-support"],
        controls: &[cis_azure("7.13"), nist("SC-8")],
        needs: &[az("Microsoft.Network", "applicationGateways")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":false,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let on = prop_bool(r, "enableHttp2").unwrap_or(false);
    Ok(Some((on, format!("enableHttp2 is {on}"), json!({ "enableHttp2": on }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/applicationGateways", judge);
}
