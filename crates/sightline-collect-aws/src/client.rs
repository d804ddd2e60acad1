//! Building SDK configurations: the standard credential chain, one HTTPS stack, adaptive retries, an optional
//! custom endpoint, and credentials of roles assumed in member accounts.

use crate::Options;
use aws_config::retry::RetryConfig;
use aws_config::BehaviorVersion;
use aws_types::region::Region;
use aws_types::SdkConfig;
use std::time::Duration;

/// A custom endpoint for every service (for example a local emulator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
}

fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

/// The base configuration: profile or default chain, region (default us-east-1), retries, endpoint.
pub async fn load(options: &Options, region: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http_client()).retry_config(
        RetryConfig::adaptive()
            .with_max_attempts(options.max_attempts.max(1))
            .with_initial_backoff(Duration::from_millis(200)),
    );
    if let Some(p) = &options.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &options.endpoint {
        loader = loader.endpoint_url(&e.url);
    }
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_string()));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return config.into_builder().region(Region::new("us-east-1")).build();
    }
    config
}

/// A configuration for `region`, derived from `base`.
pub fn in_region(base: &SdkConfig, region: &str) -> SdkConfig {
    base.clone().into_builder().region(Region::new(region.to_string())).build()
}

/// Why a role could not be assumed.
pub struct AssumeError {
    pub denied: bool,
    pub message: String,
}

/// Assumes `role_arn` with the base credentials and returns a configuration that uses the role's credentials.
pub async fn assume(options: &Options, base: &SdkConfig, role_arn: &str) -> Result<SdkConfig, AssumeError> {
    let sts = aws_sdk_sts::Client::new(base);
    let out =
        sts.assume_role().role_arn(role_arn).role_session_name("sightline-collector").send().await.map_err(|e| {
            let code = crate::record::error_code(&e);
            AssumeError { denied: crate::record::is_denied(code.as_deref()), message: crate::record::describe(&e) }
        })?;
    let Some(c) = out.credentials() else {
        return Err(AssumeError { denied: false, message: format!("AssumeRole {role_arn} returned no credentials") });
    };
    let credentials = aws_credential_types::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        None,
        "sightline-assume-role",
    );
    let _ = options;
    Ok(base
        .clone()
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(credentials))
        .build())
}
