// The first script the page runs: a classic, parser-blocking script at the top of <head>, so
// that it runs before the browser parses and lays out the rest of the page (a module script,
// even `async`, runs only after that, about 100 ms later on a fresh page). It starts the
// worker's thread and the module's download and compilation at once; both then overlap with
// the page loading. The compiled module is handed to each worker (a WebAssembly.Module is
// shared, not copied), which only instantiates it. client.js takes over from here.
'use strict';

(() => {
  // null when this browser cannot compile while downloading, or the download failed: the
  // worker then loads the module itself and reports any failure as an answer.
  const compiled = WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(fetch('pkg/mtlskit_wasm_bg.wasm')).catch(() => null)
    : Promise.resolve(null);

  /** A new worker that gets the compiled module as its first message. */
  function startWorker() {
    const worker = new Worker('worker.js', { type: 'module' });
    compiled.then((module) => worker.postMessage({ module }));
    return worker;
  }

  self.mtlskitBoot = { worker: startWorker(), startWorker };
})();
