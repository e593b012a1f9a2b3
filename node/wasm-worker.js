'use strict';
// The wasm fallback's asynchronous calls: one worker thread runs the wasm module, so that key
// generation and signing stay off the main thread as with the native addon (randomness from
// `crypto.getRandomValues`). Loaded as a module by binding.js, and as the worker's script.

const { Worker, isMainThread, parentPort } = require('node:worker_threads');

/** Uint8Arrays become Buffers, as the native addon returns them. */
function toBuffers(value) {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length);
  if (Array.isArray(value)) return value.map(toBuffers);
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) value[key] = toBuffers(value[key]);
  }
  return value;
}

let worker;
let nextId = 0;
const pending = new Map();

function started() {
  if (worker) return worker;
  worker = new Worker(__filename);
  worker.unref();
  worker.on('message', ({ id, value, error }) => {
    const call = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (error) call.reject(Object.assign(new Error(error.message), error.fields));
    else call.resolve(toBuffers(value));
  });
  worker.on('error', (error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    worker = undefined;
  });
  return worker;
}

/** Runs `name(request, time)` of the wasm module in the worker. */
function call(name, request, time) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const thread = started();
    thread.ref();
    thread.postMessage({ id, name, request, time });
  });
}

if (!isMainThread && parentPort) {
  const wasm = require('./wasm/mtlskit_wasm.js');
  parentPort.on('message', ({ id, name, request, time }) => {
    try {
      parentPort.postMessage({ id, value: wasm[name](request, time) });
    } catch (error) {
      parentPort.postMessage({ id, error: { message: error.message, fields: { ...error } } });
    }
  });
}

module.exports = { call, toBuffers };
