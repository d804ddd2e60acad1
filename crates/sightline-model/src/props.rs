//! The properties of a resource: a JSON value held compactly.
//!
//! A snapshot holds millions of small property objects. `serde_json::Value` gives each object a B-tree node of
//! eleven slots and each key its own string; [`Props`] keeps an object as one boxed slice of pairs and shares its
//! key strings (the same few hundred names recur in every resource of a type), which makes a loaded snapshot about
//! half the size and quicker to read. Its methods are named like `serde_json::Value`'s.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// A JSON value; objects keep their keys in the order read (a repeated key keeps its last value). Two objects are
/// equal when they have the same keys with equal values, in any order.
#[derive(Debug, Clone, Default)]
pub enum Props {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Box<[Props]>),
    Object(Box<[(Arc<str>, Props)]>),
}

static NULL: Props = Props::Null;

impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        match (self, other) {
            (Props::Null, Props::Null) => true,
            (Props::Bool(a), Props::Bool(b)) => a == b,
            (Props::Number(a), Props::Number(b)) => a == b,
            (Props::String(a), Props::String(b)) => a == b,
            (Props::Array(a), Props::Array(b)) => a == b,
            (Props::Object(a), Props::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| other.get(k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

impl Props {
    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Props> {
        match self {
            Props::Object(pairs) => pairs.iter().find(|(k, _)| &**k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a JSON Pointer (RFC 6901), such as `/MetadataOptions/HttpTokens` or `/Grants/0`.
    pub fn pointer(&self, pointer: &str) -> Option<&Props> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut at = self;
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            at = match at {
                Props::Object(_) => at.get(&token)?,
                Props::Array(items) => {
                    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(at)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Props::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Props::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Props::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Props::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Props::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Props]> {
        match self {
            Props::Array(items) => Some(items),
            _ => None,
        }
    }

    /// An object's pairs, in the order read.
    pub fn as_object(&self) -> Option<&[(Arc<str>, Props)]> {
        match self {
            Props::Object(pairs) => Some(pairs),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Props::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Props::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Props::Array(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Props::String(_))
    }

    /// Sets `key` of an object to `value` (in place when present, last otherwise); false when this is not an object.
    pub fn insert(&mut self, key: &str, value: Props) -> bool {
        let Props::Object(pairs) = self else { return false };
        match pairs.iter_mut().find(|(k, _)| &**k == key) {
            Some(pair) => pair.1 = value,
            None => {
                let mut all = std::mem::take(pairs).into_vec();
                all.push((Arc::from(key), value));
                *pairs = all.into_boxed_slice();
            }
        }
        true
    }

    /// The same value as a `serde_json::Value`.
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Props::Null => serde_json::Value::Null,
            Props::Bool(b) => serde_json::Value::Bool(*b),
            Props::Number(n) => serde_json::Value::Number(n.clone()),
            Props::String(s) => serde_json::Value::String(s.to_string()),
            Props::Array(items) => serde_json::Value::Array(items.iter().map(Props::to_value).collect()),
            Props::Object(pairs) => {
                serde_json::Value::Object(pairs.iter().map(|(k, v)| (k.to_string(), v.to_value())).collect())
            }
        }
    }
}

impl From<serde_json::Value> for Props {
    fn from(value: serde_json::Value) -> Props {
        match value {
            serde_json::Value::Null => Props::Null,
            serde_json::Value::Bool(b) => Props::Bool(b),
            serde_json::Value::Number(n) => Props::Number(n),
            serde_json::Value::String(s) => Props::String(s.into()),
            serde_json::Value::Array(items) => Props::Array(items.into_iter().map(Props::from).collect()),
            serde_json::Value::Object(map) => {
                Props::Object(map.into_iter().map(|(k, v)| (key(&k), Props::from(v))).collect())
            }
        }
    }
}

impl std::ops::Index<&str> for Props {
    type Output = Props;
    /// Like `serde_json::Value`: `null` when there is no such key.
    fn index(&self, key: &str) -> &Props {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Props {
    type Output = Props;
    /// Like `serde_json::Value`: `null` when there is no such item.
    fn index(&self, i: usize) -> &Props {
        self.as_array().and_then(|items| items.get(i)).unwrap_or(&NULL)
    }
}

impl PartialEq<bool> for Props {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<str> for Props {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Props {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<i64> for Props {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<serde_json::Value> for Props {
    fn eq(&self, other: &serde_json::Value) -> bool {
        self.to_value() == *other
    }
}

/// Compact JSON, as `serde_json::Value` displays.
impl fmt::Display for Props {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Props {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Props::Null => serializer.serialize_unit(),
            Props::Bool(b) => serializer.serialize_bool(*b),
            Props::Number(n) => n.serialize(serializer),
            Props::String(s) => serializer.serialize_str(s),
            Props::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Props::Object(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs.iter() {
                    map.serialize_entry(&**k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Key strings already seen by this thread, shared by every object that uses them. Bounded: past this many
/// distinct keys, new ones are simply allocated.
const MAX_KEYS: usize = 16_384;

thread_local! {
    static KEYS: RefCell<HashSet<Arc<str>, foldhash::fast::RandomState>> = RefCell::default();
}

fn key(k: &str) -> Arc<str> {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some(shared) = keys.get(k) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(k);
        if keys.len() < MAX_KEYS {
            keys.insert(shared.clone());
        }
        shared
    })
}

impl<'de> Deserialize<'de> for Props {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Props, D::Error> {
        deserializer.deserialize_any(PropsVisitor)
    }
}

struct PropsVisitor;

impl<'de> Visitor<'de> for PropsVisitor {
    type Value = Props;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Props, E> {
        Ok(Props::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Props, E> {
        Ok(Props::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Props, E> {
        Ok(Props::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Props, E> {
        Number::from_f64(n).map(Props::Number).ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Props, E> {
        Ok(Props::String(s.into()))
    }

    fn visit_string<E>(self, s: String) -> Result<Props, E> {
        Ok(Props::String(s.into_boxed_str()))
    }

    fn visit_unit<E>(self) -> Result<Props, E> {
        Ok(Props::Null)
    }

    fn visit_none<E>(self) -> Result<Props, E> {
        Ok(Props::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Props, D::Error> {
        Props::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Props, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Props::Array(items.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Props, A::Error> {
        let mut pairs: Vec<(Arc<str>, Props)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(k) = map.next_key::<KeySeed>()? {
            let v: Props = map.next_value()?;
            // A repeated key keeps its first place and takes the last value, as `serde_json` reads it.
            match pairs.iter_mut().find(|(seen, _)| *seen == k.0) {
                Some(pair) => pair.1 = v,
                None => pairs.push((k.0, v)),
            }
        }
        Ok(Props::Object(pairs.into_boxed_slice()))
    }
}

/// An object key, read without allocating when it was seen before.
struct KeySeed(Arc<str>);

impl<'de> Deserialize<'de> for KeySeed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeySeed, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeySeed;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, s: &str) -> Result<KeySeed, E> {
                Ok(KeySeed(key(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_like_serde_json() {
        let texts = [
            r#"{"b":1,"a":[true,null,"x\"y",-2,1.5,1e3,18446744073709551615],"c":{},"d":{"e":"é"}}"#,
            r#"[]"#,
            r#""text""#,
            r#"{"k":1,"k":2}"#,
        ];
        for text in texts {
            let ours: Props = serde_json::from_str(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_value(), theirs, "{text}");
            assert_eq!(Props::from(theirs.clone()), ours, "{text}");
            let back: serde_json::Value = serde_json::from_str(&ours.to_string()).unwrap();
            assert_eq!(back, theirs, "{text}");
        }
        // Keys keep the order read.
        let ours: Props = serde_json::from_str(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        assert_eq!(ours.to_string(), r#"{"b":3,"a":2}"#);
    }

    #[test]
    fn lookups_answer_like_serde_json() {
        let p: Props = serde_json::from_str(r#"{"A":{"B":[{"C":true}],"a/b":1,"m~n":2},"S":"s","N":-3}"#).unwrap();
        assert_eq!(p.pointer("/A/B/0/C"), Some(&Props::Bool(true)));
        assert_eq!(p.pointer("/A/a~1b").and_then(Props::as_u64), Some(1));
        assert_eq!(p.pointer("/A/m~0n").and_then(Props::as_i64), Some(2));
        assert_eq!(p.pointer("/A/B/01"), None);
        assert_eq!(p.pointer("/A/B/1"), None);
        assert_eq!(p.pointer(""), Some(&p));
        assert_eq!(p.pointer("A"), None);
        assert!(p["A"]["B"][0]["C"] == true);
        assert!(p["missing"]["deeper"].is_null());
        assert!(p["S"] == "s");
        assert!(p["N"] == -3);
        assert_eq!(p.get("A").and_then(Props::as_object).map(<[_]>::len), Some(3));
        assert_eq!(p.as_array(), None);
        let mut q = p.clone();
        assert!(q.insert("S", Props::Bool(false)) && q.insert("T", Props::Null));
        assert_eq!(q.to_string(), r#"{"A":{"B":[{"C":true}],"a/b":1,"m~n":2},"S":false,"N":-3,"T":null}"#);
        assert!(!q["S"].clone().insert("x", Props::Null));
    }

    #[test]
    fn keys_are_shared() {
        let a: Props = serde_json::from_str(r#"{"SharedKeyName":1}"#).unwrap();
        let b: Props = serde_json::from_str(r#"{"SharedKeyName":2}"#).unwrap();
        let (ka, kb) = (&a.as_object().unwrap()[0].0, &b.as_object().unwrap()[0].0);
        assert!(Arc::ptr_eq(ka, kb));
    }
}
