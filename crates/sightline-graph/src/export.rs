//! The graph written for other tools: GraphML (Gephi, yEd, NetworkX), Graphviz DOT, and Cypher statements for
//! Neo4j (as Cartography users load their graphs).

use crate::{Edge, EdgeKind, Graph, Node, NodeKind, ADMIN};

/// Formats [`Graph`] can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    GraphMl,
    Dot,
    Cypher,
}

struct Written<'a> {
    node: &'a Node,
    admin: bool,
}

/// The node kind as written in GraphML's `kind`.
fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::User => "user",
        NodeKind::Group => "group",
        NodeKind::Role => "role",
        NodeKind::ServicePrincipal => "service",
        NodeKind::IdentityProvider => "identity_provider",
        NodeKind::ExternalAccount => "external_account",
        NodeKind::Public => "public",
        NodeKind::Resource(_) => "resource",
        NodeKind::Classification => "classification",
        NodeKind::Admin => "admin",
        NodeKind::AzureUser => "azure_user",
        NodeKind::AzureGroup => "azure_group",
        NodeKind::AzureServicePrincipal => "azure_service_principal",
        NodeKind::ManagedIdentity => "managed_identity",
        NodeKind::AzureApplication => "azure_application",
        NodeKind::AzureTenant => "azure_tenant",
        NodeKind::ManagementGroup => "management_group",
        NodeKind::Subscription => "subscription",
        NodeKind::ResourceGroup => "resource_group",
    }
}

/// The node's Cypher label (after `SightlineNode`).
fn cypher_label(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::User => "AWSUser",
        NodeKind::Group => "AWSGroup",
        NodeKind::Role => "AWSRole",
        NodeKind::ServicePrincipal => "AWSService",
        NodeKind::IdentityProvider => "IdentityProvider",
        NodeKind::ExternalAccount => "AWSAccount",
        NodeKind::Public => "Public",
        NodeKind::Resource(_) => "Resource",
        NodeKind::Classification => "DataClassification",
        NodeKind::Admin => "Administrator",
        NodeKind::AzureUser => "AzureUser",
        NodeKind::AzureGroup => "AzureGroup",
        NodeKind::AzureServicePrincipal => "AzureServicePrincipal",
        NodeKind::ManagedIdentity => "AzureManagedIdentity",
        NodeKind::AzureApplication => "AzureApplication",
        NodeKind::AzureTenant => "AzureTenant",
        NodeKind::ManagementGroup => "AzureManagementGroup",
        NodeKind::Subscription => "AzureSubscription",
        NodeKind::ResourceGroup => "AzureResourceGroup",
    }
}

fn dot_shape(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Role => "ellipse",
        NodeKind::Group => "folder",
        NodeKind::ServicePrincipal => "hexagon",
        NodeKind::IdentityProvider => "house",
        NodeKind::ExternalAccount => "box3d",
        NodeKind::Public => "star",
        NodeKind::Resource(_) => "cylinder",
        NodeKind::Classification => "note",
        NodeKind::Admin => "doubleoctagon",
        NodeKind::User | NodeKind::AzureUser => "box",
        NodeKind::AzureGroup => "folder",
        NodeKind::AzureServicePrincipal | NodeKind::ManagedIdentity => "ellipse",
        NodeKind::AzureApplication => "component",
        NodeKind::AzureTenant | NodeKind::ManagementGroup | NodeKind::Subscription | NodeKind::ResourceGroup => "tab",
    }
}

fn resource_type(kind: &NodeKind) -> &str {
    match kind {
        NodeKind::Resource(t) => t,
        _ => "",
    }
}

/// The graph's nodes, and the [`ADMIN`] node when an edge leads to it and the graph does not hold it.
fn nodes(graph: &Graph) -> Vec<Written<'_>> {
    static ADMIN_NODE: std::sync::OnceLock<Node> = std::sync::OnceLock::new();
    let mut out: Vec<Written<'_>> = graph
        .nodes
        .iter()
        .map(|node| Written { node, admin: node.kind == NodeKind::Admin || graph.admins.contains(&node.id) })
        .collect();
    if !out.iter().any(|w| w.node.id == ADMIN) && graph.edges.iter().any(|e| e.to == ADMIN) {
        let node = ADMIN_NODE.get_or_init(|| Node {
            id: ADMIN.to_string(),
            kind: NodeKind::Admin,
            name: "administrator".to_string(),
        });
        out.push(Written { node, admin: true });
    }
    out
}

fn edge_kind(kind: &EdgeKind) -> &'static str {
    match kind {
        EdgeKind::MemberOf => "MEMBER_OF",
        EdgeKind::CanAssume => "CAN_ASSUME",
        EdgeKind::Technique(_) => "CAN_ESCALATE",
        EdgeKind::CanPassRole => "CAN_PASS_ROLE",
        EdgeKind::HasAccess(_) => "HAS_ACCESS",
        EdgeKind::ClassifiedAs => "CLASSIFIED_AS",
        EdgeKind::Azure { id: "contains", .. } => "CONTAINS",
        EdgeKind::Azure { id: "has-role", .. } => "HAS_ROLE",
        EdgeKind::Azure { id: "owns", .. } => "OWNS",
        EdgeKind::Azure { moves: true, .. } => "CAN_ESCALATE",
        EdgeKind::Azure { moves: false, .. } => "HAS_ACCESS",
    }
}

/// The access levels of a `has-access` edge, as AWS spells them; empty for other edges.
fn access_levels(e: &Edge) -> Vec<&'static str> {
    match &e.kind {
        EdgeKind::HasAccess(levels) => levels.iter().map(|l| l.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml(&mut out, text);
    out
}

/// Appends `text` escaped for XML (characters XML 1.0 forbids are dropped).
fn push_xml(out: &mut String, text: &str) {
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
}

/// A double-quoted DOT string.
fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text, '"');
    out
}

/// A single-quoted Cypher string.
fn cypher(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text, '\'');
    out
}

/// Appends `text` between `quote`s, with backslashes, the quote and line breaks escaped (DOT and Cypher alike).
fn push_quoted(out: &mut String, text: &str, quote: char) {
    out.push(quote);
    let mut rest = text;
    while let Some(at) = rest.find(['\\', quote, '\n']) {
        out.push_str(&rest[..at]);
        match rest[at..].chars().next() {
            Some('\n') => out.push_str("\\n"),
            Some(c) => {
                out.push('\\');
                out.push(c);
            }
            None => {}
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push(quote);
}

/// Appends one edge in `format`; `id` names it in GraphML.
fn push_edge(out: &mut String, format: ExportFormat, id: std::fmt::Arguments<'_>, e: &Edge) {
    use std::fmt::Write as _;
    let levels = access_levels(e);
    // Writing to a String cannot fail.
    match format {
        ExportFormat::GraphMl => {
            let _ = write!(out, "    <edge id=\"{id}\" source=\"");
            push_xml(out, &e.from);
            out.push_str("\" target=\"");
            push_xml(out, &e.to);
            let _ = write!(
                out,
                "\"><data key=\"edge\">{}</data><data key=\"technique\">{}</data><data key=\"detail\">",
                edge_kind(&e.kind),
                e.kind.id()
            );
            push_xml(out, &e.detail);
            out.push_str("</data><data key=\"proof\">");
            for (i, step) in e.proof.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                push_xml(out, &step.action);
                out.push_str(" on ");
                push_xml(out, &step.resource);
            }
            out.push_str("</data>");
            if !levels.is_empty() {
                out.push_str("<data key=\"access_levels\">");
                push_xml(out, &levels.join(", "));
                out.push_str("</data>");
            }
            out.push_str("</edge>\n");
        }
        ExportFormat::Dot => {
            out.push_str("  ");
            push_quoted(out, &e.from, '"');
            out.push_str(" -> ");
            push_quoted(out, &e.to, '"');
            out.push_str(" [label=");
            if levels.is_empty() {
                push_quoted(out, e.kind.id(), '"');
            } else {
                push_quoted(out, &format!("{}: {}", e.kind.id(), levels.join(", ")), '"');
            }
            out.push_str("];\n");
        }
        ExportFormat::Cypher => {
            out.push_str("MATCH (a:SightlineNode {arn: ");
            push_quoted(out, &e.from, '\'');
            out.push_str("}), (b:SightlineNode {arn: ");
            push_quoted(out, &e.to, '\'');
            let _ = write!(out, "}}) MERGE (a)-[r:{} {{technique: ", edge_kind(&e.kind));
            push_quoted(out, e.kind.id(), '\'');
            out.push_str("}]->(b) SET r.detail = ");
            push_quoted(out, &e.detail, '\'');
            if !levels.is_empty() {
                out.push_str(", r.access_levels = [");
                for (i, l) in levels.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_quoted(out, l, '\'');
                }
                out.push(']');
            }
            out.push_str(";\n");
        }
    }
}

/// The graph as text in `format`.
pub fn export(graph: &Graph, format: ExportFormat) -> String {
    let mut out = Vec::new();
    let written = (|| -> std::io::Result<()> {
        let mut w = Writer::begin(format, &mut out)?;
        for n in nodes(graph) {
            w.node(n.node, n.admin)?;
        }
        for e in &graph.edges {
            w.edge(e)?;
        }
        w.finish()
    })();
    // Writing to a vector cannot fail, and every piece written is UTF-8.
    debug_assert!(written.is_ok());
    String::from_utf8(out).unwrap_or_default()
}

/// Writes a graph in one of the formats piece by piece (the header, every node, every edge, the end), so that a
/// graph too large to hold can be written as it is computed (see [`crate::Graph::stream`]).
pub struct Writer<'w> {
    format: ExportFormat,
    out: &'w mut dyn std::io::Write,
    edges: usize,
}

impl<'w> Writer<'w> {
    /// Writes the header of `format`.
    pub fn begin(format: ExportFormat, out: &'w mut dyn std::io::Write) -> std::io::Result<Writer<'w>> {
        match format {
            ExportFormat::GraphMl => {
                out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
                out.write_all(b"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n")?;
                for (id, on, name) in [
                    ("kind", "node", "kind"),
                    ("name", "node", "name"),
                    ("admin", "node", "admin"),
                    ("resource_type", "node", "resource_type"),
                    ("edge", "edge", "kind"),
                    ("technique", "edge", "technique"),
                    ("detail", "edge", "detail"),
                    ("proof", "edge", "proof"),
                    ("access_levels", "edge", "access_levels"),
                ] {
                    let kind = if id == "admin" { "boolean" } else { "string" };
                    writeln!(out, "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>")?;
                }
                out.write_all(b"  <graph id=\"sightline\" edgedefault=\"directed\">\n")?;
            }
            ExportFormat::Dot => out.write_all(b"digraph sightline {\n  rankdir=LR;\n")?,
            ExportFormat::Cypher => {}
        }
        Ok(Writer { format, out, edges: 0 })
    }

    /// Writes one node; `admin` marks an effective administrator.
    pub fn node(&mut self, n: &Node, admin: bool) -> std::io::Result<()> {
        let out = &mut *self.out;
        match self.format {
            ExportFormat::GraphMl => {
                let rtype = resource_type(&n.kind);
                let rtype = if rtype.is_empty() {
                    String::new()
                } else {
                    format!("<data key=\"resource_type\">{}</data>", xml(rtype))
                };
                writeln!(
                    out,
                    "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"name\">{}</data><data key=\"admin\">{}</data>{rtype}</node>",
                    xml(&n.id),
                    kind_name(&n.kind),
                    xml(&n.name),
                    admin
                )
            }
            ExportFormat::Dot => {
                let shape = dot_shape(&n.kind);
                let color = if admin { ", color=red" } else { "" };
                writeln!(out, "  {} [label={}, shape={shape}{color}];", dot(&n.id), dot(&n.name))
            }
            ExportFormat::Cypher => {
                let rtype = resource_type(&n.kind);
                let rtype =
                    if rtype.is_empty() { String::new() } else { format!(", n.resource_type = {}", cypher(rtype)) };
                writeln!(
                    out,
                    "MERGE (n:SightlineNode:{} {{arn: {}}}) SET n.name = {}, n.admin = {}{rtype};",
                    cypher_label(&n.kind),
                    cypher(&n.id),
                    cypher(&n.name),
                    admin
                )
            }
        }
    }

    /// Writes one edge (after every node).
    pub fn edge(&mut self, e: &Edge) -> std::io::Result<()> {
        let i = self.edges;
        self.edges += 1;
        let mut text = String::new();
        push_edge(&mut text, self.format, format_args!("e{i}"), e);
        self.out.write_all(text.as_bytes())
    }

    /// The text of one principal's moves (see [`crate::Graph::stream_mapped`]), made on any thread: `principal`,
    /// the principal's place in the order of moves, keeps the GraphML edge ids unique (`m{principal}.{n}`).
    pub fn moves_text(format: ExportFormat, principal: usize, edges: &[Edge]) -> String {
        let mut text = String::with_capacity(edges.len() * 128);
        for (n, e) in edges.iter().enumerate() {
            push_edge(&mut text, format, format_args!("m{principal}.{n}"), e);
        }
        text
    }

    /// Writes text made by [`moves_text`](Self::moves_text).
    pub fn moves(&mut self, text: &str) -> std::io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    /// Writes the end of the document.
    pub fn finish(self) -> std::io::Result<()> {
        match self.format {
            ExportFormat::GraphMl => self.out.write_all(b"  </graph>\n</graphml>\n")?,
            ExportFormat::Dot => self.out.write_all(b"}\n")?,
            ExportFormat::Cypher => {}
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Edge, Step};
    use sightline_iam::actions::AccessLevel;

    fn node(id: &str, kind: NodeKind) -> Node {
        Node { id: id.into(), kind, name: id.rsplit(['/', ':']).next().unwrap().into() }
    }

    fn graph() -> Graph {
        Graph {
            nodes: vec![
                node("arn:aws:iam::1:user/a\"b<c>", NodeKind::User),
                node("arn:aws:iam::1:role/r'x", NodeKind::Role),
                node("arn:aws:iam::1:group/g", NodeKind::Group),
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

    /// Every node kind and every new edge kind, with their labels and properties.
    #[test]
    fn new_kinds_are_labelled() {
        let bucket = "arn:aws:s3:::b'<1>";
        let mut g = graph();
        g.nodes.extend([
            node("lambda.amazonaws.com", NodeKind::ServicePrincipal),
            node("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com", NodeKind::IdentityProvider),
            node("arn:aws:iam::999999999999:root", NodeKind::ExternalAccount),
            node("*", NodeKind::Public),
            Node { id: bucket.into(), kind: NodeKind::Resource("AWS::S3::Bucket".into()), name: "b'<1>".into() },
            node("classification:pii", NodeKind::Classification),
        ]);
        g.edges.extend([
            Edge {
                from: "arn:aws:iam::1:user/a\"b<c>".into(),
                to: "arn:aws:iam::1:role/r'x".into(),
                kind: EdgeKind::CanPassRole,
                detail: "may pass r'x to lambda.amazonaws.com".into(),
                proof: vec![],
            },
            Edge {
                from: "arn:aws:iam::999999999999:root".into(),
                to: bucket.into(),
                kind: EdgeKind::HasAccess(vec![AccessLevel::Read, AccessLevel::PermissionsManagement]),
                detail: "reads".into(),
                proof: vec![],
            },
            Edge {
                from: bucket.into(),
                to: "classification:pii".into(),
                kind: EdgeKind::ClassifiedAs,
                detail: "holds pii".into(),
                proof: vec![],
            },
        ]);
        let c = export(&g, ExportFormat::Cypher);
        for label in [
            ":AWSUser {",
            ":AWSRole {",
            ":AWSGroup {",
            ":AWSService {arn: 'lambda.amazonaws.com'}",
            ":IdentityProvider {",
            ":AWSAccount {arn: 'arn:aws:iam::999999999999:root'}",
            ":Public {arn: '*'}",
            r":Resource {arn: 'arn:aws:s3:::b\'<1>'}) SET n.name = 'b\'<1>', n.admin = false, n.resource_type = 'AWS::S3::Bucket';",
            ":DataClassification {arn: 'classification:pii'}",
            "[r:CAN_PASS_ROLE {technique: 'can-pass-role'}]",
            "[r:HAS_ACCESS {technique: 'has-access'}]->(b) SET r.detail = 'reads', r.access_levels = ['Read', 'Permissions management'];",
            "[r:CLASSIFIED_AS {technique: 'classified-as'}]",
        ] {
            assert!(c.contains(label), "{label}\n{c}");
        }
        let ml = export(&g, ExportFormat::GraphMl);
        assert_eq!(ml.matches("<node ").count(), 10);
        assert_eq!(ml.matches("<edge ").count(), 6);
        for part in [
            "<data key=\"kind\">service</data>",
            "<data key=\"kind\">identity_provider</data>",
            "<data key=\"kind\">external_account</data>",
            "<data key=\"kind\">public</data>",
            "<node id=\"arn:aws:s3:::b&apos;&lt;1&gt;\"><data key=\"kind\">resource</data><data key=\"name\">b&apos;&lt;1&gt;</data><data key=\"admin\">false</data><data key=\"resource_type\">AWS::S3::Bucket</data></node>",
            "<data key=\"kind\">classification</data>",
            "<data key=\"edge\">HAS_ACCESS</data>",
            "<data key=\"access_levels\">Read, Permissions management</data>",
            "<data key=\"edge\">CAN_PASS_ROLE</data>",
            "<data key=\"edge\">CLASSIFIED_AS</data>",
        ] {
            assert!(ml.contains(part), "{part}\n{ml}");
        }
        let d = export(&g, ExportFormat::Dot);
        for part in [
            r#""lambda.amazonaws.com" [label="lambda.amazonaws.com", shape=hexagon];"#,
            r#""arn:aws:s3:::b'<1>" [label="b'<1>", shape=cylinder];"#,
            r#""arn:aws:iam::999999999999:root" -> "arn:aws:s3:::b'<1>" [label="has-access: Read, Permissions management"];"#,
            r#"-> "classification:pii" [label="classified-as"];"#,
            "shape=house",
            "shape=box3d",
            "shape=note",
        ] {
            assert!(d.contains(part), "{part}\n{d}");
        }
    }
}
