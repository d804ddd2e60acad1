//! Reading the IAM credential report, which several identity rules share.

use super::util::{field, find, Field};
use crate::meta::Need;
use crate::scan::Scan;
use serde_json::{Map, Value};

pub(crate) const NEEDS: &[Need] = &[super::util::need("iam", "GetCredentialReport", false)];

/// The report's rows of one account, or why they are missing.
pub(crate) fn rows<'s>(scan: &Scan<'s>, account: &str) -> Result<Vec<&'s Map<String, Value>>, String> {
    let report = find(scan, "AWS::IAM::CredentialReport", account, None)
        .ok_or_else(|| "the snapshot has no IAM credential report for this account".to_string())?;
    match field(report, "/Rows") {
        Field::Value(Value::Array(rows)) => Ok(rows.iter().filter_map(Value::as_object).collect()),
        _ => Err("the IAM credential report has no rows".to_string()),
    }
}

/// A column of a row.
pub(crate) fn col<'a>(row: &'a Map<String, Value>, name: &str) -> &'a str {
    row.get(name).and_then(Value::as_str).unwrap_or("")
}

/// Whether a column says `true`.
pub(crate) fn yes(row: &Map<String, Value>, name: &str) -> bool {
    col(row, name).eq_ignore_ascii_case("true")
}

/// The root user's row is named `<root_account>`.
pub(crate) fn is_root(row: &Map<String, Value>) -> bool {
    col(row, "user") == "<root_account>"
}
