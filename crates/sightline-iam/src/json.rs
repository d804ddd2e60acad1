//! A JSON tree that borrows its strings from the text it was read from, for reading policy documents.
//!
//! `serde_json::Value` copies every string and, with `preserve_order`, hashes every object key into an
//! `IndexMap`. Policy documents are small objects read once and thrown away, so that work dominated reading them.
//! This tree keeps objects as a list of pairs in document order. A repeated key keeps its first position and takes
//! its last value, as `serde_json::Map` does, so policies read the same either way.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A JSON value whose strings borrow from the document where they contain no escape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// Reads a document.
    pub(crate) fn parse(text: &'a str) -> serde_json::Result<Json<'a>> {
        serde_json::from_str(text)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&[(Cow<'a, str>, Json<'a>)]> {
        match self {
            Json::Object(pairs) => Some(pairs),
            _ => None,
        }
    }
}

/// The value of `key` in an object's pairs.
pub(crate) fn get<'j, 'a>(pairs: &'j [(Cow<'a, str>, Json<'a>)], key: &str) -> Option<&'j Json<'a>> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Writes the value as compact JSON, the way `serde_json::Value` displays, for error messages.
impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Number(n) => write!(f, "{n}"),
            Json::String(s) => write_string(f, s),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Object(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    match serde_json::to_string(s) {
        Ok(quoted) => f.write_str(&quoted),
        Err(_) => Err(fmt::Error),
    }
}

/// A string that borrows when the deserializer can lend it.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// Objects with more keys than this find repeated keys through a hash set rather than a scan.
const SCAN_LIMIT: usize = 16;

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
                Ok(Json::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
                // JSON text has no NaN or infinity, so this always holds a number.
                Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
                let mut pairs: Vec<(Cow<'de, str>, Json<'de>)> = Vec::new();
                let mut index: Option<std::collections::HashMap<String, usize>> = None;
                while let Some(Str(key)) = map.next_key()? {
                    let value: Json<'de> = map.next_value()?;
                    let existing = match &index {
                        Some(index) => index.get(key.as_ref()).copied(),
                        None => pairs.iter().position(|(k, _)| *k == key),
                    };
                    match existing {
                        Some(i) => pairs[i].1 = value,
                        None => {
                            if let Some(index) = &mut index {
                                index.insert(key.to_string(), pairs.len());
                            }
                            pairs.push((key, value));
                            if index.is_none() && pairs.len() > SCAN_LIMIT {
                                index = Some(pairs.iter().enumerate().map(|(i, (k, _))| (k.to_string(), i)).collect());
                            }
                        }
                    }
                }
                Ok(Json::Object(pairs))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_serde_json_value() {
        let texts = [
            r#"{"a":1,"b":[true,null,"x\"y",-2,1.5,1e3],"a":"again","c":{}}"#,
            r#"[]"#,
            r#""é\u00e9""#,
            r#"{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":"late","k17":"late"}"#,
        ];
        for text in texts {
            let ours = Json::parse(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(same_as_serde(&ours), theirs, "{text}");
        }
        // A repeated key keeps its first place and takes its last value.
        let json = Json::parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        assert_eq!(json.to_string(), r#"{"b":3,"a":2}"#);
    }

    /// Our reading as `serde_json` holds it (whose objects are sorted by key), to compare contents.
    fn same_as_serde(json: &Json<'_>) -> serde_json::Value {
        serde_json::from_str(&json.to_string()).unwrap()
    }

    #[test]
    fn borrows_plain_strings() {
        let text = r#"{"Action":"s3:GetObject","Esc":"a\nb"}"#;
        let json = Json::parse(text).unwrap();
        let pairs = json.as_object().unwrap();
        assert!(matches!(pairs[0].0, Cow::Borrowed(_)));
        assert!(matches!(pairs[0].1, Json::String(Cow::Borrowed(_))));
        assert!(matches!(pairs[1].1, Json::String(Cow::Owned(_))));
        assert_eq!(get(pairs, "Esc").and_then(Json::as_str), Some("a\nb"));
    }

    /// JSON text with repeated keys, escapes, numbers of every kind and nesting, written by hand so that repeated
    /// keys (which `serde_json::Value` cannot hold) occur.
    fn json_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec!["\"a\"", "\"b\"", "\"Sid\"", "\"\\u0041\"", "\"\\n\"", "\"é\""]);
        let leaf = prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            (-1e6f64..1e6).prop_map(|f| format!("{f:e}")),
            "[a-z\\\\\"/ ]{0,6}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec((key.clone(), inner), 0..24).prop_map(|pairs| {
                    let body: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{{{}}}", body.join(","))
                }),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_document_reads_as_serde_json_reads_it(text in json_text()) {
            let ours = Json::parse(&text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(same_as_serde(&ours), theirs);
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in ["{", r#"{"a":}"#, "[1,]", &"[".repeat(200)] {
            assert!(Json::parse(text).is_err(), "{text}");
        }
    }
}
