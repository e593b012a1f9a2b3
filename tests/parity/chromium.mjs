// The parity runner for the browser: every vector through the inspector page's own Web
// Worker (web-demo/src/worker.js, bundled with the wasm module by `make web`), in Debian's Chromium driven
// by playwright-core, in one page load served by `mtlskit web` on 127.0.0.1.
// Results go to target/parity/chromium.json.
import { startServer, launch, openPage } from '../web/harness.mjs';
import { loadVectors, writeResults } from './lib.mjs';

const server = await startServer();
const browser = await launch();
try {
  const page = await openPage(browser, server.url);
  page.setDefaultTimeout(300_000);
  const results = await page.evaluate(runInWorker, loadVectors());
  if (page.errors.length > 0) throw new Error(`the page reported errors: ${page.errors.join('; ')}`);
  writeResults('chromium', results);
} finally {
  await browser.close();
  server.stop();
}

/**
 * Runs in the page: a second instance of the page's worker answers every vector (the
 * worker's `call` kind: any wasm export by name). Self-contained, as page code must be.
 */
async function runInWorker(vectors) {
  const names = { verify_set: 'verifySet', to_pkcs12: 'toPkcs12', from_pkcs12: 'fromPkcs12', csr_sign: 'csrSign' };
  const worker = new Worker(new URL('pkg/worker.js', location.href), { type: 'module' });
  // The page's first script hands each worker the compiled module as its first message; without
  // one (null) the worker loads the module itself. Without any, it would wait forever.
  worker.postMessage({ module: null });
  const pending = new Map();
  let next = 0;
  worker.onmessage = ({ data }) => {
    if (data.part !== undefined || !pending.has(data.id)) return;
    pending.get(data.id)(data);
    pending.delete(data.id);
  };
  const ask = (fn, input, at) => new Promise((resolve) => {
    const id = `parity-${next += 1}`;
    pending.set(id, resolve);
    worker.postMessage({ id, kind: 'call', request: { name: names[fn] ?? fn, input, at } });
  });
  const hexBytes = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  const decode = (value, previous) => {
    if (Array.isArray(value)) return value.map((item) => decode(item, previous));
    if (value && typeof value === 'object') {
      if (typeof value.$hex === 'string') return hexBytes(value.$hex);
      if (typeof value.$result === 'string') return previous[value.$result];
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decode(inner, previous)]));
    }
    return value;
  };
  const plain = (value) => {
    if (value instanceof Uint8Array) return Array.from(value);
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key, plain(inner)]));
    }
    return value;
  };
  const results = {};
  for (const vector of vectors) {
    let answer = await ask(vector.function, decode(vector.request, null), vector.time);
    if (answer.ok && vector.then) {
      answer = await ask(vector.then.function, decode(vector.then.request, answer.value), vector.time);
    }
    results[vector.id] = answer.ok ? { ok: plain(answer.value) } : { error: plain(answer.error) };
  }
  worker.terminate();
  return results;
}
