//! The ASN.1 tree of an item's raw DER, with the field names of the RFC that defines it
//! (RFC 5280 certificates and CRLs, RFC 2986 CSRs), for the browser inspector's tree and hex
//! views.
//!
//! The reader is a plain X.690 DER TLV walker with a depth and a node budget, so a hostile
//! input gives a coded error or a shorter tree, never a panic or a huge report. Private keys
//! are refused: their tree would show the private material.

mod schema;
mod values;

use serde::Serialize;

use crate::{
    Error,
    decode::{self, Kind},
    x509::hex,
};

use schema::Shape;

/// Nesting deeper than this is shown as an unparsed value.
const MAXIMUM_DEPTH: usize = 48;
/// At most this many nodes per tree (a certificate has about 150).
const MAXIMUM_NODES: usize = 20_000;

/// The ASN.1 tree of one item.
#[derive(Debug, Clone, Serialize)]
pub struct Tree {
    /// `certificate`, `CSR`, `CRL`, `public key`, ... (as [`Kind::name`] says).
    pub kind: &'static str,
    /// The DER bytes as lowercase hex; node offsets index into these bytes.
    pub der_hex: String,
    /// The outermost value.
    pub root: Node,
    /// Whether the node budget cut the tree short.
    pub truncated: bool,
}

/// One TLV (tag, length, value) of the DER encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Offset of the identifier octet in the DER.
    pub offset: usize,
    /// Length of the identifier and length octets.
    pub header_length: usize,
    /// Length of the contents.
    pub length: usize,
    /// `SEQUENCE`, `INTEGER`, `[0]`, `[APPLICATION 1]`, ...
    pub tag: String,
    /// Whether the encoding is constructed (holds other values).
    pub constructed: bool,
    /// The field name from the RFC's ASN.1 module (`tbsCertificate`, `serialNumber`), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// A short rendering of a primitive value (number, OID with its name, text, time, hex).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether the children were decoded from the contents of an OCTET or BIT STRING.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    pub encapsulated: bool,
    /// The values inside a constructed (or encapsulating) value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// The tree of the first item in `input` (PEM, DER or base64, as [`decode::blocks`] reads it).
pub fn tree(input: &[u8]) -> Result<Tree, Error> {
    let block = decode::blocks(input)?
        .into_iter()
        .next()
        .ok_or(Error::EmptyInput)??;
    let kind = decode::sniff(block.label.as_deref(), &block.der)?;
    let shape = schema::for_kind(kind).ok_or_else(|| Error::UnrecognizedInput {
        detail: format!("the ASN.1 view does not show a {}", kind.name()),
    })?;
    tree_of(&block.der, kind, shape)
}

fn tree_of(der: &[u8], kind: Kind, shape: &'static Shape) -> Result<Tree, Error> {
    let invalid = |detail: String| Error::InvalidDer {
        structure: kind.name(),
        detail,
    };
    let header = read_header(der, 0).map_err(invalid)?;
    if header.end() != der.len() {
        return Err(invalid(format!(
            "{} bytes after the outermost value",
            der.len().saturating_sub(header.end())
        )));
    }
    let mut walker = Walker { der, nodes: 0 };
    let root = walker.node(&header, Some(shape), 0);
    Ok(Tree {
        kind: kind.name(),
        der_hex: hex(der),
        root,
        truncated: walker.nodes > MAXIMUM_NODES,
    })
}

/// The identifier and length octets of one value.
#[derive(Debug, Clone, Copy)]
struct Header {
    offset: usize,
    header_length: usize,
    length: usize,
    class: u8,
    constructed: bool,
    number: u32,
    /// The first identifier octet, which the schema matches on.
    identifier: u8,
}

impl Header {
    fn content_start(&self) -> usize {
        self.offset + self.header_length
    }

    fn end(&self) -> usize {
        self.content_start() + self.length
    }
}

/// Reads the header at `offset`; the contents must fit in `der`.
fn read_header(der: &[u8], offset: usize) -> Result<Header, String> {
    let at = |position: usize| {
        der.get(position)
            .copied()
            .ok_or_else(|| format!("truncated header at byte {offset}"))
    };
    let identifier = at(offset)?;
    let mut position = offset + 1;
    let mut number = u32::from(identifier & 0x1f);
    if number == 0x1f {
        number = 0;
        loop {
            let byte = at(position)?;
            position += 1;
            if number > 0x00ff_ffff {
                return Err(format!("tag number too large at byte {offset}"));
            }
            number = (number << 7) | u32::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                break;
            }
        }
    }
    let (length, after_length) = read_length(der, position, &at)?;
    let header = Header {
        offset,
        header_length: after_length - offset,
        length,
        class: identifier >> 6,
        constructed: identifier & 0x20 != 0,
        number,
        identifier,
    };
    if header.end() > der.len() {
        return Err(format!(
            "value at byte {offset} claims {length} bytes, only {} remain",
            der.len().saturating_sub(header.content_start())
        ));
    }
    Ok(header)
}

fn read_length(
    der: &[u8],
    position: usize,
    at: &impl Fn(usize) -> Result<u8, String>,
) -> Result<(usize, usize), String> {
    let first = at(position)?;
    if first < 0x80 {
        return Ok((usize::from(first), position + 1));
    }
    let count = usize::from(first & 0x7f);
    if count == 0 {
        return Err(format!("indefinite length at byte {position} (not DER)"));
    }
    if count > 4 {
        return Err(format!("length of {count} octets at byte {position}"));
    }
    let mut length = 0usize;
    for index in 0..count {
        length = (length << 8) | usize::from(at(position + 1 + index)?);
    }
    if length > der.len() {
        return Err(format!(
            "length {length} at byte {position} exceeds the input"
        ));
    }
    Ok((length, position + 1 + count))
}

/// Builds nodes, counting them against the budget.
struct Walker<'a> {
    der: &'a [u8],
    nodes: usize,
}

impl Walker<'_> {
    fn node(&mut self, header: &Header, shape: Option<&'static Shape>, depth: usize) -> Node {
        self.nodes += 1;
        let contents = self
            .der
            .get(header.content_start()..header.end())
            .unwrap_or_default();
        let mut node = Node {
            offset: header.offset,
            header_length: header.header_length,
            length: header.length,
            tag: values::tag_name(header.class, header.constructed, header.number),
            constructed: header.constructed,
            field: shape
                .map(|shape| shape.field)
                .filter(|field| !field.is_empty()),
            value: None,
            encapsulated: false,
            children: Vec::new(),
        };
        if depth >= MAXIMUM_DEPTH || self.nodes > MAXIMUM_NODES {
            node.value = Some(values::hex_preview(contents));
            return node;
        }
        if header.constructed {
            let fields = shape.map_or(schema::NO_FIELDS, Shape::children);
            node.children = self.children(header.content_start(), header.end(), fields, depth);
            return node;
        }
        node.value = Some(values::primitive(header, contents));
        if let Some(children) = self.encapsulated(header, shape, depth) {
            node.children = children;
            node.encapsulated = true;
        }
        node
    }

    /// The values between `start` and `end`, named by `fields` in order (optional fields are
    /// skipped when the next value's tag does not match them).
    fn children(
        &mut self,
        start: usize,
        end: usize,
        fields: schema::Fields,
        depth: usize,
    ) -> Vec<Node> {
        let mut children = Vec::new();
        let mut position = start;
        let mut cursor = 0usize;
        while position < end {
            let Ok(header) = read_header(self.der.get(..end).unwrap_or_default(), position) else {
                children.push(self.leftover(position, end));
                break;
            };
            let shape = fields.next_match(&mut cursor, header.identifier);
            children.push(self.node(&header, shape, depth + 1));
            position = header.end();
        }
        children
    }

    /// The DER inside an OCTET STRING or BIT STRING: always when the schema says so, otherwise
    /// when the contents are exactly one SEQUENCE (the heuristic of most ASN.1 viewers).
    fn encapsulated(
        &mut self,
        header: &Header,
        shape: Option<&'static Shape>,
        depth: usize,
    ) -> Option<Vec<Node>> {
        let skip = match header.identifier {
            0x04 => 0,
            0x03 => 1,
            _ => return None,
        };
        let start = header.content_start() + skip;
        if start >= header.end() || (skip == 1 && self.der.get(start - 1) != Some(&0)) {
            return None;
        }
        let inner = shape.and_then(Shape::encapsulated);
        let looks_like_der = self.der.get(start) == Some(&0x30);
        if inner.is_none() && !looks_like_der {
            return None;
        }
        let bounded = self.der.get(..header.end()).unwrap_or_default();
        let first = read_header(bounded, start).ok()?;
        if first.end() != header.end() {
            return None;
        }
        Some(vec![self.node(&first, inner, depth + 1)])
    }

    /// Bytes that do not form a value, shown as such rather than dropped.
    fn leftover(&mut self, start: usize, end: usize) -> Node {
        self.nodes += 1;
        Node {
            offset: start,
            header_length: 0,
            length: end - start,
            tag: "undecodable bytes".to_owned(),
            constructed: false,
            field: None,
            value: Some(values::hex_preview(
                self.der.get(start..end).unwrap_or_default(),
            )),
            encapsulated: false,
            children: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
