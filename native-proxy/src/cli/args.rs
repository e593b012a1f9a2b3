//! Flags and values several commands share: the clock (`--at`), passwords, subject and
//! validity options, and the operating system's random number generator (the core takes time
//! and randomness as arguments; this is where the CLI supplies them).

use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use mtlskit::UnixTime;
use mtlskit::issue::{Subject, SubjectAltName, Validity};

use super::files;
use super::report::{CliError, no_file};

/// The current time, or `--at` when given.
pub fn time(at: Option<&str>) -> Result<UnixTime, CliError> {
    if let Some(text) = at {
        return UnixTime::parse_rfc3339(text).map_err(|error| CliError { error, file: None });
    }
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Ok(UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX)))
}

/// The password from `--password`, `--password-file` (first line) or `MTLSKIT_PASSWORD`.
pub fn password(direct: Option<&str>, file: Option<&str>) -> Result<Option<String>, CliError> {
    if let Some(password) = direct {
        return Ok(Some(password.to_owned()));
    }
    if let Some(path) = file {
        let bytes = files::read_input(path)?;
        let text = String::from_utf8_lossy(&bytes);
        return Ok(Some(text.lines().next().unwrap_or_default().to_owned()));
    }
    Ok(std::env::var("MTLSKIT_PASSWORD").ok())
}

/// The key password of Java keystore entries: `--key-password-file` (first line) or
/// `MTLSKIT_KEY_PASSWORD`; `None` means "the store password".
pub fn key_password(file: Option<&str>) -> Result<Option<String>, CliError> {
    if let Some(path) = file {
        let bytes = files::read_input(path)?;
        let text = String::from_utf8_lossy(&bytes);
        return Ok(Some(text.lines().next().unwrap_or_default().to_owned()));
    }
    Ok(std::env::var("MTLSKIT_KEY_PASSWORD").ok())
}

/// The operating system's random number generator (the core takes it as an argument).
pub fn rng() -> rand::rngs::ThreadRng {
    rand::rng()
}

/// Subject and subjectAltName options.
#[derive(Debug, Args, Default)]
pub struct SubjectArgs {
    /// Common name (CN).
    #[arg(long)]
    pub cn: Option<String>,
    /// Organization (O).
    #[arg(long = "org", value_name = "O")]
    pub organization: Option<String>,
    /// Organizational unit (OU).
    #[arg(long = "ou", value_name = "OU")]
    pub organizational_unit: Option<String>,
    /// Country, two letters (C).
    #[arg(long, value_name = "C")]
    pub country: Option<String>,
    /// State or province (ST).
    #[arg(long, value_name = "ST")]
    pub state: Option<String>,
    /// Locality, e.g. the city (L).
    #[arg(long, value_name = "L")]
    pub locality: Option<String>,
    /// emailAddress attribute of the subject.
    #[arg(long = "subject-email", value_name = "EMAIL")]
    pub email: Option<String>,
    /// Subject alternative name: DNS name, IP address, email, URI; `DNS:`, `IP:`, `email:`,
    /// `URI:` prefixes force the kind. Repeat for several.
    #[arg(long = "san", value_name = "NAME")]
    pub subject_alt_names: Vec<String>,
}

impl SubjectArgs {
    /// The subject these options describe.
    pub fn subject(&self) -> Subject {
        Subject {
            country: self.country.clone(),
            state: self.state.clone(),
            locality: self.locality.clone(),
            organization: self.organization.clone(),
            organizational_unit: self.organizational_unit.clone(),
            common_name: self.cn.clone(),
            email: self.email.clone(),
        }
    }

    /// The parsed subjectAltNames.
    pub fn subject_alt_names(&self) -> Result<Vec<SubjectAltName>, CliError> {
        self.subject_alt_names
            .iter()
            .map(|name| name.parse().map_err(no_file))
            .collect()
    }
}

/// Validity options.
#[derive(Debug, Args, Default)]
pub struct ValidityArgs {
    /// Lifetime in days (default: root 3650, intermediate 1825, leaves 398).
    #[arg(long)]
    pub days: Option<u32>,
    /// Start of validity, RFC 3339 (default: five minutes ago).
    #[arg(long, value_name = "RFC3339")]
    pub not_before: Option<String>,
    /// End of validity, RFC 3339.
    #[arg(long, value_name = "RFC3339", conflicts_with = "days")]
    pub not_after: Option<String>,
}

impl ValidityArgs {
    /// The validity these options describe.
    pub fn validity(&self) -> Result<Validity, CliError> {
        let parse = |text: &Option<String>| {
            text.as_deref()
                .map(UnixTime::parse_rfc3339)
                .transpose()
                .map_err(no_file)
        };
        Ok(Validity {
            not_before: parse(&self.not_before)?,
            not_after: parse(&self.not_after)?,
            days: self.days,
        })
    }
}
