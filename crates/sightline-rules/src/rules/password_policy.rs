//! The account password policy, which two rules read (CIS 1.7 and 1.8).

use super::util::{each_account, field, find, need, Field};
use crate::meta::Need;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;

pub(crate) const NEEDS: &[Need] = &[need("iam", "GetAccountPasswordPolicy", false)];

/// Checks one numeric setting of the policy against a minimum; no policy at all fails.
pub(crate) fn check_setting(scan: &Scan<'_>, out: &mut Out<'_>, key: &str, minimum: u64, what: &str) {
    each_account(scan, out, NEEDS, |account, out| {
        let policy = find(scan, "AWS::IAM::PasswordPolicy", account, None);
        let subject = match policy {
            Some(p) => Subject::from(p),
            None => Subject::account(account),
        };
        let value = match policy.map(|p| field(p, "/PasswordPolicy")) {
            None | Some(Field::Null) => None,
            Some(Field::Missing) => {
                out.not_evaluated(subject, "the password policy record has no PasswordPolicy field");
                return;
            }
            Some(Field::Value(v)) => Some(v.get(key).and_then(|v| v.as_u64()).unwrap_or(0)),
        };
        match value {
            None => out.fail(
                subject,
                format!("the account has no password policy ({what} is then unenforced)"),
                json!({ key: null }),
            ),
            Some(v) => out.verdict(
                subject,
                v >= minimum,
                format!("{what} is {v} (at least {minimum} wanted)"),
                json!({ key: v }),
            ),
        }
    });
}
