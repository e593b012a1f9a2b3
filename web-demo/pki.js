// "Create a test PKI": the core's pki_init issues a root, an intermediate, a server
// certificate and client certificates (with .p12 files) inside the worker, with Web Crypto
// randomness; the page offers each file for download and can inspect them right away.
import { h, fill, download } from './dom.js';
import { ask, addInputs, setStatus } from './main.js';

const $ = (id) => document.getElementById(id);

export function setupPki() {
  $('pki-open').addEventListener('click', () => {
    $('pki').hidden = false;
    $('pki-sans').focus();
  });
  $('pki-close').addEventListener('click', () => { $('pki').hidden = true; });
  $('pki-form').addEventListener('submit', (event) => {
    event.preventDefault();
    create();
  });
}

const split = (text) => text.split(/[\s,]+/).map((part) => part.trim()).filter(Boolean);

async function create() {
  const result = $('pki-result');
  fill(result, h('p', { class: 'status' }, 'Generating keys…'));
  const input = {
    server_sans: split($('pki-sans').value),
    clients: split($('pki-clients').value),
    key_type: $('pki-key').value,
    password: $('pki-password').value || null,
  };
  const started = performance.now();
  let files;
  try {
    files = await ask('call', { name: 'pki_init', input });
  } catch (error) {
    fill(result, h('p', { class: 'error-text', role: 'alert' }, error.message));
    return;
  }
  const list = files.files.map((file) => ({ name: file.path ?? file.name, data: file.contents ?? file.data, secret: file.secret }));
  fill(result,
    h('p', {}, `Made ${list.length} files in ${Math.round(performance.now() - started)} ms.`),
    files.p12_password ? h('p', {}, 'Password of the .p12 files: ', h('code', {}, files.p12_password)) : null,
    h('ul', { class: 'pki-files' }, list.map((file) => h('li', {},
      h('button', { type: 'button', class: 'small', 'aria-label': `Download ${file.name}`, onclick: () => download(file.name.split('/').pop(), file.data) }, file.name),
      file.secret ? h('span', { class: 'secret' }, ' private') : null))),
    h('button', { type: 'button', onclick: () => inspectPublic(list) }, 'Inspect the certificates'));
  setStatus('Test PKI created in this tab. Download the files you need.');
}

function inspectPublic(list) {
  const certificates = list.filter((file) => /\.(crt|pem)$/.test(file.name) && !file.secret);
  addInputs(certificates.map((file) => ({ name: file.name.split('/').pop(), bytes: typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data })));
}
