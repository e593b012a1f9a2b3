//! Embeds the inspector page (`../web-demo`, with the module `make web` puts in
//! `web-demo/pkg/`) into the binary for `mtlskit web`: one `(path, bytes)` entry per file, so
//! the server never touches the file system and no request path can reach outside the page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// Files of these types are served; anything else in the folder (READMEs, package.json,
/// TypeScript declarations, editor files) is not.
const SERVED: &[&str] = &[
    "html",
    "js",
    "css",
    "wasm",
    "svg",
    "ico",
    "png",
    "webmanifest",
];

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let site = manifest.join("..").join("web-demo");
    println!("cargo:rerun-if-changed={}", site.display());
    let mut files = Vec::new();
    collect(&site, &site, &mut files);
    files.sort();
    let mut source = String::from("/// The page's files: (path below the site root, contents).\n");
    source.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (path, absolute) in &files {
        let _ = writeln!(source, "    ({path:?}, include_bytes!({absolute:?})),");
    }
    source.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default()).join("web_files.rs");
    if let Err(error) = fs::write(&out, source) {
        println!("cargo:warning=cannot write {}: {error}", out.display());
    }
}

fn collect(root: &Path, directory: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
            continue;
        }
        let served = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| SERVED.contains(&extension));
        let relative = path.strip_prefix(root).ok().and_then(Path::to_str);
        if let (true, Some(relative), Some(absolute)) = (served, relative, path.to_str()) {
            files.push((relative.replace('\\', "/"), absolute.to_owned()));
        }
    }
}
