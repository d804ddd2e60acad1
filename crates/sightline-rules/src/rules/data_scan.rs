//! What the data scanner found in each S3 bucket, for the data rules: the bucket's [`DataSummary`], or why there
//! is no verdict (no object of the bucket was scanned, or some could not be read and nothing was found in the
//! rest).

use super::util::each_resource;
use crate::scan::{Out, Scan};
use sightline_model::data::{summarize, DataSummary};
use sightline_model::Resource;
use std::collections::HashMap;

/// Runs `judge` on every S3 bucket with the summary of its scanned objects; a bucket without one is NOT_EVALUATED.
pub(crate) fn each_scanned_bucket<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    judge: impl for<'r> Fn(&Scan<'s>, &'s Resource, &DataSummary, &mut Out<'r>),
) {
    let summaries = summarize(&scan.snapshot.data_objects);
    let by_resource: HashMap<&str, &DataSummary> = summaries.iter().map(|s| (s.resource.as_str(), s)).collect();
    let needs = out.meta().needs;
    each_resource(scan, out, "AWS::S3::Bucket", needs, |r, out| match by_resource.get(r.id.as_str()) {
        None => out.not_evaluated(
            r,
            format!(
                "no object of this bucket was scanned for sensitive data (sightline dlp scan s3://{} --db DB)",
                r.name
            ),
        ),
        Some(summary) => judge(scan, r, summary, out),
    });
}

/// The evidence of a summary: what was found, and how much was read.
pub(crate) fn evidence(s: &DataSummary) -> serde_json::Value {
    serde_json::json!({
        "labels": s.labels,
        "categories": s.categories,
        "matches": s.counts,
        "sensitivity_score": s.score,
        "objects_scanned": s.objects,
        "objects_with_sensitive_data": s.sensitive_objects,
        "objects_partial": s.partial,
        "objects_unreadable": s.errors,
        "objects_binary_skipped": s.skipped_binary,
    })
}

/// Why a bucket where nothing was found cannot pass: objects that could not be read.
pub(crate) fn unread(s: &DataSummary) -> Option<String> {
    (s.errors > 0).then(|| {
        format!("nothing sensitive was found, but {} of {} scanned objects could not be read", s.errors, s.objects)
    })
}
