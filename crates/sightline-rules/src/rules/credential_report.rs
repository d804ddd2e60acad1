//! Reading the IAM credential report, which several identity rules share.

use super::util::{field, find, Field};
use crate::meta::Need;
use crate::scan::Scan;
use sightline_model::Props;

/// The two access key columns of a row.
pub(crate) const KEYS: [&str; 2] = ["access_key_1", "access_key_2"];

pub(crate) const NEEDS: &[Need] = &[super::util::need("iam", "GetCredentialReport", false)];

/// The report's rows of one account, or why they are missing.
pub(crate) fn rows<'s>(scan: &Scan<'s>, account: &str) -> Result<Vec<&'s Props>, String> {
    let report = find(scan, "AWS::IAM::CredentialReport", account, None)
        .ok_or_else(|| "the snapshot has no IAM credential report for this account".to_string())?;
    match field(report, "/Rows") {
        Field::Value(Props::Array(rows)) => Ok(rows.iter().filter(|r| r.is_object()).collect()),
        _ => Err("the IAM credential report has no rows".to_string()),
    }
}

/// A column of a row.
pub(crate) fn col<'a>(row: &'a Props, name: &str) -> &'a str {
    row.get(name).and_then(Props::as_str).unwrap_or("")
}

/// Whether a column says `true`.
pub(crate) fn yes(row: &Props, name: &str) -> bool {
    col(row, name).eq_ignore_ascii_case("true")
}

/// The root user's row is named `<root_account>`.
pub(crate) fn is_root(row: &Props) -> bool {
    col(row, "user") == "<root_account>"
}

/// The finding subject for a user's row.
pub(crate) fn user<'a>(account: &'a str, row: &Props) -> crate::scan::Subject<'a> {
    crate::scan::Subject {
        id: col(row, "arn").to_string(),
        resource_type: "AWS::IAM::User",
        account_id: account,
        region: None,
    }
}

/// Runs `f` on every row of every account's report but the root user's; NOT_EVALUATED where the report is missing.
pub(crate) fn each_user<'s>(
    scan: &Scan<'s>,
    out: &mut crate::scan::Out<'_>,
    mut f: impl FnMut(&'s str, &'s Props, &mut crate::scan::Out<'_>),
) {
    super::util::each_account(scan, out, NEEDS, |account, out| match rows(scan, account) {
        Err(why) => out.not_evaluated(crate::scan::Subject::account(account), why),
        Ok(rows) => {
            for row in rows.into_iter().filter(|r| !is_root(r)) {
                f(account, row, out);
            }
        }
    });
}

/// A timestamp column, when it holds one (the report writes `N/A`, `no_information` or `not_supported` otherwise).
pub(crate) fn time<'a>(row: &'a Props, name: &str) -> Option<&'a str> {
    let v = col(row, name);
    v.starts_with(|c: char| c.is_ascii_digit()).then_some(v)
}
