//! Microsoft Entra tokens through the `azure_identity` credentials: a service principal's client secret
//! (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`), a managed identity (on an Azure host), or the
//! signed-in Azure CLI or Azure Developer CLI user. Tokens given up front (`AZURE_ARM_TOKEN`, `AZURE_GRAPH_TOKEN`, `AZURE_VAULT_TOKEN`)
//! take precedence.
//!
//! The credentials' own HTTP requests go through [`UreqTransport`], so no second HTTP stack or async runtime is
//! built in; a token is awaited on the calling thread.

use crate::rest::{Audience, StaticTokens, TokenSource};
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::{AsyncRawResponse, Body, ClientOptions, HttpClient, Method, Request, Transport};
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// An `azure_core` HTTP client backed by ureq.
#[derive(Debug)]
pub struct UreqTransport(ureq::Agent);

impl UreqTransport {
    fn new() -> UreqTransport {
        UreqTransport(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(60)))
                .build()
                .into(),
        )
    }
}

fn transport_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(azure_core::error::ErrorKind::Io, message)
}

#[async_trait::async_trait]
impl HttpClient for UreqTransport {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let url = request.url().as_str();
        let body: &[u8] = match request.body() {
            Body::Bytes(bytes) => bytes,
            #[allow(unreachable_patterns)]
            _ => return Err(transport_error(format!("{url}: streamed request bodies are not supported"))),
        };
        let headers: Vec<(String, String)> =
            request.headers().iter().map(|(k, v)| (k.as_str().to_string(), v.as_str().to_string())).collect();
        let result = match request.method() {
            Method::Get => {
                let mut r = self.0.get(url);
                for (k, v) in &headers {
                    r = r.header(k.as_str(), v.as_str());
                }
                r.call()
            }
            Method::Post => {
                let mut r = self.0.post(url);
                for (k, v) in &headers {
                    r = r.header(k.as_str(), v.as_str());
                }
                r.send(body)
            }
            other => return Err(transport_error(format!("{url}: method {other:?} is not used by credentials"))),
        };
        let mut response = result.map_err(|e| transport_error(format!("{url}: {e}")))?;
        let status = response.status().as_u16();
        let mut map = HashMap::new();
        for (k, v) in response.headers() {
            if let Ok(v) = v.to_str() {
                map.insert(HeaderName::from(k.as_str().to_ascii_lowercase()), HeaderValue::from(v.to_string()));
            }
        }
        let mut bytes = Vec::new();
        response.body_mut().as_reader().read_to_end(&mut bytes).map_err(|e| transport_error(format!("{url}: {e}")))?;
        Ok(AsyncRawResponse::from_bytes(status.into(), Headers::from(map), bytes))
    }
}

/// Tokens from an `azure_identity` credential, cached until shortly before they expire.
pub struct IdentityTokens {
    credential: Arc<dyn TokenCredential>,
    /// Which credential it is, for messages.
    kind: &'static str,
    cache: Mutex<HashMap<&'static str, (String, SystemTime)>>,
}

impl IdentityTokens {
    /// The credential the environment points to: a client secret if `AZURE_CLIENT_SECRET` is set, a managed
    /// identity on an Azure host (`IDENTITY_ENDPOINT` or `MSI_ENDPOINT`, or `AZURE_USE_MANAGED_IDENTITY=1` for a
    /// virtual machine), otherwise the Azure CLI or Azure Developer CLI user.
    pub fn from_environment() -> Result<IdentityTokens, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let client_options = || ClientOptions {
            transport: Some(Transport::new(Arc::new(UreqTransport::new()))),
            ..ClientOptions::default()
        };
        let (credential, kind): (Arc<dyn TokenCredential>, &'static str) =
            if let Some(secret) = var("AZURE_CLIENT_SECRET") {
                let tenant = var("AZURE_TENANT_ID").ok_or("AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID is not")?;
                let client = var("AZURE_CLIENT_ID").ok_or("AZURE_CLIENT_SECRET is set but AZURE_CLIENT_ID is not")?;
                let options = azure_identity::ClientSecretCredentialOptions { client_options: client_options() };
                let credential =
                    azure_identity::ClientSecretCredential::new(&tenant, client, Secret::new(secret), Some(options))
                        .map_err(|e| format!("client secret credential: {e}"))?;
                (credential, "client secret")
            } else if var("IDENTITY_ENDPOINT").is_some()
                || var("MSI_ENDPOINT").is_some()
                || var("AZURE_USE_MANAGED_IDENTITY").is_some()
            {
                let options = azure_identity::ManagedIdentityCredentialOptions {
                    user_assigned_id: var("AZURE_CLIENT_ID").map(azure_identity::UserAssignedId::ClientId),
                    client_options: client_options(),
                };
                let credential = azure_identity::ManagedIdentityCredential::new(Some(options))
                    .map_err(|e| format!("managed identity credential: {e}"))?;
                (credential, "managed identity")
            } else {
                let credential = azure_identity::DeveloperToolsCredential::new(None)
                    .map_err(|e| format!("Azure CLI credential: {e}"))?;
                (credential, "Azure CLI or Azure Developer CLI")
            };
        Ok(IdentityTokens { credential, kind, cache: Mutex::new(HashMap::new()) })
    }
}

impl TokenSource for IdentityTokens {
    fn token(&self, audience: Audience) -> Result<String, String> {
        let scope = audience.scope();
        if let Ok(cache) = self.cache.lock() {
            if let Some((token, until)) = cache.get(scope) {
                if SystemTime::now() < *until {
                    return Ok(token.clone());
                }
            }
        }
        let token = futures::executor::block_on(self.credential.get_token(&[scope], None))
            .map_err(|e| format!("{} credential could not get a token for {scope}: {e}", self.kind))?;
        let expires: i64 = token.expires_on.unix_timestamp();
        // Renewed five minutes before it expires.
        let until = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(expires - 300).unwrap_or(0));
        let secret = token.token.secret().to_string();
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(scope, (secret.clone(), until));
        }
        Ok(secret)
    }
}

/// The token source for a live collection: tokens given in `AZURE_ARM_TOKEN` / `AZURE_GRAPH_TOKEN` / `AZURE_VAULT_TOKEN` if any, otherwise
/// the `azure_identity` credential the environment points to.
pub fn from_environment() -> Result<Arc<dyn TokenSource>, String> {
    let arm = std::env::var("AZURE_ARM_TOKEN").ok().filter(|v| !v.is_empty());
    let graph = std::env::var("AZURE_GRAPH_TOKEN").ok().filter(|v| !v.is_empty());
    let vault = std::env::var("AZURE_VAULT_TOKEN").ok().filter(|v| !v.is_empty());
    if arm.is_some() || graph.is_some() || vault.is_some() {
        return Ok(Arc::new(StaticTokens { arm, graph, vault }));
    }
    Ok(Arc::new(IdentityTokens::from_environment()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};

    /// The transport the credentials use sends the method, headers and body, and hands back status, headers and body.
    #[test]
    fn ureq_transport_round_trips_a_token_request() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/tenant/oauth2/v2.0/token", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = Vec::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                head.push(line.trim().to_string());
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let text = r#"{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAi.test"}"#;
            let mut stream = stream;
            write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Ms-Request-Id: r1\r\nContent-Length: {}\r\n\r\n{text}", text.len()).unwrap();
            (head, String::from_utf8(body).unwrap())
        });
        let mut request = Request::new(url.parse().unwrap(), Method::Post);
        request.insert_header("content-type", "application/x-www-form-urlencoded");
        request.set_body("grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
        let response = futures::executor::block_on(UreqTransport::new().execute_request(&request)).unwrap();
        assert_eq!(u16::from(response.status()), 200);
        assert_eq!(response.headers().get_optional_str(&HeaderName::from_static("x-ms-request-id")), Some("r1"));
        let (head, body) = server.join().unwrap();
        assert!(head[0].starts_with("POST /tenant/oauth2/v2.0/token"), "{head:?}");
        assert!(
            head.iter().any(|h| h.eq_ignore_ascii_case("content-type: application/x-www-form-urlencoded")),
            "{head:?}"
        );
        assert!(body.starts_with("grant_type=client_credentials"));
    }

    #[test]
    fn tokens_given_up_front_are_used_as_they_are() {
        let tokens = StaticTokens { arm: Some("a".into()), graph: None, vault: None };
        assert_eq!(tokens.token(Audience::Arm).unwrap(), "a");
        assert!(tokens.token(Audience::Graph).unwrap_err().contains("AZURE_GRAPH_TOKEN"));
    }
}
