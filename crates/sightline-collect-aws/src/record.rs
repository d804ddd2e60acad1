//! Coverage bookkeeping: every call is made through a [`Recorder`], which bounds concurrency and records whether
//! the call was collected, denied or failed, and why.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use indicatif::{ProgressBar, ProgressStyle};
use sightline_model::{Coverage, CoverageStatus, Provider};
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Error codes AWS uses for "you are not allowed to".
const DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "AuthorizationErrorException",
    "UnauthorizedAccess",
    "Forbidden",
    "InvalidClientTokenId",
    "OptInRequired",
    "SubscriptionRequiredException",
    "AWSOrganizationsNotInUseException",
];

/// Whether an error code means the caller lacks permission (or the service is not enabled for it).
pub fn is_denied(code: Option<&str>) -> bool {
    code.is_some_and(|c| DENIED_CODES.contains(&c))
}

/// The AWS error code of an SDK error, if the service sent one.
pub fn error_code<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> Option<String> {
    match e {
        SdkError::ServiceError(s) => s.err().code().map(str::to_string),
        _ => None,
    }
}

/// A one-line description of an SDK error: the service's code and message, or the transport failure.
pub fn describe<E: ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(
    e: &SdkError<E, R>,
) -> String {
    if let SdkError::ServiceError(s) = e {
        let err = s.err();
        if let Some(code) = err.code() {
            return format!("{code}: {}", err.message().unwrap_or("(no message)"));
        }
    }
    let mut text = DisplayErrorContext(e).to_string();
    // Keep stored records readable: the SDK's context can embed whole response bodies.
    if text.len() > 400 {
        let mut cut = 400;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

/// What a call returned.
pub enum Fetched<T> {
    Value(T),
    /// The service answered that the thing is not configured (for example `NoSuchBucketPolicy`).
    Absent,
    /// Denied or failed; already recorded.
    Error,
}

impl<T> Fetched<T> {
    /// The value, if any.
    pub fn value(self) -> Option<T> {
        match self {
            Fetched::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// A progress display of (service, region) tasks; silent when disabled.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar }
    }

    pub fn add(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc_length(n);
        }
    }

    pub fn done(&self, message: String) {
        if let Some(b) = &self.bar {
            b.set_message(message);
            b.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Bounds the requests in flight and records the outcome of each call for one account.
#[derive(Clone)]
pub struct Recorder {
    account: String,
    records: Arc<Mutex<Vec<Coverage>>>,
    limit: Arc<Semaphore>,
    pub progress: Progress,
}

impl Recorder {
    pub fn new(account: &str, limit: Arc<Semaphore>, progress: Progress) -> Recorder {
        Recorder { account: account.to_string(), records: Arc::default(), limit, progress }
    }

    /// The account being collected.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn push(
        &self,
        service: &str,
        region: Option<&str>,
        operation: &str,
        status: CoverageStatus,
        detail: Option<String>,
    ) {
        let record = Coverage {
            provider: Provider::Aws,
            account_id: self.account.clone(),
            service: service.to_string(),
            region: region.map(str::to_string),
            operation: operation.to_string(),
            status,
            detail,
        };
        // A poisoned lock only means another task panicked while pushing; the records are still usable.
        let mut records = self.records.lock().unwrap_or_else(|p| p.into_inner());
        // One record per (service, region, operation): the first failure wins over later successes.
        if let Some(existing) = records
            .iter_mut()
            .find(|r| r.service == record.service && r.region == record.region && r.operation == record.operation)
        {
            if existing.status == CoverageStatus::Collected && record.status != CoverageStatus::Collected {
                *existing = record;
            }
            return;
        }
        records.push(record);
    }

    /// Records a failure that did not come from an SDK call.
    pub fn failed(&self, service: &str, region: Option<&str>, operation: &str, detail: String) {
        self.push(service, region, operation, CoverageStatus::Failed, Some(detail));
    }

    /// Makes one call under the concurrency limit and records its outcome. Error codes listed in `absent` mean
    /// "not configured" and count as collected.
    pub async fn fetch<T, E, R, F>(
        &self,
        service: &str,
        region: Option<&str>,
        operation: &str,
        absent: &[&str],
        call: F,
    ) -> Fetched<T>
    where
        F: Future<Output = Result<T, SdkError<E, R>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let permit = self.limit.acquire().await;
        let result = call.await;
        drop(permit);
        match result {
            Ok(v) => {
                self.push(service, region, operation, CoverageStatus::Collected, None);
                Fetched::Value(v)
            }
            Err(e) => {
                let code = error_code(&e);
                if code.as_deref().is_some_and(|c| absent.contains(&c)) {
                    self.push(service, region, operation, CoverageStatus::Collected, None);
                    return Fetched::Absent;
                }
                let status = if is_denied(code.as_deref()) { CoverageStatus::Denied } else { CoverageStatus::Failed };
                self.push(service, region, operation, status, Some(describe(&e)));
                Fetched::Error
            }
        }
    }

    /// A resource-based policy as a service returned it, compacted for the snapshot. A policy that is not valid
    /// JSON is recorded as a failure of `operation`, naming `what` (e.g. "bucket logs"), and left out.
    pub fn policy_document(
        &self,
        service: &str,
        region: Option<&str>,
        operation: &str,
        what: &str,
        text: Option<String>,
    ) -> Option<sightline_model::Document> {
        match sightline_model::compact_document(&text?) {
            Ok(doc) => Some(doc),
            Err(e) => {
                self.failed(service, region, operation, format!("{what}: the policy is not valid JSON: {e}"));
                None
            }
        }
    }

    /// Takes the records collected so far.
    pub fn take(&self) -> Vec<Coverage> {
        std::mem::take(&mut *self.records.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
