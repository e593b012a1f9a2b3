//! `mtlskit inspect FILE...`: everything in certificates, CSRs, keys, CRLs, .p7b, .p12 and
//! Java keystores (.jks, .jceks).

use std::cell::{Cell, RefCell};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Args;
use mtlskit::inspect::{self, ErrorItem, ErrorReport, Item, Options, Report, Source};
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

use mtlskit::secret::Password;

use super::args::{self, PasswordArgs};
use super::files;
use super::report::{self, CliError};

// Arguments of `mtlskit inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to inspect (PEM with any number of blocks, DER, base64, .p7b, .p12); `-` reads
    /// standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Print `{"items": [...]}` as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Password for .p12 files and encrypted keys.
    #[command(flatten)]
    password: PasswordArgs,
    /// Java keystores: read the key password from the first line of this file, when it
    /// differs from the store password (also `MTLSKIT_KEY_PASSWORD`).
    #[arg(long, value_name = "FILE")]
    key_password_file: Option<String>,
    /// Judge validity at this RFC 3339 time instead of now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

/// Runs `mtlskit inspect`.
pub fn run(arguments: &InspectArgs) -> ExitCode {
    match read_all(arguments) {
        Ok(inputs) if arguments.json => print_json(inputs),
        Ok(inputs) => print_text(&Report {
            items: items(inputs).collect(),
        }),
        Err(error) => error.report(arguments.json),
    }
}

/// One input, read and ready to inspect.
enum Input {
    /// The only input: its blocks are split (and a single block inspected) while reading, so
    /// that an error of the whole input fails the command before anything is printed.
    Started(inspect::Items),
    /// One of several inputs: inspected as it is printed; an unreadable one becomes an error
    /// item in its place.
    Read { bytes: Vec<u8>, options: Options },
}

/// Reads every input (and starts the only one) before anything is printed: the errors that
/// fail the whole command (an unreadable file, or an unreadable single input) come first.
fn read_all(arguments: &InspectArgs) -> Result<Vec<Input>, CliError> {
    let at = args::time(arguments.at.as_deref())?;
    let password = arguments.password.given()?;
    args::with_password(password, "Password: ", |password| {
        read_files(arguments, at, password)
    })
}

fn read_files(
    arguments: &InspectArgs,
    at: mtlskit::UnixTime,
    password: Option<&Password>,
) -> Result<Vec<Input>, CliError> {
    let key_file = arguments.key_password_file.as_deref();
    let key_password = args::password_from(key_file, "MTLSKIT_KEY_PASSWORD")?;
    let single = arguments.files.len() == 1;
    let mut inputs = Vec::with_capacity(arguments.files.len());
    for file in &arguments.files {
        let options = Options {
            source: file.clone(),
            password: password.cloned(),
            key_password: key_password.clone(),
            at,
        };
        let bytes = files::read_input(file)?;
        inputs.push(if single {
            let items = inspect::Items::new(&bytes, options)
                .map_err(|error| CliError::in_file(error, file))?;
            Input::Started(items)
        } else {
            Input::Read { bytes, options }
        });
    }
    Ok(inputs)
}

/// Every item of every input, in order.
fn items(inputs: Vec<Input>) -> impl Iterator<Item = Item> {
    inputs
        .into_iter()
        .flat_map(|input| -> Box<dyn Iterator<Item = Item>> {
            match input {
                Input::Started(items) => Box::new(items),
                Input::Read { bytes, options } => {
                    let file = options.source.clone();
                    match inspect::Items::new(&bytes, options) {
                        Ok(items) => Box::new(items),
                        Err(error) => Box::new(std::iter::once(Item::Error(ErrorItem {
                            source: Source {
                                file,
                                index: 0,
                                container: None,
                                alias: None,
                            },
                            error: ErrorReport::from(&error),
                        }))),
                    }
                }
            }
        })
}

/// Writes `{"items": [...]}` as each item is inspected, through one 64 KiB buffer: the same
/// bytes as pretty-printing the whole [`Report`], without holding the report or its
/// megabyte of JSON (for a trust bundle) in memory.
fn print_json(inputs: Vec<Input>) -> ExitCode {
    let streamed = Streamed {
        items: RefCell::new(items(inputs)),
        errors: Cell::new(false),
    };
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let written = super::json::to_writer_pretty(&mut out, &streamed)
        .and_then(|()| out.write_all(b"\n").map_err(serde_json::Error::io));
    // a closed pipe (`mtlskit inspect --json ... | head`) is not an error
    if let Err(error) = written.and_then(|()| out.flush().map_err(serde_json::Error::io)) {
        if !error.is_io() {
            eprintln!("error[Internal]: {error}");
        }
        // the exit code still tells whether any item was an error
        let rest = streamed.items.into_inner();
        streamed
            .errors
            .set(streamed.errors.get() || rest.into_iter().any(|item| is_error(&item)));
    }
    exit_code(streamed.errors.get())
}

fn print_text(report: &Report) -> ExitCode {
    report::write_stdout(&inspect::text::render(report, report::color()));
    exit_code(report.first_error().is_some())
}

fn exit_code(errors: bool) -> ExitCode {
    if errors {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn is_error(item: &Item) -> bool {
    matches!(item, Item::Error(_))
}

/// A [`Report`] whose items are inspected while they are serialised.
struct Streamed<I> {
    items: RefCell<I>,
    /// Whether an error item went by.
    errors: Cell<bool>,
}

impl<I: Iterator<Item = Item>> Serialize for Streamed<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_struct("Report", 1)?;
        report.serialize_field("items", &StreamedItems(self))?;
        report.end()
    }
}

struct StreamedItems<'a, I>(&'a Streamed<I>);

impl<I: Iterator<Item = Item>> Serialize for StreamedItems<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut items = serializer.serialize_seq(None)?;
        loop {
            let next = self.0.items.borrow_mut().next();
            let Some(item) = next else { break };
            if is_error(&item) {
                self.0.errors.set(true);
            }
            items.serialize_element(&item)?;
        }
        items.end()
    }
}
