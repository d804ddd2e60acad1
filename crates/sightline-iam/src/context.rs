//! The request context: condition keys and their values. Key names are case-insensitive, as in IAM.

/// Maps keyed by snapshot strings: foldhash, seeded per process, hashes short keys several times faster than
/// SipHash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Condition keys of a request, each with one or more string values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: HashMap<String, Vec<String>>,
}

impl Context {
    /// Sets `key` to `values`, replacing what it had.
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        self.values.insert(key.to_ascii_lowercase(), values);
    }

    /// Adds one value to `key` (a key given twice is multi-valued).
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        self.values.entry(key.to_ascii_lowercase()).or_default().push(value.into());
    }

    /// Sets `key` only if the request does not already carry it (principal-derived keys yield to the caller's).
    pub fn insert_default(&mut self, key: &str, values: Vec<String>) {
        self.values.entry(key.to_ascii_lowercase()).or_insert(values);
    }

    /// The values of `key` (any case).
    pub fn get(&self, key: &str) -> Option<&[String]> {
        match self.values.get(key) {
            Some(v) => Some(v.as_slice()),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.values.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
            }
            None => None,
        }
    }

    /// Whether the request carries `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// All keys and values, sorted by key (for stable output).
    pub fn sorted(&self) -> Vec<(&str, &[String])> {
        let mut out: Vec<_> = self.values.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
        out.sort();
        out
    }
}
