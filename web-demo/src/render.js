// One card per inspected item. Every value shown comes from the core's report (the same JSON
// as `mtlskit inspect --json`); this file only lays it out.
//
// Cards are markup (html`...` escapes every value), inserted a slice at a time, and their
// buttons are handled by listeners on the container (listenToCards): a bundle of thousands
// of certificates then creates no JavaScript object per element. With one made from
// JavaScript per element, the young generation's garbage collections had to walk the
// hundreds of thousands of DOM wrappers and paused the page for 50-100 ms (BENCHMARKS.md,
// "2,880-certificate bundle").
import { html, join, h, copyButtonMarkup, copyButtons, download, pemBytes, colonHex, fileName } from './dom.js';
import { loadAsn1 } from './tree.js';

const KINDS = {
  certificate: 'Certificate', csr: 'Certificate request', crl: 'Revocation list',
  private_key: 'Private key', public_key: 'Public key', error: 'Unreadable',
};

/** The markup of the card for `entry` ({id, item, trusted, role}). */
export function card(entry) {
  const { item } = entry;
  const body = {
    certificate: certificateBody, csr: csrBody, crl: crlBody,
    private_key: privateKeyBody, public_key: publicKeyBody, error: errorBody,
  }[item.kind]?.(entry) ?? '';
  return join(
    html`<article class="card ${item.kind}" id="item-${entry.id}" data-entry="${entry.id}" tabindex="-1" aria-labelledby="title-${entry.id}">`,
    html`<header><p class="kind">${KINDS[item.kind] ?? item.kind}${roleMarkup(entry.role)}</p>`,
    html`<h3 id="title-${entry.id}">${title(item)}</h3><p class="source">${sourceText(item.source)}</p></header>${body}</article>`,
  );
}

/** Handles what the cards inside `container` offer: `entry(id)` finds a card's entry;
 * `actions` has onTrust(entry, bool) and onCompare(entry). */
export function listenToCards(container, entry, actions) {
  copyButtons(container);
  const entryOf = (element) => entry(Number(element.closest('.card')?.dataset.entry));
  container.addEventListener('click', (event) => {
    const button = event.target.closest?.('button[data-action]');
    const found = button && container.contains(button) ? entryOf(button) : null;
    if (!found) return;
    const { action, name } = button.dataset;
    const { item } = found;
    if (action === 'compare') actions.onCompare(found);
    else if (action === 'pem') download(name, item.pem, 'application/x-pem-file');
    else if (action === 'der') download(name, pemBytes(item.pem));
    else if (action === 'json') download(name, JSON.stringify(item, null, 2), 'application/json');
  });
  container.addEventListener('change', (event) => {
    const box = event.target;
    if (box.dataset?.action !== 'trust') return;
    const found = entryOf(box);
    if (found) actions.onTrust(found, box.checked);
  });
  // `toggle` does not bubble: listened to while it travels down (capture).
  container.addEventListener('toggle', (event) => {
    const section = event.target;
    if (!section.matches?.('details.asn1') || !section.open) return;
    const found = entryOf(section);
    if (found) loadAsn1(section, found.item.pem, section.dataset.name);
  }, true);
}

/** Updates the role shown on the card of `entry` (leaf, intermediate, anchor), if it is drawn
 * (a card drawn later shows the role it has then). */
export function showRole(entry) {
  const kind = document.getElementById(`item-${entry.id}`)?.querySelector('.kind');
  if (!kind) return;
  kind.querySelector('.role')?.remove();
  if (entry.role) kind.append(h('span', { class: `role ${entry.role}` }, entry.role));
}

function roleMarkup(role) {
  return role ? html`<span class="role ${role}">${role}</span>` : '';
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

function certificateBody(entry) {
  const { item } = entry;
  const base = fileName(item.subject, 'certificate');
  const rows = facts([
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
  ]);
  return join(
    validityBar(item), rows, warnings(item.warnings), fingerprints(item.fingerprints, item.public_key),
    extensions(item.extensions), asn1View(item.pem, fileName(item.subject)),
    html`<div class="card-actions">${downloads(base, 'crt')}`,
    html`<label class="trust"><input type="checkbox" data-action="trust"${entry.trusted ? html` checked` : ''}> Trust as anchor</label>`,
    html`<button type="button" class="small" data-action="compare">Compare</button></div>`,
  );
}

function csrBody({ item }) {
  const base = fileName(item.subject, 'request');
  const rows = facts([
    ['Subject', item.subject],
    ['Key', keyText(item.public_key)],
    ['Names (SAN)', names(item.subject_alt_names)],
    ['Signature', `${item.signature_algorithm}${item.signature_valid === false ? ' — does NOT verify' : item.signature_valid ? ' (verifies)' : ''}`],
  ]);
  return join(
    rows, fingerprints(item.fingerprints, item.public_key), extensions(item.requested_extensions, 'Requested extensions'),
    asn1View(item.pem, base), html`<div class="card-actions">${downloads(base, 'csr')}</div>`,
  );
}

function crlBody({ item }) {
  return html`${facts([
    ['Issuer', item.issuer],
    ['This update', item.this_update],
    ['Next update', `${item.next_update ?? 'none'}${item.stale ? ' — STALE' : ''}`],
    ['Signature', item.signature_algorithm],
    ['Revoked', item.revoked.length ? item.revoked.map((entry) => `${entry.serial} (${entry.revocation_date})`).join('\n') : 'none'],
  ])}${extensions(item.extensions)}<div class="card-actions">${downloadButton('JSON', 'json', 'crl.json', 'crl.json')}</div>`;
}

function privateKeyBody({ item }) {
  return html`${facts([
    ['Format', item.format],
    ['Encrypted', item.encrypted ? `yes${item.encryption ? `, ${item.encryption}` : ''}` : 'no'],
    ['Key', keyText(item.public_key)],
    ['Name in the .p12', item.friendly_name],
    ['Public key SHA-256', item.public_key?.spki_sha256],
  ])}<p class="hint">The private material is never shown or copied by this page.</p>`;
}

function publicKeyBody({ item }) {
  return join(
    html`${facts([['Key', keyText(item.public_key)], ['SHA-256 of the key', item.public_key.spki_sha256]])}`,
    html`${asn1View(item.pem, 'public-key')}<div class="card-actions">${downloads('public-key', 'pem')}</div>`
  );
}

function errorBody({ item }) {
  return html`<p class="error-text">${plainError(item.error)}</p>`;
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
  const shown = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  return html`<dl class="facts">${shown.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>`;
}

function names(list) {
  return list?.length ? list.map((name) => `${name.type.toUpperCase()}: ${name.value}`).join('\n') : 'none';
}

function list(values) {
  return values?.length ? values.join(', ') : 'none';
}

/** The validity as a bar of the time elapsed (a <progress>: markup sets its length, where a
 * width would need an inline style, which the page's Content-Security-Policy refuses). */
function validityBar(item) {
  const start = Date.parse(item.not_before);
  const end = Date.parse(item.not_after);
  const status = item.validity.status;
  const elapsed = Math.min(100, Math.max(0, ((Date.now() - start) / Math.max(1, end - start)) * 100));
  const label = status === 'expired' ? 'EXPIRED'
    : status === 'not_yet_valid' ? 'NOT YET VALID'
      : `${item.validity.days_remaining} days left`;
  return join(
    html`<div class="validity ${status}"><progress class="track" max="100" value="${Math.round(elapsed)}" aria-label="validity: ${label}"></progress>`,
    html`<span class="validity-label">${label}</span></div>`
  );
}

function warnings(list) {
  if (!list?.length) return '';
  return html`<ul class="warnings" aria-label="Lint warnings">${list.map((warning) => html`<li>${warning}</li>`)}</ul>`;
}

function fingerprints(prints, key) {
  const row = (name, shown, description) => join(
    html`<div class="print"><span class="print-name">${name}</span><code>${shown}</code>`,
    html`${copyButtonMarkup('Copy', shown, description)}</div>`
  );
  return join(
    html`<div class="prints">${row('SHA-256', colonHex(prints.sha256), 'SHA-256 fingerprint')}${row('SHA-1', colonHex(prints.sha1), 'SHA-1 fingerprint')}`,
    html`${key ? row('SPKI', key.spki_sha256, 'public key pin') : ''}</div>`
  );
}

function extensions(list, heading = 'Extensions') {
  if (!list?.length) return '';
  const item = (extension) => join(
    html`<div><dt>${extension.name}${extension.critical ? html`<span class="critical">critical</span>` : ''}`,
    html`${extension.name === extension.oid ? '' : html`<span class="oid">${extension.oid}</span>`}</dt><dd>${value(extension.value)}</dd></div>`
  );
  return html`<details class="extensions"><summary>${heading} (${list.length})</summary><dl>${list.map(item)}</dl></details>`;
}

/** Any decoded extension value: lists, name/value objects and nested structures. */
function value(data) {
  if (data === null || data === undefined) return '—';
  if (Array.isArray(data)) return data.length ? html`<ul>${data.map((entry) => html`<li>${value(entry)}</li>`)}</ul>` : 'none';
  if (typeof data !== 'object') return String(data);
  if ('type' in data && 'value' in data && Object.keys(data).length === 2) return `${String(data.type).toUpperCase()}: ${data.value}`;
  return html`<dl class="nested">${Object.entries(data).map(([name, entry]) => html`<div><dt>${name.replace(/_/g, ' ')}</dt><dd>${value(entry)}</dd></div>`)}</dl>`;
}

/** A collapsed section that shows the ASN.1 tree of the card's PEM when opened (listenToCards). */
function asn1View(pem, baseName) {
  if (!pem) return '';
  return html`<details class="asn1" data-name="${baseName}"><summary>ASN.1 structure and hex</summary><div class="asn1-body">Decoding…</div></details>`;
}

function downloadButton(label, action, name, description) {
  return html`<button type="button" class="small" data-action="${action}" data-name="${name}" aria-label="Download ${description}">${label}</button>`;
}

function downloads(base, extension) {
  return [
    downloadButton('PEM', 'pem', `${base}.${extension === 'crt' ? 'pem' : extension}`, `${base} as PEM`),
    downloadButton('DER', 'der', `${base}.der`, `${base} as DER`),
    downloadButton('JSON', 'json', `${base}.json`, `${base} as JSON`),
  ];
}
