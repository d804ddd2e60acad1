//! What identities actually did, from audit logs: CloudTrail files read into [`Activity`] records
//! ([`cloudtrail`]), the stretch of time they cover ([`Window`]), when each identity, service, action and access key
//! was last used ([`Usage`]), and least-privilege policies written from the observed calls ([`least_privilege`]).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod cloudtrail;
pub mod generate;
pub mod least_privilege;

use chrono::{DateTime, Utc};
use sightline_model::{Activity, ActivityPeriod, Provider, Snapshot};
use std::collections::HashMap;
use std::path::PathBuf;

/// Why activity could not be read or used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: not valid JSON: {message}", path.display())]
    Json { path: PathBuf, message: String },
    #[error("{}: not a CloudTrail log (expected {{\"Records\": [...]}}, lookup-events output or an array of events)", path.display())]
    Shape { path: PathBuf },
    #[error("{}: expands to more than {limit} bytes; refused (a CloudTrail file is a few megabytes)", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{} files could not be read; nothing was imported:\n  {}", .0.len(), .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n  "))]
    Several(Vec<Error>),
    #[error("the action database could not be read: {0}")]
    ActionDb(String),
    #[error("{0}: no such user or role in the snapshot")]
    UnknownPrincipal(String),
    #[error("{0}")]
    NoActivity(String),
    #[error("the IAM engine could not load the snapshot: {0}")]
    Engine(String),
}

/// Days of activity that must be seen before anything is called unused, unless told otherwise.
pub const DEFAULT_WINDOW_DAYS: i64 = 90;

/// Two periods read at different times count as one when no more than this separates them.
const JOIN_GAP_HOURS: i64 = 24;

/// The stretch of time over which one account's activity is judged: the `days` days that end with the last event
/// read for it. It is `complete` only when the logs read cover all of it (imports that overlap or follow each
/// other within a day are joined); otherwise nothing can be called unused over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub days: i64,
    /// When the logs read (joined) begin.
    pub covered_from: DateTime<Utc>,
    pub complete: bool,
}

impl Window {
    /// The window of `days` for `account`, from the activity periods of the snapshot; `None` when no log of the
    /// account was read.
    pub fn of(periods: &[ActivityPeriod], provider: Provider, account: &str, days: i64) -> Option<Window> {
        let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = periods
            .iter()
            .filter(|p| p.provider == provider && p.account_id == account)
            .filter_map(|p| Some((parse_time(&p.from)?, parse_time(&p.to)?)))
            .collect();
        spans.sort();
        let mut joined: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for (from, to) in spans {
            match joined.last_mut() {
                Some(last) if from <= last.1 + chrono::Duration::hours(JOIN_GAP_HOURS) => last.1 = last.1.max(to),
                _ => joined.push((from, to)),
            }
        }
        let (covered_from, to) = *joined.iter().max_by_key(|s| s.1)?;
        let from = to - chrono::Duration::days(days);
        // Logs begin at the first event, which may come some hours after the window opens.
        let complete = covered_from <= from + chrono::Duration::hours(JOIN_GAP_HOURS);
        Some(Window { from, to, days, covered_from, complete })
    }

    /// In words, for messages: `the 90 days of CloudTrail to 2026-11-28`.
    pub fn describe(&self) -> String {
        format!("the {} days of CloudTrail activity to {}", self.days, self.to.format("%Y-%m-%d"))
    }

    /// Why the window cannot be judged, when it cannot.
    pub fn gap(&self) -> Option<String> {
        (!self.complete).then(|| {
            format!(
                "the CloudTrail logs read cover {} to {}, less than the {}-day window",
                self.covered_from.format("%Y-%m-%d"),
                self.to.format("%Y-%m-%d"),
                self.days
            )
        })
    }
}

/// An RFC 3339 time.
pub fn parse_time(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t).ok().map(|d| d.with_timezone(&Utc))
}

/// When each identity last used the account, each service and action, and each access key, from the activity
/// records (refused calls do not count as use).
#[derive(Debug, Default)]
pub struct Usage<'s> {
    principals: HashMap<&'s str, PrincipalUsage<'s>>,
    keys: HashMap<&'s str, &'s str>,
}

/// One identity's last uses.
#[derive(Debug, Default)]
pub struct PrincipalUsage<'s> {
    /// The last call of any kind.
    pub last: &'s str,
    /// By service prefix (lower case) and by action (as logged), the last call.
    pub services: HashMap<String, &'s str>,
    pub actions: HashMap<&'s str, &'s str>,
}

impl<'s> Usage<'s> {
    pub fn of(snapshot: &'s Snapshot) -> Usage<'s> {
        let mut usage = Usage::default();
        for a in snapshot.activity.iter().filter(|a| !a.denied) {
            let p = usage.principals.entry(&a.principal).or_default();
            let later = |slot: &mut &'s str| {
                if a.last_seen.as_str() > *slot {
                    *slot = &a.last_seen;
                }
            };
            later(&mut p.last);
            let service = a.action.split(':').next().unwrap_or_default().to_ascii_lowercase();
            later(p.services.entry(service).or_default());
            later(p.actions.entry(&a.action).or_default());
            if let Some(k) = &a.access_key_id {
                later(usage.keys.entry(k).or_default());
            }
        }
        usage
    }

    /// The identity's last uses; `None` when it made no call that was allowed.
    pub fn principal(&self, arn: &str) -> Option<&PrincipalUsage<'s>> {
        self.principals.get(arn)
    }

    /// When the access key last signed an allowed call.
    pub fn key(&self, id: &str) -> Option<&'s str> {
        self.keys.get(id).copied()
    }
}

/// The activity of one identity whose last call falls in `window` (every call when `window` is `None`).
pub fn activity_of<'s>(snapshot: &'s Snapshot, principal: &str, window: Option<&Window>) -> Vec<&'s Activity> {
    snapshot
        .activity
        .iter()
        .filter(|a| a.principal == principal)
        .filter(|a| window.is_none_or(|w| parse_time(&a.last_seen).is_some_and(|t| t >= w.from)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(from: &str, to: &str) -> ActivityPeriod {
        ActivityPeriod {
            provider: Provider::Aws,
            account_id: "1".into(),
            from: from.into(),
            to: to.into(),
            events: 1,
            source: String::new(),
        }
    }

    #[test]
    fn windows_join_adjacent_imports_and_need_the_whole_span() {
        let periods = vec![
            period("2026-08-01T00:00:00Z", "2026-09-30T00:00:00Z"),
            period("2026-09-30T12:00:00Z", "2026-11-28T00:00:00Z"),
        ];
        let w = Window::of(&periods, Provider::Aws, "1", 90).unwrap();
        assert!(w.complete, "{w:?}");
        assert_eq!(w.to.format("%Y-%m-%d").to_string(), "2026-11-28");
        // A hole of more than a day: only the last stretch counts, and it is shorter than 90 days.
        let periods = vec![
            period("2026-08-01T00:00:00Z", "2026-09-27T00:00:00Z"),
            period("2026-09-30T12:00:00Z", "2026-11-28T00:00:00Z"),
        ];
        let w = Window::of(&periods, Provider::Aws, "1", 90).unwrap();
        assert!(!w.complete);
        assert!(w.gap().unwrap().contains("2026-09-30 to 2026-11-28"));
        assert!(Window::of(&periods, Provider::Aws, "2", 90).is_none());
        assert!(Window::of(&periods, Provider::Aws, "1", 30).unwrap().complete);
    }
}
