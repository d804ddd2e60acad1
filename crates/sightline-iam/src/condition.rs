//! Condition operators and their evaluation, following IAM's documented rules:
//! values of one key are ORed (NORed for negated operators), keys and operators are ANDed; a missing key makes a
//! positive operator false and a negated operator true; `...IfExists` makes a missing key true; `Null` tests
//! presence; `ForAllValues` is true on an empty or missing set, `ForAnyValue` false.

use crate::context::Context;
use crate::pattern::Pattern;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::net::IpAddr;

/// The comparison an operator makes, without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const OPERATORS: &[(&str, BaseOperator)] = &[
    ("StringEquals", BaseOperator::StringEquals),
    ("StringNotEquals", BaseOperator::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOperator::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", BaseOperator::StringNotEqualsIgnoreCase),
    ("StringLike", BaseOperator::StringLike),
    ("StringNotLike", BaseOperator::StringNotLike),
    ("NumericEquals", BaseOperator::NumericEquals),
    ("NumericNotEquals", BaseOperator::NumericNotEquals),
    ("NumericLessThan", BaseOperator::NumericLessThan),
    ("NumericLessThanEquals", BaseOperator::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOperator::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOperator::NumericGreaterThanEquals),
    ("DateEquals", BaseOperator::DateEquals),
    ("DateNotEquals", BaseOperator::DateNotEquals),
    ("DateLessThan", BaseOperator::DateLessThan),
    ("DateLessThanEquals", BaseOperator::DateLessThanEquals),
    ("DateGreaterThan", BaseOperator::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOperator::DateGreaterThanEquals),
    ("Bool", BaseOperator::Bool),
    ("BinaryEquals", BaseOperator::BinaryEquals),
    ("IpAddress", BaseOperator::IpAddress),
    ("NotIpAddress", BaseOperator::NotIpAddress),
    ("ArnEquals", BaseOperator::ArnEquals),
    ("ArnLike", BaseOperator::ArnLike),
    ("ArnNotEquals", BaseOperator::ArnNotEquals),
    ("ArnNotLike", BaseOperator::ArnNotLike),
    ("Null", BaseOperator::Null),
];

impl BaseOperator {
    /// Negated operators are true when the key is missing, and NOR their values.
    pub fn is_negated(self) -> bool {
        use BaseOperator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The positive operator a negated one is the complement of.
    fn positive(self) -> BaseOperator {
        use BaseOperator::*;
        match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            NotIpAddress => IpAddress,
            ArnNotEquals => ArnEquals,
            ArnNotLike => ArnLike,
            other => other,
        }
    }

    /// Whether policy variables are substituted in this operator's values.
    fn takes_variables(self) -> bool {
        use BaseOperator::*;
        matches!(self.positive(), StringEquals | StringEqualsIgnoreCase | StringLike | ArnEquals | ArnLike | Bool)
    }

    /// The operator's name as written in policies.
    pub fn name(self) -> &'static str {
        OPERATORS.iter().find(|(_, op)| *op == self).map(|(n, _)| *n).unwrap_or("?")
    }
}

/// A set operator prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOperator {
    ForAllValues,
    ForAnyValue,
}

/// A full condition operator: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub base: BaseOperator,
    pub set: Option<SetOperator>,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name; unknown names are an error (IAM rejects them).
    pub fn parse(name: &str) -> Result<Operator, String> {
        let (set, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Some(SetOperator::ForAllValues), r)
        } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Some(SetOperator::ForAnyValue), r)
        } else {
            (None, name)
        };
        let (if_exists, base_name) = match rest.strip_suffix("IfExists") {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let base = OPERATORS
            .iter()
            .find(|(n, _)| *n == base_name)
            .map(|(_, op)| *op)
            .ok_or_else(|| format!("unknown condition operator {name:?}"))?;
        if base == BaseOperator::Null && (if_exists || set.is_some()) {
            return Err(format!("unknown condition operator {name:?}: Null takes no IfExists or set prefix"));
        }
        Ok(Operator { base, set, if_exists })
    }
}

/// One condition: an operator applied to one key with one or more values.
#[derive(Debug, Clone)]
pub struct Condition {
    pub operator: Operator,
    /// The key as written.
    pub key: String,
    key_lower: String,
    pub values: Vec<Pattern>,
}

impl Condition {
    /// Builds a condition, checking the values fit the operator (a date that is no date is rejected by IAM).
    pub fn new(operator: Operator, key: &str, values: Vec<String>, variables: bool) -> Result<Condition, String> {
        if values.is_empty() {
            return Err(format!("condition on {key} has no values"));
        }
        // Policy variables are substituted in string, ARN and Bool values only; elsewhere `${...}` stays literal
        // text (and so fails the value check below).
        let variables = variables && operator.base.takes_variables();
        let mut patterns = Vec::with_capacity(values.len());
        for v in &values {
            let p = Pattern::parse(v, variables)?;
            // A `${...}` where variables are not substituted is literal text that can never match; AWS accepts the
            // policy, so we must read it too rather than reject it.
            if !p.has_variables() && !v.contains("${") {
                check_value(operator.base, v)
                    .map_err(|e| format!("condition {} on {key}: {e}", operator.base.name()))?;
            }
            patterns.push(p);
        }
        Ok(Condition { operator, key: key.to_string(), key_lower: key.to_ascii_lowercase(), values: patterns })
    }

    /// Whether the condition holds for the request.
    pub fn evaluate(&self, ctx: &Context) -> bool {
        let request = ctx.get(&self.key_lower);
        let op = self.operator;
        if op.base == BaseOperator::Null {
            // "true": the key must be absent; "false": present.
            let absent = request.is_none_or(|v| v.is_empty());
            return self.values.iter().any(|v| match v.as_str().to_ascii_lowercase().as_str() {
                "true" => absent,
                "false" => !absent,
                _ => false,
            });
        }
        let request = match request {
            Some(v) if !v.is_empty() => v,
            _ => {
                return match op.set {
                    Some(SetOperator::ForAllValues) => true,
                    Some(SetOperator::ForAnyValue) => op.if_exists,
                    None => op.if_exists || op.base.is_negated(),
                };
            }
        };
        let negated = op.base.is_negated();
        let positive = op.base.positive();
        // A request value "matches" when it satisfies the operator against at least one policy value; for a
        // negated operator, when it equals none of them.
        let value_matches = |rv: &str| {
            let any = self.values.iter().any(|pv| compare(positive, rv, pv, ctx));
            any != negated
        };
        match op.set {
            Some(SetOperator::ForAllValues) => request.iter().all(|rv| value_matches(rv)),
            Some(SetOperator::ForAnyValue) => request.iter().any(|rv| value_matches(rv)),
            None if negated => request.iter().all(|rv| value_matches(rv)),
            None => request.iter().any(|rv| value_matches(rv)),
        }
    }
}

fn check_value(op: BaseOperator, v: &str) -> Result<(), String> {
    use BaseOperator::*;
    match op.positive() {
        NumericEquals | NumericLessThan | NumericLessThanEquals | NumericGreaterThan | NumericGreaterThanEquals => {
            parse_number(v).map(|_| ()).ok_or_else(|| format!("{v:?} is not a number"))
        }
        DateEquals | DateLessThan | DateLessThanEquals | DateGreaterThan | DateGreaterThanEquals => {
            parse_date(v).map(|_| ()).ok_or_else(|| format!("{v:?} is not a date (ISO 8601 or epoch seconds)"))
        }
        IpAddress => parse_network(v).map(|_| ()).ok_or_else(|| format!("{v:?} is not an IP address or CIDR block")),
        BinaryEquals => decode_base64(v).map(|_| ()).ok_or_else(|| format!("{v:?} is not base64")),
        _ => Ok(()),
    }
}

fn compare(op: BaseOperator, request: &str, policy: &Pattern, ctx: &Context) -> bool {
    use BaseOperator::*;
    if matches!(op, StringLike) {
        return policy.matches(request, ctx, false);
    }
    // IAM documents ArnEquals and ArnLike as the same segment-wise wildcard match.
    if matches!(op, ArnLike | ArnEquals) {
        return policy.matches_arn(request, ctx);
    }
    let Some(pv) = policy.resolve_literal(ctx) else { return false };
    let pv = pv.as_ref();
    match op {
        StringEquals => request == pv,
        StringEqualsIgnoreCase => request.to_lowercase() == pv.to_lowercase(),
        NumericEquals | NumericLessThan | NumericLessThanEquals | NumericGreaterThan | NumericGreaterThanEquals => {
            // Whole numbers compare exactly (an f64 cannot tell 2^53 from 2^53 + 1); others as f64.
            let ordering = match (request.trim().parse::<i128>(), pv.trim().parse::<i128>()) {
                (Ok(r), Ok(p)) => Some(r.cmp(&p)),
                _ => match (parse_number(request), parse_number(pv)) {
                    (Some(r), Some(p)) => r.partial_cmp(&p),
                    _ => None,
                },
            };
            let Some(ordering) = ordering else { return false };
            match op {
                NumericEquals => ordering.is_eq(),
                NumericLessThan => ordering.is_lt(),
                NumericLessThanEquals => ordering.is_le(),
                NumericGreaterThan => ordering.is_gt(),
                _ => ordering.is_ge(),
            }
        }
        DateEquals | DateLessThan | DateLessThanEquals | DateGreaterThan | DateGreaterThanEquals => {
            let (Some(r), Some(p)) = (parse_date(request), parse_date(pv)) else { return false };
            match op {
                DateEquals => r == p,
                DateLessThan => r < p,
                DateLessThanEquals => r <= p,
                DateGreaterThan => r > p,
                _ => r >= p,
            }
        }
        Bool => request.eq_ignore_ascii_case(pv),
        BinaryEquals => match (decode_base64(request), decode_base64(pv)) {
            (Some(r), Some(p)) => r == p,
            _ => request == pv,
        },
        IpAddress => match (request.trim().parse::<IpAddr>(), parse_network(pv)) {
            (Ok(ip), Some(net)) => net.contains(&ip),
            _ => false,
        },
        _ => false,
    }
}

fn decode_base64(v: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(v.trim()).ok()
}

fn parse_number(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Dates in ISO 8601 (with or without time and zone) or epoch seconds, as IAM accepts.
pub(crate) fn parse_date(v: &str) -> Option<DateTime<Utc>> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<i64>().ok().and_then(|s| Utc.timestamp_opt(s, 0).single());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Some(d.with_timezone(&Utc));
    }
    // W3C profile of ISO 8601: minutes with an offset, or a year and month only.
    if let Ok(d) = DateTime::parse_from_str(v, "%Y-%m-%dT%H:%M%:z") {
        return Some(d.with_timezone(&Utc));
    }
    if v.len() == 7 && v.as_bytes().get(4) == Some(&b'-') {
        if let Ok(d) = NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d") {
            return d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(v.trim_end_matches('Z'), format) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Utc.from_utc_datetime(&d))
}

fn parse_network(v: &str) -> Option<ipnet::IpNet> {
    let v = v.trim();
    v.parse::<ipnet::IpNet>().ok().map(|n| n.trunc()).or_else(|| v.parse::<IpAddr>().ok().map(ipnet::IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        Condition::new(Operator::parse(op).unwrap(), key, values.iter().map(|s| s.to_string()).collect(), true).unwrap()
    }

    fn ctx(pairs: &[(&str, &[&str])]) -> Context {
        let mut c = Context::default();
        for (k, vs) in pairs {
            c.insert(k, vs.iter().map(|s| s.to_string()).collect());
        }
        c
    }

    #[test]
    fn missing_keys() {
        let empty = Context::default();
        assert!(!cond("StringEquals", "aws:x", &["a"]).evaluate(&empty));
        assert!(cond("StringNotEquals", "aws:x", &["a"]).evaluate(&empty));
        assert!(cond("StringEqualsIfExists", "aws:x", &["a"]).evaluate(&empty));
        assert!(cond("ForAllValues:StringEquals", "aws:x", &["a"]).evaluate(&empty));
        assert!(!cond("ForAnyValue:StringEquals", "aws:x", &["a"]).evaluate(&empty));
        assert!(cond("Null", "aws:x", &["true"]).evaluate(&empty));
        assert!(!cond("Null", "aws:x", &["false"]).evaluate(&empty));
        assert!(Operator::parse("NullIfExists").is_err());
        assert!(Operator::parse("StringEqualz").is_err());
    }

    #[test]
    fn values_and_sets() {
        let c = ctx(&[("aws:TagKeys", &["a", "b"]), ("aws:SourceIp", &["10.1.2.3"]), ("n", &["5"])]);
        assert!(cond("ForAllValues:StringEquals", "aws:tagkeys", &["a", "b", "c"]).evaluate(&c));
        assert!(!cond("ForAllValues:StringEquals", "aws:tagkeys", &["a"]).evaluate(&c));
        assert!(cond("ForAnyValue:StringEquals", "aws:tagkeys", &["a"]).evaluate(&c));
        assert!(!cond("StringNotEquals", "aws:tagkeys", &["a"]).evaluate(&c));
        assert!(cond("IpAddress", "aws:SourceIp", &["10.0.0.0/8"]).evaluate(&c));
        assert!(!cond("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8", "192.168.0.0/16"]).evaluate(&c));
        assert!(cond("NumericLessThan", "n", &["6"]).evaluate(&c));
        assert!(!cond("NumericGreaterThan", "n", &["6"]).evaluate(&c));
        let d = ctx(&[("aws:CurrentTime", &["2024-06-01T12:00:00Z"])]);
        assert!(cond("DateGreaterThan", "aws:CurrentTime", &["2024-01-01"]).evaluate(&d));
        assert!(cond("DateLessThan", "aws:CurrentTime", &["1735689600"]).evaluate(&d));
        assert!(Condition::new(Operator::parse("DateEquals").unwrap(), "k", vec!["soon".into()], true).is_err());
    }
}
