// The chain view: every certificate shown goes to the core's verify_set, which finds the
// leaves, builds each chain from the rest (anchors: the dropped self-signed roots and the
// certificates marked trusted) and returns a verdict per leaf, with the explanation and fix
// hint on failure. This file only draws the result.
import { h, fill } from './dom.js';
import { ask, entries, nowSeconds } from './main.js';
import { commonName, showRole } from './render.js';

const $ = (id) => document.getElementById(id);
let generation = 0;
// Main-thread time per frame for updating the roles shown on cards.
const FRAME_BUDGET = 10;

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
    response = await ask('call', { name: 'verifySet', input: request(certificates), at: nowSeconds() });
  } catch (error) {
    if (mine === generation) fill($('verdicts'), h('p', { class: 'error-text' }, error.message));
    return;
  }
  if (mine !== generation) return;
  markRoles(certificates, response.certificates);
  fill($('verdicts'), response.verdicts.map((verdict) => verdictView(verdict, response.certificates, certificates)));
  section.dataset.verified = 'yes';
  performance.measure('mtlskit-verdict', { start: started, end: performance.now() });
}

/** One item per certificate card (its PEM), so that each verdict points back at a card. */
function request(certificates) {
  const peer = $('host').value.trim();
  const ip = /^[\d.]+$|:/.test(peer);
  return {
    items: certificates.map((entry) => ({ name: label(entry), data: entry.item.pem, trusted: entry.trusted })),
    host: peer && !ip ? peer : null,
    ip: peer && ip ? peer : null,
    purpose: $('purpose').value,
  };
}

function label(entry) {
  const { file, index } = entry.item.source;
  return index ? `${file} #${index + 1}` : file;
}

/** Shows each card's role in the set (leaf, intermediate, anchor). Thousands of cards may
 * change (a trust bundle: every root an anchor), so they are updated a slice per frame, never
 * in one long task. */
function markRoles(certificates, found) {
  const roles = new Map(found.map((certificate) => [certificate.item, certificate.role]));
  const changed = [];
  for (const [position, entry] of certificates.entries()) {
    const role = roles.get(position) ?? null;
    if (role !== entry.role) {
      entry.role = role;
      changed.push(entry);
    }
  }
  let next = 0;
  const step = () => {
    const deadline = performance.now() + FRAME_BUDGET;
    while (next < changed.length && performance.now() < deadline) showRole(changed[next++]);
    if (next < changed.length) requestAnimationFrame(step);
  };
  step();
}

function verdictView(verdict, found, certificates) {
  const failure = verdict.failure;
  const leaf = found[verdict.leaf];
  const name = commonName(leaf?.subject ?? '') ?? leaf?.subject ?? 'leaf';
  const steps = verdict.path.map((index, position) => {
    const certificate = found[index];
    const role = position === 0 ? 'leaf' : certificate?.role === 'anchor' ? 'trust anchor' : 'intermediate';
    return step(certificate?.subject ?? '?', role, certificates[certificate?.item]);
  });
  return h('article', { class: `verdict ${verdict.valid ? 'valid' : 'invalid'}`, 'aria-label': `verdict for ${name}` },
    // elementtiming: tests/web/bench.mjs measures when the verdict is painted.
    h('p', { class: 'verdict-line', elementtiming: 'verdict' },
      h('strong', { class: 'verdict-word' }, verdict.valid ? 'Valid' : 'Not valid'),
      ` ${name}`,
      failure ? h('span', { class: 'code' }, failure.code) : null),
    h('ol', { class: 'path', 'aria-label': 'chain, leaf first' }, steps),
    failure ? h('p', { class: 'explanation' }, failure.message) : null,
    failure?.hint ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), failure.hint) : null);
}

function step(subject, role, entry) {
  const jump = () => {
    const target = entry && document.getElementById(`item-${entry.id}`);
    target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    target?.focus({ preventScroll: true });
  };
  return h('li', { class: `step ${role.replace(/\s+/g, '-')}` },
    h('button', { type: 'button', class: 'link', onclick: jump, disabled: !entry }, commonName(subject) ?? subject),
    h('span', { class: 'role' }, role));
}
