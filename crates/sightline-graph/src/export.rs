//! The graph written for other tools: GraphML (Gephi, yEd, NetworkX), Graphviz DOT, and Cypher statements for
//! Neo4j (as Cartography users load their graphs).

use crate::{EdgeKind, Graph, ADMIN};
use sightline_model::PrincipalKind;
use std::fmt::Write as _;

/// Formats [`Graph`] can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    GraphMl,
    Dot,
    Cypher,
}

struct Node<'a> {
    id: &'a str,
    kind: &'static str,
    name: &'a str,
    admin: bool,
}

fn kind_name(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::Role => "role",
        _ => "principal",
    }
}

fn nodes(graph: &Graph) -> Vec<Node<'_>> {
    let mut out: Vec<Node<'_>> = graph
        .nodes
        .iter()
        .map(|(id, kind)| Node {
            id,
            kind: kind_name(*kind),
            name: id.rsplit(['/', ':']).next().unwrap_or(id),
            admin: graph.admins.contains(id),
        })
        .collect();
    if graph.edges.iter().any(|e| e.to == ADMIN) {
        out.push(Node { id: ADMIN, kind: "admin", name: "administrator", admin: true });
    }
    out
}

fn edge_kind(kind: &EdgeKind) -> &'static str {
    match kind {
        EdgeKind::MemberOf => "MEMBER_OF",
        EdgeKind::CanAssume => "CAN_ASSUME",
        EdgeKind::Technique(_) => "CAN_ESCALATE",
    }
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A double-quoted DOT string.
fn dot(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

/// A single-quoted Cypher string.
fn cypher(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'").replace('\n', "\\n"))
}

/// The graph as text in `format`.
pub fn export(graph: &Graph, format: ExportFormat) -> String {
    let nodes = nodes(graph);
    let mut out = String::new();
    match format {
        ExportFormat::GraphMl => {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
            for (id, on, name) in [
                ("kind", "node", "kind"),
                ("name", "node", "name"),
                ("admin", "node", "admin"),
                ("edge", "edge", "kind"),
                ("technique", "edge", "technique"),
                ("detail", "edge", "detail"),
                ("proof", "edge", "proof"),
            ] {
                let kind = if id == "admin" { "boolean" } else { "string" };
                let _ = writeln!(out, "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>");
            }
            out.push_str("  <graph id=\"sightline\" edgedefault=\"directed\">\n");
            for n in &nodes {
                let _ = writeln!(
                    out,
                    "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"name\">{}</data><data key=\"admin\">{}</data></node>",
                    xml(n.id),
                    n.kind,
                    xml(n.name),
                    n.admin
                );
            }
            for (i, e) in graph.edges.iter().enumerate() {
                let proof: Vec<String> = e.proof.iter().map(|s| format!("{} on {}", s.action, s.resource)).collect();
                let _ = writeln!(
                    out,
                    "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"edge\">{}</data><data key=\"technique\">{}</data><data key=\"detail\">{}</data><data key=\"proof\">{}</data></edge>",
                    xml(&e.from),
                    xml(&e.to),
                    edge_kind(&e.kind),
                    e.kind.id(),
                    xml(&e.detail),
                    xml(&proof.join("; "))
                );
            }
            out.push_str("  </graph>\n</graphml>\n");
        }
        ExportFormat::Dot => {
            out.push_str("digraph sightline {\n  rankdir=LR;\n");
            for n in &nodes {
                let shape = match n.kind {
                    "role" => "ellipse",
                    "group" => "folder",
                    "admin" => "doubleoctagon",
                    _ => "box",
                };
                let color = if n.admin { ", color=red" } else { "" };
                let _ = writeln!(out, "  {} [label={}, shape={shape}{color}];", dot(n.id), dot(n.name));
            }
            for e in &graph.edges {
                let _ = writeln!(out, "  {} -> {} [label={}];", dot(&e.from), dot(&e.to), dot(e.kind.id()));
            }
            out.push_str("}\n");
        }
        ExportFormat::Cypher => {
            for n in &nodes {
                let label = match n.kind {
                    "user" => "AWSUser",
                    "group" => "AWSGroup",
                    "role" => "AWSRole",
                    "admin" => "Administrator",
                    _ => "AWSPrincipal",
                };
                let _ = writeln!(
                    out,
                    "MERGE (n:SightlineNode:{label} {{arn: {}}}) SET n.name = {}, n.admin = {};",
                    cypher(n.id),
                    cypher(n.name),
                    n.admin
                );
            }
            for e in &graph.edges {
                let _ = writeln!(
                    out,
                    "MATCH (a:SightlineNode {{arn: {}}}), (b:SightlineNode {{arn: {}}}) MERGE (a)-[r:{} {{technique: {}}}]->(b) SET r.detail = {};",
                    cypher(&e.from),
                    cypher(&e.to),
                    edge_kind(&e.kind),
                    cypher(e.kind.id()),
                    cypher(&e.detail)
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Edge, Step};

    fn graph() -> Graph {
        Graph {
            nodes: vec![
                ("arn:aws:iam::1:user/a\"b<c>".into(), PrincipalKind::User),
                ("arn:aws:iam::1:role/r'x".into(), PrincipalKind::Role),
                ("arn:aws:iam::1:group/g".into(), PrincipalKind::Group),
            ],
            edges: vec![
                Edge {
                    from: "arn:aws:iam::1:user/a\"b<c>".into(),
                    to: "arn:aws:iam::1:role/r'x".into(),
                    kind: EdgeKind::CanAssume,
                    detail: "assumes r'x".into(),
                    proof: vec![Step { action: "sts:AssumeRole".into(), resource: "r".into(), statements: vec![] }],
                },
                Edge {
                    from: "arn:aws:iam::1:user/a\"b<c>".into(),
                    to: "arn:aws:iam::1:group/g".into(),
                    kind: EdgeKind::MemberOf,
                    detail: "member".into(),
                    proof: vec![],
                },
                Edge {
                    from: "arn:aws:iam::1:role/r'x".into(),
                    to: ADMIN.into(),
                    kind: EdgeKind::Technique("iam-put-role-policy"),
                    detail: "writes".into(),
                    proof: vec![],
                },
            ],
            admins: vec![],
            problems: vec![],
        }
    }

    #[test]
    fn every_format_holds_every_node_and_edge_escaped() {
        let g = graph();
        let ml = export(&g, ExportFormat::GraphMl);
        assert_eq!(ml.matches("<node ").count(), 4);
        assert_eq!(ml.matches("<edge ").count(), 3);
        assert!(ml.contains("user/a&quot;b&lt;c&gt;") && ml.contains("role/r&apos;x"), "{ml}");
        assert!(ml.contains("<data key=\"technique\">iam-put-role-policy</data>"));
        assert!(ml.trim_end().ends_with("</graphml>"));

        let d = export(&g, ExportFormat::Dot);
        assert!(d.starts_with("digraph sightline {") && d.trim_end().ends_with('}'));
        assert!(
            d.contains(r#""arn:aws:iam::1:user/a\"b<c>" -> "arn:aws:iam::1:role/r'x" [label="sts-assume-role"];"#),
            "{d}"
        );
        assert!(d.contains("shape=doubleoctagon"));

        let c = export(&g, ExportFormat::Cypher);
        assert_eq!(c.lines().filter(|l| l.starts_with("MERGE (n:")).count(), 4);
        assert_eq!(c.lines().filter(|l| l.starts_with("MATCH ")).count(), 3);
        assert!(c.contains(r"arn: 'arn:aws:iam::1:role/r\'x'"), "{c}");
        assert!(c.contains("[r:CAN_ESCALATE {technique: 'iam-put-role-policy'}]"), "{c}");
        assert!(c.contains(":Administrator {arn: 'admin'}"));
    }
}
