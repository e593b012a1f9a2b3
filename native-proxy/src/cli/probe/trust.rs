//! What the server's chain is verified against: the `--ca` files (default: the system bundle),
//! the name connected to, the server purpose and the current time, through the core verifier.

use mtlskit::verify::{self, Failure, Input, Item, Options, PeerName, Purpose, Verified};

use crate::cli::args;
use crate::cli::files;
use crate::cli::report::CliError;
use crate::cli::verify::SYSTEM_BUNDLE;

/// Trust anchors and verification options, read before connecting.
#[derive(Debug, Clone)]
pub struct Trust {
    anchors: Vec<Item>,
    options: Options,
    /// The anchor files, for messages (`ca.crt`, or the system bundle's path).
    pub description: String,
}

impl Trust {
    /// Reads the anchors in `ca_files` (the system bundle when empty) and prepares options
    /// for a server certificate that must carry `peer_name`.
    pub fn load(ca_files: &[String], peer_name: PeerName) -> Result<Self, CliError> {
        let files = if ca_files.is_empty() {
            vec![SYSTEM_BUNDLE.to_owned()]
        } else {
            ca_files.to_vec()
        };
        let mut anchors = Vec::new();
        for file in &files {
            for (index, der) in files::read_certificates(file)?.into_iter().enumerate() {
                anchors.push(Item::new(der, format!("{file} #{}", index + 1)));
            }
        }
        let mut options = Options::at(args::time(None)?);
        options.purpose = Purpose::Server;
        options.peer_name = Some(peer_name);
        options.signature_algorithms = crate::tls::signature_algorithms();
        Ok(Self {
            anchors,
            options,
            description: files.join(", "),
        })
    }

    /// Verifies the chain the server sent (leaf first, as sent) with the core verifier.
    pub fn verify(&self, chain: &[Vec<u8>]) -> Result<Verified, Failure> {
        let mut sent = chain
            .iter()
            .enumerate()
            .map(|(index, der)| Item::new(der.clone(), sent_label(index)));
        let input = Input {
            leaf: sent.next(),
            intermediates: sent.collect(),
            anchors: self.anchors.clone(),
            crls: Vec::new(),
        };
        verify::verify(&input, &self.options)
    }
}

/// How the certificate at `index` of the server's chain is named in explanations.
pub fn sent_label(index: usize) -> String {
    format!("server certificate #{index}")
}
