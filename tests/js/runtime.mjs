// The two builds of the core behind one API, chosen by MTLSKIT_RUNTIME=node|wasm, so that a
// single test file runs against the Node addon and the wasm module; `other` is the build not
// chosen, for tests that compare both on the same JSON. Both take the API's request objects and
// the time in seconds; binary results are normalised to Uint8Array (Buffer in Node).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const runtime = process.env.MTLSKIT_RUNTIME ?? 'node';

const functions = ['inspect', 'verify', 'verifySet', 'issue', 'csrNew', 'csrSign', 'pkiInit', 'bundle',
  'toPkcs12', 'fromPkcs12', 'convert', 'asn1', 'version'];

function load(name) {
  const module = name === 'wasm'
    ? require('../../wasm/pkg-node/mtlskit_wasm.js')
    : require('../../node/mtlskit.node');
  // asn1 (the page's tree view) exists in the wasm module only
  return Object.fromEntries(functions.filter((fn) => module[fn])
    .map((fn) => [fn, (...args) => normalise(module[fn](...args))]));
}

/** Buffers (Node) and Uint8Arrays (wasm) compare equal after this. */
export function normalise(value) {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalise(inner)]));
  }
  return value;
}

export const core = load(runtime);
export const other = load(runtime === 'wasm' ? 'node' : 'wasm');
export const otherName = runtime === 'wasm' ? 'node' : 'wasm';

/** The raw binding under `core`, for arguments the wrappers would never pass (NaN times). */
export const binding = runtime === 'wasm'
  ? require('../../wasm/pkg-node/mtlskit_wasm.js')
  : require('../../node/mtlskit.node');
