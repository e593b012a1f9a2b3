//! Log output: `tracing` events on standard error, as `key=value` text or one JSON object per
//! line (`--log-format json`). The access log (target `access`) is written by [`access`] in
//! exactly the shape tracing-subscriber gives the other events, but formatted here into a
//! per-thread buffer: tracing-subscriber's formatting and a `write` per line were the largest
//! single cost of a proxied request (BENCHMARKS.md "Proxy"). On a worker thread
//! ([`batch_this_thread`]) the lines of one busy stretch go out in one `write` when the worker
//! runs out of work ([`flush_this_thread`], called just before it parks), or once they reach
//! [`BATCH_BYTES`] or [`BATCH_DELAY`]; elsewhere each line is written at once.

use std::cell::RefCell;
use std::fmt::{self, Display, Write as _};
use std::io::Write as _;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracing::Level;

use super::config::LogFormat;

/// The format chosen by [`init`]; no access log before it.
static FORMAT: OnceLock<LogFormat> = OnceLock::new();

/// Installs the global subscriber (once; later calls do nothing).
pub fn init(format: LogFormat) {
    let _ = FORMAT.set(format);
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(Level::INFO)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
}

/// A field value, recorded as `tracing` records it: `Text` like a `&str` field (quoted in
/// text lines), `Shown` like a `%value` field (bare in text lines).
#[derive(Clone, Copy)]
pub enum Value<'a> {
    /// A string field.
    Text(&'a str),
    /// A field written with `Display`.
    Shown(&'a dyn Display),
    /// An unsigned number.
    Unsigned(u64),
    /// A signed number.
    Signed(i64),
    /// A float.
    Float(f64),
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => write!(formatter, "{text:?}"),
            Self::Shown(shown) => write!(formatter, "{shown}"),
            Self::Unsigned(number) => write!(formatter, "{number}"),
            Self::Signed(number) => write!(formatter, "{number}"),
            Self::Float(number) => write!(formatter, "{number:?}"),
        }
    }
}

/// A worker's buffered lines are written once they reach this size...
const BATCH_BYTES: usize = 16 * 1024;
/// ... or the first of them is this old (when the next line comes).
const BATCH_DELAY: Duration = Duration::from_millis(20);

/// One thread's access-log lines not written yet.
struct Pending {
    lines: Vec<u8>,
    scratch: String,
    stamp: Stamp,
    /// Whether lines wait for [`flush_this_thread`].
    batching: bool,
    /// When the first waiting line was made.
    since: Duration,
}

thread_local! {
    static PENDING: RefCell<Pending> = const {
        RefCell::new(Pending {
            lines: Vec::new(),
            scratch: String::new(),
            stamp: Stamp::new(),
            batching: false,
            since: Duration::ZERO,
        })
    };
}

/// Lines of access-log events on this thread wait for [`flush_this_thread`] (a worker calls it
/// before parking), or [`BATCH_BYTES`] / [`BATCH_DELAY`].
pub fn batch_this_thread() {
    PENDING.with_borrow_mut(|pending| pending.batching = true);
}

/// Writes the lines waiting on this thread.
pub fn flush_this_thread() {
    PENDING.with_borrow_mut(Pending::flush);
}

impl Pending {
    fn flush(&mut self) {
        if self.lines.is_empty() {
            return;
        }
        let _ = std::io::stderr().write_all(&self.lines);
        self.lines.clear();
        if self.lines.capacity() > 4 * BATCH_BYTES {
            self.lines = Vec::new();
        }
    }
}

/// Writes one access-log event (target `access`) to standard error.
pub fn access(level: Level, message: &str, fields: &[(&str, Value<'_>)]) {
    access_prefixed(level, message, &[], fields);
}

/// Fields formatted once (by [`prefix`]) for the many lines that start with them (the
/// connection's fields on each of its requests' lines).
pub type Prefix = Box<[u8]>;

/// `fields` formatted as they are at the start of a line's fields, in the format chosen by
/// [`init`], for [`access_prefixed`].
pub fn prefix(fields: &[(&str, Value<'_>)]) -> Prefix {
    FORMAT
        .get()
        .map(|&format| prefix_in(format, fields))
        .unwrap_or_default()
        .into_boxed_slice()
}

fn prefix_in(format: LogFormat, fields: &[(&str, Value<'_>)]) -> Vec<u8> {
    let mut out = Vec::new();
    match format {
        LogFormat::Json => json_fields(&mut out, &mut String::new(), fields),
        LogFormat::Text => text_fields(&mut out, fields),
    }
    out
}

/// Writes one access-log event whose fields are `prefix` (made by [`prefix`]) then `fields`.
pub fn access_prefixed(level: Level, message: &str, prefix: &[u8], fields: &[(&str, Value<'_>)]) {
    access_with(level, message, prefix, Fields::List(fields));
}

/// Writes the access-log line of one request (`INFO`, `request`): `prefix` (made by
/// [`prefix`]) then `fields`; the same line as [`access_prefixed`] with
/// [`RequestFields::list`], made faster.
pub fn access_request(prefix: &[u8], fields: &RequestFields<'_>) {
    access_with(Level::INFO, "request", prefix, Fields::Request(fields));
}

/// The fields of a request's line after its connection's.
#[derive(Debug)]
pub struct RequestFields<'a> {
    /// `method`.
    pub method: &'a str,
    /// `path`.
    pub path: &'a str,
    /// `protocol`.
    pub protocol: &'a str,
    /// `status`.
    pub status: u16,
    /// `grpc_status` (-1: none).
    pub grpc_status: i64,
    /// `detail`.
    pub detail: &'a str,
    /// `bytes_received`.
    pub bytes_received: u64,
    /// `bytes_sent`.
    pub bytes_sent: u64,
    /// `duration_ms`.
    pub duration_ms: f64,
}

impl RequestFields<'_> {
    /// The fields as a list, in their order.
    pub fn list(&self) -> [(&'static str, Value<'_>); 9] {
        [
            ("method", Value::Text(self.method)),
            ("path", Value::Text(self.path)),
            ("protocol", Value::Text(self.protocol)),
            ("status", Value::Unsigned(u64::from(self.status))),
            ("grpc_status", Value::Signed(self.grpc_status)),
            ("detail", Value::Text(self.detail)),
            ("bytes_received", Value::Unsigned(self.bytes_received)),
            ("bytes_sent", Value::Unsigned(self.bytes_sent)),
            ("duration_ms", Value::Float(self.duration_ms)),
        ]
    }

    /// What [`json_fields`] writes for [`Self::list`], with the names as constants.
    /// Kept beside the generic writer on measurement: writing the request's line through
    /// `json_fields(line, scratch, &self.list())` instead cost -0.1k to +1.1k instructions per
    /// request (`scripts/bench-proxy/callgrind.py`, HTTP/1.1 twice and HTTP/2 once, up to
    /// 1-2% of a request's total); `request_lines_are_the_lines_of_their_list` keeps the two equal.
    fn write_json(&self, line: &mut Vec<u8>) {
        let mut number = itoa::Buffer::new();
        line.extend_from_slice(b",\"method\":");
        json_string(line, self.method);
        line.extend_from_slice(b",\"path\":");
        json_string(line, self.path);
        line.extend_from_slice(b",\"protocol\":");
        json_string(line, self.protocol);
        line.extend_from_slice(b",\"status\":");
        line.extend_from_slice(number.format(self.status).as_bytes());
        line.extend_from_slice(b",\"grpc_status\":");
        line.extend_from_slice(number.format(self.grpc_status).as_bytes());
        line.extend_from_slice(b",\"detail\":");
        json_string(line, self.detail);
        line.extend_from_slice(b",\"bytes_received\":");
        line.extend_from_slice(number.format(self.bytes_received).as_bytes());
        line.extend_from_slice(b",\"bytes_sent\":");
        line.extend_from_slice(number.format(self.bytes_sent).as_bytes());
        line.extend_from_slice(b",\"duration_ms\":");
        let _ = serde_json::to_writer(&mut *line, &self.duration_ms);
    }
}

/// The fields of a line after its prefix.
#[derive(Clone, Copy)]
enum Fields<'a> {
    List(&'a [(&'a str, Value<'a>)]),
    Request(&'a RequestFields<'a>),
}

fn access_with(level: Level, message: &str, prefix: &[u8], fields: Fields<'_>) {
    let Some(&format) = FORMAT.get() else {
        return;
    };
    PENDING.with_borrow_mut(|pending| {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        if pending.lines.is_empty() {
            pending.since = now;
        }
        let line = &mut pending.lines;
        let head = Head {
            format,
            now,
            level,
            message,
        };
        write_line(
            line,
            &mut pending.scratch,
            &mut pending.stamp,
            &head,
            prefix,
            fields,
        );
        if !pending.batching
            || line.len() >= BATCH_BYTES
            || now.saturating_sub(pending.since) >= BATCH_DELAY
        {
            pending.flush();
        }
    });
}

/// What starts a line.
struct Head<'a> {
    format: LogFormat,
    now: Duration,
    level: Level,
    message: &'a str,
}

/// Appends one line: `head`, `prefix` (from [`prefix_in`] in the same format), `fields`.
fn write_line(
    line: &mut Vec<u8>,
    scratch: &mut String,
    stamp: &mut Stamp,
    head: &Head<'_>,
    prefix: &[u8],
    fields: Fields<'_>,
) {
    match head.format {
        LogFormat::Json => {
            line.extend_from_slice(b"{\"timestamp\":\"");
            stamp.write(line, head.now);
            line.extend_from_slice(b"\",\"level\":\"");
            line.extend_from_slice(head.level.as_str().as_bytes());
            line.extend_from_slice(b"\",\"message\":");
            json_string(line, head.message);
            line.extend_from_slice(prefix);
            match fields {
                Fields::List(fields) => json_fields(line, scratch, fields),
                Fields::Request(fields) => fields.write_json(line),
            }
            json_end(line);
        }
        LogFormat::Text => {
            stamp.write(line, head.now);
            line.push(b' ');
            let level = head.level.as_str();
            line.extend_from_slice(b"     ".get(level.len()..).unwrap_or_default());
            line.extend_from_slice(level.as_bytes());
            line.extend_from_slice(b" access: ");
            line.extend_from_slice(head.message.as_bytes());
            line.extend_from_slice(prefix);
            match fields {
                Fields::List(fields) => text_fields(line, fields),
                Fields::Request(fields) => text_fields(line, &fields.list()),
            }
        }
    }
    line.push(b'\n');
}

/// Writes timestamps as [`Timestamp`] does, the date and time of day formatted once a second.
struct Stamp {
    /// The second `text` is for.
    second: u64,
    /// `2026-12-02T07:35:48.` (empty: nothing yet).
    text: String,
}

impl Stamp {
    const fn new() -> Self {
        Self {
            second: 0,
            text: String::new(),
        }
    }

    fn write(&mut self, line: &mut Vec<u8>, now: Duration) {
        let second = now.as_secs();
        if self.text.is_empty() || self.second != second {
            self.text.clear();
            let _ = write!(self.text, "{}", Timestamp(Duration::from_secs(second)));
            // Without `000000Z`: the microseconds and the zone are written per line.
            self.text.truncate(self.text.len().saturating_sub(7));
            self.second = second;
        }
        line.extend_from_slice(self.text.as_bytes());
        let mut micros = now.subsec_micros();
        let mut digits = [b'0'; 6];
        for digit in digits.iter_mut().rev() {
            *digit = b'0' + u8::try_from(micros % 10).unwrap_or(0);
            micros /= 10;
        }
        line.extend_from_slice(&digits);
        line.push(b'Z');
    }
}

#[cfg(test)]
fn json_line(
    line: &mut Vec<u8>,
    scratch: &mut String,
    now: Duration,
    level: Level,
    message: &str,
    fields: &[(&str, Value<'_>)],
) {
    let head = Head {
        format: LogFormat::Json,
        now,
        level,
        message,
    };
    write_line(
        line,
        scratch,
        &mut Stamp::new(),
        &head,
        &[],
        Fields::List(fields),
    );
    line.pop();
}

fn json_fields(line: &mut Vec<u8>, scratch: &mut String, fields: &[(&str, Value<'_>)]) {
    for (name, value) in fields {
        // Field names are identifiers (as tracing's are: the literals of `access`), which
        // JSON writes as they are.
        debug_assert!(
            name.bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_'),
            "{name}"
        );
        line.reserve(name.len() + 4);
        line.extend_from_slice(b",\"");
        line.extend_from_slice(name.as_bytes());
        line.extend_from_slice(b"\":");
        match value {
            Value::Text(text) => json_string(line, text),
            Value::Shown(shown) => {
                scratch.clear();
                let _ = write!(scratch, "{shown}");
                json_string(line, scratch);
            }
            // Integers as serde_json writes them (it uses itoa too).
            Value::Unsigned(number) => {
                line.extend_from_slice(itoa::Buffer::new().format(*number).as_bytes());
            }
            Value::Signed(number) => {
                line.extend_from_slice(itoa::Buffer::new().format(*number).as_bytes());
            }
            Value::Float(number) => {
                let _ = serde_json::to_writer(&mut *line, number);
            }
        }
    }
}

fn json_end(line: &mut Vec<u8>) {
    line.extend_from_slice(b",\"target\":\"access\"}");
}

/// `text` as a JSON string, as serde_json writes it (the escaper of `inspect --json`).
fn json_string(line: &mut Vec<u8>, text: &str) {
    line.reserve(text.len() + 2);
    line.push(b'"');
    crate::cli::json::escape_into_vec(line, text.as_bytes());
    line.push(b'"');
}

#[cfg(test)]
fn text_line(
    line: &mut Vec<u8>,
    now: Duration,
    level: Level,
    message: &str,
    fields: &[(&str, Value<'_>)],
) {
    let head = Head {
        format: LogFormat::Text,
        now,
        level,
        message,
    };
    write_line(
        line,
        &mut String::new(),
        &mut Stamp::new(),
        &head,
        &[],
        Fields::List(fields),
    );
    line.pop();
}

fn text_fields(line: &mut Vec<u8>, fields: &[(&str, Value<'_>)]) {
    for (name, value) in fields {
        let _ = match value {
            Value::Text(text) => write!(line, " {name}={text:?}"),
            Value::Shown(shown) => write!(line, " {name}={shown}"),
            Value::Unsigned(number) => write!(line, " {name}={number}"),
            Value::Signed(number) => write!(line, " {name}={number}"),
            Value::Float(number) => write!(line, " {name}={number:?}"),
        };
    }
}

/// RFC 3339 in UTC with microseconds, as tracing-subscriber writes it:
/// `2026-12-02T07:35:48.700209Z`.
struct Timestamp(Duration);

impl Display for Timestamp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.as_secs();
        let days = i64::try_from(seconds / 86_400).unwrap_or(0);
        let (year, month, day) = mtlskit::time::civil_from_days(days);
        let of_day = seconds % 86_400;
        formatter.write_fmt(format_args!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60,
            self.0.subsec_micros()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc_with_microseconds() {
        let at = |seconds: u64, micros: u32| {
            Timestamp(Duration::new(seconds, micros * 1000)).to_string()
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(1_796_196_948, 700_209), "2026-12-02T07:35:48.700209Z");
        assert_eq!(at(951_782_400, 1), "2000-02-29T00:00:00.000001Z");
        assert_eq!(at(4_107_542_399, 999_999), "2100-02-28T23:59:59.999999Z");
    }

    #[test]
    fn stamps_are_timestamps() {
        let mut stamp = Stamp::new();
        for (seconds, micros) in [
            (1_796_196_948, 700_209),
            (1_796_196_948, 5),
            (1_796_196_949, 0),
            (951_782_400, 999_999),
            (4_107_542_399, 10),
            (0, 0),
        ] {
            let now = Duration::new(seconds, micros * 1000 + 999);
            let mut line = Vec::new();
            stamp.write(&mut line, now);
            assert_eq!(String::from_utf8_lossy(&line), Timestamp(now).to_string());
        }
    }

    #[test]
    fn json_strings_are_serde_jsons() {
        for text in [
            "",
            "plain /path?a=1&b=2",
            "CN=a \"b\"",
            "back\\slash",
            "tab\there",
            "\u{1}\u{1f}\u{7f}",
            "é ü 日本 🦀",
            "<script>'</script>",
            "eight by",
            "sixteen bytes ok",
            "a longer plain text of several words, 0123456789",
            "a longer text, then a quote\"",
            "a longer text, then a backslash\\",
            "a longer text, then a control \u{1f}",
            "a longer text then DEL \u{7f} and é, both plain",
            "\u{0}2345678",
            "1234567\u{0}",
            "12345678\"",
        ] {
            let mut line = Vec::new();
            json_string(&mut line, text);
            let expected = serde_json::to_string(text).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&line), expected, "{text:?}");
        }
    }

    #[test]
    fn every_ascii_byte_anywhere_is_escaped_as_serde_json_does() {
        for byte in 0..0x80_u8 {
            for at in 0..17 {
                let mut bytes = vec![b'a'; 17];
                if let Some(slot) = bytes.get_mut(at) {
                    *slot = byte;
                }
                let text = String::from_utf8(bytes).unwrap_or_default();
                let mut line = Vec::new();
                json_string(&mut line, &text);
                let expected = serde_json::to_string(&text).unwrap_or_default();
                assert_eq!(String::from_utf8_lossy(&line), expected, "{byte} at {at}");
            }
        }
    }

    #[test]
    fn prefixed_lines_are_the_lines_of_all_fields() {
        let now = Duration::new(1_796_196_948, 700_209_000);
        let peer: std::net::SocketAddr = ([10, 0, 0, 7], 4433).into();
        let fields = [
            ("listener", Value::Shown(&"web")),
            ("peer", Value::Shown(&peer)),
            ("identity", Value::Text("CN=a \"b\"")),
            ("status", Value::Unsigned(200)),
            ("duration_ms", Value::Float(0.25)),
        ];
        for format in [LogFormat::Json, LogFormat::Text] {
            let head = Head {
                format,
                now,
                level: Level::INFO,
                message: "request",
            };
            let mut whole = Vec::new();
            let mut stamp = Stamp::new();
            write_line(
                &mut whole,
                &mut String::new(),
                &mut stamp,
                &head,
                &[],
                Fields::List(&fields),
            );
            for split in 0..=fields.len() {
                let (first, rest) = fields.split_at(split);
                let mut line = Vec::new();
                let prefix = prefix_in(format, first);
                write_line(
                    &mut line,
                    &mut String::new(),
                    &mut stamp,
                    &head,
                    &prefix,
                    Fields::List(rest),
                );
                assert_eq!(
                    String::from_utf8_lossy(&line),
                    String::from_utf8_lossy(&whole)
                );
            }
        }
    }

    #[test]
    fn request_lines_are_the_lines_of_their_list() {
        let now = Duration::new(1_796_196_948, 700_209_000);
        let requests = [
            RequestFields {
                method: "GET",
                path: "/",
                protocol: "HTTP/2",
                status: 200,
                grpc_status: -1,
                detail: "",
                bytes_received: 0,
                bytes_sent: 3,
                duration_ms: 0.125,
            },
            RequestFields {
                method: "POST",
                path: "/a.b/C?q=\"x\"\\\u{1}é",
                protocol: "HTTP/1.1",
                status: 502,
                grpc_status: 14,
                detail: "the upstream 127.0.0.1:1 cannot be reached: \"refused\"\n",
                bytes_received: u64::MAX,
                bytes_sent: 1_234_567,
                duration_ms: 12.0,
            },
            RequestFields {
                method: "PATCH",
                path: "/long/path/of/several/segments/and/more/than/sixteen/bytes",
                protocol: "HTTP/1.0",
                status: 999,
                grpc_status: i64::MIN,
                detail: "x",
                bytes_received: 10,
                bytes_sent: 0,
                duration_ms: 1e21,
            },
        ];
        for format in [LogFormat::Json, LogFormat::Text] {
            let head = Head {
                format,
                now,
                level: Level::INFO,
                message: "request",
            };
            let prefix = prefix_in(format, &[("listener", Value::Text("web"))]);
            for request in &requests {
                let mut lines = [Vec::new(), Vec::new()];
                let list = request.list();
                for (line, fields) in lines
                    .iter_mut()
                    .zip([Fields::List(&list), Fields::Request(request)])
                {
                    let (mut scratch, mut stamp) = (String::new(), Stamp::new());
                    write_line(line, &mut scratch, &mut stamp, &head, &prefix, fields);
                }
                let [list_line, request_line] = &lines;
                assert_eq!(
                    String::from_utf8_lossy(request_line),
                    String::from_utf8_lossy(list_line)
                );
            }
        }
    }

    #[test]
    fn lines_have_tracing_subscribers_shape() {
        let now = Duration::new(1_796_196_948, 700_209_000);
        let identity = "CN=a \"b\"";
        let fields = [
            ("identity", Value::Shown(&identity)),
            ("rule", Value::Text("any verified client")),
            ("status", Value::Unsigned(200)),
            ("grpc_status", Value::Signed(-1)),
            ("duration_ms", Value::Float(12.0)),
        ];
        let mut line = Vec::new();
        json_line(
            &mut line,
            &mut String::new(),
            now,
            Level::INFO,
            "request",
            &fields,
        );
        assert_eq!(
            String::from_utf8_lossy(&line),
            r#"{"timestamp":"2026-12-02T07:35:48.700209Z","level":"INFO","message":"request","identity":"CN=a \"b\"","rule":"any verified client","status":200,"grpc_status":-1,"duration_ms":12.0,"target":"access"}"#
        );
        let parsed: serde_json::Value = serde_json::from_slice(&line).unwrap_or_default();
        assert_eq!(parsed["identity"], identity);
        line.clear();
        text_line(&mut line, now, Level::WARN, "connection refused", &fields);
        assert_eq!(
            String::from_utf8_lossy(&line),
            r#"2026-12-02T07:35:48.700209Z  WARN access: connection refused identity=CN=a "b" rule="any verified client" status=200 grpc_status=-1 duration_ms=12.0"#
        );
    }
}
