//! `mtlskit web`: serves the browser inspector embedded in this binary (see `build.rs`).
//!
//! A small HTTP/1.1 server on the standard library only: static files from memory, GET and
//! HEAD, bounded request heads, time-outs and connection count, loopback by default. Paths
//! are looked up in the embedded table, so nothing outside the page can ever be served.

mod server;

pub use server::{Limits, serve};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_files.rs"));
}

use embedded::PAGE_POLICY;

/// The module file whose absence means the binary was built before `make web`.
const MODULE: &str = "pkg/mtlskit_wasm_bg.wasm";

/// An embedded file: its contents and their entity tag (a quoted hash, for `ETag`).
#[derive(Debug, Clone, Copy)]
pub struct File {
    pub contents: &'static [u8],
    pub tag: &'static str,
}

/// The embedded file at `path` (below the site root, no leading slash).
pub fn file(path: &str) -> Option<File> {
    embedded::FILES
        .iter()
        .find(|(name, _, _)| *name == path)
        .map(|&(_, contents, tag)| File { contents, tag })
}

/// Whether the page and its WebAssembly module were embedded at build time.
pub fn complete() -> bool {
    file("index.html").is_some() && file(MODULE).is_some()
}

/// The Content-Type of an embedded path.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}
