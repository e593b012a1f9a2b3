'use strict';
// The mtlskit npm package: create, inspect and verify certificates for (mutual) TLS. Each
// function takes one request object (types in api.d.ts, generated from the Rust types) and,
// optionally, the time (a Date, an RFC 3339 string or milliseconds; default now). `name()`
// returns a Promise and runs off the main thread; `nameSync()` returns the result. Errors are
// `Error`s whose `code` is the core's stable code (the CLI's), set by the addon.

const binding = require('./binding.js');

/** The server names of `bundle()` when no `hosts` are given. */
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

// Public name -> [core function, request adapter, response adapter].
const functions = {
  inspect: ['inspect', dataRequest],
  verify: ['verify'],
  verifySet: ['verifySet'],
  generateKey: ['generateKey'],
  createCertificate: ['issue'],
  createCsr: ['csrNew'],
  signCsr: ['csrSign'],
  pkiInit: ['pkiInit'],
  bundle: ['bundle', bundleRequest, withClient],
  toPkcs12: ['toPkcs12'],
  fromPkcs12: ['fromPkcs12'],
  convert: ['convert'],
  toPem: ['convert', (request) => ({ ...dataRequest(request), to: 'pem' })],
  toDer: ['convert', (request) => ({ ...dataRequest(request), to: 'der' })],
};

const identity = (value) => value;

for (const [name, [core, adapt = identity, finish = identity]] of Object.entries(functions)) {
  module.exports[name] = async (request = {}, at = undefined) =>
    finish(await binding.call(core, adapt(request), seconds(at)));
  module.exports[`${name}Sync`] = (request = {}, at = undefined) =>
    finish(binding.callSync(core, adapt(request), seconds(at)));
}

module.exports.version = () => binding.version();
module.exports.runtime = binding.runtime;
module.exports.DEFAULT_HOSTS = DEFAULT_HOSTS;

/** A bare string, Buffer or Uint8Array is the request's `data`. */
function dataRequest(request) {
  return typeof request === 'string' || request instanceof Uint8Array ? { data: request } : request;
}

/** `{hosts, keyType}` in the core's words (`server_names`, `key_type`). */
function bundleRequest({ hosts, keyType, ...rest }) {
  const request = { ...rest, server_names: hosts ?? rest.server_names ?? DEFAULT_HOSTS };
  if (keyType !== undefined) request.key_type = keyType;
  return request;
}

/** The first client as `client`, for `const { ca, server, client } = await bundle()`. */
function withClient(response) {
  return { ...response, client: response.clients[0] };
}

/** Seconds since the Unix epoch of `at` (default now). */
function seconds(at) {
  const milliseconds = at === undefined ? Date.now() : new Date(at).getTime();
  if (Number.isNaN(milliseconds)) {
    throw Object.assign(new TypeError(`invalid time: ${String(at)}`), {
      code: 'InvalidRequest',
      detail: 'the time must be a Date, an RFC 3339 string or milliseconds',
      input: 'at',
    });
  }
  return Math.floor(milliseconds / 1000);
}
