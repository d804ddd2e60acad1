//! S3 objects for the data scanner: a bucket's objects listed page by page, and objects read in ranged pieces so
//! that memory holds one range whatever the object's size. Blocking calls over the SDK, for a scanner that reads
//! through `std::io::Read`.

use crate::{client, Options};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use std::io::Read;

/// Bytes asked for in one ranged read.
pub const RANGE_BYTES: u64 = 8 << 20;

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub etag: Option<String>,
}

/// Why an S3 request failed.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("{what}: access denied ({code}): {message}")]
    Denied { what: String, code: String, message: String },
    #[error("{what}: not found ({code})")]
    NotFound { what: String, code: String },
    #[error("{what}: {message}")]
    Failed { what: String, message: String },
    #[error("cannot start the AWS client: {0}")]
    Runtime(String),
}

fn error<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(what: &str, e: SdkError<E, R>) -> ObjectError {
    let what = what.to_string();
    let (code, message) = match &e {
        SdkError::ServiceError(s) => {
            (s.err().code().unwrap_or_default().to_string(), s.err().message().unwrap_or_default().to_string())
        }
        other => (String::new(), format!("{other:?}")),
    };
    match code.as_str() {
        "AccessDenied" | "AllAccessDisabled" | "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "Forbidden" => {
            ObjectError::Denied { what, code, message }
        }
        "NoSuchBucket" | "NoSuchKey" | "NotFound" => ObjectError::NotFound { what, code },
        _ if code.is_empty() => ObjectError::Failed { what, message },
        _ => ObjectError::Failed { what, message: format!("{code}: {message}") },
    }
}

/// A bucket's objects, read with the collector's credentials and endpoint (see [`Options`]).
pub struct Bucket {
    runtime: tokio::runtime::Runtime,
    client: aws_sdk_s3::Client,
    name: String,
    range_bytes: u64,
}

impl Bucket {
    /// Connects to `bucket` in its own region (asked with `GetBucketLocation`; us-east-1 when that is refused).
    pub fn open(options: &Options, bucket: &str) -> Result<Bucket, ObjectError> {
        // Several scanning threads read objects at once: a runtime of its own threads serves them all.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| ObjectError::Runtime(e.to_string()))?;
        let custom_endpoint = options.endpoint.is_some();
        let client = runtime.block_on(async {
            let base = client::load(options, None).await;
            let s3 = |config: &aws_types::SdkConfig| {
                aws_sdk_s3::Client::from_conf(
                    aws_sdk_s3::config::Builder::from(config).force_path_style(custom_endpoint).build(),
                )
            };
            let probe = s3(&base);
            let region = probe
                .get_bucket_location()
                .bucket(bucket)
                .send()
                .await
                .ok()
                .and_then(|r| r.location_constraint().map(|c| c.as_str().to_string()))
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "us-east-1".to_string());
            // Buckets made before regions were named report "EU" for eu-west-1.
            let region = if region == "EU" { "eu-west-1".to_string() } else { region };
            s3(&client::in_region(&base, &region))
        });
        Ok(Bucket { runtime, client, name: bucket.to_string(), range_bytes: RANGE_BYTES })
    }

    /// Reads objects `bytes` at a time (at least 1).
    pub fn with_range_bytes(mut self, bytes: u64) -> Bucket {
        self.range_bytes = bytes.max(1);
        self
    }

    /// The bucket's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `s3://BUCKET/KEY`: how results name an object.
    pub fn url_of(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.name)
    }

    /// Every object whose key starts with `prefix`, following the listing's pages.
    pub fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        let what = format!("s3://{}/{prefix}", self.name);
        self.runtime.block_on(async {
            let mut objects = Vec::new();
            let mut pages = self
                .client
                .list_objects_v2()
                .bucket(&self.name)
                .set_prefix((!prefix.is_empty()).then(|| prefix.to_string()))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| error(&what, e))?;
                for o in page.contents() {
                    let Some(key) = o.key() else { continue };
                    objects.push(ObjectInfo {
                        key: key.to_string(),
                        size: o.size().and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                        etag: o.e_tag().map(str::to_string),
                    });
                }
            }
            Ok(objects)
        })
    }

    /// Reads `len` bytes of an object from `offset` (fewer at its end).
    pub fn read_range(&self, key: &str, offset: u64, len: u64) -> Result<Vec<u8>, ObjectError> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let what = self.url_of(key);
        self.runtime.block_on(async {
            let response = self
                .client
                .get_object()
                .bucket(&self.name)
                .key(key)
                .range(format!("bytes={offset}-{}", offset + len - 1))
                .send()
                .await
                .map_err(|e| error(&what, e))?;
            let bytes = response
                .body
                .collect()
                .await
                .map_err(|e| ObjectError::Failed { what: what.clone(), message: e.to_string() })?;
            let mut bytes = bytes.into_bytes().to_vec();
            // A server that ignores the range sends the whole object: keep the part asked for.
            bytes.truncate(usize::try_from(len).unwrap_or(usize::MAX));
            Ok(bytes)
        })
    }

    /// A reader of the first `limit` bytes of an object of `size` bytes, fetched a range at a time.
    pub fn reader(&self, key: &str, size: u64, limit: u64) -> impl Read + '_ {
        let key = key.to_string();
        sightline_model::ranged::RangedReader::new(size.min(limit), self.range_bytes, move |offset, len| {
            self.read_range(&key, offset, len)
        })
    }
}
