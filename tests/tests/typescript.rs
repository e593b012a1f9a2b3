//! The TypeScript declarations of the JSON API (`node/api.d.ts`) are generated from the Rust
//! types by ts-rs, and this test fails when the checked-in file is stale.
//!
//! Regenerate: `MTLSKIT_UPDATE_TYPES=1 cargo test -p mtlskit-tests --test typescript`
//! (or `make types`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test")]

use std::collections::BTreeMap;
use std::path::PathBuf;

use mtlskit::api;
use ts_rs::{Config, TS, TypeVisitor};

/// Every type a binding function takes or returns; their dependencies follow.
fn roots(collector: &mut Collector) {
    collector.visit::<api::ApiError>();
    collector.visit::<api::InspectRequest>();
    collector.visit::<mtlskit::inspect::Report>();
    collector.visit::<api::VerifyRequest>();
    collector.visit::<api::VerifyResponse>();
    collector.visit::<api::VerifySetRequest>();
    collector.visit::<api::VerifySetResponse>();
    collector.visit::<api::IssueRequest>();
    collector.visit::<api::IssueResponse>();
    collector.visit::<api::CsrNewRequest>();
    collector.visit::<api::CsrNewResponse>();
    collector.visit::<api::CsrSignRequest>();
    collector.visit::<api::CsrSignResponse>();
    collector.visit::<api::PkiInitRequest>();
    collector.visit::<api::PkiInitResponse>();
    collector.visit::<api::BundleResponse>();
    collector.visit::<api::ToPkcs12Request>();
    collector.visit::<api::ToPkcs12Response>();
    collector.visit::<api::FromPkcs12Request>();
    collector.visit::<api::FromPkcs12Response>();
    collector.visit::<api::ConvertRequest>();
    collector.visit::<api::ConvertResponse>();
}

#[test]
fn declarations_are_fresh() {
    let mut collector = Collector {
        config: Config::new().with_large_int("number"),
        declarations: BTreeMap::new(),
    };
    roots(&mut collector);
    let mut text = String::from(
        "// Generated from the Rust types of mtlskit's JSON API (core/src/api) by\n\
         // tests/tests/typescript.rs: do not edit. Regenerate with `make types`.\n\
         // The functions are declared in node/index.d.ts; errors are thrown as\n\
         // `Error & ApiError` (`code` is the stable code).\n",
    );
    for declaration in collector.declarations.values() {
        text.push('\n');
        text.push_str(declaration);
        text.push('\n');
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../node/api.d.ts");
    if std::env::var_os("MTLSKIT_UPDATE_TYPES").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == text,
        "node/api.d.ts is stale: run `make types` (MTLSKIT_UPDATE_TYPES=1 cargo test -p mtlskit-tests --test typescript) and commit it"
    );
}

struct Collector {
    config: Config,
    declarations: BTreeMap<String, String>,
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(&self.config);
        if self.declarations.contains_key(&name) {
            return;
        }
        let docs = T::docs().unwrap_or_default();
        let declaration = format!("{docs}export {}", T::decl(&self.config));
        self.declarations.insert(name, declaration);
        T::visit_dependencies(self);
    }
}
