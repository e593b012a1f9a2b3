//! `inspect`: everything in a file (certificates, CSRs, keys, CRLs, `.p7b`, `.p12`), the
//! report of `mtlskit inspect --json`.

use serde::Deserialize;

use super::{ApiError, Data, Password};
use crate::UnixTime;
use crate::inspect::{self, Options, Report};

/// What to inspect.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct InspectRequest {
    /// The file contents.
    pub data: Data,
    /// The name copied into each item's `source.file` (default `input`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub source: Option<String>,
    /// The password of a `.p12` file, a Java keystore or an encrypted key.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub password: Option<Password>,
    /// The password of the private keys in a Java keystore when it differs from `password`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_password: Option<Password>,
}

/// Inspects `request.data`, judging validity at `time`.
pub fn inspect(request: &InspectRequest, time: UnixTime) -> Result<Report, ApiError> {
    let source = request.source.clone().unwrap_or_else(|| "input".to_owned());
    let options = Options {
        source: source.clone(),
        password: request.password.clone(),
        key_password: request.key_password.clone(),
        at: time,
    };
    inspect::inspect(request.data.bytes(), &options).map_err(|error| ApiError::new(error, source))
}
