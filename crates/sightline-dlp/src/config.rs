//! Configuration of a scan: the reporting threshold, built-in detectors to turn off, and custom detectors, read
//! from TOML or JSON.
//!
//! ```toml
//! min_confidence = "possible"
//! disable = ["ip_address"]
//!
//! [[detector]]
//! id = "employee_id"
//! category = "personal"
//! regex = '\bEMP-[0-9]{6}\b'
//! keywords = ["employee", "staff"]
//! validator = "none"          # none, luhn, mod97, aba_routing, us_ssn
//! confidence = "possible"     # without a keyword; a keyword raises it two levels
//! ```

use crate::validate::Validator;
use crate::{Category, Confidence, Error};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A scan's configuration.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Matches below this confidence are not reported (default `possible`).
    #[serde(default)]
    pub min_confidence: Option<Confidence>,
    /// Ids of built-in detectors to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Custom detectors.
    #[serde(default, rename = "detector")]
    pub detectors: Vec<CustomDetector>,
}

/// A detector defined by configuration: a regular expression, an optional built-in validator and keywords.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDetector {
    /// Its snake_case id, distinct from every built-in one.
    pub id: String,
    /// The kind of data it finds.
    pub category: Category,
    /// The pattern (Rust `regex` syntax), searched in one pass with every other custom pattern.
    pub regex: String,
    /// Lowercase words that raise the confidence when shortly before a match or in its column or field name.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The check applied to each match.
    #[serde(default = "no_validator")]
    pub validator: Validator,
    /// The confidence of a match without a keyword.
    #[serde(default = "possible")]
    pub confidence: Confidence,
}

fn no_validator() -> Validator {
    Validator::None
}

fn possible() -> Confidence {
    Confidence::Possible
}

impl Config {
    /// Reads a configuration file: JSON if its name ends in `.json`, TOML otherwise.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let config = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            Config::from_json(&text)
        } else {
            Config::from_toml(&text)
        };
        config.map_err(|e| Error::Config(format!("{}: {e}", path.display())))
    }

    /// Parses TOML text.
    pub fn from_toml(text: &str) -> Result<Config, Error> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    /// Parses JSON text.
    pub fn from_json(text: &str) -> Result<Config, Error> {
        let config: Config = serde_json::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), Error> {
        let mut seen = std::collections::HashSet::new();
        for d in &self.detectors {
            if d.id.is_empty() || !d.id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_') {
                return Err(Error::Config(format!("detector id {:?}: use lowercase letters, digits and _", d.id)));
            }
            if crate::detectors::find(&d.id).is_some() || !seen.insert(d.id.as_str()) {
                return Err(Error::Config(format!("detector id {:?} is already taken", d.id)));
            }
            if d.keywords.iter().any(|k| k.bytes().any(|c| c.is_ascii_uppercase())) {
                return Err(Error::Config(format!("detector {:?}: keywords must be lowercase", d.id)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json() {
        let c = Config::from_toml(
            "min_confidence = \"likely\"\ndisable = [\"ip_address\"]\n[[detector]]\nid = \"employee_id\"\ncategory = \"personal\"\nregex = 'EMP-[0-9]{6}'\nkeywords = [\"employee\"]\n",
        )
        .unwrap();
        assert_eq!(c.min_confidence, Some(Confidence::Likely));
        assert_eq!(c.detectors[0].validator, Validator::None);
        let j = Config::from_json(
            r#"{"detector": [{"id": "x1", "category": "health", "regex": "MRN[0-9]+", "validator": "luhn"}]}"#,
        )
        .unwrap();
        assert_eq!(j.detectors[0].validator, Validator::Luhn);
        assert!(Config::from_toml("[[detector]]\nid = \"email\"\ncategory = \"personal\"\nregex = 'x'\n").is_err());
        assert!(Config::from_toml("[[detector]]\nid = \"Bad\"\ncategory = \"personal\"\nregex = 'x'\n").is_err());
        assert!(Config::from_toml("unknown = 1").is_err());
    }
}
