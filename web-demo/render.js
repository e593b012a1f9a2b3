// One card per inspected item. Every value shown comes from the core's report (the same JSON
// as `mtlskit inspect --json`); this file only lays it out.
import { h, copyButton, downloadButton, pemBytes, colonHex, fileName } from './dom.js';
import { asn1View } from './tree.js';

const KINDS = {
  certificate: 'Certificate', csr: 'Certificate request', crl: 'Revocation list',
  private_key: 'Private key', public_key: 'Public key', error: 'Unreadable',
};

/** The card for `entry` ({id, item, trusted}); `actions` has onTrust(entry, bool) and onCompare(entry). */
export function card(entry, actions) {
  const { item } = entry;
  const body = {
    certificate: certificateBody, csr: csrBody, crl: crlBody,
    private_key: privateKeyBody, public_key: publicKeyBody, error: errorBody,
  }[item.kind]?.(entry, actions) ?? [];
  return h('article', { class: `card ${item.kind}`, id: `item-${entry.id}`, tabindex: '-1', 'aria-labelledby': `title-${entry.id}` },
    h('header', {},
      h('p', { class: 'kind' }, KINDS[item.kind] ?? item.kind, roleBadge(entry.role)),
      h('h3', { id: `title-${entry.id}` }, title(item)),
      h('p', { class: 'source' }, sourceText(item.source))),
    body);
}

/** Updates the role shown on the card of `entry` (leaf, intermediate, anchor), if it is drawn
 * (a card drawn later shows the role it has then). */
export function showRole(entry) {
  const kind = document.getElementById(`item-${entry.id}`)?.querySelector('.kind');
  if (!kind) return;
  kind.querySelector('.role')?.remove();
  const badge = roleBadge(entry.role);
  if (badge) kind.append(badge);
}

function roleBadge(role) {
  return role ? h('span', { class: `role ${role}` }, role) : null;
}

export function title(item) {
  const name = item.subject ?? item.issuer;
  if (name) return commonName(name) ?? name;
  if (item.kind === 'private_key') return `${keyText(item.public_key) || 'key'} (${item.format})`;
  if (item.kind === 'public_key') return keyText(item.public_key);
  return item.source?.file ?? 'item';
}

export function commonName(name) {
  const match = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(name);
  return match ? match[1].replace(/\\(.)/g, '$1') : null;
}

function sourceText(source) {
  if (!source) return '';
  const where = source.container ? ` inside the ${source.container === 'pkcs12' ? '.p12' : '.p7b'}` : '';
  return `${source.file} · item ${source.index + 1}${where}`;
}

export function keyText(key) {
  if (!key) return '';
  const size = key.curve ? key.curve : `${key.bits} bits`;
  return `${key.algorithm.toUpperCase()} ${size}`;
}

function certificateBody(entry, actions) {
  const { item } = entry;
  return [
    validityBar(item),
    facts([
      ['Subject', item.subject],
      ['Issuer', item.self_signed ? `${item.issuer} (self-signed)` : item.issuer],
      ['Serial', item.serial],
      ['Key', keyText(item.public_key)],
      ['Signature', item.signature_algorithm],
      ['Names (SAN)', names(item.subject_alt_names)],
      ['CA', item.is_ca ? `yes${item.path_len === null ? '' : `, path length ${item.path_len}`}` : 'no'],
      ['Key usage', list(item.key_usage)],
      ['Extended key usage', list(item.extended_key_usage)],
      ['Valid', `${item.not_before} → ${item.not_after}`],
    ]),
    warnings(item.warnings),
    fingerprints(item.fingerprints, item.public_key),
    extensions(item.extensions),
    asn1View(item.pem, fileName(item.subject)),
    h('div', { class: 'card-actions' },
      downloads(item, fileName(item.subject, 'certificate'), 'crt'),
      h('label', { class: 'trust' },
        h('input', { type: 'checkbox', checked: entry.trusted, onchange: (event) => actions.onTrust(entry, event.target.checked) }),
        ' Trust as anchor'),
      h('button', { type: 'button', class: 'small', onclick: () => actions.onCompare(entry) }, 'Compare')),
  ];
}

function csrBody({ item }) {
  return [
    facts([
      ['Subject', item.subject],
      ['Key', keyText(item.public_key)],
      ['Names (SAN)', names(item.subject_alt_names)],
      ['Signature', `${item.signature_algorithm}${item.signature_valid === false ? ' — does NOT verify' : item.signature_valid ? ' (verifies)' : ''}`],
    ]),
    fingerprints(item.fingerprints, item.public_key),
    extensions(item.requested_extensions, 'Requested extensions'),
    asn1View(item.pem, fileName(item.subject, 'request')),
    h('div', { class: 'card-actions' }, downloads(item, fileName(item.subject, 'request'), 'csr')),
  ];
}

function crlBody({ item }) {
  return [
    facts([
      ['Issuer', item.issuer],
      ['This update', item.this_update],
      ['Next update', `${item.next_update ?? 'none'}${item.stale ? ' — STALE' : ''}`],
      ['Signature', item.signature_algorithm],
      ['Revoked', item.revoked.length ? item.revoked.map((entry) => `${entry.serial} (${entry.revocation_date})`).join('\n') : 'none'],
    ]),
    extensions(item.extensions),
    h('div', { class: 'card-actions' }, downloadButton('JSON', 'crl.json', JSON.stringify(item, null, 2), 'application/json')),
  ];
}

function privateKeyBody({ item }) {
  return [
    facts([
      ['Format', item.format],
      ['Encrypted', item.encrypted ? `yes${item.encryption ? `, ${item.encryption}` : ''}` : 'no'],
      ['Key', keyText(item.public_key)],
      ['Name in the .p12', item.friendly_name],
      ['Public key SHA-256', item.public_key?.spki_sha256],
    ]),
    h('p', { class: 'hint' }, 'The private material is never shown or copied by this page.'),
  ];
}

function publicKeyBody({ item }) {
  return [
    facts([['Key', keyText(item.public_key)], ['SHA-256 of the key', item.public_key.spki_sha256]]),
    asn1View(item.pem, 'public-key'),
    h('div', { class: 'card-actions' }, downloads(item, 'public-key', 'pem')),
  ];
}

function errorBody({ item }) {
  return [h('p', { class: 'error-text' }, plainError(item.error))];
}

/** The core's message, with what was expected, in plain words. */
export function plainError(error) {
  const expected = {
    UnrecognizedInput: 'Expected a certificate, chain, CSR, key, CRL, .p7b or .p12 file (PEM text, DER or base64).',
    EmptyInput: 'The file is empty.',
    InvalidPem: 'The PEM text is damaged: check that the BEGIN and END lines match and nothing was cut off.',
    InvalidDer: 'The binary structure is damaged or cut short: download the file again.',
    WrongPassword: 'The password does not open it.',
    PasswordRequired: 'It is encrypted: a password is needed.',
    UnsupportedPemLabel: 'This kind of PEM block is not something the inspector reads.',
  }[error.code];
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return expected ? `${message}. ${expected}` : message;
}

function facts(rows) {
  return h('dl', { class: 'facts' }, rows
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => h('div', {}, h('dt', {}, name), h('dd', {}, value))));
}

function names(list) {
  return list?.length ? list.map((name) => `${name.type.toUpperCase()}: ${name.value}`).join('\n') : 'none';
}

function list(values) {
  return values?.length ? values.join(', ') : 'none';
}

function validityBar(item) {
  const start = Date.parse(item.not_before);
  const end = Date.parse(item.not_after);
  const status = item.validity.status;
  const elapsed = Math.min(100, Math.max(0, ((Date.now() - start) / Math.max(1, end - start)) * 100));
  const label = status === 'expired' ? 'EXPIRED'
    : status === 'not_yet_valid' ? 'NOT YET VALID'
      : `${item.validity.days_remaining} days left`;
  const bar = h('div', { class: 'elapsed' });
  bar.style.width = `${Math.round(elapsed)}%`; // CSSOM, allowed by the page's style-src 'self'
  return h('div', { class: `validity ${status}` },
    h('div', { class: 'track', role: 'img', 'aria-label': `validity: ${label}` }, bar),
    h('span', { class: 'validity-label' }, label));
}

function warnings(list) {
  if (!list?.length) return null;
  return h('ul', { class: 'warnings', 'aria-label': 'Lint warnings' }, list.map((warning) => h('li', {}, warning)));
}

function fingerprints(prints, key) {
  const row = (name, value) => h('div', { class: 'print' },
    h('span', { class: 'print-name' }, name), h('code', {}, colonHex(value)), copyButton('Copy', () => colonHex(value), `${name} fingerprint`));
  return h('div', { class: 'prints' },
    row('SHA-256', prints.sha256),
    row('SHA-1', prints.sha1),
    key ? h('div', { class: 'print' }, h('span', { class: 'print-name' }, 'SPKI'), h('code', {}, key.spki_sha256), copyButton('Copy', () => key.spki_sha256, 'public key pin')) : null);
}

function extensions(list, heading = 'Extensions') {
  if (!list?.length) return null;
  return h('details', { class: 'extensions' },
    h('summary', {}, `${heading} (${list.length})`),
    h('dl', {}, list.map((extension) => h('div', {},
      h('dt', {}, extension.name, extension.critical ? h('span', { class: 'critical' }, 'critical') : null, extension.name === extension.oid ? null : h('span', { class: 'oid' }, extension.oid)),
      h('dd', {}, value(extension.value))))));
}

/** Any decoded extension value: lists, name/value objects and nested structures. */
function value(data) {
  if (data === null || data === undefined) return '—';
  if (Array.isArray(data)) return data.length ? h('ul', {}, data.map((entry) => h('li', {}, value(entry)))) : 'none';
  if (typeof data !== 'object') return String(data);
  if ('type' in data && 'value' in data && Object.keys(data).length === 2) return `${String(data.type).toUpperCase()}: ${data.value}`;
  return h('dl', { class: 'nested' }, Object.entries(data).map(([name, entry]) => h('div', {}, h('dt', {}, name.replace(/_/g, ' ')), h('dd', {}, value(entry)))));
}

function downloads(item, base, extension) {
  return [
    downloadButton('PEM', `${base}.${extension === 'crt' ? 'pem' : extension}`, item.pem, 'application/x-pem-file', `${base} as PEM`),
    downloadButton('DER', `${base}.der`, () => pemBytes(item.pem), 'application/octet-stream', `${base} as DER`),
    downloadButton('JSON', `${base}.json`, () => JSON.stringify(item, null, 2), 'application/json', `${base} as JSON`),
  ];
}
