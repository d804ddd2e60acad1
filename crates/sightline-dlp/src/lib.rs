//! Sensitive data detection (DLP): built-in [`detectors`] with exact validators and a five-level [`Confidence`],
//! custom detectors from a [`config`] file, format readers for plain text, CSV/TSV, JSON and JSON Lines, archives
//! (gzip, zip, tar, nested to a limit), documents (docx, xlsx) and Parquet, and a streaming [`Scanner`] whose memory
//! stays bounded whatever the size of the object it reads, with [`Limits`] against archive bombs.
//!
//! The scan is two-staged: one pass of literal anchors (`AKIA`, `ghp_`, `-----BEGIN `, `://`, `password`, ...) and
//! one byte-class pass (digit runs, `@`, `:`) find candidates; only candidates are confirmed and validated. A
//! [`Match`] never holds the text it matched: only a [`redact`]ed sample.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod archive;
pub mod config;
pub mod corpus;
pub mod detectors;
mod documents;
mod engine;
mod format;
pub mod redact;
mod scanner;
pub mod validate;

pub use archive::{Limits, Members, Problem, ProblemKind, RATIO_GRACE};
pub use config::Config;
pub use detectors::{Detector, DETECTORS};
pub use format::{Format, Location};
pub use scanner::{Match, ObjectOutcome, Scanner, CHUNK_SIZE};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// How likely a match is to be what its detector looks for, on the scale Google's DLP uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The shape fits but almost nothing else supports it.
    VeryUnlikely,
    /// The shape and validator fit, but the shape is common by chance (a plain 9-digit number).
    Unlikely,
    /// Shape and validator fit; no context says more. The default reporting threshold.
    Possible,
    /// A distinctive shape that validates, or a plain one with supporting context.
    Likely,
    /// A distinctive, validated shape with supporting context.
    VeryLikely,
}

impl Confidence {
    /// Every level, lowest first.
    pub const ALL: [Confidence; 5] = [
        Confidence::VeryUnlikely,
        Confidence::Unlikely,
        Confidence::Possible,
        Confidence::Likely,
        Confidence::VeryLikely,
    ];

    /// The snake_case name used in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::VeryUnlikely => "very_unlikely",
            Confidence::Unlikely => "unlikely",
            Confidence::Possible => "possible",
            Confidence::Likely => "likely",
            Confidence::VeryLikely => "very_likely",
        }
    }

    /// Two levels higher, capped at [`Confidence::VeryLikely`]: what a keyword, column header or field name near
    /// a match is worth.
    pub fn raised(self) -> Confidence {
        let i = Confidence::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Confidence::ALL[(i + 2).min(Confidence::ALL.len() - 1)]
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Confidence {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Confidence::ALL.into_iter().find(|c| c.as_str() == s.trim().to_ascii_lowercase().replace('-', "_")).ok_or_else(
            || {
                Error::Config(format!(
                    "unknown confidence {s:?} (expected one of very_unlikely, unlikely, possible, likely, very_likely)"
                ))
            },
        )
    }
}

/// What kind of data a detector finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Identifies a person: national ids, emails, phone numbers, dates of birth, addresses.
    Personal,
    /// Payment and bank data: cards, IBANs, routing numbers.
    Financial,
    /// Secrets that grant access: keys, tokens, passwords.
    Credentials,
    /// Health data (custom detectors only in this version).
    Health,
}

impl Category {
    /// The snake_case name used in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Personal => "personal",
            Category::Financial => "financial",
            Category::Credentials => "credentials",
            Category::Health => "health",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a scan or a configuration failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An object could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The object.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A read failed on a stream without a path.
    #[error("read failed: {0}")]
    Read(#[from] std::io::Error),
    /// The custom detector configuration is invalid.
    #[error("{0}")]
    Config(String),
}
