//! STS: who the credentials belong to.

use aws_types::SdkConfig;

/// The caller's account.
pub struct Identity {
    pub account: String,
}

/// `GetCallerIdentity`; an error here means no usable credentials (or an unreachable endpoint).
pub async fn caller_identity(config: &SdkConfig) -> Result<Identity, String> {
    let out =
        aws_sdk_sts::Client::new(config).get_caller_identity().send().await.map_err(|e| crate::record::describe(&e))?;
    match out.account() {
        Some(account) => Ok(Identity { account: account.to_string() }),
        None => Err("GetCallerIdentity returned no account".into()),
    }
}
