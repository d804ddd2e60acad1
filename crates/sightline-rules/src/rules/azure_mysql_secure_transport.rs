//! MySQL flexible servers require TLS 1.2 or newer.

use super::azure::{az, children, name, of, prop_str};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-mysql-secure-transport",
        title: "MySQL flexible servers require TLS 1.2+ connections",
        severity: Severity::High,
        resource_type: "Microsoft.DBforMySQL/flexibleServers",
        domain: Domain::Encryption,
        rationale: "require_secure_transport makes the server refuse unencrypted connections; tls_version limits the protocol versions it accepts. Both are needed to keep credentials and data off the wire in clear or behind deprecated TLS.",
        remediation: Remediation {
            console: "Azure Database for MySQL flexible servers > SERVER > Settings > Server parameters > require_secure_transport: ON, tls_version: TLSv1.2 (and TLSv1.3) > Save.",
            cli: "az mysql flexible-server parameter set --resource-group RG --server-name SERVER --name tls_version --value TLSv1.2,TLSv1.3 && az mysql flexible-server parameter set --resource-group RG --server-name SERVER --name require_secure_transport --value ON",
            terraform: "resource \"azurerm_mysql_flexible_server_configuration\" \"tls\" {\n  server_id           = azurerm_mysql_flexible_server.this.id\n  name                = \"tls_version\"\n  value               = \"TLSv1.2,TLSv1.3\"\n}\nresource \"azurerm_mysql_flexible_server_configuration\" \"secure_transport\" {\n  server_id           = azurerm_mysql_flexible_server.this.id\n  name                = \"require_secure_transport\"\n  value               = \"ON\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/mysql/flexible-server/concepts-networking#tls-and-ssl", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-8"), pci("4.2.1")],
        needs: &[az("Microsoft.DBforMySQL", "flexibleServers"), az("Microsoft.DBforMySQL", "flexibleServers/configurations")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","resource_type":"Microsoft.DBforMySQL/flexibleServers","name":"mysql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","name":"mysql-prod","type":"Microsoft.DBforMySQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"8.0.21","state":"Ready","fullyQualifiedDomainName":"mysql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/require_secure_transport","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"require_secure_transport","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/require_secure_transport","name":"require_secure_transport","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"ON","source":"user-override","dataType":"Enumeration"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/tls_version","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"tls_version","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/tls_version","name":"tls_version","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"TLSv1.2,TLSv1.3","source":"user-override","dataType":"Enumeration"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","resource_type":"Microsoft.DBforMySQL/flexibleServers","name":"mysql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","name":"mysql-prod","type":"Microsoft.DBforMySQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"8.0.21","state":"Ready","fullyQualifiedDomainName":"mysql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/require_secure_transport","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"require_secure_transport","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/require_secure_transport","name":"require_secure_transport","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"OFF","source":"user-override","dataType":"Enumeration"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/tls_version","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"tls_version","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/tls_version","name":"tls_version","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"TLSv1.2","source":"user-override","dataType":"Enumeration"}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","resource_type":"Microsoft.DBforMySQL/flexibleServers","name":"mysql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","name":"mysql-prod","type":"Microsoft.DBforMySQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"8.0.21","state":"Ready","fullyQualifiedDomainName":"mysql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/require_secure_transport","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"require_secure_transport","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/require_secure_transport","name":"require_secure_transport","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"ON","source":"user-override","dataType":"Enumeration"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/tls_version","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"tls_version","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/tls_version","name":"tls_version","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"TLSv1,TLSv1.1,TLSv1.2","source":"user-override","dataType":"Enumeration"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let parameters = children(scan, "Microsoft.DBforMySQL/flexibleServers/configurations");
    each_resource(scan, out, "Microsoft.DBforMySQL/flexibleServers", needs, |server, out| {
        let value = |parameter: &str| {
            of(&parameters, server)
                .iter()
                .find(|p| name(p).eq_ignore_ascii_case(parameter))
                .and_then(|p| prop_str(p, "value"))
                .map(str::to_string)
        };
        let (Some(secure), Some(tls)) = (value("require_secure_transport"), value("tls_version")) else {
            return out.not_evaluated(
                server,
                "the server parameters require_secure_transport and tls_version are not both in the snapshot",
            );
        };
        let versions: Vec<&str> = tls.split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
        let ok = secure.eq_ignore_ascii_case("ON")
            && !versions.is_empty()
            && versions.iter().all(|v| v.eq_ignore_ascii_case("TLSv1.2") || v.eq_ignore_ascii_case("TLSv1.3"));
        out.verdict(
            server,
            ok,
            format!("require_secure_transport is {secure}, tls_version is {tls}"),
            json!({ "require_secure_transport": secure, "tls_version": versions }),
        );
    });
}
