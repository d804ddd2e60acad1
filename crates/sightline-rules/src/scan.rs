//! Running rules over a snapshot: the indexes rules read ([`Scan`]), where their verdicts go ([`Out`]), and
//! [`run_with`] and [`run_streaming`].

use crate::meta::{Meta, Need};
use sightline_iam::authz::Authorizer;
use sightline_model::{
    finding_id, Coverage, CoverageStatus, Finding, FindingStatus, Principal, PrincipalKind, Provider, Resource,
    Snapshot,
};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Maps keyed by snapshot strings, with foldhash (seeded per process).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::sync::OnceLock;

/// Why a scan could not run at all (a single rule's trouble is a NOT_EVALUATED finding instead).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("unknown rule {0:?} (see `sightline rules list`)")]
    UnknownRule(String),
}

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run only these rules (all when empty).
    pub rules: Vec<String>,
    /// The moment the scan happens, for age checks (default: now). Tests pin it.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// PASS findings carry only their rule, status and severity (no id, resource or message), for outputs that only
    /// count them, such as the terminal table: a scan of millions of resources then builds little it would drop.
    pub count_passes_only: bool,
    /// Days without use after which access counts as unused (default [`DEFAULT_UNUSED_DAYS`]).
    pub unused_days: Option<i64>,
}

/// The unused-access window, unless told otherwise.
pub const DEFAULT_UNUSED_DAYS: i64 = 90;

/// The snapshot as rules read it: resources by type, coverage by call, and the IAM engine when a rule needs it.
pub struct Scan<'s> {
    pub snapshot: &'s Snapshot,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Days without use after which access counts as unused.
    pub unused_days: i64,
    by_type: HashMap<&'s str, Vec<&'s Resource>>,
    coverage: HashMap<(&'s str, Option<&'s str>, &'s str, &'s str), &'s Coverage>,
    regions: HashMap<&'s str, BTreeSet<&'s str>>,
    authorizer: OnceLock<Result<Authorizer<'s>, String>>,
    /// Who outside its account can reach each resource through its policy, computed once for the public and the
    /// cross-account rules of its type (in the order of `by_type`).
    external: HashMap<&'s str, OnceLock<Vec<crate::rules::ExternalAccess>>>,
}

impl<'s> Scan<'s> {
    pub fn new(snapshot: &'s Snapshot, now: chrono::DateTime<chrono::Utc>) -> Scan<'s> {
        let mut by_type: HashMap<&str, Vec<&Resource>> = HashMap::default();
        for r in &snapshot.resources {
            by_type.entry(r.resource_type.as_str()).or_default().push(r);
        }
        let mut coverage = HashMap::default();
        let mut regions: HashMap<&str, BTreeSet<&str>> = HashMap::default();
        for c in &snapshot.coverage {
            coverage.insert((c.account_id.as_str(), c.region.as_deref(), c.service.as_str(), c.operation.as_str()), c);
            if let Some(region) = &c.region {
                regions.entry(c.account_id.as_str()).or_default().insert(region.as_str());
            }
        }
        let external = by_type.keys().map(|t| (*t, OnceLock::new())).collect();
        Scan {
            snapshot,
            now,
            unused_days: DEFAULT_UNUSED_DAYS,
            by_type,
            coverage,
            regions,
            authorizer: OnceLock::new(),
            external,
        }
    }

    /// The resources of one type, in snapshot order.
    pub fn resources(&self, resource_type: &str) -> impl Iterator<Item = &'s Resource> + '_ {
        self.by_type.get(resource_type).into_iter().flatten().copied()
    }

    /// The AWS accounts of the snapshot.
    pub fn aws_accounts(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.snapshot.accounts.iter().filter(|a| a.provider == Provider::Aws).map(|a| a.id.as_str())
    }

    /// The Azure subscriptions of the snapshot.
    pub fn azure_subscriptions(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.snapshot.accounts.iter().filter(|a| a.provider == Provider::Azure).map(|a| a.id.as_str())
    }

    /// The Microsoft Entra tenants of the snapshot: Azure organizations, the tenants of Azure subscriptions and of
    /// Entra principals and records (`Microsoft.Graph/*`), each once, in order.
    pub fn azure_tenants(&self) -> Vec<&'s str> {
        let s = self.snapshot;
        let mut tenants: BTreeSet<&'s str> = BTreeSet::new();
        tenants.extend(s.organizations.iter().filter(|o| o.provider == Provider::Azure).map(|o| o.id.as_str()));
        tenants.extend(
            s.accounts.iter().filter(|a| a.provider == Provider::Azure).filter_map(|a| a.organization_id.as_deref()),
        );
        tenants.extend(s.principals.iter().filter(|p| p.provider == Provider::Azure).map(|p| p.account_id.as_str()));
        for (t, resources) in &self.by_type {
            if t.starts_with("Microsoft.Graph/") {
                tenants
                    .extend(resources.iter().filter(|r| r.provider == Provider::Azure).map(|r| r.account_id.as_str()));
            }
        }
        tenants.into_iter().filter(|t| !t.is_empty()).collect()
    }

    /// The regions the collector visited in an account (from its coverage records).
    pub fn regions(&self, account: &str) -> impl Iterator<Item = &'s str> + '_ {
        self.regions.get(account).into_iter().flatten().copied()
    }

    /// The regions where the collector made (or tried) the call `need` names: the regions a rule about that
    /// service can judge. A region appears in the coverage of other services too (S3 records calls in each
    /// bucket's region), so the set of all visited regions would be too wide.
    pub fn regions_for(&self, account: &str, need: &Need) -> Vec<&'s str> {
        self.regions(account)
            .filter(|r| self.coverage.contains_key(&(account, Some(*r), need.service, need.operation)))
            .collect()
    }

    /// The Entra principals of one kind in the snapshot.
    pub fn azure_principals(&self, kind: PrincipalKind) -> impl Iterator<Item = &'s Principal> + '_ {
        self.snapshot.principals.iter().filter(move |p| p.provider == Provider::Azure && p.kind == kind)
    }

    /// The IAM users, groups and roles of the snapshot.
    pub fn principals(&self, kind: PrincipalKind) -> impl Iterator<Item = &'s Principal> + '_ {
        self.snapshot.principals.iter().filter(move |p| p.provider == Provider::Aws && p.kind == kind)
    }

    /// The coverage record of one call, if the collector made it.
    pub fn coverage(&self, account: &str, region: Option<&str>, service: &str, operation: &str) -> Option<&Coverage> {
        self.coverage.get(&(account, region, service, operation)).copied()
    }

    /// Why the data `needs` describe is missing for an account (and region), if it is: the first needed call that
    /// was denied, failed, or (when `must_exist`) never made.
    pub fn gap(&self, account: &str, region: Option<&str>, needs: &[Need], must_exist: bool) -> Option<String> {
        for need in needs {
            let at = if need.regional { region } else { None };
            match self.coverage(account, at, need.service, need.operation) {
                Some(c) if c.status == CoverageStatus::Collected => {}
                Some(c) => {
                    let how = match c.status {
                        CoverageStatus::Denied => "was denied",
                        _ => "failed",
                    };
                    let detail = c.detail.as_deref().map(|d| format!(": {}", shorten(d))).unwrap_or_default();
                    return Some(format!("{}:{} {how}{}{detail}", need.service, need.operation, where_(at)));
                }
                None if must_exist => {
                    return Some(format!(
                        "{}:{} was not collected{} (the snapshot has no such data)",
                        need.service,
                        need.operation,
                        where_(at)
                    ))
                }
                None => {}
            }
        }
        None
    }

    /// The external access to `r` (see `rules::resource_access`). The first rule that asks about a resource type
    /// has `compute` run for every resource of the type, on every core; the other rules of the type share the
    /// answers.
    pub(crate) fn external_access(
        &self,
        r: &'s Resource,
        compute: impl Fn(&'s Resource) -> crate::rules::ExternalAccess + Sync,
    ) -> crate::rules::ExternalAccess {
        let Some((resources, answers)) =
            self.by_type.get(r.resource_type.as_str()).zip(self.external.get(r.resource_type.as_str()))
        else {
            return compute(r);
        };
        let answers = answers.get_or_init(|| sightline_model::parallel_map(resources, |r| compute(r)));
        match position(resources, r) {
            Some(i) => answers[i].clone(),
            None => compute(r),
        }
    }

    /// `f` for every resource of a type, computed on every core, for a rule whose check of one resource is costly.
    pub(crate) fn per_resource<T: Send + Sync>(
        &self,
        resource_type: &str,
        f: impl Fn(&'s Resource) -> T + Sync,
    ) -> PerResource<'_, 's, T> {
        let resources = self.by_type.get(resource_type).map(Vec::as_slice).unwrap_or_default();
        PerResource { resources, values: sightline_model::parallel_map(resources, |r| f(r)) }
    }

    /// The IAM engine over the snapshot, built on first use; an error when the snapshot's policies cannot be read.
    pub fn authorizer(&self) -> Result<&Authorizer<'s>, &str> {
        self.authorizer
            .get_or_init(|| {
                Authorizer::new(self.snapshot).map_err(|errors| {
                    let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
                    format!("{} policies of the snapshot cannot be read (first: {first})", errors.len())
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Values computed ahead for the resources of one type (see [`Scan::per_resource`]).
pub(crate) struct PerResource<'a, 's, T> {
    resources: &'a [&'s Resource],
    values: Vec<T>,
}

impl<T> PerResource<'_, '_, T> {
    /// The value for `r`, if it is one of the resources computed.
    pub(crate) fn get(&self, r: &Resource) -> Option<&T> {
        position(self.resources, r).and_then(|i| self.values.get(i))
    }
}

/// Where `r` is in a list of the snapshot's resources: lists are in snapshot order, so in order of address.
fn position(resources: &[&Resource], r: &Resource) -> Option<usize> {
    let address = |x: &&Resource| *x as *const Resource as usize;
    resources.binary_search_by_key(&address(&r), address).ok()
}

fn where_(region: Option<&str>) -> String {
    region.map(|r| format!(" in {r}")).unwrap_or_default()
}

/// Keeps error details from the collector short in findings.
fn shorten(detail: &str) -> String {
    const MAX: usize = 160;
    match detail.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &detail[..i]),
        None => detail.to_string(),
    }
}

/// Where a rule puts its verdicts.
pub struct Out<'m> {
    meta: &'m Meta,
    pub(crate) findings: Vec<Finding>,
    /// See [`Options::count_passes_only`].
    count_passes_only: bool,
}

/// What a finding is about when it is not a resource of the snapshot (an account, a region).
pub struct Subject<'a> {
    pub id: String,
    pub resource_type: &'a str,
    pub account_id: &'a str,
    pub region: Option<&'a str>,
}

impl Subject<'_> {
    /// The account itself: `arn:aws::ACCOUNT:account`-like id used by account-level rules.
    pub fn account(account: &str) -> Subject<'_> {
        Subject {
            id: format!("arn:aws:::{account}:account"),
            resource_type: "AWS::Account",
            account_id: account,
            region: None,
        }
    }

    /// One region of an account, for rules about a regional setting.
    pub fn region<'a>(account: &'a str, region: &'a str) -> Subject<'a> {
        Subject {
            id: format!("arn:aws::{region}:{account}:region"),
            resource_type: "AWS::Region",
            account_id: account,
            region: Some(region),
        }
    }
}

impl Subject<'_> {
    /// An Azure subscription, for rules about a subscription-wide setting (Defender plans, activity log alerts).
    pub fn subscription(subscription: &str) -> Subject<'_> {
        Subject {
            id: format!("/subscriptions/{subscription}"),
            resource_type: "Microsoft.Resources/subscriptions",
            account_id: subscription,
            region: None,
        }
    }

    /// A Microsoft Entra tenant, for rules about a tenant-wide setting.
    pub fn tenant(tenant: &str) -> Subject<'_> {
        Subject {
            id: format!("/tenants/{tenant}"),
            resource_type: "Microsoft.Graph/organization",
            account_id: tenant,
            region: None,
        }
    }

    /// One location of an Azure subscription.
    pub fn location<'a>(subscription: &'a str, location: &'a str) -> Subject<'a> {
        Subject {
            id: format!("/subscriptions/{subscription}/locations/{location}"),
            resource_type: "Microsoft.Resources/locations",
            account_id: subscription,
            region: Some(location),
        }
    }

    /// The account itself, whatever its cloud: an AWS account or an Azure subscription.
    pub fn account_of(provider: Provider, account: &str) -> Subject<'_> {
        match provider {
            Provider::Aws => Subject::account(account),
            Provider::Azure => Subject::subscription(account),
        }
    }
}

impl<'a> From<&'a Resource> for Subject<'a> {
    fn from(r: &'a Resource) -> Subject<'a> {
        Subject {
            id: r.id.clone(),
            resource_type: &r.resource_type,
            account_id: &r.account_id,
            region: r.region.as_deref(),
        }
    }
}

impl<'a> From<&'a Principal> for Subject<'a> {
    fn from(p: &'a Principal) -> Subject<'a> {
        let resource_type = match (p.provider, p.kind) {
            (Provider::Azure, PrincipalKind::User) => "Microsoft.Graph/users",
            (Provider::Azure, PrincipalKind::Group) => "Microsoft.Graph/groups",
            (Provider::Azure, _) => "Microsoft.Graph/servicePrincipals",
            (_, PrincipalKind::User) => "AWS::IAM::User",
            (_, PrincipalKind::Group) => "AWS::IAM::Group",
            (_, PrincipalKind::Role) => "AWS::IAM::Role",
            _ => "AWS::IAM::Principal",
        };
        Subject { id: p.id.clone(), resource_type, account_id: &p.account_id, region: None }
    }
}

impl<'m> Out<'m> {
    #[cfg(test)]
    pub(crate) fn new(meta: &'m Meta) -> Out<'m> {
        Out { meta, findings: Vec::new(), count_passes_only: false }
    }

    fn with_options(meta: &'m Meta, options: &Options) -> Out<'m> {
        Out { meta, findings: Vec::new(), count_passes_only: options.count_passes_only }
    }

    fn push<'a>(
        &mut self,
        subject: impl Into<Subject<'a>>,
        status: FindingStatus,
        message: String,
        evidence: serde_json::Value,
    ) {
        if status == FindingStatus::Pass && self.count_passes_only {
            self.findings.push(Finding {
                id: String::new(),
                rule_id: Cow::Borrowed(self.meta.id),
                title: Cow::Borrowed(self.meta.title),
                status,
                severity: self.meta.severity,
                provider: self.meta.provider(),
                resource_id: String::new(),
                resource_type: Cow::Borrowed(self.meta.resource_type),
                account_id: String::new(),
                region: None,
                domain: Cow::Borrowed(self.meta.domain.id()),
                message: String::new(),
                evidence: serde_json::Value::Null,
            });
            return;
        }
        let s = subject.into();
        // The rule's own strings are shared by all its findings; the resource type usually is the rule's.
        let resource_type = match s.resource_type {
            t if t == self.meta.resource_type => Cow::Borrowed(self.meta.resource_type),
            "AWS::Account" => Cow::Borrowed("AWS::Account"),
            "AWS::Region" => Cow::Borrowed("AWS::Region"),
            t => Cow::Owned(t.to_string()),
        };
        self.findings.push(Finding {
            id: finding_id(self.meta.id, &s.id),
            rule_id: Cow::Borrowed(self.meta.id),
            title: Cow::Borrowed(self.meta.title),
            status,
            severity: self.meta.severity,
            provider: self.meta.provider(),
            resource_id: s.id,
            resource_type,
            account_id: s.account_id.to_string(),
            region: s.region.map(str::to_string),
            domain: Cow::Borrowed(self.meta.domain.id()),
            message,
            evidence,
        });
    }

    pub fn pass<'a>(&mut self, subject: impl Into<Subject<'a>>, message: impl Into<String>) {
        self.push(subject, FindingStatus::Pass, message.into(), serde_json::Value::Null);
    }

    pub fn fail<'a>(
        &mut self,
        subject: impl Into<Subject<'a>>,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) {
        self.push(subject, FindingStatus::Fail, message.into(), evidence);
    }

    pub fn not_evaluated<'a>(&mut self, subject: impl Into<Subject<'a>>, reason: impl Into<String>) {
        self.push(subject, FindingStatus::NotEvaluated, reason.into(), serde_json::Value::Null);
    }

    /// PASS or FAIL by `ok`.
    pub fn verdict<'a>(
        &mut self,
        subject: impl Into<Subject<'a>>,
        ok: bool,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) {
        if ok {
            self.push(subject, FindingStatus::Pass, message.into(), serde_json::Value::Null);
        } else {
            self.push(subject, FindingStatus::Fail, message.into(), evidence);
        }
    }

    /// The rule being run.
    pub fn meta(&self) -> &Meta {
        self.meta
    }
}

/// Runs the rules (all, or those `options` names) over a snapshot: the built-in ones, then the custom (Rego)
/// ones. Findings come rule by rule, in registry order.
pub fn run_with(
    snapshot: &Snapshot,
    options: &Options,
    custom: &mut [crate::CustomRule],
) -> Result<Vec<Finding>, ScanError> {
    let mut findings = Vec::new();
    let mut scan = Scan::new(snapshot, options.now.unwrap_or_else(chrono::Utc::now));
    scan.unused_days = options.unused_days.unwrap_or(DEFAULT_UNUSED_DAYS);
    run_streaming(&scan, options, custom, &mut |f| findings.push(f))?;
    Ok(findings)
}

/// How many rules may always run ahead of the one being handed to `sink`, per thread.
const AHEAD_PER_THREAD: usize = 2;

/// Further rules may start while the findings of rules finished ahead of their turn number fewer than this: a long
/// rule does not idle the other cores, and the findings held at once stay bounded.
const PENDING_FINDINGS: usize = 400_000;

/// Runs the rules like [`run_with`] over a [`Scan`] of the snapshot (`options.now` is the scan's), handing each
/// finding to `sink` as soon as its rule's turn comes, so that a scan of millions of resources never holds all its
/// findings. Built-in rules run on every core; their findings
/// still reach `sink` rule by rule, in registry order. Custom rules run after them, on this thread.
pub fn run_streaming(
    scan: &Scan<'_>,
    options: &Options,
    custom: &mut [crate::CustomRule],
    sink: &mut dyn FnMut(Finding),
) -> Result<(), ScanError> {
    let wanted = |id: &str| options.rules.is_empty() || options.rules.iter().any(|r| r == id);
    for id in &options.rules {
        if crate::rule(id).is_none() && !custom.iter().any(|c| c.meta.id == id) {
            return Err(ScanError::UnknownRule(id.clone()));
        }
    }
    let rules: Vec<&'static crate::Rule> = crate::RULES.iter().copied().filter(|r| wanted(r.meta.id)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(rules.len().max(1));
    let run_rule = |rule: &crate::Rule| {
        let mut out = Out::with_options(&rule.meta, options);
        (rule.check)(scan, &mut out);
        out.findings
    };
    if threads <= 1 {
        for rule in &rules {
            run_rule(rule).into_iter().for_each(&mut *sink);
        }
    } else {
        use std::sync::{Condvar, Mutex};
        // `next` is the next rule to start; `flushed` how many rules have reached the sink; `pending` how many
        // findings finished rules hold while they wait for their turn. A worker starts rule `i` when
        // `i < flushed + ahead`, or when fewer than PENDING_FINDINGS are pending: this bounds what waits.
        let state = Mutex::new((0usize, 0usize, 0usize));
        let turn = Condvar::new();
        let ahead = threads * AHEAD_PER_THREAD;
        let (done, finished) = std::sync::mpsc::channel::<(usize, Vec<Finding>)>();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let done = done.clone();
                let (state, turn, rules, run_rule) = (&state, &turn, &rules, &run_rule);
                scope.spawn(move || loop {
                    let index = {
                        let Ok(mut guard) = state.lock() else { return };
                        loop {
                            let (next, flushed, pending) = *guard;
                            if next >= rules.len() {
                                return;
                            }
                            if next < flushed + ahead || pending < PENDING_FINDINGS {
                                guard.0 += 1;
                                break next;
                            }
                            guard = match turn.wait(guard) {
                                Ok(g) => g,
                                Err(_) => return,
                            };
                        }
                    };
                    if done.send((index, run_rule(rules[index]))).is_err() {
                        return;
                    }
                });
            }
            drop(done);
            let mut pending = std::collections::BTreeMap::new();
            let mut flushed = 0;
            for (index, findings) in finished {
                let held = findings.len();
                pending.insert(index, findings);
                if let Ok(mut guard) = state.lock() {
                    guard.2 += held;
                }
                while let Some(findings) = pending.remove(&flushed) {
                    let held = findings.len();
                    findings.into_iter().for_each(&mut *sink);
                    flushed += 1;
                    if let Ok(mut guard) = state.lock() {
                        guard.1 = flushed;
                        guard.2 -= held;
                    }
                    turn.notify_all();
                }
            }
        });
    }
    for rule in custom.iter_mut().filter(|r| wanted(r.meta.id)) {
        let mut out = Out::with_options(rule.meta, options);
        rule.run(scan, &mut out);
        out.findings.into_iter().for_each(&mut *sink);
    }
    Ok(())
}
