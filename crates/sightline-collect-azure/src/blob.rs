//! A small client of the Azure Blob service REST API, for the data scanner: list a container's blobs (paged), read
//! a blob in ranged pieces (memory stays bounded whatever its size), read a container's public access level, and
//! create containers and blobs (to seed test data). Requests are signed with the account key (Shared Key), carry a
//! SAS token, or a Microsoft Entra bearer token; throttled requests (429, 503) are retried after `Retry-After`.
//!
//! Tested against Azurite, Microsoft's storage emulator (`scripts/azurite.sh`).

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::io::Read;
use std::time::Duration;

/// The REST API version requests ask for.
const API_VERSION: &str = "2021-08-06";
/// Bytes asked for in one ranged read.
pub const RANGE_BYTES: u64 = 8 << 20;
/// Attempts of a throttled or failed request before giving up.
const ATTEMPTS: u32 = 5;

/// Characters kept as they are in a blob path: unreserved ones and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');
/// Characters kept as they are in a query value.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// How requests prove who makes them.
#[derive(Clone)]
pub enum Auth {
    /// The storage account's key (base64, as the portal shows it): Shared Key signatures.
    SharedKey(Vec<u8>),
    /// A shared access signature, as the query string it is (without the leading `?`).
    Sas(String),
    /// A Microsoft Entra access token for `https://storage.azure.com/`.
    Bearer(String),
    /// No credentials: only public containers can be read.
    Anonymous,
}

impl std::fmt::Debug for Auth {
    // Credentials are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::SharedKey(_) => "SharedKey(..)",
            Auth::Sas(_) => "Sas(..)",
            Auth::Bearer(_) => "Bearer(..)",
            Auth::Anonymous => "Anonymous",
        })
    }
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("{what}: access denied ({status} {code}): the credentials may not read it")]
    Denied { what: String, status: u16, code: String },
    #[error("{what}: not found ({code})")]
    NotFound { what: String, code: String },
    #[error("{what}: HTTP {status} {code}: {message}")]
    Http { what: String, status: u16, code: String, message: String },
    #[error("{what}: still throttled after {attempts} attempts")]
    Throttled { what: String, attempts: u32 },
    #[error("{what}: {message}")]
    Transport { what: String, message: String },
    #[error("{what}: unreadable listing: {message}")]
    Listing { what: String, message: String },
    #[error("invalid account key: {0}")]
    Key(String),
}

/// One blob of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobItem {
    pub name: String,
    pub size: u64,
    pub etag: Option<String>,
    pub content_type: Option<String>,
}

/// A storage account's Blob service.
#[derive(Debug, Clone)]
pub struct BlobService {
    /// `https://ACCOUNT.blob.core.windows.net`, or an emulator's `http://127.0.0.1:PORT/ACCOUNT`.
    endpoint: String,
    account: String,
    auth: Auth,
    agent: ureq::Agent,
    /// Bytes asked for in one ranged read ([`RANGE_BYTES`] unless set).
    range_bytes: u64,
    /// Blobs asked for in one listing page (the service's default, 5,000, unless set).
    page_size: Option<u32>,
}

impl BlobService {
    /// The Blob service of `account` at `endpoint` (without a trailing `/`; `None`: Azure's public endpoint).
    pub fn new(account: &str, endpoint: Option<&str>, auth: Auth) -> BlobService {
        let endpoint = match endpoint {
            Some(e) => e.trim_end_matches('/').to_string(),
            None => format!("https://{account}.blob.core.windows.net"),
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        BlobService { endpoint, account: account.to_string(), auth, agent, range_bytes: RANGE_BYTES, page_size: None }
    }

    /// Reads blobs `bytes` at a time (at least 1).
    pub fn with_range_bytes(mut self, bytes: u64) -> BlobService {
        self.range_bytes = bytes.max(1);
        self
    }

    /// Lists `size` blobs per page.
    pub fn with_page_size(mut self, size: u32) -> BlobService {
        self.page_size = Some(size.max(1));
        self
    }

    /// Shared Key auth from the base64 account key.
    pub fn shared_key(key: &str) -> Result<Auth, BlobError> {
        base64::engine::general_purpose::STANDARD
            .decode(key.trim())
            .map(Auth::SharedKey)
            .map_err(|e| BlobError::Key(e.to_string()))
    }

    /// The account's name.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// `azure://ACCOUNT/CONTAINER/NAME`: how results name a blob.
    pub fn url_of(&self, container: &str, name: &str) -> String {
        format!("azure://{}/{container}/{name}", self.account)
    }

    /// Every blob of `container` whose name starts with `prefix`, following the listing's pages.
    pub fn list(&self, container: &str, prefix: &str) -> Result<Vec<BlobItem>, BlobError> {
        let what = format!("azure://{}/{container}", self.account);
        let mut items = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let mut query = vec![("restype", "container".to_string()), ("comp", "list".to_string())];
            if !prefix.is_empty() {
                query.push(("prefix", prefix.to_string()));
            }
            if let Some(m) = &marker {
                query.push(("marker", m.clone()));
            }
            if let Some(size) = self.page_size {
                query.push(("maxresults", size.to_string()));
            }
            let (_, body) = self.send_text("GET", &format!("/{container}"), &query, &[], None, &what)?;
            let (page, next) =
                parse_listing(&body).map_err(|message| BlobError::Listing { what: what.clone(), message })?;
            items.extend(page);
            match next {
                Some(n) if !n.is_empty() => marker = Some(n),
                _ => return Ok(items),
            }
        }
    }

    /// The container's anonymous access level: `Some("blob")` or `Some("container")` when anyone may read its
    /// blobs, `None` when it is private.
    pub fn public_access(&self, container: &str) -> Result<Option<String>, BlobError> {
        let what = format!("azure://{}/{container}", self.account);
        let response =
            self.send("GET", &format!("/{container}"), &[("restype", "container".into())], &[], None, &what)?;
        Ok(response.headers().get("x-ms-blob-public-access").and_then(|v| v.to_str().ok()).map(str::to_string))
    }

    /// Reads `len` bytes of a blob from `offset` (fewer at its end).
    pub fn read_range(&self, container: &str, name: &str, offset: u64, len: u64) -> Result<Vec<u8>, BlobError> {
        let what = self.url_of(container, name);
        if len == 0 {
            return Ok(Vec::new());
        }
        let range = format!("bytes={offset}-{}", offset + len - 1);
        let mut response =
            self.send("GET", &format!("/{container}/{name}"), &[], &[("x-ms-range", range.as_str())], None, &what)?;
        let mut bytes = Vec::with_capacity(usize::try_from(len.min(self.range_bytes)).unwrap_or(0));
        response
            .body_mut()
            .as_reader()
            .take(len)
            .read_to_end(&mut bytes)
            .map_err(|e| BlobError::Transport { what, message: e.to_string() })?;
        Ok(bytes)
    }

    /// A reader of the first `limit` bytes of a blob of `size` bytes, fetched a range at a time.
    pub fn reader(&self, container: &str, name: &str, size: u64, limit: u64) -> impl Read + '_ {
        let (container, name) = (container.to_string(), name.to_string());
        sightline_model::ranged::RangedReader::new(size.min(limit), self.range_bytes, move |offset, len| {
            self.read_range(&container, &name, offset, len)
        })
    }

    /// Creates a container (no error if it exists); `public` sets its anonymous access level (`blob`,
    /// `container`).
    pub fn create_container(&self, container: &str, public: Option<&str>) -> Result<(), BlobError> {
        let what = format!("azure://{}/{container}", self.account);
        let headers: Vec<(&str, &str)> = public.map(|p| ("x-ms-blob-public-access", p)).into_iter().collect();
        match self.send("PUT", &format!("/{container}"), &[("restype", "container".into())], &headers, Some(&[]), &what)
        {
            Ok(_) => Ok(()),
            Err(BlobError::Http { status: 409, .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Uploads a block blob in one request.
    pub fn put_blob(&self, container: &str, name: &str, content: &[u8]) -> Result<(), BlobError> {
        let what = self.url_of(container, name);
        self.send("PUT", &format!("/{container}/{name}"), &[], &[("x-ms-blob-type", "BlockBlob")], Some(content), &what)
            .map(|_| ())
    }

    fn send_text(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        what: &str,
    ) -> Result<(u16, String), BlobError> {
        let mut response = self.send(method, path, query, headers, body, what)?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| BlobError::Transport { what: what.to_string(), message: e.to_string() })?;
        Ok((status, text))
    }

    /// Sends a request (signed), retrying throttled and failed ones; a response with an error status becomes a
    /// [`BlobError`].
    fn send(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        what: &str,
    ) -> Result<ureq::http::Response<ureq::Body>, BlobError> {
        let encoded_path = utf8_percent_encode(path, PATH).to_string();
        let mut query_text: Vec<String> =
            query.iter().map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, QUERY))).collect();
        if let Auth::Sas(sas) = &self.auth {
            query_text.push(sas.trim_start_matches('?').to_string());
        }
        let url = if query_text.is_empty() {
            format!("{}{encoded_path}", self.endpoint)
        } else {
            format!("{}{encoded_path}?{}", self.endpoint, query_text.join("&"))
        };
        let mut delay = Duration::from_millis(500);
        for attempt in 1..=ATTEMPTS {
            let date = chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            let mut all: Vec<(String, String)> =
                vec![("x-ms-date".into(), date), ("x-ms-version".into(), API_VERSION.into())];
            all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            let length = body.map_or(0, <[u8]>::len);
            match &self.auth {
                Auth::SharedKey(key) => {
                    let signature = self.sign(key, method, &encoded_path, query, &all, length)?;
                    all.push(("Authorization".into(), format!("SharedKey {}:{signature}", self.account)));
                }
                Auth::Bearer(token) => all.push(("Authorization".into(), format!("Bearer {token}"))),
                Auth::Sas(_) | Auth::Anonymous => {}
            }
            let result = match method {
                "PUT" => {
                    let mut request = self.agent.put(&url);
                    for (k, v) in &all {
                        request = request.header(k.as_str(), v.as_str());
                    }
                    request.send(body.unwrap_or_default())
                }
                _ => {
                    let mut request = self.agent.get(&url);
                    for (k, v) in &all {
                        request = request.header(k.as_str(), v.as_str());
                    }
                    request.call()
                }
            };
            let mut response = match result {
                Ok(r) => r,
                Err(e) if attempt < ATTEMPTS => {
                    let _ = e;
                    std::thread::sleep(delay);
                    delay *= 2;
                    continue;
                }
                Err(e) => return Err(BlobError::Transport { what: what.to_string(), message: e.to_string() }),
            };
            let status = response.status().as_u16();
            if status < 300 {
                return Ok(response);
            }
            if matches!(status, 429 | 500 | 503) {
                if attempt == ATTEMPTS {
                    return Err(BlobError::Throttled { what: what.to_string(), attempts: ATTEMPTS });
                }
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map_or(delay, |s| Duration::from_secs(s.min(60)));
                std::thread::sleep(wait);
                delay *= 2;
                continue;
            }
            let code =
                response.headers().get("x-ms-error-code").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            let message = response.body_mut().read_to_string().unwrap_or_default();
            let message = xml_text(&message, "Message").unwrap_or(message);
            return Err(match status {
                401 | 403 => BlobError::Denied { what: what.to_string(), status, code },
                404 => BlobError::NotFound { what: what.to_string(), code },
                _ => BlobError::Http { what: what.to_string(), status, code, message },
            });
        }
        Err(BlobError::Throttled { what: what.to_string(), attempts: ATTEMPTS })
    }

    /// The Shared Key signature of a request (Azure Storage, "Authorize with Shared Key").
    fn sign(
        &self,
        key: &[u8],
        method: &str,
        encoded_path: &str,
        query: &[(&str, String)],
        headers: &[(String, String)],
        length: usize,
    ) -> Result<String, BlobError> {
        let header = |name: &str| {
            headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).unwrap_or_default()
        };
        let length = if length == 0 { String::new() } else { length.to_string() };
        let mut ms: Vec<(String, &str)> = headers
            .iter()
            .filter(|(k, _)| k.to_ascii_lowercase().starts_with("x-ms-"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim()))
            .collect();
        ms.sort();
        // The resource: the account, then the path as sent (which, on an emulator, starts with the account too).
        let endpoint_path = self.endpoint.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap_or_default();
        let mut resource = format!("/{}{endpoint_path}{encoded_path}", self.account);
        let mut params: Vec<(String, &str)> = query.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.as_str())).collect();
        params.sort();
        for (k, v) in params {
            resource.push_str(&format!("\n{k}:{v}"));
        }
        let mut text = format!(
            "{method}\n{}\n{}\n{length}\n{}\n{}\n\n{}\n{}\n{}\n{}\n{}\n",
            header("content-encoding"),
            header("content-language"),
            header("content-md5"),
            header("content-type"),
            header("if-modified-since"),
            header("if-match"),
            header("if-none-match"),
            header("if-unmodified-since"),
            header("range"),
        );
        for (k, v) in ms {
            text.push_str(&format!("{k}:{v}\n"));
        }
        text.push_str(&resource);
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).map_err(|e| BlobError::Key(e.to_string()))?;
        mac.update(text.as_bytes());
        Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The text of the first `<tag>` element of an XML document.
fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].to_string())
}

/// The blobs of one listing page and the marker of the next page.
fn parse_listing(xml: &str) -> Result<(Vec<BlobItem>, Option<String>), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut items = Vec::new();
    let mut next = None;
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<BlobItem> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if name == "Blob" {
                    current = Some(BlobItem { name: String::new(), size: 0, etag: None, content_type: None });
                }
                path.push(name);
            }
            // The guard pops every closing element; a closing Blob ends the item.
            Event::End(_) if path.pop().as_deref() == Some("Blob") => items.extend(current.take()),
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| e.to_string())?.to_string();
                let parent = path.iter().rev().nth(1).map(String::as_str);
                match (path.last().map(String::as_str), parent, current.as_mut()) {
                    (Some("Name"), Some("Blob"), Some(b)) => b.name = text,
                    (Some("Content-Length"), Some("Properties"), Some(b)) => b.size = text.trim().parse().unwrap_or(0),
                    (Some("Etag"), Some("Properties"), Some(b)) => b.etag = Some(text),
                    (Some("Content-Type"), Some("Properties"), Some(b)) => b.content_type = Some(text),
                    (Some("NextMarker"), Some("EnumerationResults"), _) => next = Some(text),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !path.is_empty() {
        return Err("the listing ends before its elements close".into());
    }
    Ok((items, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_are_read_with_their_next_marker() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/" ContainerName="c"><Blobs><Blob><Name>a/b &amp; c.csv</Name><Properties><Content-Length>12</Content-Length><Etag>0x1</Etag><Content-Type>text/csv</Content-Type></Properties></Blob><Blob><Name>z.bin</Name><Properties><Content-Length>0</Content-Length></Properties></Blob></Blobs><NextMarker>m2</NextMarker></EnumerationResults>"#;
        let (items, next) = parse_listing(xml).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].name, "a/b & c.csv");
        assert_eq!(items[0].size, 12);
        assert_eq!(items[0].etag.as_deref(), Some("0x1"));
        assert_eq!(next.as_deref(), Some("m2"));
        assert!(parse_listing("<EnumerationResults><Blobs><Blob>").is_err());
    }

    #[test]
    fn credentials_are_never_printed() {
        let auth = BlobService::shared_key("c2VjcmV0").unwrap();
        assert_eq!(format!("{auth:?}"), "SharedKey(..)");
        assert!(BlobService::shared_key("not base64!").is_err());
    }
}
