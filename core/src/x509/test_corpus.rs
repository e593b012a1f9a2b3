//! Certificates the decoders' differential tests run on (tests only): the system bundle, the
//! x509-limbo and BetterTLS suites, and one-byte changes and truncations of them.

/// The DER of every certificate of the system bundle and of the given suites of
/// `../shared/conformance/limbo/` (for instance `limbo-dev.json`).
pub(crate) fn certificates(suites: &[&str]) -> Vec<Vec<u8>> {
    let bundle = std::fs::read("/etc/ssl/certs/ca-certificates.crt")
        .expect("the system bundle is installed (scripts/install-deps.sh)");
    let mut pems = vec![bundle];
    let folder = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/conformance/limbo"
    );
    for suite in suites {
        let text = std::fs::read_to_string(format!("{folder}/{suite}")).expect("the suite");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        collect_pem(&json, &mut pems);
    }
    pems.iter()
        .flat_map(|pem| crate::decode::blocks(pem).unwrap().into_iter().flatten())
        .map(|block| block.der)
        .collect()
}

/// Every `step`-th certificate of `ders` with each byte set in turn to each of `values` and
/// to itself XOR each of `flips`, and cut to 0, 1, 2, 4, half and all but one of its bytes.
pub(crate) fn one_byte_changes(
    ders: Vec<Vec<u8>>,
    step: usize,
    values: &[u8],
    flips: &[u8],
) -> Vec<Vec<u8>> {
    let mut changed = Vec::new();
    for der in ders.into_iter().step_by(step) {
        for position in 0..der.len() {
            let byte = der[position];
            let flipped = flips.iter().map(|flip| byte ^ flip);
            for value in values.iter().copied().chain(flipped) {
                let mut copy = der.clone();
                copy[position] = value;
                changed.push(copy);
            }
        }
        for length in [0, 1, 2, 4, der.len() / 2, der.len().saturating_sub(1)] {
            if let Some(cut) = der.get(..length) {
                changed.push(cut.to_vec());
            }
        }
    }
    changed
}

fn collect_pem(value: &serde_json::Value, into: &mut Vec<Vec<u8>>) {
    match value {
        serde_json::Value::String(text) if text.contains("-----BEGIN CERTIFICATE") => {
            into.push(text.as_bytes().to_vec());
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|item| collect_pem(item, into));
        }
        serde_json::Value::Object(fields) => {
            fields.values().for_each(|item| collect_pem(item, into));
        }
        _ => {}
    }
}
