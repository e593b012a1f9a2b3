// What the parity runners and `compare` share: the vector files, the two markers requests
// use ({"$hex": "..."} for bytes, {"$result": FIELD} for a field of the previous call's
// result), the plain JSON form results are compared in, and the results files in
// target/parity/. No certificate logic: every answer comes from the runtime under test.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KINDS = ['inspect', 'verify', 'issue', 'pkcs12', 'errors'];
export const resultsDir = join(root, 'target', 'parity');

/** Every vector of every file, in file order. */
export function loadVectors() {
  return KINDS.flatMap((kind) => {
    const file = JSON.parse(readFileSync(join(root, 'tests', 'parity', 'vectors', `${kind}.json`), 'utf8'));
    return file.vectors;
  });
}

/** The request with its markers replaced: bytes made by `toBytes(Uint8Array)`. */
export function decode(value, previous, toBytes) {
  if (Array.isArray(value)) return value.map((item) => decode(item, previous, toBytes));
  if (value && typeof value === 'object') {
    if (typeof value.$hex === 'string') return toBytes(hexBytes(value.$hex));
    if (typeof value.$result === 'string') return previous[value.$result];
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decode(inner, previous, toBytes)]));
  }
  return value;
}

export function hexBytes(text) {
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(text.slice(2 * index, 2 * index + 2), 16);
  }
  return bytes;
}

/** JSON as the Rust reference writes it: bytes (Buffer, Uint8Array) as arrays of numbers. */
export function plain(value) {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

/** A thrown API error as the reference writes it: its code, typed fields, message, input. */
export function errorValue(error) {
  if (!error || typeof error.code !== 'string') {
    return { code: 'NotAnApiError', message: String(error?.stack ?? error) };
  }
  return plain({ ...error, message: error.message });
}

/**
 * Runs every vector with `call(function, request, time)` (sync or async; throws API errors);
 * `toBytes` makes the runtime's bytes. Returns {id: {ok} | {error}}.
 */
export async function runAll(vectors, call, toBytes) {
  const results = {};
  for (const vector of vectors) {
    results[vector.id] = await outcome(vector, call, toBytes);
  }
  return results;
}

async function outcome(vector, call, toBytes) {
  try {
    let result = await call(vector.function, decode(vector.request, null, toBytes), vector.time);
    if (vector.then) {
      const request = decode(vector.then.request, result, toBytes);
      result = await call(vector.then.function, request, vector.time);
    }
    return { ok: plain(result) };
  } catch (error) {
    return { error: errorValue(error) };
  }
}

/** Writes target/parity/RUNNER.json, read by compare.mjs. */
export function writeResults(runner, results) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${runner}.json`), JSON.stringify({ runner, results }));
  console.log(`parity: ${runner}: ${Object.keys(results).length} vectors run`);
}
