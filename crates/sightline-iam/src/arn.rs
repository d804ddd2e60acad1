//! Amazon Resource Names: parsing, and matching a concrete ARN against a policy's ARN pattern segment by segment.

use crate::glob;

/// A parsed ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. The resource part may itself contain colons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Why a string is not an ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    #[error("invalid ARN {0:?}: it must start with \"arn:\"")]
    Prefix(String),
    #[error(
        "invalid ARN {0:?}: it must have six colon-separated parts (arn:partition:service:region:account:resource)"
    )]
    Parts(String),
    #[error("invalid ARN {0:?}: the partition and service must not be empty")]
    Empty(String),
}

impl<'a> Arn<'a> {
    /// Parses an ARN; wildcards are allowed in every segment (policies use them).
    pub fn parse(text: &'a str) -> Result<Arn<'a>, ArnError> {
        let mut parts = text.splitn(6, ':');
        if parts.next() != Some("arn") {
            return Err(ArnError::Prefix(text.to_string()));
        }
        let (partition, service, region, account, resource) =
            match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(p), Some(s), Some(r), Some(a), Some(res)) => (p, s, r, a, res),
                _ => return Err(ArnError::Parts(text.to_string())),
            };
        if partition.is_empty() || service.is_empty() {
            return Err(ArnError::Empty(text.to_string()));
        }
        Ok(Arn { partition, service, region, account, resource })
    }
}

/// Whether the concrete `arn` matches the policy `pattern`, segment by segment, as IAM's `Resource` element and the
/// `ArnLike` operator do: wildcards in one of the first five segments never cross a colon, while the resource part
/// is matched as a whole (so `bucket/*` matches `bucket/a/b` and `table/*` matches `table/t:x`).
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (p, a) = match (Arn::parse(pattern), Arn::parse(arn)) {
        (Ok(p), Ok(a)) => (p, a),
        // An ARN never matches a pattern that is not shaped like one: segments are compared one by one.
        (Err(_), Ok(_)) => return false,
        // A value that is no ARN (in an `ArnLike` condition) can only match as plain text.
        _ => return glob::matches(pattern, arn),
    };
    glob::matches(p.partition, a.partition)
        && glob::matches(p.service, a.service)
        && glob::matches(p.region, a.region)
        && glob::matches(p.account, a.account)
        && glob::matches(p.resource, a.resource)
}

/// The account id of an ARN, when it has one (S3 bucket and object ARNs do not).
pub fn account_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).ok().map(|a| a.account).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_match() {
        let a = Arn::parse("arn:aws:dynamodb:us-east-1:111111111111:table/t:x").unwrap();
        assert_eq!(a.resource, "table/t:x");
        assert!(Arn::parse("arn:aws:s3").is_err());
        assert!(Arn::parse("foo").is_err());
        assert!(arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b"));
        assert!(!arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(arn_matches("arn:aws:iam::*:role/*", "arn:aws:iam::111111111111:role/x"));
        // A wildcard in the region segment cannot swallow the account segment.
        assert!(!arn_matches("arn:aws:iam::*", "arn:aws:iam::111:role/x"));
        assert!(!arn_matches("arn:aws:s3:*:111:x", "arn:aws:s3:us-east-1:111:bucket:x"));
        assert!(arn_matches("arn:aws:dynamodb:*:*:table/*", "arn:aws:dynamodb:us-east-1:1:table/t:x"));
        assert!(arn_matches("*", "anything"));
        assert_eq!(account_of("arn:aws:s3:::b"), None);
        assert_eq!(account_of("arn:aws:iam::123456789012:user/x"), Some("123456789012"));
    }
}
