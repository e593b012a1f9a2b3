'use strict';
// The mtlskit npm package: the native addon's JSON-shaped API (types in api.d.ts, generated
// from the Rust types). Each function takes one request object; functions that depend on the
// time take it as an optional second argument (Date, string or milliseconds; default now).
// Errors are thrown by the addon as Error objects whose `code` is the core's stable code.

const addon = require('./mtlskit.node');

function seconds(at) {
  const date = at === undefined ? new Date() : new Date(at);
  return Math.floor(date.getTime() / 1000);
}

const timed = (name) => (request, at) => addon[name](request, seconds(at));
const untimed = (name) => (request) => addon[name](request);

module.exports = {
  inspect: timed('inspect'),
  verify: timed('verify'),
  verifySet: timed('verifySet'),
  issue: timed('issue'),
  csrNew: untimed('csrNew'),
  csrSign: timed('csrSign'),
  pkiInit: timed('pkiInit'),
  bundle: timed('bundle'),
  toPkcs12: untimed('toPkcs12'),
  fromPkcs12: untimed('fromPkcs12'),
  convert: timed('convert'),
  version: addon.version,
};
