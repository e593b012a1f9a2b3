// The inspector's worker: loads the wasm module once and answers the page's requests, so a
// multi-megabyte bundle or a slow PKCS#12 key derivation never blocks the page. Every answer is
// {id, ok: true, value} or {id, ok: false, error: {code, message}}; large reports are sent in
// parts ({id, part}) so that the page never deserialises one huge message at once.
// `pkg/` is the inspector module (inspection and verification of everything that can be
// dropped, .p12 files, Java keystores and encrypted keys included, without issuance: the
// smaller first load); `pkg/full/` has the whole API and is loaded the first time the page
// calls a function that the inspector module lacks (creating a test PKI).
// `make web` bundles this file with the module's JavaScript into `pkg/worker.js` (one request
// instead of two in a row before the worker can start); the addresses resolved when the
// worker runs (below) are relative to that file, in `pkg/`.
import init, * as core from '../pkg/mtlskit_wasm.js';

// The page compiles the module while it loads (the script at the top of index.html) and sends
// it as the first message; without it (no streaming compilation, or it failed) the worker
// loads the module itself.
let receiveModule;
const compiled = new Promise((resolve) => { receiveModule = resolve; });
const ready = compiled.then((module) => init({ module_or_path: module ?? new URL('mtlskit_wasm_bg.wasm', import.meta.url) }));
const PART = 150;
let full;

/** The whole API's module, loaded once on first use; a failed load (offline before it was
 * ever fetched) is tried again on the next call. */
function fullModule() {
  full ??= import('./full/mtlskit_wasm.js').then(async (module) => {
    await module.default({ module_or_path: new URL('full/mtlskit_wasm_bg.wasm', import.meta.url) });
    return module;
  }).catch((error) => {
    full = undefined;
    throw Object.assign(new Error('Creating certificates needs the part of the inspector that issues them, '
      + 'which this browser has not stored yet and cannot download now (no network?). Connect once and open '
      + '"Create a test PKI" again: from then on it works offline too.'), { code: 'ModuleUnavailable', detail: error.message });
  });
  return full;
}

const handlers = {
  version: () => core.version(),
  exports: () => Object.keys(core).filter((name) => typeof core[name] === 'function'),
  inspect: async ({ bytes, name, password, at }, id) => {
    // A dropped or picked file comes as a File: read here, not on the page's thread.
    const data = bytes instanceof Blob ? new Uint8Array(await bytes.arrayBuffer()) : bytes;
    const report = core.inspect({ data, source: name, password: password ?? null }, at);
    for (let start = PART; start < report.items.length; start += PART) {
      postMessage({ id, part: report.items.slice(start, start + PART) });
    }
    report.items = report.items.slice(0, PART);
    return report;
  },
  asn1: ({ bytes }) => core.asn1(bytes),
  // Loads the whole API ahead of its first use (the PKI dialog was opened).
  prepare: async () => { await fullModule(); return true; },
  call: async ({ name, input, at }) => {
    const module = typeof core[name] === 'function' ? core : await fullModule();
    if (typeof module[name] !== 'function') {
      throw Object.assign(new Error(`this build of the module has no ${name}()`), { code: 'Unsupported' });
    }
    return at === undefined ? module[name](input) : module[name](input, at);
  },
};

self.onmessage = async ({ data: { id, kind, request, module } }) => {
  if (id === undefined) return receiveModule(module);
  try {
    await ready;
    const value = await handlers[kind](request, id);
    postMessage({ id, ok: true, value });
  } catch (error) {
    postMessage({ id, ok: false, error: describe(error) });
  }
};

// An API error keeps its code, typed fields and input (the parity tests compare them with the
// other runtimes'). A wasm trap (a panic) is a RuntimeError without a code: say so instead of
// a stack trace.
function describe(error) {
  if (error && typeof error.code === 'string') return { ...error, code: error.code, message: error.message };
  return { code: 'Internal', message: `the inspector failed unexpectedly (${error?.message ?? error})` };
}
