// "Create a test PKI": the core's pki_init issues a root, an intermediate, a server
// certificate and client certificates (with .p12 files) inside the worker, with Web Crypto
// randomness; the page offers each file for download and can inspect them right away.
import { h, fill, download } from './dom.js';
import { ask, addInputs, nowSeconds, setStatus } from './main.js';

const $ = (id) => document.getElementById(id);

export function setupPki() {
  $('pki-open').addEventListener('click', () => {
    $('pki').hidden = false;
    $('pki-sans').focus();
    // Issuance is in the whole API's module: fetched (and stored for offline use by sw.js) now,
    // while the person fills the form, instead of on "Generate".
    ask('prepare').catch((error) => fill($('pki-result'), h('p', { class: 'error-text', role: 'alert' }, error.message)));
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
  const password = $('pki-password').value || randomPassword();
  const input = {
    server_names: split($('pki-sans').value),
    clients: split($('pki-clients').value),
    key_type: $('pki-key').value,
    p12_password: password,
  };
  const started = performance.now();
  let response;
  try {
    response = await ask('call', { name: 'pkiInit', input, at: nowSeconds() });
  } catch (error) {
    fill(result, h('p', { class: 'error-text', role: 'alert' }, error.message));
    return;
  }
  const files = response.files;
  fill(result,
    h('p', {}, `Made ${files.length} files in ${Math.round(performance.now() - started)} ms.`),
    h('p', {}, 'Password of the .p12 files: ', h('code', {}, password)),
    h('ul', { class: 'pki-files' }, files.map((file) => h('li', {},
      h('button', { type: 'button', class: 'small', 'aria-label': `Download ${file.name} (${file.kind})`, onclick: () => download(file.name, file.contents) }, file.name),
      file.secret ? h('span', { class: 'secret' }, ' private key') : null))),
    h('button', { type: 'button', onclick: () => inspectCertificates(files) }, 'Inspect the certificates'));
  setStatus('Test PKI created in this tab. Download the files you need.');
}

/** 20 characters from Web Crypto, for the .p12 files when no password was typed. */
function randomPassword() {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const limit = 256 - (256 % alphabet.length); // no modulo bias
  let password = '';
  while (password.length < 20) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && password.length < 20) password += alphabet[byte % alphabet.length];
    }
  }
  return password;
}

function inspectCertificates(files) {
  const certificates = files.filter((file) => !file.secret && typeof file.contents === 'string' && file.contents.includes('CERTIFICATE'));
  addInputs(certificates.map((file) => ({ name: file.name, bytes: new TextEncoder().encode(file.contents) })));
}
