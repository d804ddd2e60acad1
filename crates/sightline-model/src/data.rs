//! What the data scanner's records say about the storage resources that hold the objects: labels for the security
//! graph and a sensitivity score per bucket or container.

use crate::{DataObject, DataOutcome, Snapshot};
use std::collections::BTreeMap;

/// The resource property holding the classification labels of a resource: the detector ids of the sensitive data
/// found in it (`credit_card`, `aws_secret_access_key`, ...), or labels a collector or user set.
pub const CLASSIFICATIONS: &str = "sightline_classifications";

/// The lowest confidence at which a detection labels its resource and counts towards its score: `likely`, as a
/// security engineer would act on it. Lower-confidence matches stay in the object records.
pub const LABEL_CONFIDENCE: &str = "likely";

/// The rank of a confidence name, `very_unlikely` (0) to `very_likely` (4); unknown names rank 0.
pub fn confidence_rank(confidence: &str) -> u8 {
    match confidence {
        "very_likely" => 4,
        "likely" => 3,
        "possible" => 2,
        "unlikely" => 1,
        _ => 0,
    }
}

/// How much a category of sensitive data weighs in a sensitivity score.
fn category_weight(category: &str) -> u32 {
    match category {
        "credentials" => 90,
        "financial" | "health" => 80,
        "personal" => 60,
        _ => 50,
    }
}

/// What the data scanner found in one storage resource (a bucket or a container), over all its scanned objects.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DataSummary {
    /// The resource (bucket ARN, container id), or the empty string for local files.
    pub resource: String,
    pub objects: u64,
    /// Objects read in part (sampled or cut at a limit), skipped as binary, or unreadable.
    pub partial: u64,
    pub skipped_binary: u64,
    pub errors: u64,
    pub bytes_scanned: u64,
    /// Detector ids found at [`LABEL_CONFIDENCE`] or above, sorted.
    pub labels: Vec<String>,
    /// Categories of those detections, sorted.
    pub categories: Vec<String>,
    /// Matches at [`LABEL_CONFIDENCE`] or above, by detector.
    pub counts: BTreeMap<String, u64>,
    /// Objects holding such matches.
    pub sensitive_objects: u64,
    /// 0 (nothing found) to 100: the weight of the most sensitive category found (credentials 90, financial and
    /// health 80, personal 60), plus up to 10 as matches grow (one point per doubling), capped at 100.
    pub score: u8,
}

/// Sums up the data-scan records by the resource holding each object, in resource order.
pub fn summarize(objects: &[DataObject]) -> Vec<DataSummary> {
    let mut by: BTreeMap<&str, DataSummary> = BTreeMap::new();
    let floor = confidence_rank(LABEL_CONFIDENCE);
    for o in objects {
        let resource = o.resource.as_deref().unwrap_or_default();
        let s =
            by.entry(resource).or_insert_with(|| DataSummary { resource: resource.to_string(), ..Default::default() });
        s.objects += 1;
        s.bytes_scanned += o.bytes_scanned;
        match o.outcome {
            DataOutcome::Scanned => {}
            DataOutcome::Partial => s.partial += 1,
            DataOutcome::SkippedBinary => s.skipped_binary += 1,
            DataOutcome::Error => s.errors += 1,
        }
        let mut sensitive = false;
        for d in o.detections.iter().filter(|d| confidence_rank(&d.confidence) >= floor) {
            sensitive = true;
            *s.counts.entry(d.detector.clone()).or_default() += d.count;
            if !s.labels.contains(&d.detector) {
                s.labels.push(d.detector.clone());
            }
            if !s.categories.contains(&d.category) {
                s.categories.push(d.category.clone());
            }
        }
        s.sensitive_objects += u64::from(sensitive);
    }
    by.into_values()
        .map(|mut s| {
            s.labels.sort();
            s.categories.sort();
            let weight = s.categories.iter().map(|c| category_weight(c)).max().unwrap_or(0);
            let matches: u64 = s.counts.values().sum();
            let growth = if matches == 0 { 0 } else { (64 - matches.leading_zeros()).min(10) };
            s.score = if weight == 0 { 0 } else { u8::try_from((weight + growth).min(100)).unwrap_or(100) };
            s
        })
        .collect()
}

impl Snapshot {
    /// Adds the labels of the data scanner's records ([`DataSummary::labels`]) to the [`CLASSIFICATIONS`] property
    /// of the resources holding the objects, so that the graph and the rules see them. Labels already there stay.
    pub fn label_resources_from_data(&mut self) {
        if self.data_objects.is_empty() {
            return;
        }
        let summaries = summarize(&self.data_objects);
        let labels: BTreeMap<&str, &[String]> = summaries
            .iter()
            .filter(|s| !s.labels.is_empty())
            .map(|s| (s.resource.as_str(), s.labels.as_slice()))
            .collect();
        for r in &mut self.resources {
            let Some(found) = labels.get(r.id.as_str()) else { continue };
            let mut list: Vec<serde_json::Value> = r
                .properties
                .get(CLASSIFICATIONS)
                .and_then(|v| v.as_array())
                .map(|items| items.iter().map(crate::Props::to_value).collect())
                .unwrap_or_default();
            for label in found.iter() {
                if !list.iter().any(|v| v.as_str() == Some(label)) {
                    list.push(serde_json::Value::String(label.clone()));
                }
            }
            if !r.properties.is_object() {
                r.properties = crate::Props::from(serde_json::json!({}));
            }
            r.properties.insert(CLASSIFICATIONS, crate::Props::from(serde_json::Value::Array(list)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DataDetection, Provider, Resource};

    fn object(resource: &str, name: &str, detections: &[(&str, &str, &str, u64)]) -> DataObject {
        DataObject {
            provider: Some(Provider::Aws),
            resource: Some(resource.into()),
            object: format!("s3://{name}"),
            etag: None,
            size: None,
            bytes_scanned: 10,
            scanned_at: "2026-11-29T00:00:00Z".into(),
            outcome: DataOutcome::Scanned,
            reason: None,
            detections: detections
                .iter()
                .map(|(detector, category, confidence, count)| DataDetection {
                    detector: detector.to_string(),
                    category: category.to_string(),
                    confidence: confidence.to_string(),
                    count: *count,
                    samples: Vec::new(),
                    locations: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn summaries_label_and_score_by_the_most_sensitive_category() {
        let objects = vec![
            object(
                "arn:aws:s3:::a",
                "a/1",
                &[("email", "personal", "likely", 3), ("us_ssn", "personal", "possible", 1)],
            ),
            object("arn:aws:s3:::a", "a/2", &[("aws_secret_access_key", "credentials", "very_likely", 1)]),
            object("arn:aws:s3:::b", "b/1", &[("phone_number", "personal", "possible", 40)]),
        ];
        let s = summarize(&objects);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].labels, vec!["aws_secret_access_key".to_string(), "email".to_string()]);
        assert_eq!(s[0].categories, vec!["credentials".to_string(), "personal".to_string()]);
        // Credentials (90) and 4 matches (3 bits).
        assert_eq!(s[0].score, 93);
        assert_eq!(s[0].sensitive_objects, 2);
        // Only low-confidence matches: no label, score 0.
        assert!(s[1].labels.is_empty());
        assert_eq!(s[1].score, 0);
    }

    #[test]
    fn labels_reach_the_resources_once() {
        let mut snapshot = Snapshot::new("t");
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: "arn:aws:s3:::a".into(),
            resource_type: "AWS::S3::Bucket".into(),
            account_id: "1".into(),
            region: None,
            name: "a".into(),
            policy: None,
            tags: Default::default(),
            properties: serde_json::json!({ CLASSIFICATIONS: ["pci"] }).into(),
        });
        snapshot.data_objects.push(object("arn:aws:s3:::a", "a/1", &[("credit_card", "financial", "very_likely", 2)]));
        snapshot.label_resources_from_data();
        snapshot.label_resources_from_data();
        assert_eq!(
            snapshot.resources[0].properties[CLASSIFICATIONS].to_value(),
            serde_json::json!(["pci", "credit_card"])
        );
    }
}
