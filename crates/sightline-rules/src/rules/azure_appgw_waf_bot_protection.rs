//! The gateway web application firewall blocks bad bots.

use super::azure::{az, prop, prop_str};
use super::util::{each_resource, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appgw-waf-bot-protection",
        title: "Application gateway WAF runs bot protection in Prevention mode",
        severity: Severity::Low,
        resource_type: "Microsoft.Network/applicationGateways",
        domain: Domain::NetworkControls,
        rationale: "The bot manager rule set blocks traffic from IP addresses known for malicious bots, scanners and crawlers. It only blocks when the WAF policy runs in Prevention mode; in Detection mode it only logs.",
        remediation: Remediation {
            console: "Web Application Firewall policies > POLICY > Settings > Managed rules > Assign: add Microsoft_BotManagerRuleSet; Overview > Switch to prevention mode > Save.",
            cli: "az network application-gateway waf-policy managed-rule rule-set add --policy-name POLICY --resource-group RG --type Microsoft_BotManagerRuleSet --version 1.0 && az network application-gateway waf-policy policy-setting update --policy-name POLICY --resource-group RG --mode Prevention --state Enabled",
            terraform: "resource \"azurerm_web_application_firewall_policy\" \"this\" {\n  # ...\n  policy_settings {\n    enabled = true\n    mode    = \"Prevention\"\n  }\n  managed_rules {\n    managed_rule_set {\n      type    = \"OWASP\"\n      version = \"3.2\"\n    }\n    managed_rule_set {\n      type    = \"Microsoft_BotManagerRuleSet\"\n      version = \"1.0\"\n    }\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/web-application-firewall/ag/bot-protection-overview"],
        controls: &[cis_azure("7.15"), nist("SI-4"), nist("SC-7")],
        needs: &[az("Microsoft.Network", "applicationGateways"), az("Microsoft.Network", "ApplicationGatewayWebApplicationFirewallPolicies")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","resource_type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","name":"waf-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","name":"waf-web","type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","location":"westeurope","properties":{"policySettings":{"state":"Enabled","mode":"Prevention","requestBodyCheck":true,"maxRequestBodySizeInKb":128},"managedRules":{"managedRuleSets":[{"ruleSetType":"OWASP","ruleSetVersion":"3.2"},{"ruleSetType":"Microsoft_BotManagerRuleSet","ruleSetVersion":"1.0"}]},"applicationGateways":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web"}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","resource_type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","name":"waf-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","name":"waf-web","type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","location":"westeurope","properties":{"policySettings":{"state":"Enabled","mode":"Prevention","requestBodyCheck":true,"maxRequestBodySizeInKb":128},"managedRules":{"managedRuleSets":[{"ruleSetType":"OWASP","ruleSetVersion":"3.2"}]},"applicationGateways":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web"}]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","resource_type":"Microsoft.Network/applicationGateways","name":"agw-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web","name":"agw-web","type":"Microsoft.Network/applicationGateways","location":"westeurope","properties":{"sku":{"name":"WAF_v2","tier":"WAF_v2","capacity":2},"enableHttp2":true,"operationalState":"Running","provisioningState":"Succeeded","sslPolicy":{"policyType":"Predefined","policyName":"AppGwSslPolicy20220101S"},"firewallPolicy":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","resource_type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","name":"waf-web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-web","name":"waf-web","type":"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies","location":"westeurope","properties":{"policySettings":{"state":"Enabled","mode":"Detection","requestBodyCheck":true,"maxRequestBodySizeInKb":128},"managedRules":{"managedRuleSets":[{"ruleSetType":"OWASP","ruleSetVersion":"3.2"},{"ruleSetType":"Microsoft_BotManagerRuleSet","ruleSetVersion":"1.0"}]},"applicationGateways":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/applicationGateways/agw-web"}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(gateway: &Resource, policies: &[&Resource]) -> Judgement {
    let Some(id) = prop_str(gateway, "firewallPolicy/id") else {
        // Bot protection exists only in WAF policies; gateways without one cannot run it.
        return Ok(Some((
            false,
            "the gateway has no WAF policy, so no bot protection".to_string(),
            json!({ "firewallPolicy": null }),
        )));
    };
    let Some(policy) = policies.iter().find(|p| p.id.eq_ignore_ascii_case(id)) else {
        return Err(format!("the WAF policy {id} is not in the snapshot"));
    };
    let mode = prop_str(policy, "policySettings/mode").unwrap_or("Detection");
    let bots =
        prop(policy, "managedRules/managedRuleSets").and_then(Props::as_array).unwrap_or_default().iter().any(|s| {
            s.get("ruleSetType")
                .and_then(Props::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft_BotManagerRuleSet"))
        });
    let ok = bots && mode.eq_ignore_ascii_case("Prevention");
    Ok(Some((
        ok,
        format!("bot manager rule set {}, policy mode {mode}", if bots { "assigned" } else { "not assigned" }),
        json!({ "botManagerRuleSet": bots, "mode": mode }),
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
