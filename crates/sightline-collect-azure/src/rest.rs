//! A client of the Azure Resource Manager, Resource Graph and Microsoft Graph REST APIs: bearer tokens, paging
//! (`nextLink`, `@odata.nextLink`, Resource Graph's `$skipToken`), throttling (429 and 503 retried after
//! `Retry-After`, bounded) and errors that say which call failed and why (a 403 is "denied", so that a missing
//! permission becomes a coverage record rather than a silent gap).
//!
//! The Rust management SDK crates are not maintained, so the APIs are called directly; responses are kept as JSON
//! values in their REST shape, which is what the importers of `sightline-azure` read.

use serde_json::{json, Value};
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

/// Which API a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Azure Resource Manager and Resource Graph (`https://management.azure.com/`).
    Arm,
    /// Microsoft Graph (`https://graph.microsoft.com/`).
    Graph,
    /// The Key Vault data plane (each vault's `vaultUri`, `https://{vault}.vault.azure.net/`).
    KeyVault,
}

impl Audience {
    /// The OAuth scope a credential is asked for.
    pub fn scope(self) -> &'static str {
        match self {
            Audience::Arm => "https://management.azure.com/.default",
            Audience::Graph => "https://graph.microsoft.com/.default",
            Audience::KeyVault => "https://vault.azure.net/.default",
        }
    }
}

/// Something that hands out bearer tokens.
pub trait TokenSource: Send + Sync {
    /// A token for `audience`, or why there is none.
    fn token(&self, audience: Audience) -> Result<String, String>;
}

/// Tokens given up front (`AZURE_ARM_TOKEN`, `AZURE_GRAPH_TOKEN` and `AZURE_VAULT_TOKEN`).
pub struct StaticTokens {
    pub arm: Option<String>,
    pub graph: Option<String>,
    pub vault: Option<String>,
}

impl TokenSource for StaticTokens {
    fn token(&self, audience: Audience) -> Result<String, String> {
        let (token, var) = match audience {
            Audience::Arm => (&self.arm, "AZURE_ARM_TOKEN"),
            Audience::Graph => (&self.graph, "AZURE_GRAPH_TOKEN"),
            Audience::KeyVault => (&self.vault, "AZURE_VAULT_TOKEN"),
        };
        token.clone().ok_or_else(|| format!("no access token for {} (set {var})", audience.scope()))
    }
}

/// Why a call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RestError {
    /// 401 or 403: the identity may not make this call.
    #[error("{url}: access denied (HTTP {status} {code}): {message}")]
    Denied { url: String, status: u16, code: String, message: String },
    #[error("{url}: not found (HTTP 404 {code})")]
    NotFound { url: String, code: String },
    #[error("{url}: HTTP {status} {code}: {message}")]
    Http { url: String, status: u16, code: String, message: String },
    #[error("{url}: still throttled after {attempts} attempts")]
    Throttled { url: String, attempts: u32 },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: the response is not the JSON expected: {message}")]
    Json { url: String, message: String },
    #[error("no credentials: {0}")]
    Token(String),
}

impl RestError {
    /// Whether the failure is a missing permission (a "denied" coverage record) rather than an error.
    pub fn is_denied(&self) -> bool {
        matches!(self, RestError::Denied { .. })
    }
}

/// Attempts of a throttled request before giving up.
const ATTEMPTS: u32 = 6;
/// The longest `Retry-After` honoured; longer ones are waited this long and retried.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// Pages followed at most for one listing (a loop of next links must end).
const MAX_PAGES: usize = 100_000;

/// The REST client.
#[derive(Clone)]
pub struct Rest {
    agent: ureq::Agent,
    arm: String,
    graph: String,
    tokens: Arc<dyn TokenSource>,
}

impl Rest {
    /// A client of the public cloud's endpoints, or of `arm` and `graph` (a sovereign cloud, or the replay server of
    /// the tests).
    pub fn new(tokens: Arc<dyn TokenSource>, arm: Option<&str>, graph: Option<&str>) -> Rest {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Rest {
            agent,
            arm: arm.unwrap_or("https://management.azure.com").trim_end_matches('/').to_string(),
            graph: graph.unwrap_or("https://graph.microsoft.com").trim_end_matches('/').to_string(),
            tokens,
        }
    }

    /// The absolute URL of an API path.
    pub fn url(&self, audience: Audience, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            return path.to_string();
        }
        match audience {
            Audience::Arm => format!("{}{path}", self.arm),
            Audience::Graph => format!("{}{path}", self.graph),
            // Vaults are called at their own `vaultUri`: the path is already absolute.
            Audience::KeyVault => path.to_string(),
        }
    }

    /// GET one document.
    pub fn get(&self, audience: Audience, path: &str) -> Result<Value, RestError> {
        let url = self.url(audience, path);
        self.send(audience, &url, None)
    }

    /// GET every page of a list (`value` arrays, following `nextLink` or `@odata.nextLink`).
    pub fn list(&self, audience: Audience, path: &str) -> Result<Vec<Value>, RestError> {
        let mut url = self.url(audience, path);
        let mut items = Vec::new();
        for _ in 0..MAX_PAGES {
            let page = self.send(audience, &url, None)?;
            match page.get("value") {
                Some(Value::Array(values)) => items.extend(values.iter().cloned()),
                _ => return Err(RestError::Json { url, message: "no `value` array".into() }),
            }
            match page.get("nextLink").or_else(|| page.get("@odata.nextLink")).and_then(Value::as_str) {
                Some(next) if !next.is_empty() => url = self.url(audience, next),
                _ => return Ok(items),
            }
        }
        Err(RestError::Json { url, message: format!("more than {MAX_PAGES} pages") })
    }

    /// Runs a Resource Graph query over `subscriptions` (or, when `management_group` is given, over that group),
    /// following `$skipToken` until every row is read.
    pub fn resource_graph(
        &self,
        query: &str,
        subscriptions: &[String],
        management_group: Option<&str>,
    ) -> Result<Vec<Value>, RestError> {
        let url = self.url(Audience::Arm, "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01");
        let mut rows = Vec::new();
        let mut skip: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut options = json!({"resultFormat": "objectArray", "$top": 1000});
            if let Some(token) = &skip {
                options["$skipToken"] = json!(token);
            }
            let mut body = json!({"query": query, "options": options});
            match management_group {
                Some(group) => body["managementGroups"] = json!([group]),
                None => body["subscriptions"] = json!(subscriptions),
            }
            let page = self.send(Audience::Arm, &url, Some(&body))?;
            match page.get("data") {
                Some(Value::Array(values)) => rows.extend(values.iter().cloned()),
                _ => return Err(RestError::Json { url, message: "no `data` array".into() }),
            }
            match page.get("$skipToken").and_then(Value::as_str) {
                Some(token) if !token.is_empty() => skip = Some(token.to_string()),
                _ => return Ok(rows),
            }
        }
        Err(RestError::Json { url, message: format!("more than {MAX_PAGES} pages") })
    }

    /// Sends one request (a POST of `body`, or a GET), retrying throttled ones (429, 503) after `Retry-After` (or a growing delay) and
    /// transport failures after a growing delay.
    fn send(&self, audience: Audience, url: &str, body: Option<&Value>) -> Result<Value, RestError> {
        let token = self.tokens.token(audience).map_err(RestError::Token)?;
        let mut delay = Duration::from_millis(500);
        for attempt in 1..=ATTEMPTS {
            let authorization = format!("Bearer {token}");
            let result = match body {
                Some(body) => self
                    .agent
                    .post(url)
                    .header("Authorization", authorization.as_str())
                    .header("Content-Type", "application/json")
                    .send(body.to_string().as_bytes()),
                None => self.agent.get(url).header("Authorization", authorization.as_str()).call(),
            };
            let mut response = match result {
                Ok(r) => r,
                Err(_) if attempt < ATTEMPTS => {
                    std::thread::sleep(delay);
                    delay = (delay * 2).min(MAX_WAIT);
                    continue;
                }
                Err(e) => return Err(RestError::Transport { url: url.to_string(), message: e.to_string() }),
            };
            let status = response.status().as_u16();
            if matches!(status, 429 | 503) {
                if attempt == ATTEMPTS {
                    return Err(RestError::Throttled { url: url.to_string(), attempts: ATTEMPTS });
                }
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map_or(delay, |s| Duration::from_secs(s).min(MAX_WAIT));
                std::thread::sleep(wait);
                delay = (delay * 2).min(MAX_WAIT);
                continue;
            }
            let mut text = String::new();
            response
                .body_mut()
                .as_reader()
                .read_to_string(&mut text)
                .map_err(|e| RestError::Transport { url: url.to_string(), message: e.to_string() })?;
            if status < 300 {
                return serde_json::from_str(&text)
                    .map_err(|e| RestError::Json { url: url.to_string(), message: e.to_string() });
            }
            // ARM and Graph both answer `{"error": {"code", "message"}}`.
            let error: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let field = |k: &str| error["error"][k].as_str().unwrap_or_default().to_string();
            let (code, message) = (field("code"), field("message"));
            let url = url.to_string();
            return Err(match status {
                401 | 403 => RestError::Denied { url, status, code, message },
                404 => RestError::NotFound { url, code },
                _ => RestError::Http { url, status, code, message },
            });
        }
        Err(RestError::Throttled { url: url.to_string(), attempts: ATTEMPTS })
    }
}
