//! Request and response headers between client and upstream: hop-by-hop headers removed,
//! client-supplied copies of every forwarding and identity header removed (always), then
//! X-Real-IP / X-Forwarded-For / X-Forwarded-Proto, the verified identity as
//! X-Forwarded-Client-Cert (Envoy) and Client-Cert / Client-Cert-Chain (RFC 9440), and the
//! configured static headers.

use std::net::IpAddr;

use base64ct::{Base64, Encoding};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::config::HttpConfig;
use super::identity::Identity;

/// Envoy's header.
pub const XFCC: HeaderName = HeaderName::from_static("x-forwarded-client-cert");
/// RFC 9440 section 2.
pub const CLIENT_CERT: HeaderName = HeaderName::from_static("client-cert");
/// RFC 9440 section 2.
pub const CLIENT_CERT_CHAIN: HeaderName = HeaderName::from_static("client-cert-chain");
const X_REAL_IP: HeaderName = HeaderName::from_static("x-real-ip");
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
const KEEP_ALIVE: HeaderName = HeaderName::from_static("keep-alive");
const PROXY_CONNECTION: HeaderName = HeaderName::from_static("proxy-connection");

/// What the request headers are rewritten with.
#[derive(Debug)]
pub struct Forwarding<'a> {
    /// The client's address.
    pub peer: IpAddr,
    /// `https` (terminate) or `http` (originate).
    pub proto: &'static str,
    /// The verified client identity, when there is one.
    pub identity: Option<&'a Identity>,
    /// The listener's settings.
    pub config: &'a HttpConfig,
}

/// The headers the proxy sets on every request of one connection, made once per connection:
/// they depend only on the client's address and certificate and the listener's settings.
#[derive(Debug, Default)]
pub struct ConnectionHeaders {
    /// Inserted (replacing any other value), in order.
    set: Vec<(HeaderName, HeaderValue)>,
    /// Appended.
    add: Vec<(HeaderName, HeaderValue)>,
    /// Which of the forwarding and identity headers of [`REMOVED`] `set` holds (one bit each):
    /// a client's copies of those are replaced by the insertion, not removed first.
    replaced: u16,
}

impl ConnectionHeaders {
    /// The headers for `forwarding`.
    pub fn new(forwarding: &Forwarding<'_>) -> Self {
        let config = forwarding.config;
        let mut set = Vec::new();
        if config.forwarded_headers {
            let peer = text_value(&forwarding.peer.to_string());
            set.push((X_REAL_IP, peer.clone()));
            set.push((X_FORWARDED_FOR, peer));
            set.push((
                X_FORWARDED_PROTO,
                HeaderValue::from_static(forwarding.proto),
            ));
        }
        if let Some(identity) = forwarding.identity {
            set.extend(identity_headers(identity, config));
        }
        set.extend(config.set_headers.iter().cloned());
        let replaced = set
            .iter()
            .filter_map(|(name, _)| removed_index(name, true))
            .filter(|&index| index >= HOP_BY_HOP)
            .fold(0, |bits, index| bits | 1 << index);
        Self {
            set,
            add: config.add_headers.clone(),
            replaced,
        }
    }
}

fn identity_headers(identity: &Identity, config: &HttpConfig) -> Vec<(HeaderName, HeaderValue)> {
    let wanted = config.identity_headers;
    let mut headers = Vec::new();
    if wanted.xfcc {
        headers.push((XFCC, text_value(&xfcc(identity))));
    }
    if wanted.client_cert {
        if let Some(leaf) = identity.chain.first() {
            headers.push((CLIENT_CERT, text_value(&byte_sequence(leaf))));
        }
    }
    if wanted.client_cert_chain && identity.chain.len() > 1 {
        let list: Vec<String> = identity
            .chain
            .iter()
            .skip(1)
            .map(|der| byte_sequence(der))
            .collect();
        headers.push((CLIENT_CERT_CHAIN, text_value(&list.join(", "))));
    }
    headers
}

/// Rewrites request headers for the upstream: hop-by-hop headers and client-supplied copies
/// of the forwarding and identity headers out, `connection`'s in.
pub fn rewrite_request(headers: &mut HeaderMap, connection: &ConnectionHeaders) {
    // One look at each name, then lookups of only the names found (most requests hold none,
    // or the forwarding headers of a proxy in front), not of each of the 14 names.
    // A header the connection sets replaces every copy (`insert`): not removed first.
    let present = present(headers, true) & !connection.replaced;
    if present != 0 {
        remove_hop_by_hop(headers, true, present);
        for (index, name) in REMOVED.iter().enumerate().skip(HOP_BY_HOP) {
            if present & 1 << index != 0 {
                headers.remove(name);
            }
        }
    }
    for (name, value) in &connection.set {
        headers.insert(name.clone(), value.clone());
    }
    for (name, value) in &connection.add {
        headers.append(name.clone(), value.clone());
    }
}

/// Removes hop-by-hop headers from an upstream response.
pub fn rewrite_response(headers: &mut HeaderMap) {
    let present = present(headers, false);
    if present != 0 {
        remove_hop_by_hop(headers, false, present);
    }
}

/// The headers removed from requests: the hop-by-hop ones (responses too; `TE` last of them),
/// then the forwarding and identity ones, which a client may never supply (the proxy is
/// their only source).
const REMOVED: [HeaderName; 14] = [
    header::CONNECTION,
    KEEP_ALIVE,
    PROXY_CONNECTION,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::PROXY_AUTHENTICATE,
    header::TE,
    XFCC,
    CLIENT_CERT,
    CLIENT_CERT_CHAIN,
    X_REAL_IP,
    X_FORWARDED_FOR,
    X_FORWARDED_PROTO,
    header::FORWARDED,
];
/// How many of [`REMOVED`] are hop-by-hop.
const HOP_BY_HOP: usize = 7;
/// The position of `TE` in [`REMOVED`].
const TE_INDEX: usize = 6;

/// The position of `name` in [`REMOVED`] (among the hop-by-hop ones unless `request`).
fn removed_index(name: &HeaderName, request: bool) -> Option<usize> {
    let index = match name.as_str() {
        "connection" => 0,
        "keep-alive" => 1,
        "proxy-connection" => 2,
        "transfer-encoding" => 3,
        "upgrade" => 4,
        "proxy-authenticate" => 5,
        "te" => TE_INDEX,
        "x-forwarded-client-cert" => 7,
        "client-cert" => 8,
        "client-cert-chain" => 9,
        "x-real-ip" => 10,
        "x-forwarded-for" => 11,
        "x-forwarded-proto" => 12,
        "forwarded" => 13,
        _ => return None,
    };
    (request || index < HOP_BY_HOP).then_some(index)
}

/// Which of [`REMOVED`] `headers` holds, one bit each.
fn present(headers: &HeaderMap, request: bool) -> u16 {
    headers
        .keys()
        .filter_map(|name| removed_index(name, request))
        .fold(0, |bits, index| bits | 1 << index)
}

/// Removes the headers of RFC 9110 section 7.6.1 (and those named in `Connection`); a request's
/// `TE: trailers` is kept (gRPC needs it). `present`: which of them `headers` holds.
fn remove_hop_by_hop(headers: &mut HeaderMap, request: bool, present: u16) {
    if present & 1 != 0 {
        let named: Vec<HeaderName> = headers
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            // The hop-by-hop headers before `TE` go below by their bits anyway: no need to
            // name them (nginx answers with `Connection: keep-alive`).
            .filter(|name| {
                !REMOVED
                    .iter()
                    .take(TE_INDEX)
                    .any(|removed| removed.as_str().eq_ignore_ascii_case(name))
            })
            .filter_map(|name| HeaderName::from_bytes(name.as_bytes()).ok())
            .collect();
        for name in named {
            headers.remove(name);
        }
    }
    for (index, name) in REMOVED.iter().enumerate().take(TE_INDEX) {
        if present & 1 << index != 0 {
            headers.remove(name);
        }
    }
    if present & 1 << TE_INDEX == 0 {
        return;
    }
    let trailers = headers.get_all(header::TE).iter().any(|value| {
        value.to_str().is_ok_and(|text| {
            text.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case("trailers"))
        })
    });
    headers.remove(header::TE);
    if request && trailers {
        headers.insert(header::TE, HeaderValue::from_static("trailers"));
    }
}

/// The X-Forwarded-Client-Cert element for `identity`: `Hash`, `Subject`, `URI`, `DNS`.
pub fn xfcc(identity: &Identity) -> String {
    let mut parts = vec![
        format!("Hash={}", identity.certificate_sha256),
        format!("Subject={}", quote(&identity.subject)),
    ];
    parts.extend(
        identity
            .uris
            .iter()
            .map(|uri| format!("URI={}", quote(uri))),
    );
    parts.extend(
        identity
            .dns_names
            .iter()
            .map(|name| format!("DNS={}", quote(name))),
    );
    parts.join(";")
}

/// An RFC 8941 byte sequence: `:base64:`.
fn byte_sequence(der: &[u8]) -> String {
    format!(":{}:", Base64::encode_string(der))
}

/// Quotes an XFCC value when it holds `,` `;` `=` or `"` (escaping `"` and `\`).
fn quote(value: &str) -> String {
    if !value.contains([',', ';', '=', '"', '\\']) {
        return value.to_owned();
    }
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A header value from text; characters a header cannot hold become `?`.
fn text_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| {
        let cleaned: String = text
            .chars()
            .map(|character| {
                if character.is_ascii_graphic() || character == ' ' {
                    character
                } else {
                    '?'
                }
            })
            .collect();
        HeaderValue::from_str(&cleaned).unwrap_or(HeaderValue::from_static("?"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::config::{IdentityHeaders, UpstreamProtocol};

    /// Headers a client may never supply.
    const FORWARDING_AND_IDENTITY: [HeaderName; 7] = [
        XFCC,
        CLIENT_CERT,
        CLIENT_CERT_CHAIN,
        X_REAL_IP,
        X_FORWARDED_FOR,
        X_FORWARDED_PROTO,
        header::FORWARDED,
    ];

    fn config() -> HttpConfig {
        HttpConfig {
            upstream_protocol: UpstreamProtocol::Auto,
            forwarded_headers: true,
            identity_headers: IdentityHeaders {
                xfcc: true,
                client_cert: true,
                client_cert_chain: true,
            },
            set_headers: vec![(
                HeaderName::from_static("x-ptp-session-id"),
                HeaderValue::from_static("1"),
            )],
            add_headers: Vec::new(),
            max_header_bytes: 65_536,
        }
    }

    #[test]
    fn spoofed_headers_are_replaced() {
        let mut headers = HeaderMap::new();
        for name in [
            "x-forwarded-client-cert",
            "client-cert",
            "client-cert-chain",
            "x-real-ip",
            "x-forwarded-for",
            "forwarded",
            "x-ptp-session-id",
        ] {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static("spoofed"),
            );
        }
        // Several copies, all replaced.
        headers.append(X_FORWARDED_FOR, HeaderValue::from_static("spoofed"));
        headers.append(CLIENT_CERT, HeaderValue::from_static("spoofed"));
        headers.insert(
            header::CONNECTION,
            HeaderValue::from_static("close, x-secret"),
        );
        headers.insert(
            HeaderName::from_static("x-secret"),
            HeaderValue::from_static("1"),
        );
        headers.insert(header::TE, HeaderValue::from_static("trailers"));
        let identity = Identity {
            subject: "CN=alice,O=a\"b".into(),
            uris: vec!["spiffe://example.org/alice".into()],
            certificate_sha256: "00ff".into(),
            chain: vec![vec![1u8, 2].into(), vec![3u8].into()],
            ..Identity::default()
        };
        let config = config();
        let forwarding = Forwarding {
            peer: IpAddr::from([10, 0, 0, 7]),
            proto: "https",
            identity: Some(&identity),
            config: &config,
        };
        rewrite_request(&mut headers, &ConnectionHeaders::new(&forwarding));
        let value = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        assert!(
            headers.iter().all(|(_, value)| value != "spoofed"),
            "{headers:?}"
        );
        assert_eq!(value("x-real-ip").as_deref(), Some("10.0.0.7"));
        assert_eq!(headers.get_all("x-forwarded-for").iter().count(), 1);
        assert_eq!(headers.get_all("client-cert").iter().count(), 1);
        assert_eq!(value("x-forwarded-proto").as_deref(), Some("https"));
        assert_eq!(
            value("x-forwarded-client-cert").as_deref(),
            Some(r#"Hash=00ff;Subject="CN=alice,O=a\"b";URI=spiffe://example.org/alice"#)
        );
        assert_eq!(value("client-cert").as_deref(), Some(":AQI=:"));
        assert_eq!(value("client-cert-chain").as_deref(), Some(":Aw==:"));
        assert_eq!(value("x-ptp-session-id").as_deref(), Some("1"));
        assert_eq!(value("te").as_deref(), Some("trailers"));
        assert!(headers.get("x-secret").is_none() && headers.get("connection").is_none());
        assert!(headers.get("forwarded").is_none());
    }

    #[test]
    fn the_quick_check_knows_every_removed_header() {
        let is_removed = |name: &HeaderName, request| {
            removed_index(name, request).is_some_and(|index| REMOVED.get(index) == Some(name))
        };
        let hop_by_hop = [
            header::CONNECTION,
            KEEP_ALIVE,
            PROXY_CONNECTION,
            header::TRANSFER_ENCODING,
            header::UPGRADE,
            header::PROXY_AUTHENTICATE,
            header::TE,
        ];
        for name in &hop_by_hop {
            assert!(is_removed(name, true) && is_removed(name, false), "{name}");
        }
        for name in &FORWARDING_AND_IDENTITY {
            assert!(is_removed(name, true) && !is_removed(name, false), "{name}");
        }
        for name in [
            header::HOST,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-ptp-session-id"),
        ] {
            assert!(
                !is_removed(&name, true) && !is_removed(&name, false),
                "{name}"
            );
        }
        // A response with a hop-by-hop header still loses it, one without keeps everything.
        let mut response = HeaderMap::new();
        response.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        response.insert(X_REAL_IP, HeaderValue::from_static("10.0.0.1"));
        rewrite_response(&mut response);
        assert_eq!(response.len(), 2);
        response.insert(KEEP_ALIVE, HeaderValue::from_static("timeout=5"));
        rewrite_response(&mut response);
        assert!(response.get(KEEP_ALIVE).is_none() && response.len() == 2);
        // Headers named in Connection go too, the hop-by-hop ones by their own rule; a TE it
        // names goes whole, `trailers` included.
        for connection in ["keep-alive", "Keep-Alive, Upgrade, x-hop", "close, te"] {
            let mut request = HeaderMap::new();
            request.insert(header::CONNECTION, HeaderValue::from_static(connection));
            request.insert(KEEP_ALIVE, HeaderValue::from_static("timeout=5"));
            request.insert(header::UPGRADE, HeaderValue::from_static("h2c"));
            request.insert("x-hop", HeaderValue::from_static("1"));
            request.insert(header::TE, HeaderValue::from_static("trailers"));
            request.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            rewrite_request(&mut request, &ConnectionHeaders::default());
            let mut names: Vec<&str> = request.keys().map(HeaderName::as_str).collect();
            names.sort_unstable();
            let expected: &[&str] = match connection {
                "keep-alive" => &["content-type", "te", "x-hop"],
                "close, te" => &["content-type", "x-hop"],
                _ => &["content-type", "te"],
            };
            assert_eq!(names, expected, "{connection}");
        }
    }

    #[test]
    fn without_identity_no_identity_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(XFCC, HeaderValue::from_static("By=spoofed"));
        let config = config();
        let connection = ConnectionHeaders::new(&Forwarding {
            peer: IpAddr::from([127, 0, 0, 1]),
            proto: "http",
            identity: None,
            config: &config,
        });
        rewrite_request(&mut headers, &connection);
        assert!(headers.get(XFCC).is_none());
    }
}
