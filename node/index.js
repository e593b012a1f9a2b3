'use strict';
// The mtlskit npm package: a thin layer over the native addon (built by `make node`).
// It supplies the defaults a JavaScript caller expects (the current time) and turns the
// core's "Code: message" errors into Error objects with a `code` property.

const addon = require('./mtlskit.node');

function callCore(fn) {
  try {
    return fn();
  } catch (error) {
    const match = /^([A-Za-z0-9]+): ([\s\S]*)$/.exec(error.message);
    if (match) {
      const coded = new Error(match[2]);
      coded.code = match[1];
      throw coded;
    }
    throw error;
  }
}

function seconds(at) {
  const date = at === undefined ? new Date() : new Date(at);
  return Math.floor(date.getTime() / 1000);
}

/**
 * Inspects every item in `input` (PEM, DER, base64, .p7b, .p12).
 * @param {Buffer|Uint8Array|string} input
 * @param {{source?: string, password?: string, at?: Date|string|number}} [options]
 * @returns {{items: object[]}}
 */
function inspect(input, options = {}) {
  const bytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
  return callCore(() => addon.inspect(bytes, options.source ?? 'input', options.password ?? null, seconds(options.at)));
}

module.exports = { inspect, version: addon.version };
