//! Reads an export file as JSON, keeping what can be kept when the file is cut short or a record is malformed.
//!
//! A whole, valid file is parsed in one go. When that fails, the file is walked structurally: the members of the top
//! object (or the items of a top array) are delimited by bracket depth, outside strings, and each is parsed on its
//! own, so that one bad record or a missing tail loses only what it must.

use serde_json::{Map, Value};

/// The keys under which the exports hold their records: `value` (ARM and Graph list responses), `data` (Resource
/// Graph, `az graph query`, AzureHound).
const RECORD_KEYS: [&str; 2] = ["value", "data"];

/// One record of a file: parsed, or the reason it could not be.
#[derive(Debug)]
pub(crate) enum Item {
    Ok(Value),
    Malformed(String),
}

/// A file read as far as it could be.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The members of the top object other than the records (`@odata.context`, `totalRecords`, `meta`, ...); for a
    /// single object without a records array, the whole object.
    pub envelope: Map<String, Value>,
    /// The key the records were found under, `None` for a top-level array or a single object.
    pub records_key: Option<String>,
    /// Whether the file is a top-level array.
    pub bare_array: bool,
    /// The records, in the file's order.
    pub items: Vec<Item>,
    /// Why the file could not be read whole (cut short, or malformed past some point), if so.
    pub problem: Option<String>,
}

impl Parsed {
    /// Whether anything at all was recovered.
    pub fn is_empty(&self) -> bool {
        self.envelope.is_empty() && self.items.is_empty() && !self.bare_array && self.records_key.is_none()
    }
}

/// Reads `bytes` as one JSON document, or as much of one as can be salvaged.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => from_value(value),
        Err(whole) => {
            let mut salvaged = salvage(bytes);
            if salvaged.is_empty() {
                return Err(format!("not JSON: {whole}"));
            }
            // The walk found every part whole: what the parser objected to lies outside them (text after the
            // end of the document, say).
            if salvaged.problem.is_none() && !salvaged.items.iter().any(|i| matches!(i, Item::Malformed(_))) {
                salvaged.problem = Some(format!("malformed JSON: {whole}"));
            }
            Ok(salvaged)
        }
    }
}

/// Splits a parsed document into its envelope and records.
pub(crate) fn from_value(value: Value) -> Result<Parsed, String> {
    match value {
        Value::Array(items) => {
            Ok(Parsed { bare_array: true, items: items.into_iter().map(Item::Ok).collect(), ..Default::default() })
        }
        Value::Object(mut map) => {
            let key = RECORD_KEYS.iter().find(|k| map.get(**k).is_some_and(Value::is_array)).copied();
            let mut parsed = Parsed::default();
            if let Some(key) = key {
                if let Some(Value::Array(items)) = map.remove(key) {
                    parsed.items = items.into_iter().map(Item::Ok).collect();
                }
                parsed.records_key = Some(key.to_string());
            } else if let Some(Value::Object(table)) = map.get("data") {
                // Resource Graph's `table` result format: `{"columns": [{"name", "type"}], "rows": [[...]]}`.
                if let Some(rows) = table_rows(table) {
                    parsed.items = rows.into_iter().map(Item::Ok).collect();
                    parsed.records_key = Some("data".to_string());
                    map.remove("data");
                }
            }
            parsed.envelope = map;
            Ok(parsed)
        }
        other => Err(format!("a JSON {} where an object or an array was expected", kind_name(&other))),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The rows of a Resource Graph table result as objects keyed by column name.
fn table_rows(table: &Map<String, Value>) -> Option<Vec<Value>> {
    let columns: Vec<&str> = table
        .get("columns")?
        .as_array()?
        .iter()
        .map(|c| c.get("name").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    let rows = table.get("rows")?.as_array()?;
    Some(
        rows.iter()
            .map(|row| {
                let cells = row.as_array().map(Vec::as_slice).unwrap_or_default();
                Value::Object(columns.iter().zip(cells).map(|(c, v)| ((*c).to_string(), v.clone())).collect())
            })
            .collect(),
    )
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end (exclusive) of the JSON value that starts at `i`, found from its structure alone; `None` if the input
/// ends first.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    match first {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace() {
                j += 1;
            }
            // A scalar that runs to the end of the input may itself be cut short.
            (j < b.len()).then_some(j)
        }
    }
}

/// The end (exclusive) of the string whose opening quote is at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// Recovers what it can of a document that does not parse whole.
fn salvage(b: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let i = skip_ws(b, 0);
    match b.get(i) {
        Some(b'[') => {
            out.bare_array = true;
            items(b, i, &mut out);
        }
        Some(b'{') => members(b, i, &mut out),
        _ => {}
    }
    out
}

/// Reads the members of the object at `i`, splitting a records array into items.
fn members(b: &[u8], start: usize, out: &mut Parsed) {
    let mut i = skip_ws(b, start + 1);
    loop {
        match b.get(i) {
            None => {
                out.problem = Some("the file is cut short".to_string());
                return;
            }
            Some(b'}') => return,
            Some(b'"') => {}
            Some(_) => {
                out.problem = Some(format!("malformed JSON at byte {i}"));
                return;
            }
        }
        let Some(key_end) = string_end(b, i) else {
            out.problem = Some("the file is cut short".to_string());
            return;
        };
        let Ok(key) = serde_json::from_slice::<String>(&b[i..key_end]) else {
            out.problem = Some(format!("malformed JSON at byte {i}"));
            return;
        };
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            out.problem = Some(if i >= b.len() {
                "the file is cut short".to_string()
            } else {
                format!("malformed JSON at byte {i}")
            });
            return;
        }
        i = skip_ws(b, i + 1);
        if RECORD_KEYS.contains(&key.as_str()) && b.get(i) == Some(&b'[') && out.records_key.is_none() {
            out.records_key = Some(key);
            match items(b, i, out) {
                Some(end) => i = end,
                None => return,
            }
        } else {
            let Some(end) = value_end(b, i) else {
                out.problem = Some(format!("the file is cut short in the value of \"{key}\""));
                return;
            };
            match serde_json::from_slice::<Value>(&b[i..end]) {
                Ok(v) => {
                    out.envelope.insert(key, v);
                }
                Err(e) => {
                    out.problem = Some(format!("the value of \"{key}\" is malformed: {e}"));
                }
            }
            i = end;
        }
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return,
            None => {
                out.problem = Some("the file is cut short".to_string());
                return;
            }
            Some(_) => {
                out.problem = Some(format!("malformed JSON at byte {i}"));
                return;
            }
        }
    }
}

/// Reads the items of the array at `start`; returns the position after the array, or `None` if the rest of the file
/// cannot be followed (the problem is then set).
fn items(b: &[u8], start: usize, out: &mut Parsed) -> Option<usize> {
    let mut i = skip_ws(b, start + 1);
    if b.get(i) == Some(&b']') {
        return Some(i + 1);
    }
    loop {
        if i >= b.len() {
            out.problem = Some(format!("the file is cut short after record {}", out.items.len()));
            return None;
        }
        let Some(end) = value_end(b, i) else {
            out.problem = Some(format!("the file is cut short in record {}", out.items.len()));
            return None;
        };
        match serde_json::from_slice::<Value>(&b[i..end]) {
            Ok(v) => out.items.push(Item::Ok(v)),
            Err(e) => out.items.push(Item::Malformed(e.to_string())),
        }
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b']') => return Some(i + 1),
            None => {
                out.problem = Some(format!("the file is cut short after record {}", out.items.len() - 1));
                return None;
            }
            Some(_) => {
                out.problem = Some(format!("malformed JSON after record {}", out.items.len() - 1));
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_count(p: &Parsed) -> usize {
        p.items.iter().filter(|i| matches!(i, Item::Ok(_))).count()
    }

    #[test]
    fn whole_documents_split_into_envelope_and_records() {
        let p = parse(br#"{"@odata.context":"x","value":[{"id":"1"},{"id":"2"}]}"#).unwrap();
        assert_eq!(p.records_key.as_deref(), Some("value"));
        assert_eq!(ok_count(&p), 2);
        assert_eq!(p.envelope["@odata.context"], "x");
        assert!(p.problem.is_none());
        let p = parse(b"[1, 2]").unwrap();
        assert!(p.bare_array && p.items.len() == 2);
        assert!(parse(b"42").is_err());
        assert!(parse(b"hello").is_err());
    }

    #[test]
    fn truncated_files_keep_their_whole_records() {
        let p =
            parse(br#"{"totalRecords": 3, "data": [{"id": "a", "s": "x}]"}, {"id": "b"}, {"id": "c", "pro"#).unwrap();
        assert_eq!(ok_count(&p), 2);
        assert_eq!(p.envelope["totalRecords"], 3);
        assert!(p.problem.as_deref().unwrap().contains("cut short in record 2"), "{:?}", p.problem);
        let p = parse(br#"[{"id": "a"}, {"id": "b"},"#).unwrap();
        assert_eq!(ok_count(&p), 2);
        assert!(p.problem.is_some());
    }

    #[test]
    fn a_malformed_record_is_reported_and_the_rest_kept() {
        let p = parse(br#"{"value": [{"id": "a"}, {"id": "b",, "x": 1}, {"id": "c"}], "nextLink": null}"#).unwrap();
        assert_eq!(p.items.len(), 3);
        assert!(matches!(p.items[1], Item::Malformed(_)));
        assert_eq!(ok_count(&p), 2);
        assert!(p.envelope.contains_key("nextLink"));
    }

    #[test]
    fn text_after_the_document_is_reported() {
        let p = parse(br#"{"value": [{"id": "a"}]} trailing"#).unwrap();
        assert_eq!(ok_count(&p), 1);
        assert!(p.problem.as_deref().unwrap().contains("trailing"), "{:?}", p.problem);
    }

    #[test]
    fn table_results_become_objects() {
        let p = parse(
            br#"{"data": {"columns": [{"name": "id", "type": "string"}, {"name": "type"}], "rows": [["/x", "t"]]}}"#,
        )
        .unwrap();
        match &p.items[0] {
            Item::Ok(v) => assert_eq!(v["type"], "t"),
            Item::Malformed(e) => panic!("{e}"),
        }
    }
}
