//! Azure SQL server firewalls do not admit the whole internet.

use super::azure::{az, children, name, of, prop_str};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-sql-firewall-open",
        title: "Azure SQL servers are not open to the internet",
        severity: Severity::High,
        resource_type: "Microsoft.Sql/servers",
        domain: Domain::NetworkControls,
        rationale: "A server reachable from public networks with a firewall rule covering every address (0.0.0.0-255.255.255.255) lets anyone try logins against it. The \"Allow Azure services\" rule (0.0.0.0-0.0.0.0) admits the resources of every Azure customer, not only yours. Prefer private endpoints with public network access disabled.",
        remediation: Remediation {
            console: "SQL servers > SERVER > Security > Networking > Public network access: Disable, or remove firewall rules covering all addresses and clear Allow Azure services and resources to access this server > Save.",
            cli: "az sql server update --resource-group RG --name SERVER --enable-public-network false",
            terraform: "resource \"azurerm_mssql_server\" \"this\" {\n  # ...\n  public_network_access_enabled = false\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-7"), pci("1.3.1")],
        needs: &[az("Microsoft.Sql", "servers"), az("Microsoft.Sql", "servers/firewallRules")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Disabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Enabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/firewallRules/office","resource_type":"Microsoft.Sql/servers/firewallRules","name":"office","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/firewallRules/office","name":"office","type":"Microsoft.Sql/servers/firewallRules","properties":{"startIpAddress":"203.0.113.10","endIpAddress":"203.0.113.20"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Enabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/firewallRules/AllowAll","resource_type":"Microsoft.Sql/servers/firewallRules","name":"AllowAll","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/firewallRules/AllowAll","name":"AllowAll","type":"Microsoft.Sql/servers/firewallRules","properties":{"startIpAddress":"0.0.0.0","endIpAddress":"255.255.255.255"}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Enabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/firewallRules/AllowAllWindowsAzureIps","resource_type":"Microsoft.Sql/servers/firewallRules","name":"AllowAllWindowsAzureIps","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/firewallRules/AllowAllWindowsAzureIps","name":"AllowAllWindowsAzureIps","type":"Microsoft.Sql/servers/firewallRules","properties":{"startIpAddress":"0.0.0.0","endIpAddress":"0.0.0.0"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let rules = children(scan, "Microsoft.Sql/servers/firewallRules");
    each_resource(scan, out, "Microsoft.Sql/servers", needs, |server, out| {
        if prop_str(server, "publicNetworkAccess").is_some_and(|a| a.eq_ignore_ascii_case("Disabled")) {
            return out.pass(server, "public network access is disabled");
        }
        let open: Vec<&str> = of(&rules, server)
            .iter()
            .filter(|r| {
                let (start, end) =
                    (prop_str(r, "startIpAddress").unwrap_or(""), prop_str(r, "endIpAddress").unwrap_or(""));
                start == "0.0.0.0" && (end == "0.0.0.0" || end == "255.255.255.255")
            })
            .map(|r| name(r))
            .collect();
        out.verdict(
            server,
            open.is_empty(),
            if open.is_empty() {
                "no firewall rule admits all addresses or all of Azure".to_string()
            } else {
                format!("firewall rule(s) {} admit all addresses or all of Azure", open.join(", "))
            },
            json!({ "rules": open }),
        );
    });
}
