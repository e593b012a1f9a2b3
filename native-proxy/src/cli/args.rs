//! Flags and values several commands share: the clock (`--at`), passwords, subject and
//! validity options, and the operating system's random number generator (the core takes time
//! and randomness as arguments; this is where the CLI supplies them).

use std::io::IsTerminal;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use mtlskit::crypto::SigningKey;
use mtlskit::issue::{Subject, SubjectAltName, Validity};
use mtlskit::secret::Password;
use mtlskit::{Error, UnixTime};
use zeroize::Zeroizing;

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

// A password given on the command line (visible to other users in `ps`), in a file, or in
// the environment variable `MTLSKIT_PASSWORD`; without any, commands ask on the terminal.
// (A plain comment: flattened into the deferred `inspect` and `convert`, a doc comment would
// become their help text; see `Command` in cli/mod.rs.)
#[derive(Debug, Args, Default)]
pub struct PasswordArgs {
    /// The password (other users can see it in `ps`: prefer --password-file, the
    /// MTLSKIT_PASSWORD variable, or typing it when asked).
    #[arg(long, conflicts_with = "password_file")]
    pub password: Option<Password>,
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<String>,
}

impl PasswordArgs {
    /// The password from the flags or `MTLSKIT_PASSWORD`, if any.
    pub fn given(&self) -> Result<Option<Password>, CliError> {
        if let Some(password) = &self.password {
            return Ok(Some(password.clone()));
        }
        password_from(self.password_file.as_deref(), "MTLSKIT_PASSWORD")
    }
}

/// The password in `file` (its first line), else in the environment variable `variable`.
pub fn password_from(file: Option<&str>, variable: &str) -> Result<Option<Password>, CliError> {
    if let Some(path) = file {
        let bytes = Zeroizing::new(files::read_input(path)?);
        let text = core::str::from_utf8(&bytes).map_err(|_| {
            let error = Error::Io {
                detail: "the password file is not UTF-8 text".into(),
            };
            CliError::in_file(error, path)
        })?;
        let line = text.lines().next().unwrap_or_default();
        return Ok(Some(Password::from(line)));
    }
    Ok(std::env::var(variable).ok().map(Password::from))
}

/// Asks for a password on the terminal (`None` when standard input is not one, as in scripts
/// and CI); with `confirm`, twice, for passwords that protect something new.
pub fn prompt(question: &str, confirm: bool) -> Result<Option<Password>, CliError> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let ask = |question: &str| {
        rpassword::prompt_password(question)
            .map(Password::from)
            .map_err(|error| {
                no_file(Error::Io {
                    detail: format!("cannot read the password: {error}"),
                })
            })
    };
    let password = ask(question)?;
    if confirm && ask("Again, to confirm: ")? != password {
        return Err(no_file(Error::Io {
            detail: "the two passwords differ: nothing was written".into(),
        }));
    }
    Ok(Some(password))
}

/// Runs `attempt` with `password`. When it fails for want of one and none was given, asks on
/// the terminal with `question` (if there is a terminal) and runs it again.
pub fn with_password<T>(
    password: Option<Password>,
    question: &str,
    attempt: impl Fn(Option<&Password>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let result = attempt(password.as_ref());
    let wants_password = matches!(
        &result,
        Err(CliError {
            error: Error::PasswordRequired { .. },
            ..
        })
    );
    if !wants_password || password.is_some() {
        return result;
    }
    match prompt(question, false)? {
        Some(typed) => attempt(Some(&typed)),
        None => result,
    }
}

/// Reads the private key in `path`, asking for its password on the terminal when it is
/// encrypted and `password` is `None`.
pub fn read_key(path: &str, password: Option<Password>) -> Result<SigningKey, CliError> {
    with_password(password, &format!("Password for {path}: "), |password| {
        files::read_key(path, password.map(Password::as_str))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_flags_do_not_show_the_password_in_debug() {
        let flags = PasswordArgs {
            password: Some(Password::from("hunter2-marker")),
            password_file: None,
        };
        let shown = format!("{flags:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
