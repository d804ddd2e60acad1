//! Defender for Cloud deploys Microsoft Defender for Endpoint to servers.

use super::azure::{az, each_subscription, in_account, name, prop_bool};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-endpoint-integration",
        title: "Microsoft Defender for Endpoint integration is on",
        severity: Severity::Medium,
        resource_type: "Microsoft.Security/settings",
        domain: Domain::Logging,
        rationale: "With the WDATP integration setting on, Defender for Servers onboards machines to Microsoft Defender for Endpoint automatically, giving endpoint detection and response on every server instead of only on those someone remembered to enrol.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > Servers > Settings & monitoring > Endpoint protection: On > Continue > Save.",
            cli: "az security setting update --name WDATP --enabled true",
            terraform: "resource \"azurerm_security_center_setting\" \"mde\" {\n  setting_name = \"WDATP\"\n  enabled      = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/integration-defender-for-endpoint"],
        controls: &[cis_azure("8.1.3.3"), nist("SI-3"), nist("SI-4")],
        needs: &[az("Microsoft.Security", "settings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/settings/WDATP","resource_type":"Microsoft.Security/settings","name":"WDATP","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/settings/WDATP","name":"WDATP","type":"Microsoft.Security/settings","kind":"DataExportSettings","properties":{"enabled":true}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/settings/MCAS","resource_type":"Microsoft.Security/settings","name":"MCAS","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/settings/MCAS","name":"MCAS","type":"Microsoft.Security/settings","kind":"DataExportSettings","properties":{"enabled":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/settings/WDATP","resource_type":"Microsoft.Security/settings","name":"WDATP","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/settings/WDATP","name":"WDATP","type":"Microsoft.Security/settings","kind":"DataExportSettings","properties":{"enabled":false}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let setting = in_account(scan, "Microsoft.Security/settings", subscription)
            .into_iter()
            .find(|s| name(s).eq_ignore_ascii_case("WDATP"));
        match setting {
            None => out.not_evaluated(
                Subject::subscription(subscription),
                "the subscription's security settings have no WDATP setting",
            ),
            Some(s) => {
                let on = prop_bool(s, "enabled").unwrap_or(false);
                out.verdict(
                    s,
                    on,
                    format!("the Defender for Endpoint integration (WDATP) is {}", if on { "on" } else { "off" }),
                    json!({ "enabled": on }),
                );
            }
        }
    });
}
