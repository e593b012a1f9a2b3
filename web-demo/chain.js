// The chain view: every certificate shown goes to the core's verify_set, which finds the
// leaves, builds each chain from the rest (anchors: the dropped self-signed roots and the
// certificates marked trusted) and returns a verdict per leaf, with the explanation and fix
// hint on failure. This file only draws the result.
import { h, fill } from './dom.js';
import { ask, entries, nowSeconds, rerender } from './main.js';
import { commonName } from './render.js';

const $ = (id) => document.getElementById(id);
let generation = 0;

export function setupChain() {
  $('verify-form').addEventListener('submit', (event) => {
    event.preventDefault();
    refreshChain();
  });
}

/** Verifies again with what is on the page and the form's host name, purpose and time. */
export async function refreshChain() {
  const certificates = entries().filter((entry) => entry.item.kind === 'certificate');
  const section = $('chain');
  section.hidden = certificates.length === 0;
  if (!certificates.length) return;
  const mine = ++generation;
  const started = performance.now();
  let response;
  try {
    response = await ask('call', { name: 'verify_set', input: request(certificates) });
  } catch (error) {
    if (mine === generation) fill($('verdicts'), h('p', { class: 'error-text' }, error.message));
    return;
  }
  if (mine !== generation) return;
  const verdicts = response.verdicts.map((verdict) => withEntries(verdict, certificates));
  markRoles(certificates, verdicts);
  fill($('verdicts'), verdicts.map(verdictView));
  section.dataset.verified = 'yes';
  performance.measure('mtlskit-verdict', { start: started, end: performance.now() });
}

function request(certificates) {
  const host = $('host').value.trim();
  return {
    items: certificates.map((entry) => ({ name: label(entry), data: entry.item.pem, trusted: entry.trusted })),
    purpose: $('purpose').value,
    host: host || null,
    at: nowSeconds(),
  };
}

function label(entry) {
  const { file, index } = entry.item.source;
  return index ? `${file} #${index + 1}` : file;
}

/** Links the verdict's item indexes back to the entries on the page. */
function withEntries(verdict, certificates) {
  const link = (reference) => ({ ...reference, entry: certificates[reference.item] });
  return {
    ...verdict,
    leafEntry: certificates[verdict.leaf],
    path: (verdict.path ?? []).map(link),
  };
}

function markRoles(certificates, verdicts) {
  const roles = new Map();
  for (const verdict of verdicts) {
    for (const step of verdict.path) if (step.entry && !roles.has(step.entry)) roles.set(step.entry, step.role);
  }
  for (const entry of certificates) {
    const role = roles.get(entry) ?? null;
    if (role !== entry.role) {
      entry.role = role;
      rerender(entry);
    }
  }
}

function verdictView(verdict) {
  const failure = verdict.failure;
  const name = commonName(verdict.leafEntry?.item.subject ?? '') ?? verdict.leafEntry?.item.subject ?? 'leaf';
  return h('article', { class: `verdict ${verdict.valid ? 'valid' : 'invalid'}`, 'aria-label': `verdict for ${name}` },
    h('p', { class: 'verdict-line' },
      h('strong', { class: 'verdict-word' }, verdict.valid ? 'Valid' : 'Not valid'),
      ` ${name}`,
      failure ? h('span', { class: 'code' }, failure.code) : null),
    h('ol', { class: 'path', 'aria-label': 'chain, leaf first' }, verdict.path.map(step)),
    failure ? h('p', { class: 'explanation' }, failure.message) : null,
    failure?.hint ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), failure.hint) : null);
}

function step(reference) {
  const text = commonName(reference.subject) ?? reference.subject;
  const jump = () => {
    const target = reference.entry && document.getElementById(`item-${reference.entry.id}`);
    target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    target?.focus({ preventScroll: true });
  };
  return h('li', { class: `step ${reference.role.replace(/\s+/g, '-')}` },
    h('button', { type: 'button', class: 'link', onclick: jump, disabled: !reference.entry }, text),
    h('span', { class: 'role' }, reference.role));
}
