//! Small helpers to write SDK values in the provider's own API shape (the SDK's types have no serializer).

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::Value;

/// An optional string.
pub fn s(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |v| Value::String(v.to_string()))
}

/// A timestamp in ISO 8601, as AWS's JSON APIs write it.
pub fn t(v: Option<&DateTime>) -> Value {
    v.and_then(|d| d.fmt(Format::DateTime).ok()).map_or(Value::Null, Value::String)
}

/// An optional boolean.
pub fn b(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

/// An optional integer.
pub fn i<T: Into<i64>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |n| Value::from(n.into()))
}

/// A list of strings.
pub fn list<S: AsRef<str>>(v: &[S]) -> Value {
    Value::Array(v.iter().map(|s| Value::String(s.as_ref().to_string())).collect())
}

/// Drops null members, so absent optional fields stay absent as in AWS's own JSON.
pub fn compact(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        map.retain(|_, x| !x.is_null());
    }
    v
}
