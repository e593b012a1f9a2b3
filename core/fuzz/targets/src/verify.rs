//! Targets for the verifier: [`verify`] (the whole input as one request, as the CLI, the
//! page and the API call it) and [`trust_store`] (anchors and CRLs loaded once, the leaf
//! verified against the store, as the proxy does per handshake). Both must give the same
//! verdict on the same problem: they are two doors into one engine.

use mtlskit::verify::{self as verification, Failure, Input, TrustStore, Verified};

use crate::chain::Chain;

/// A verification problem (see [`crate::chain`]) through `mtlskit::verify::verify`.
pub fn verify(data: &[u8]) {
    let Some(chain) = Chain::parse(data) else {
        return;
    };
    if let Ok(verified) = verify_whole(&chain) {
        let _ = serde_json::to_string(&verified);
    }
}

/// A verification problem through a [`TrustStore`]; when the store loads, its verdict must be
/// the one `verify` gives.
pub fn trust_store(data: &[u8]) {
    let Some(chain) = Chain::parse(data) else {
        return;
    };
    let anchors = Chain::items(&chain.anchors, "trust anchor");
    let crls = Chain::items(&chain.crls, "CRL");
    let Ok(store) = TrustStore::new(&anchors, &crls) else {
        return;
    };
    let _ = store.anchor_subjects().map(<[u8]>::len).sum::<usize>();
    let Some(leaf) = chain.leaf else {
        return;
    };
    let through_store = store.verify(leaf, &chain.intermediates, &chain.options());
    let whole = verify_whole(&chain);
    assert_same_verdict(&through_store, &whole);
}

fn verify_whole(chain: &Chain) -> Result<Verified, Failure> {
    let input = Input {
        leaf: chain
            .leaf
            .map(|der| verification::Item::new(der.to_vec(), "leaf")),
        intermediates: Chain::items(&chain.intermediates, "intermediate"),
        anchors: Chain::items(&chain.anchors, "trust anchor"),
        crls: Chain::items(&chain.crls, "CRL"),
    };
    verification::verify(&input, &chain.options())
}

#[allow(
    clippy::panic,
    reason = "a disagreement is the defect this target looks for"
)]
fn assert_same_verdict(
    through_store: &Result<Verified, Failure>,
    whole: &Result<Verified, Failure>,
) {
    match (through_store, whole) {
        (Ok(store), Ok(whole)) if store.path.len() == whole.path.len() => {}
        (Err(store), Err(whole)) if store.code == whole.code => {}
        // `verify` limits how many CRLs one request may carry; a store's CRLs come from the
        // server's own configuration and are not counted.
        (_, Err(whole)) if whole.code == "TooManyInputs" => {}
        _ => panic!(
            "TrustStore::verify and verify disagree:\n  store: {}\n  verify: {}",
            verdict(through_store),
            verdict(whole)
        ),
    }
}

fn verdict(result: &Result<Verified, Failure>) -> String {
    match result {
        Ok(verified) => format!("valid, path of {}", verified.path.len()),
        Err(failure) => format!("{}: {}", failure.code, failure.message),
    }
}
