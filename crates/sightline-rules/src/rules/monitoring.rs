//! CIS's monitoring controls (4.1 to 4.15): a metric filter on the CloudWatch Logs group of a logging
//! multi-region trail matches the events of interest, and a metric alarm on the filter's metric notifies someone.

use super::trail_selectors::{logging, management_events};
use crate::meta::Need;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Resource;

pub(crate) const NEEDS: &[Need] = &[
    super::util::need("cloudtrail", "DescribeTrails", true),
    super::util::need("logs", "DescribeMetricFilters", true),
    super::util::need("cloudwatch", "DescribeAlarms", true),
];

/// A filter pattern without spaces and quotes, to compare the terms CIS asks for whatever their layout.
fn normalise(pattern: &str) -> String {
    pattern.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect()
}

/// The log group name of a trail's `CloudWatchLogsLogGroupArn` (`arn:aws:logs:R:A:log-group:NAME:*`).
fn log_group(trail: &Resource) -> Option<&str> {
    let arn = trail.properties.get("CloudWatchLogsLogGroupArn").and_then(Props::as_str)?;
    let rest = arn.split(":log-group:").nth(1)?;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

fn str_of<'a>(v: &'a Props, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Props::as_str)
}

/// Checks one control in every account: `terms` must all appear in one filter's pattern (after normalising).
pub(crate) fn check(scan: &Scan<'_>, out: &mut Out<'_>, terms: &[&str]) {
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        let subject = || Subject::account(account);
        let regions = scan.regions_for(account, &NEEDS[0]);
        if regions.is_empty() {
            out.not_evaluated(subject(), "cloudtrail:DescribeTrails was not collected in any region of this account");
            continue;
        }
        // The log groups that receive every management event of the account.
        let groups: Vec<(&str, Option<&str>)> = scan
            .resources("AWS::CloudTrail::Trail")
            .filter(|t| t.account_id == account)
            .filter(|t| t.properties.get("IsMultiRegionTrail").and_then(Props::as_bool) == Some(true))
            .filter(|t| logging(t) && management_events(t))
            .filter_map(|t| log_group(t).map(|g| (g, t.region.as_deref())))
            .collect();
        if groups.is_empty() {
            if let Some(why) = regions.iter().find_map(|r| scan.gap(account, Some(r), &NEEDS[..1], true)) {
                out.not_evaluated(subject(), why);
                continue;
            }
            out.fail(
                subject(),
                "no logging multi-region trail delivers to CloudWatch Logs, so no metric filter can watch it",
                json!({ "log_groups": [] }),
            );
            continue;
        }
        let mut missing_data = None;
        let mut filters_found = Vec::new();
        let mut alarmed = Vec::new();
        for (group, region) in &groups {
            if let Some(why) = scan.gap(account, *region, &NEEDS[1..2], true) {
                missing_data.get_or_insert(why);
                continue;
            }
            // Alarms matter only once a filter matches: without one, the control fails whatever the alarms are.
            let alarms_gap = scan.gap(account, *region, &NEEDS[2..], true);
            for filter in scan.resources("AWS::Logs::MetricFilter").filter(|f| {
                f.account_id == account
                    && f.region.as_deref() == *region
                    && str_of(&f.properties, "LogGroupName") == Some(group)
            }) {
                let pattern = normalise(str_of(&filter.properties, "FilterPattern").unwrap_or(""));
                if !terms.iter().all(|t| pattern.contains(&normalise(t))) {
                    continue;
                }
                filters_found.push(filter.id.clone());
                if let Some(why) = &alarms_gap {
                    missing_data.get_or_insert(why.clone());
                    continue;
                }
                let metrics: Vec<(&str, &str)> = filter
                    .properties
                    .get("MetricTransformations")
                    .and_then(Props::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|m| Some((str_of(m, "MetricName")?, str_of(m, "MetricNamespace")?)))
                    .collect();
                for alarm in scan
                    .resources("AWS::CloudWatch::Alarm")
                    .filter(|a| a.account_id == account && a.region.as_deref() == *region)
                {
                    let watches = metrics.iter().any(|(name, namespace)| {
                        str_of(&alarm.properties, "MetricName") == Some(name)
                            && str_of(&alarm.properties, "Namespace") == Some(namespace)
                    });
                    let notifies =
                        alarm.properties.get("AlarmActions").and_then(Props::as_array).is_some_and(|a| !a.is_empty());
                    if watches && notifies {
                        alarmed.push(alarm.id.clone());
                    }
                }
            }
        }
        if !alarmed.is_empty() {
            out.pass(subject(), format!("alarmed by {}", alarmed.join(", ")));
        } else if let Some(why) = missing_data {
            out.not_evaluated(subject(), why);
        } else if filters_found.is_empty() {
            out.fail(
                subject(),
                "no metric filter on the trail's log group matches these events",
                json!({ "log_groups": groups.iter().map(|g| g.0).collect::<Vec<_>>(), "terms": terms }),
            );
        } else {
            out.fail(
                subject(),
                "a metric filter matches these events, but no alarm with an action watches its metric",
                json!({ "filters": filters_found }),
            );
        }
    }
}
