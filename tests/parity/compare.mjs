// `compare`: every runner's result for every vector must equal the vector's expected result
// (the core's, written by the generator). Known divergences are listed in exceptions.json,
// each with a reason; an entry without a reason, or one that no longer matches a difference,
// is an error too. Exits 1 on any difference, missing runner or missing result.
//   node tests/parity/compare.mjs [RUNNER...]    (default: every runner)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadVectors, resultsDir, root } from './lib.mjs';

export const RUNNERS = ['rust-ring', 'cli', 'node', 'wasm', 'chromium'];

const runners = process.argv.length > 2 ? process.argv.slice(2) : RUNNERS;
const vectors = loadVectors();
const exceptions = JSON.parse(readFileSync(join(root, 'tests', 'parity', 'exceptions.json'), 'utf8'));
const problems = [];
const used = new Set();

for (const [index, exception] of exceptions.entries()) {
  if (!exception.runner || !exception.id || !(exception.reason?.trim().length > 10)) {
    problems.push(`exceptions.json entry ${index} needs a runner, an id and a reason`);
  }
}

console.log(`parity: ${vectors.length} vectors`);
console.log('runner      equal  known  differ  missing');
for (const runner of runners) {
  const file = join(resultsDir, `${runner}.json`);
  if (!existsSync(file)) {
    problems.push(`${runner}: no results (${file}); run its runner first`);
    continue;
  }
  const { results } = JSON.parse(readFileSync(file, 'utf8'));
  const counts = { equal: 0, known: 0, differ: 0, missing: 0 };
  for (const vector of vectors) {
    const actual = results[vector.id];
    if (actual === undefined) {
      counts.missing += 1;
      problems.push(`${runner}: no result for ${vector.id}`);
    } else if (isDeepStrictEqual(actual, vector.expected)) {
      counts.equal += 1;
    } else {
      const index = exceptions.findIndex((entry) => entry.runner === runner && entry.id === vector.id);
      if (index >= 0) {
        counts.known += 1;
        used.add(index);
      } else {
        counts.differ += 1;
        problems.push(`${runner}: ${vector.id}: ${difference(vector.expected, actual)}`);
      }
    }
  }
  const row = [counts.equal, counts.known, counts.differ, counts.missing].map((n) => String(n).padStart(6));
  console.log(`${runner.padEnd(10)}${row.join(' ')}`);
}
for (const [index, exception] of exceptions.entries()) {
  if (!used.has(index) && runners.includes(exception.runner)) {
    problems.push(`exceptions.json entry ${index} (${exception.runner} ${exception.id}) matches no difference: remove it`);
  }
}

if (problems.length > 0) {
  console.error(`parity: ${problems.length} problems`);
  for (const problem of problems.slice(0, 40)) console.error(`  ${problem}`);
  if (problems.length > 40) console.error(`  ... and ${problems.length - 40} more`);
  process.exit(1);
}
console.log(`parity: every runner (${runners.join(', ')}) gives the expected result for every vector`);

/** Where two JSON values first differ: `path: expected X, got Y`. */
function difference(expected, actual, path = '') {
  if (isDeepStrictEqual(expected, actual)) return undefined;
  const bothObjects = expected && actual && typeof expected === 'object' && typeof actual === 'object'
    && Array.isArray(expected) === Array.isArray(actual);
  if (bothObjects) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const found = difference(expected[key], actual[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  const show = (value) => (value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 160));
  return `${path || '(whole result)'}: expected ${show(expected)}, got ${show(actual)}`;
}
