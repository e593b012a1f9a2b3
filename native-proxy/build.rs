//! Embeds the inspector page (`../web-demo`, with the module `make web` puts in
//! `web-demo/pkg/`) into the binary for `mtlskit web`: one `(path, bytes)` entry per file, so
//! the server never touches the file system and no request path can reach outside the page.
//! For the static musl build (`make dist`) it also compiles `musl/fastmem.c`, faster
//! `memcpy`, `memmove` and `memcmp` than musl's (see [`musl_memory_functions`]).

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
    musl_memory_functions();
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let site = manifest.join("..").join("web-demo");
    println!("cargo:rerun-if-changed={}", site.display());
    let mut files = Vec::new();
    collect(&site, &site, &mut files);
    let Some(policy) = page_policy(&site.join("index.html")) else {
        println!(
            "cargo::error=web-demo/index.html has no Content-Security-Policy meta tag: `mtlskit web` sends the page's own policy as a header"
        );
        return;
    };
    files.sort();
    let mut source = String::from(
        "/// The page's files: (path below the site root, contents, entity tag of the contents).\n",
    );
    source.push_str("pub static FILES: &[(&str, &[u8], &str)] = &[\n");
    for (path, absolute) in &files {
        // A file that cannot be read here fails include_bytes! with its own message.
        let tag = fs::read(absolute)
            .map(|contents| fnv1a(&contents))
            .unwrap_or_default();
        let _ = writeln!(
            source,
            "    ({path:?}, include_bytes!({absolute:?}), \"\\\"{tag:016x}\\\"\"),"
        );
    }
    source.push_str("];\n");
    let _ = writeln!(
        source,
        "/// The page's Content-Security-Policy (its meta tag), sent as a header too.\npub const PAGE_POLICY: &str = {policy:?};"
    );
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default()).join("web_files.rs");
    if let Err(error) = fs::write(&out, source) {
        println!("cargo:warning=cannot write {}: {error}", out.display());
    }
}

/// musl's `memcpy` copies with `rep movsq` and then one `movsb` per remaining byte, and its
/// `memcmp` compares one byte at a time: in the static musl binary of `make dist` memcpy was 15%
/// of the CPU samples of `mtlskit inspect --json` on a trust bundle (BENCHMARKS.md
/// "Inspection"). `musl/fastmem.c` replaces the three (its test, `musl/fastmem-test.c`, runs in
/// `scripts/dist.sh`). The archive is linked whole, ahead of the C library, so libc.a's own
/// copies are never pulled in (a duplicate would fail the link, not pass silently). glibc
/// builds keep glibc's functions.
fn musl_memory_functions() {
    let source = "musl/fastmem.c";
    println!("cargo:rerun-if-changed={source}");
    let target = |key: &str, value: &str| env::var(key).is_ok_and(|found| found == value);
    if !(target("CARGO_CFG_TARGET_ENV", "musl") && target("CARGO_CFG_TARGET_ARCH", "x86_64")) {
        return;
    }
    cc::Build::new()
        .file(source)
        .opt_level(2)
        // the compiler must not turn the copy loops back into calls to memcpy
        .flag("-ffreestanding")
        .flag_if_supported("-fno-tree-loop-distribute-patterns")
        .link_lib_modifier("-bundle")
        .link_lib_modifier("+whole-archive")
        .compile("mtlskit_fastmem");
}

/// FNV-1a, 64 bits: an entity tag that changes with the contents (the page's service worker
/// and the browser revalidate with it and get "304 Not Modified" instead of the file again).
/// Not a security check: the files come from this binary.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The `content` of the page's `<meta http-equiv="Content-Security-Policy">`: the one place the
/// policy is written (with the hash of the page's inline script, which `make web` checks).
fn page_policy(page: &Path) -> Option<String> {
    const META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let page = fs::read_to_string(page).ok()?;
    let start = page.find(META)? + META.len();
    let length = page.get(start..)?.find('"')?;
    page.get(start..start + length).map(str::to_owned)
}

/// Every served file below `directory`; not `src/` at the root (the page's scripts as written,
/// which `make web` bundles into `pkg/`).
fn collect(root: &Path, directory: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path != root.join("src") {
                collect(root, &path, files);
            }
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
