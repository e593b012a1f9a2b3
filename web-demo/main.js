// The inspector page: takes files (drop anywhere, pick, paste), sends them to the worker,
// and renders what comes back. No certificate logic here: decoding, verification and
// issuance happen in the Rust core (WebAssembly) inside worker.js.
import { h } from './dom.js';
import { card, plainError } from './render.js';
import { useTreeSource } from './tree.js';
import { refreshChain, setupChain } from './chain.js';
import { setupCompare, compareWith, refreshCompare } from './compare.js';
import { setupPki } from './pki.js';

const BATCH = 60;
const state = { entries: [], nextId: 1, rendered: 0 };
const $ = (id) => document.getElementById(id);
let worker;
let pending = new Map();
let nextRequest = 1;

/** Sends a request to the worker; resolves with its value or rejects with {code, message}. */
export function ask(kind, request, onPart) {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onPart });
    worker.postMessage({ id, kind, request });
  });
}

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    const waiting = pending.get(data.id);
    if (!waiting) return;
    if (data.part) return waiting.onPart?.(data.part);
    pending.delete(data.id);
    if (data.ok) return waiting.resolve(data.value);
    if (data.error.code === 'Internal') restartWorker();
    waiting.reject(Object.assign(new Error(data.error.message), data.error));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    setStatus(`The inspector could not start: ${event.message ?? 'the module did not load'}.`);
  };
}

// A trapped module is unusable: the next request gets a fresh worker.
function restartWorker() {
  const old = pending;
  worker.terminate();
  pending = new Map();
  startWorker();
  for (const waiting of old.values()) waiting.reject(Object.assign(new Error('the inspector restarted'), { code: 'Internal' }));
}

export function setStatus(text) {
  $('status').textContent = text;
}

/** Every certificate entry shown, in order. */
export function entries() {
  return state.entries;
}

/** Inspects named inputs [{name, bytes}] (a .p12 may ask for a password). */
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
  renderMore();
  const elapsed = Math.round(performance.now() - started);
  setStatus(`${added} item${added === 1 ? '' : 's'} from ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${elapsed} ms). Nothing was uploaded.`);
  await refreshChain();
  refreshCompare();
  document.body.dataset.state = 'ready';
}

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

/** Renders the next cards in small batches, one batch per frame, so the page stays responsive. */
function renderMore() {
  const cards = $('cards');
  const actions = { onTrust: setTrusted, onCompare: compareWith };
  const step = () => {
    const end = Math.min(state.entries.length, state.rendered + BATCH);
    const fragment = document.createDocumentFragment();
    for (const entry of state.entries.slice(state.rendered, end)) fragment.append(card(entry, actions));
    cards.append(fragment);
    state.rendered = end;
    if (state.rendered < state.entries.length) requestAnimationFrame(step);
  };
  step();
}

/** Re-renders one card (after its role or trust changed). */
export function rerender(entry) {
  const old = document.getElementById(`item-${entry.id}`);
  old?.replaceWith(card(entry, { onTrust: setTrusted, onCompare: compareWith }));
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
  const inputs = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
  await addInputs(inputs);
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

async function start() {
  startWorker();
  useTreeSource((bytes) => ask('asn1', { bytes }));
  setupIntake();
  setupChain();
  setupCompare();
  setupPki();
  try {
    $('version').textContent = await ask('version');
    setStatus('Ready. Drop files anywhere on the page, pick them, or paste PEM.');
    document.body.dataset.state = 'ready';
    performance.mark('mtlskit-ready');
  } catch (error) {
    setStatus(`The inspector module did not load: ${error.message}`);
  }
}

start();
