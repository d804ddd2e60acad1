//! Reading security group and network ACL rules, which several network rules share.

use serde_json::{json, Value};
use sightline_model::Props;

/// The ports of remote server administration that CIS names: SSH and RDP.
pub(crate) const ADMIN_PORTS: &[u16] = &[22, 3389];

/// Why an open administration or file-sharing port matters: shared by the security-group rules.
pub(crate) const OPEN_PORT_RATIONALE: &str =
    "A port for remote administration or file sharing reachable from the whole \
     internet is scanned within minutes and exposed to password guessing and to every vulnerability of the \
     service behind it. Reach it through a bastion, Session Manager or a VPN instead.";

/// How to close such a port with Terraform.
pub(crate) const OPEN_PORT_TERRAFORM: &str = "resource \"aws_vpc_security_group_ingress_rule\" \"admin\" {\n  security_group_id = aws_security_group.this.id\n  ip_protocol       = \"tcp\"\n  from_port         = PORT\n  to_port           = PORT\n  cidr_ipv4         = \"10.0.0.0/8\" # a known range, never 0.0.0.0/0\n}";

/// Judges every security group: FAIL when an ingress rule lets `world` reach one of `ports`.
pub(crate) fn check_security_groups(
    scan: &crate::scan::Scan<'_>,
    out: &mut crate::scan::Out<'_>,
    world: &str,
    ports: &[u16],
) {
    let needs = out.meta().needs;
    let list = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(" or ");
    super::util::each_resource(scan, out, "AWS::EC2::SecurityGroup", needs, |group, out| {
        let open = open_ingress(&group.properties, world, ports);
        out.verdict(
            group,
            open.is_empty(),
            if open.is_empty() {
                format!("no ingress from {world} to port {list}")
            } else {
                format!("{} ingress rule(s) open port {list} to {world}", open.len())
            },
            json!({ "rules": open }),
        );
    });
}

/// Whether a rule's protocol and port range reach TCP `port`.
fn reaches(protocol: &str, from: Option<u64>, to: Option<u64>, port: u16) -> bool {
    let all = matches!(protocol, "-1" | "all");
    let tcp = matches!(protocol, "tcp" | "6");
    if all {
        return true;
    }
    tcp && match (from, to) {
        (Some(f), Some(t)) => f <= u64::from(port) && u64::from(port) <= t,
        _ => true,
    }
}

/// The CIDR strings of a rule's ranges (`["0.0.0.0/0"]`, or `[{"CidrIp": "0.0.0.0/0"}]` as the API writes them).
fn cidrs<'a>(rule: &'a Props, key: &str, inner: &str) -> Vec<&'a str> {
    rule.get(key)
        .and_then(Props::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().or_else(|| r.get(inner).and_then(Props::as_str)))
        .collect()
}

/// The security group's ingress rules that let `world` (`0.0.0.0/0` or `::/0`) reach one of `ports`.
pub(crate) fn open_ingress(group: &Props, world: &str, ports: &[u16]) -> Vec<Value> {
    let (key, inner) = if world.contains(':') { ("Ipv6Ranges", "CidrIpv6") } else { ("IpRanges", "CidrIp") };
    let mut hits = Vec::new();
    for rule in group.get("IpPermissions").and_then(Props::as_array).into_iter().flatten() {
        if !cidrs(rule, key, inner).contains(&world) {
            continue;
        }
        let protocol = rule.get("IpProtocol").and_then(Props::as_str).unwrap_or("");
        let (from, to) = (rule.get("FromPort").and_then(Props::as_u64), rule.get("ToPort").and_then(Props::as_u64));
        let open: Vec<u16> = ports.iter().copied().filter(|p| reaches(protocol, from, to, *p)).collect();
        if !open.is_empty() {
            hits.push(
                json!({ "protocol": protocol, "from_port": from, "to_port": to, "source": world, "ports": open }),
            );
        }
    }
    hits
}

/// The network ACL's ingress entries that allow the world (IPv4 or IPv6) to one of `ports`, in rule order and
/// honouring an earlier deny of the same traffic.
pub(crate) fn open_acl_ingress(acl: &Props, ports: &[u16]) -> Vec<Value> {
    let mut entries: Vec<&Props> = acl
        .get("Entries")
        .and_then(Props::as_array)
        .into_iter()
        .flatten()
        .filter(|e| e.get("Egress").and_then(Props::as_bool) == Some(false))
        .collect();
    entries.sort_by_key(|e| e.get("RuleNumber").and_then(Props::as_u64).unwrap_or(u64::MAX));
    let mut hits = Vec::new();
    for port in ports {
        for world in ["0.0.0.0/0", "::/0"] {
            // The first entry that matches the traffic decides it.
            let decisive = entries.iter().find(|e| {
                let cidr = e.get("CidrBlock").or_else(|| e.get("Ipv6CidrBlock")).and_then(Props::as_str);
                let protocol = e.get("Protocol").and_then(Props::as_str).unwrap_or("");
                let range = e.get("PortRange");
                let from = range.and_then(|r| r.get("From")).and_then(Props::as_u64);
                let to = range.and_then(|r| r.get("To")).and_then(Props::as_u64);
                cidr == Some(world) && reaches(protocol, from, to, *port)
            });
            if let Some(e) = decisive {
                if e.get("RuleAction").and_then(Props::as_str) == Some("allow") {
                    hits.push(json!({ "rule_number": e.get("RuleNumber"), "port": port, "source": world }));
                }
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_protocols() {
        let g: Props = json!({"IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 20, "ToPort": 25, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "-1", "Ipv6Ranges": ["::/0"]},
            {"IpProtocol": "udp", "FromPort": 3389, "ToPort": 3389, "IpRanges": ["0.0.0.0/0"]}
        ]})
        .into();
        assert_eq!(open_ingress(&g, "0.0.0.0/0", ADMIN_PORTS).len(), 1);
        assert_eq!(open_ingress(&g, "::/0", ADMIN_PORTS)[0]["ports"], json!([22, 3389]));
        let acl: Props = json!({"Entries": [
            {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}},
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}
        ]})
        .into();
        let hits = open_acl_ingress(&acl, ADMIN_PORTS);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0]["port"], json!(3389));
    }
}
