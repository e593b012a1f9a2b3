//! The inspector's ASN.1 tree (`mtlskit::inspect::asn1`) against `openssl asn1parse`: for
//! every certificate of the Debian trust bundle, every value has the same offset, depth,
//! header length, content length and constructed bit, in the same order.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use mtlskit::inspect::asn1::{Node, tree};
use mtlskit_tests::{SYSTEM_BUNDLE, run, split_pem};

/// (offset, depth, header length, length, constructed) of one value.
type Row = (usize, usize, usize, usize, bool);

#[test]
fn system_bundle_trees_match_openssl_asn1parse() {
    let bundle = std::fs::read_to_string(SYSTEM_BUNDLE).expect("ca-certificates is installed");
    let certificates = split_pem(&bundle);
    assert!(certificates.len() > 100, "only {}", certificates.len());
    let mut mismatches = Vec::new();
    let mut rows = 0;
    for pem in &certificates {
        let tree = tree(pem.as_bytes()).expect("every bundle certificate has a tree");
        assert!(!tree.truncated);
        let mut ours = Vec::new();
        flatten(&tree.root, 0, &mut ours);
        let theirs = openssl_rows(pem);
        rows += theirs.len();
        if ours != theirs {
            let first = ours.iter().zip(&theirs).position(|(a, b)| a != b);
            mismatches.push(format!(
                "{}: first difference at row {first:?} ({} rows vs {})",
                pem.lines().nth(1).unwrap_or_default(),
                ours.len(),
                theirs.len()
            ));
        }
    }
    assert!(rows > 5_000, "only {rows} values compared");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Our nodes in document order, without the values decoded from inside OCTET and BIT
/// STRINGs (which `openssl asn1parse` shows as a hex dump).
fn flatten(node: &Node, depth: usize, rows: &mut Vec<Row>) {
    rows.push((
        node.offset,
        depth,
        node.header_length,
        node.length,
        node.constructed,
    ));
    if !node.encapsulated {
        for child in &node.children {
            flatten(child, depth + 1, rows);
        }
    }
}

/// `    0:d=0  hl=4 l=1432 cons: SEQUENCE` lines as rows.
fn openssl_rows(pem: &str) -> Vec<Row> {
    let output = run("openssl", &["asn1parse"], Some(pem.as_bytes()));
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let (offset, rest) = line.split_once(":d=").unwrap();
            let (depth, rest) = rest.split_once("hl=").unwrap();
            let (header, rest) = rest.split_once("l=").unwrap();
            let mut words = rest.split_whitespace();
            let length = words.next().unwrap();
            let form = words.next().unwrap();
            (
                offset.trim().parse().unwrap(),
                depth.trim().parse().unwrap(),
                header.trim().parse().unwrap(),
                length.parse().unwrap(),
                form.starts_with("cons"),
            )
        })
        .collect()
}
