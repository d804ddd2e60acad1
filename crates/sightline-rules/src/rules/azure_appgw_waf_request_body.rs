//! The gateway web application firewall inspects request bodies.

use super::azure::{az, prop, prop_str};
use super::util::{each_resource, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appgw-waf-request-body",
        title: "Application gateway WAF inspects request bodies",
        severity: Severity::Medium,
        resource_type: "Microsoft.Network/applicationGateways",
        domain: Domain::NetworkControls,
        rationale: "Most injection payloads travel in POST bodies. With request body inspection off, the WAF looks only at headers, cookies and the URL and lets those payloads through.",
        remediation: Remediation {
            console: "Web Application Firewall policies > POLICY > Settings > Policy settings: Enforce request body inspection > Save.",
            cli: "az network application-gateway waf-policy policy-setting update --policy-name POLICY --resource-group RG --request-body-check true",
            terraform: "resource \"azurerm_web_application_firewall_policy\" \"this\" {\n  # ...\n  policy_settings {\n    enabled            = true\n    mode               = \"Prevention\"\n    request_body_check = true\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/web-application-firewall/ag/application-gateway-waf-request-size-limits"],
        controls: &[cis_azure("7.14"), nist("SI-10"), nist("SC-7")],
        needs: &[az("Microsoft.Network", "applicationGateways"), az("Microsoft.Network", "ApplicationGatewayWebApplicationFirewallPolicies")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","resource_type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","name":"waf-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","name":"waf-web","type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","location":"westeurope","properties":{"policySettings":{"state":"Enabled","mode":"Prevention","requestBodyCheck":true,"maxRequestBodySizeInKb":128},"managedRules":{"managedRuleSets":[{"ruleSetType":"OWASP","ruleSetVersion":"3.2"},{"ruleSetType":"Microsoft_BotManagerRuleSet","ruleSetVersion":"1.0"}]},"applicationGateways":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web"}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","resource_type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","name":"waf-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","name":"waf-web","type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","location":"westeurope","properties":{"policySettings":{"state":"Enabled","mode":"Prevention","requestBodyCheck":false,"maxRequestBodySizeInKb":128},"managedRules":{"managedRuleSets":[{"ruleSetType":"OWASP","ruleSetVersion":"3.2"},{"ruleSetType":"Microsoft_BotManagerRuleSet","ruleSetVersion":"1.0"}]},"applicationGateways":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web"}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(gateway: &Resource, policies: &[&Resource]) -> Judgement {
    let policy_id = prop_str(gateway, "firewallPolicy/id");
    let settings = match policy_id {
        Some(id) => match policies.iter().find(|p| p.id.eq_ignore_ascii_case(id)) {
            Some(p) => prop(p, "policySettings"),
            None => return Err(format!("the WAF policy {id} is not in the snapshot")),
        },
        None => prop(gateway, "webApplicationFirewallConfiguration"),
    };
    let Some(settings) = settings else {
        return Ok(None); // no WAF at all: azure-appgw-waf-enabled reports it
    };
    let on = settings.get("requestBodyCheck").and_then(Props::as_bool).unwrap_or(false);
    Ok(Some((
        on,
        format!("request body inspection is {}", if on { "on" } else { "off" }),
        json!({ "requestBodyCheck": on }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let policies: Vec<&Resource> =
        scan.resources("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies").collect();
    each_resource(scan, out, "Microsoft.Network/applicationGateways", needs, |gateway, out| {
        match judge(gateway, &policies) {
            Err(why) => out.not_evaluated(gateway, why),
            Ok(Some((ok, message, evidence))) => out.verdict(gateway, ok, message, evidence),
            Ok(None) => {}
        }
    });
}
