// The inspector page: takes files (drop anywhere, pick, paste), sends them to the worker,
// and renders what comes back. No certificate logic here: decoding, verification and
// issuance happen in the Rust core (WebAssembly) inside worker.js.
import { ask, onWorkerFailure } from './client.js';
import { h } from './dom.js';
import { card, listenToCards, plainError } from './render.js';
import { useTreeSource } from './tree.js';
import { refreshChain, setupChain } from './chain.js';
import { setupCompare, compareWith, refreshCompare } from './compare.js';
import { setupPki } from './pki.js';

export { ask };

// Main-thread time per frame for drawing cards; cards per group (even: the grid has one or
// two columns); cards per insertion of markup; the count from which cards are drawn lazily.
const FRAME_BUDGET = 10;
const GROUP = 60;
const SLICE = 6;
const MANY = 40;
const VERDICT_WAIT = 100;
const state = { entries: [], nextId: 1, rendered: 0, drawing: null };
const $ = (id) => document.getElementById(id);

export function setStatus(text) {
  $('status').textContent = text;
}

/** Every certificate entry shown, in order. */
export function entries() {
  return state.entries;
}

/** Inspects named inputs [{name, bytes}] (a .p12 may ask for a password); `bytes` is a
 * Uint8Array or a File, which the worker reads itself. */
export async function addInputs(inputs) {
  const started = performance.now();
  // Every input goes to the worker at once (no round trip between files); results are taken
  // in input order, and a password prompt waits for its turn.
  const inspections = inputs.map((input) => inspectRequest(input));
  // Failures are handled in turn below; this keeps a failure that arrives early from being
  // reported as unhandled meanwhile.
  for (const inspection of inspections) inspection.catch(() => {});
  let added = 0;
  for (const [index, input] of inputs.entries()) added += await inspectOne(input, undefined, inspections[index]);
  // A new task: the last report part and the verify_set request (every certificate's PEM)
  // are not handled in one long task.
  await yieldToPage();
  const verified = refreshChain();
  const drawn = drawCardsAfter(verified);
  const elapsed = Math.round(performance.now() - started);
  setStatus(`${added} item${added === 1 ? '' : 's'} from ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${elapsed} ms). Nothing was uploaded.`);
  await Promise.all([verified, drawn]);
  refreshCompare();
  document.body.dataset.state = 'ready';
}

/** The verdict is what people wait for: when it comes quickly, it is painted alone and the
 * cards follow in the next frames; a slow verification (thousands of certificates) does not
 * hold the cards back longer than VERDICT_WAIT. */
async function drawCardsAfter(verified) {
  const verdictFirst = await Promise.race([verified.then(() => true), delay(VERDICT_WAIT)]);
  if (verdictFirst) await nextFrame();
  return renderMore();
}

const yieldToPage = () => globalThis.scheduler?.yield?.() ?? delay(0);
const delay = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds, false));
// Resolves in the frame after the current one has been rendered.
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** Asks the worker to inspect one input: resolves with all its items, parts included. */
function inspectRequest({ name, bytes }, password) {
  const items = [];
  return ask('inspect', { bytes, name, password, at: nowSeconds() }, (part) => items.push(...part))
    .then((report) => [...report.items, ...items]);
}

async function inspectOne({ name, bytes }, password, started = inspectRequest({ name, bytes }, password)) {
  let items;
  try {
    items = await started;
  } catch (error) {
    if (error.code === 'PasswordRequired' || error.code === 'WrongPassword') {
      const typed = await askPassword(name, error);
      return typed === null ? 0 : inspectOne({ name, bytes }, typed);
    }
    showError(name, error);
    return 0;
  }
  for (const item of items) {
    state.entries.push({ id: state.nextId++, item, trusted: false, role: null });
  }
  return items.length;
}

function showError(name, error) {
  const text = plainError(error);
  $('errors').append(h('div', { class: 'card error', role: 'alert' },
    h('p', { class: 'kind' }, 'Could not read'),
    h('h3', {}, name),
    h('p', { class: 'error-text' }, text),
    h('p', { class: 'code' }, `code: ${error.code}`)));
}

function askPassword(name, error) {
  const dialog = $('password-dialog');
  $('password-text').textContent = `${name} is protected. Type its password (it stays in this tab).`;
  $('password-error').textContent = error.code === 'WrongPassword' ? 'That password does not open it. Try again.' : '';
  $('password').value = '';
  dialog.showModal();
  $('password').focus();
  return new Promise((resolve) => {
    const finish = (value) => {
      $('password-form').onsubmit = null;
      $('password-cancel').onclick = null;
      dialog.oncancel = null;
      dialog.close();
      resolve(value);
    };
    $('password-form').onsubmit = (event) => { event.preventDefault(); finish($('password').value); };
    $('password-cancel').onclick = () => finish(null);
    dialog.oncancel = (event) => { event.preventDefault(); finish(null); };
  });
}

/** Draws the cards not drawn yet, a slice per frame (as many as fit in FRAME_BUDGET ms), so
 * that a bundle of thousands never blocks the page; resolves when all are drawn. Cards are
 * inserted as markup, SLICE at a time (render.js says why), into groups of GROUP; with many
 * cards (style.css: `.cards.many`), groups and cards off screen are not laid out or painted
 * until scrolled near, so each frame lays out what it added, not everything before it. */
function renderMore() {
  const cards = $('cards');
  cards.classList.toggle('many', state.entries.length > MANY);
  if (state.drawing) return state.drawing;
  let finished;
  state.drawing = new Promise((resolve) => { finished = resolve; });
  const step = () => {
    const deadline = performance.now() + FRAME_BUDGET;
    while (state.rendered < state.entries.length) {
      const group = currentGroup(cards);
      const end = Math.min(state.entries.length, state.rendered + SLICE, state.rendered + GROUP - group.childElementCount);
      group.insertAdjacentHTML('beforeend', state.entries.slice(state.rendered, end).map(card).join(''));
      state.rendered = end;
      if (performance.now() > deadline) break;
    }
    if (state.rendered < state.entries.length) return requestAnimationFrame(step);
    state.drawing = null;
    finished();
  };
  const drawing = state.drawing;
  step();
  return drawing;
}

function currentGroup(cards) {
  const last = cards.lastElementChild;
  if (last && last.childElementCount < GROUP) return last;
  return cards.appendChild(h('div', { class: 'card-group' }));
}

async function setTrusted(entry, trusted) {
  entry.trusted = trusted;
  await refreshChain();
}

function clearAll() {
  state.entries = [];
  state.rendered = 0;
  $('cards').replaceChildren();
  $('errors').replaceChildren();
  $('chain').hidden = true;
  $('verdicts').replaceChildren();
  refreshCompare();
  setStatus('Cleared. Drop more files.');
}

export function nowSeconds() {
  const typed = $('time').value;
  const time = typed ? Date.parse(typed) : Date.now();
  return Math.floor((Number.isNaN(time) ? Date.now() : time) / 1000);
}

async function readFiles(fileList) {
  const files = [...fileList];
  if (!files.length) return;
  setStatus(`Reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
  await addInputs(files.map((file) => ({ name: file.name, bytes: file })));
}

function setupIntake() {
  let depth = 0;
  const overlay = $('drop-overlay');
  window.addEventListener('dragenter', (event) => { event.preventDefault(); depth += 1; overlay.classList.add('shown'); });
  window.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) overlay.classList.remove('shown'); });
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    overlay.classList.remove('shown');
    readFiles(event.dataTransfer?.files ?? []);
  });
  $('files').addEventListener('change', (event) => { readFiles(event.target.files); event.target.value = ''; });
  $('drop').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); $('files').click(); }
  });
  $('paste-go').addEventListener('click', () => pasteText($('paste').value));
  document.addEventListener('paste', (event) => {
    if (event.target.closest?.('input, textarea')) return;
    const text = event.clipboardData?.getData('text');
    if (text) pasteText(text);
  });
  $('clear').addEventListener('click', clearAll);
  $('theme').addEventListener('click', toggleTheme);
}

function pasteText(text) {
  if (!text.trim()) return setStatus('The paste box is empty.');
  addInputs([{ name: 'pasted text', bytes: new TextEncoder().encode(text) }]);
}

function toggleTheme() {
  const root = document.documentElement;
  const dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = dark ? 'light' : 'dark';
}

/** Registers sw.js (offline use once loaded) after the first load is done, so that storing
 * the page's files never competes with it. Browsers without service workers, or pages not in
 * a secure context (a plain-HTTP address other than localhost), just work online. */
function keepOffline() {
  navigator.serviceWorker?.register('sw.js').catch(() => {});
}

async function start() {
  onWorkerFailure((message) => setStatus(`The inspector could not start: ${message}.`));
  useTreeSource((bytes) => ask('asn1', { bytes }));
  setupIntake();
  listenToCards($('cards'), (id) => state.entries.find((entry) => entry.id === id), { onTrust: setTrusted, onCompare: compareWith });
  setupChain();
  setupCompare();
  setupPki();
  try {
    $('version').textContent = await ask('version');
    setStatus('Ready. Drop files anywhere on the page, pick them, or paste PEM.');
    document.body.dataset.state = 'ready';
    performance.mark('mtlskit-ready');
    keepOffline();
  } catch (error) {
    setStatus(`The inspector module did not load: ${error.message}`);
  }
}

start();
