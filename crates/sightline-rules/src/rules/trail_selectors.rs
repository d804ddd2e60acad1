//! Reading CloudTrail trails' event selectors, which several logging rules share.

use crate::meta::Need;
use crate::scan::{Out, Scan, Subject};
use sightline_model::Props;
use sightline_model::Resource;

pub(crate) const NEEDS: &[Need] = &[
    super::util::need("cloudtrail", "DescribeTrails", true),
    super::util::need("cloudtrail", "GetEventSelectors", true),
];

/// Whether a trail is recording (a stopped trail records nothing, whatever its selectors say).
pub(crate) fn logging(trail: &Resource) -> bool {
    trail.properties.get("IsLogging").and_then(Props::as_bool) != Some(false)
}

fn strings<'a>(v: &'a Props, key: &str) -> Vec<&'a str> {
    v.get(key).and_then(Props::as_array).into_iter().flatten().filter_map(Props::as_str).collect()
}

/// Whether a read/write type of a selector covers the wanted kind of event.
fn covers(read_write: &str, write: bool) -> bool {
    read_write == "All" || (write && read_write == "WriteOnly") || (!write && read_write == "ReadOnly")
}

/// Whether the trail records S3 object-level events (write or read) for every bucket.
pub(crate) fn s3_object_events(trail: &Resource, write: bool) -> bool {
    let p = &trail.properties;
    let basic = p.get("EventSelectors").and_then(Props::as_array).into_iter().flatten().any(|s| {
        covers(s.get("ReadWriteType").and_then(Props::as_str).unwrap_or("All"), write)
            && s.get("DataResources").and_then(Props::as_array).into_iter().flatten().any(|d| {
                d.get("Type").and_then(Props::as_str) == Some("AWS::S3::Object")
                    && strings(d, "Values").iter().any(|v| *v == "arn:aws:s3" || *v == "arn:aws:s3:::")
            })
    });
    let advanced = p.get("AdvancedEventSelectors").and_then(Props::as_array).into_iter().flatten().any(|s| {
        let fields: Vec<&Props> = s.get("FieldSelectors").and_then(Props::as_array).into_iter().flatten().collect();
        let field = |name: &str| fields.iter().find(|f| f.get("Field").and_then(Props::as_str) == Some(name));
        let equals = |name: &str, value: &str| field(name).is_some_and(|f| strings(f, "Equals").contains(&value));
        let read_only_ok = match field("readOnly") {
            None => true,
            Some(f) => strings(f, "Equals").contains(&if write { "false" } else { "true" }),
        };
        // Any condition on the resource ARN narrows the selector to some buckets.
        equals("eventCategory", "Data")
            && equals("resources.type", "AWS::S3::Object")
            && read_only_ok
            && field("resources.ARN").is_none()
    });
    basic || advanced
}

/// Whether the trail records management events, both reads and writes.
pub(crate) fn management_events(trail: &Resource) -> bool {
    let p = &trail.properties;
    // A trail without custom selectors records every management event (AWS's default selector).
    let empty = |key: &str| p.get(key).and_then(Props::as_array).is_none_or(<[Props]>::is_empty);
    if p.get("HasCustomEventSelectors").and_then(Props::as_bool) == Some(false)
        && empty("EventSelectors")
        && empty("AdvancedEventSelectors")
    {
        return true;
    }
    let basic = p.get("EventSelectors").and_then(Props::as_array).into_iter().flatten().any(|s| {
        s.get("IncludeManagementEvents").and_then(Props::as_bool).unwrap_or(true)
            && s.get("ReadWriteType").and_then(Props::as_str).unwrap_or("All") == "All"
    });
    let advanced = p.get("AdvancedEventSelectors").and_then(Props::as_array).into_iter().flatten().any(|s| {
        let fields: Vec<&Props> = s.get("FieldSelectors").and_then(Props::as_array).into_iter().flatten().collect();
        fields.iter().any(|f| {
            f.get("Field").and_then(Props::as_str) == Some("eventCategory")
                && strings(f, "Equals").contains(&"Management")
        }) && !fields.iter().any(|f| f.get("Field").and_then(Props::as_str) == Some("readOnly"))
    });
    basic || advanced
}

/// Passes each account where some trail satisfies `good`, fails the others; NOT_EVALUATED where trails could not
/// be read in a region and no good trail was seen elsewhere (a multi-region trail shows in every region).
pub(crate) fn account_has_trail(scan: &Scan<'_>, out: &mut Out<'_>, what: &str, good: impl Fn(&Resource) -> bool) {
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        let regions: Vec<&str> = scan.regions_for(account, &NEEDS[0]);
        // DescribeTrails must have been made in every region; GetEventSelectors only where there was a trail.
        let gaps: Vec<String> = regions
            .iter()
            .filter_map(|r| {
                scan.gap(account, Some(r), &NEEDS[..1], true).or_else(|| scan.gap(account, Some(r), &NEEDS[1..], false))
            })
            .collect();
        let found: Vec<&str> = scan
            .resources("AWS::CloudTrail::Trail")
            .filter(|t| t.account_id == account && good(t))
            .map(|t| t.id.as_str())
            .collect();
        let subject = Subject::account(account);
        if !found.is_empty() {
            out.pass(subject, format!("{what}: {}", found.join(", ")));
        } else if regions.is_empty() || gaps.len() == regions.len() || !gaps.is_empty() {
            let why = gaps
                .first()
                .cloned()
                .unwrap_or_else(|| "cloudtrail:DescribeTrails was not collected in any region of this account".into());
            out.not_evaluated(subject, why);
        } else {
            out.fail(subject, format!("no trail: {what}"), serde_json::json!({ "trails": scan.resources("AWS::CloudTrail::Trail").filter(|t| t.account_id == account).map(|t| t.id.as_str()).collect::<Vec<_>>() }));
        }
    }
}
