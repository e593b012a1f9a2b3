'use strict';
// Which build of mtlskit's core runs the API: the native addon for this platform (the
// napi-rs layout: `mtlskit.<platform>.node` next to this file in a development checkout,
// else the per-platform package `mtlskit-<platform>`), or the wasm module shipped in this
// package when no native build fits the platform or MTLSKIT_FORCE_WASM=1. Both builds run
// the same Rust code and give the same results.

const { platform, arch } = process;

/** The napi-rs platform name, e.g. `linux-x64-gnu`. */
function platformName() {
  if (platform === 'linux') {
    const header = process.report?.getReport?.().header;
    return `linux-${arch}-${header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function loadNative() {
  const name = platformName();
  for (const candidate of [`./mtlskit.${name}.node`, `mtlskit-${name}`]) {
    try {
      return require(candidate);
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND' && !/cannot open shared object/.test(error.message)) {
        throw error;
      }
    }
  }
  return undefined;
}

function nativeBinding(addon) {
  return {
    runtime: 'native',
    callSync: (name, request, time) => addon[`${name}Sync`](request, time),
    call: (name, request, time) => addon[name](request, time),
    version: addon.version,
    runCli: addon.runCli,
  };
}

function wasmBinding() {
  const wasm = require('./wasm/mtlskit_wasm.js');
  const worker = require('./wasm-worker.js');
  return {
    runtime: 'wasm',
    callSync: (name, request, time) => worker.toBuffers(wasm[name](request, time)),
    call: (name, request, time) => worker.call(name, request, time),
    version: wasm.version,
  };
}

const addon = process.env.MTLSKIT_FORCE_WASM === '1' ? undefined : loadNative();
module.exports = addon ? nativeBinding(addon) : wasmBinding();
