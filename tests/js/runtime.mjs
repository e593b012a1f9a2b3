// One JavaScript API over both builds of the core, chosen by MTLSKIT_RUNTIME=node|wasm, so
// that a single test file runs against the Node addon and the wasm module.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const runtime = process.env.MTLSKIT_RUNTIME ?? 'node';

// The module throws JavaScript Errors whose `code` is the core's code, like the addon; a trap
// (a panic) would surface as a RuntimeError without one, which the tests look for.
function fromWasm() {
  const wasm = require('../../wasm/pkg-node/mtlskit_wasm.js');
  return {
    inspect(bytes, { source = 'input', password = null, at } = {}) {
      return wasm.inspect(Uint8Array.from(bytes), source, password, Math.floor(new Date(at).getTime() / 1000));
    },
    asn1: (bytes) => wasm.asn1(Uint8Array.from(bytes)),
    version: wasm.version,
  };
}

export const core = runtime === 'wasm' ? fromWasm() : require('../../node');

/** The raw binding under `core`, for arguments the wrappers would never pass (NaN times). */
export const binding = runtime === 'wasm'
  ? require('../../wasm/pkg-node/mtlskit_wasm.js')
  : require('../../node/mtlskit.node');
