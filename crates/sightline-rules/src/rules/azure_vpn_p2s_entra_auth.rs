//! Point-to-site VPN users sign in with Microsoft Entra ID only.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-vpn-p2s-entra-auth",
        title: "Point-to-site VPN gateways authenticate users with Microsoft Entra ID only",
        severity: Severity::Medium,
        resource_type: "Microsoft.Network/virtualNetworkGateways",
        domain: Domain::Identity,
        rationale: "With Microsoft Entra authentication, VPN sign-ins go through the tenant MFA and Conditional Access and stop when the account is disabled; certificate or RADIUS authentication alongside it leaves a way in that bypasses those controls.",
        remediation: Remediation {
            console: "Virtual network gateways > GATEWAY > Settings > Point-to-site configuration > Authentication type: Azure Active Directory only (tenant, audience, issuer) > Save.",
            cli: "az network vnet-gateway update --name GATEWAY --resource-group RG --vpn-auth-type AAD --aad-tenant https://login.microsoftonline.com/TENANT/ --aad-audience c632b3df-fb67-4d84-bdcf-b95ad541b5c8 --aad-issuer https://sts.windows.net/TENANT/",
            terraform: "resource \"azurerm_virtual_network_gateway\" \"this\" {\n  # ...\n  vpn_client_configuration {\n    address_space        = [\"172.16.200.0/24\"]\n    vpn_client_protocols = [\"OpenVPN\"]\n    vpn_auth_types       = [\"AAD\"]\n    aad_tenant           = \"https://login.microsoftonline.com/${var.tenant_id}/\"\n    aad_audience         = \"c632b3df-fb67-4d84-bdcf-b95ad541b5c8\"\n    aad_issuer           = \"https://sts.windows.net/${var.tenant_id}/\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/vpn-gateway/openvpn-azure-ad-tenant"],
        controls: &[cis_azure("7.9"), nist("IA-2"), nist("AC-17")],
        needs: &[az("Microsoft.Network", "virtualNetworkGateways")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","resource_type":"Microsoft.Network/virtualNetworkGateways","name":"vgw-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","name":"vgw-prod","type":"Microsoft.Network/virtualNetworkGateways","location":"westeurope","properties":{"gatewayType":"Vpn","vpnType":"RouteBased","sku":{"name":"VpnGw2AZ","tier":"VpnGw2AZ"},"provisioningState":"Succeeded","vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.200.0/24"]},"vpnClientProtocols":["OpenVPN"],"vpnAuthenticationTypes":["AAD"],"aadTenant":"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/","aadAudience":"c632b3df-fb67-4d84-bdcf-b95ad541b5c8"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","resource_type":"Microsoft.Network/virtualNetworkGateways","name":"vgw-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","name":"vgw-prod","type":"Microsoft.Network/virtualNetworkGateways","location":"westeurope","properties":{"gatewayType":"Vpn","vpnType":"RouteBased","sku":{"name":"VpnGw2AZ","tier":"VpnGw2AZ"},"provisioningState":"Succeeded","vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.200.0/24"]},"vpnClientProtocols":["OpenVPN"],"vpnAuthenticationTypes":["AAD"],"aadTenant":"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/","aadAudience":"c632b3df-fb67-4d84-bdcf-b95ad541b5c8"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-s2s","resource_type":"Microsoft.Network/virtualNetworkGateways","name":"vgw-s2s","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-s2s","name":"vgw-s2s","type":"Microsoft.Network/virtualNetworkGateways","location":"westeurope","properties":{"gatewayType":"Vpn","vpnType":"RouteBased"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","resource_type":"Microsoft.Network/virtualNetworkGateways","name":"vgw-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","name":"vgw-prod","type":"Microsoft.Network/virtualNetworkGateways","location":"westeurope","properties":{"gatewayType":"Vpn","vpnType":"RouteBased","sku":{"name":"VpnGw2AZ","tier":"VpnGw2AZ"},"provisioningState":"Succeeded","vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.200.0/24"]},"vpnClientProtocols":["OpenVPN"],"vpnAuthenticationTypes":["Certificate","AAD"],"aadTenant":"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/","aadAudience":"c632b3df-fb67-4d84-bdcf-b95ad541b5c8"}}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","resource_type":"Microsoft.Network/virtualNetworkGateways","name":"vgw-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworkGateways/vgw-prod","name":"vgw-prod","type":"Microsoft.Network/virtualNetworkGateways","location":"westeurope","properties":{"gatewayType":"Vpn","vpnType":"RouteBased","sku":{"name":"VpnGw2AZ","tier":"VpnGw2AZ"},"provisioningState":"Succeeded","vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.200.0/24"]},"vpnClientProtocols":["OpenVPN"],"vpnAuthenticationTypes":["Radius"],"aadTenant":"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/","aadAudience":"c632b3df-fb67-4d84-bdcf-b95ad541b5c8"}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let Some(p2s) = prop(r, "vpnClientConfiguration") else {
        return Ok(None); // no point-to-site configuration: nothing to judge
    };
    let types: Vec<&str> = p2s
        .get("vpnAuthenticationTypes")
        .and_then(Props::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Props::as_str)
        .collect();
    let ok = !types.is_empty() && types.iter().all(|t| t.eq_ignore_ascii_case("AAD"));
    Ok(Some((
        ok,
        if types.is_empty() {
            "no authentication type recorded for point-to-site (certificate by default)".to_string()
        } else {
            format!("point-to-site authentication: {}", types.join(", "))
        },
        json!({ "vpnAuthenticationTypes": types }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/virtualNetworkGateways", judge);
}
