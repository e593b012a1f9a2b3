// Compare two certificates side by side: every field of the two reports, the rows that
// differ marked, e.g. a renewed certificate against the old one, or server against client.
import { h, fill } from './dom.js';
import { entries } from './main.js';
import { commonName, keyText } from './render.js';

const $ = (id) => document.getElementById(id);
let chosen = [];

const FIELDS = [
  ['Subject', (item) => item.subject],
  ['Issuer', (item) => item.issuer],
  ['Serial', (item) => item.serial],
  ['Not before', (item) => item.not_before],
  ['Not after', (item) => item.not_after],
  ['Validity', (item) => `${item.validity.status}, ${item.validity.days_remaining} days`],
  ['Key', (item) => keyText(item.public_key)],
  ['Key SHA-256', (item) => item.public_key.spki_sha256],
  ['Signature', (item) => item.signature_algorithm],
  ['Names (SAN)', (item) => item.subject_alt_names.map((name) => `${name.type}:${name.value}`).join('\n')],
  ['CA', (item) => (item.is_ca ? `yes${item.path_len === null ? '' : ` (path length ${item.path_len})`}` : 'no')],
  ['Key usage', (item) => item.key_usage.join(', ')],
  ['Extended key usage', (item) => item.extended_key_usage.join(', ')],
  ['Extensions', (item) => item.extensions.map((extension) => `${extension.name}${extension.critical ? ' (critical)' : ''}`).join('\n')],
  ['Warnings', (item) => item.warnings.join('\n')],
  ['SHA-256', (item) => item.fingerprints.sha256],
];

export function setupCompare() {
  $('compare-open').addEventListener('click', () => open());
  $('compare-close').addEventListener('click', () => { $('compare').hidden = true; });
  $('compare-left').addEventListener('change', draw);
  $('compare-right').addEventListener('change', draw);
}

/** Adds `entry` to the comparison (the second pick shows the table). */
export function compareWith(entry) {
  chosen = [...chosen.filter((other) => other !== entry), entry].slice(-2);
  open();
}

function open() {
  $('compare').hidden = false;
  refreshCompare();
  $('compare').scrollIntoView({ block: 'start' });
  $('compare-left').focus();
}

/** Refills the pickers after items were added or removed. */
/** Refills the pickers after items were added or removed; only while the section is open
 * (open() fills them), so that a bundle of thousands costs nothing until compared. */
export function refreshCompare() {
  const certificates = entries().filter((entry) => entry.item.kind === 'certificate');
  const present = new Set(certificates);
  chosen = chosen.filter((entry) => present.has(entry));
  if ($('compare').hidden) return;
  const [left, right] = chosen.length === 2 ? chosen : [chosen[0] ?? certificates[0], certificates.find((entry) => entry !== (chosen[0] ?? certificates[0]))];
  const options = document.createDocumentFragment();
  for (const entry of certificates) {
    options.append(new Option(`${commonName(entry.item.subject) ?? entry.item.subject} (${entry.item.source.file})`, entry.id));
  }
  fill($('compare-right'), options.cloneNode(true));
  fill($('compare-left'), options);
  $('compare-left').value = left ? String(left.id) : '';
  $('compare-right').value = right ? String(right.id) : '';
  draw();
}

function draw() {
  const find = (select) => entries().find((entry) => String(entry.id) === select.value);
  const left = find($('compare-left'));
  const right = find($('compare-right'));
  if (!left || !right) {
    fill($('compare-table'), h('p', { class: 'hint' }, 'Add at least two certificates to compare them.'));
    return;
  }
  let differences = 0;
  const rows = FIELDS.map(([name, read]) => {
    const a = read(left.item) || '—';
    const b = read(right.item) || '—';
    const same = a === b;
    if (!same) differences += 1;
    return h('tr', { class: same ? 'same' : 'differs' },
      h('th', { scope: 'row' }, name, same ? null : h('span', { class: 'sr-only' }, ' (differs)')),
      h('td', {}, a), h('td', {}, b));
  });
  fill($('compare-table'),
    h('p', { class: 'compare-summary' }, differences ? `${differences} field${differences === 1 ? '' : 's'} differ` : 'The two are identical'),
    h('div', { class: 'table-scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, left.item.source.file), h('th', { scope: 'col' }, right.item.source.file))),
      h('tbody', {}, rows))));
}
