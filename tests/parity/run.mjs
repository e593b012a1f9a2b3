// A parity runner: every vector through one runtime, in one process.
//   node tests/parity/run.mjs cli    the native binary: `mtlskit api` (ring signature list)
//   node tests/parity/run.mjs node   the npm package on its Node addon
//   node tests/parity/run.mjs wasm   the npm package on its wasm fallback (MTLSKIT_FORCE_WASM=1)
// Results go to target/parity/RUNNER.json; `compare.mjs` checks them against the vectors.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { decode, loadVectors, root, runAll, writeResults } from './lib.mjs';

/** API function -> the npm package's synchronous function. */
const PACKAGE_FUNCTIONS = {
  inspect: 'inspectSync',
  verify: 'verifySync',
  verify_set: 'verifySetSync',
  issue: 'createCertificateSync',
  csr_sign: 'signCsrSync',
  to_pkcs12: 'toPkcs12Sync',
  from_pkcs12: 'fromPkcs12Sync',
  convert: 'convertSync',
};

const runner = process.argv[2];
const vectors = loadVectors();
if (runner === 'cli') {
  writeResults('cli', await runCli(vectors));
} else if (runner === 'node' || runner === 'wasm') {
  writeResults(runner, await runPackage(runner, vectors));
} else {
  console.error('usage: node tests/parity/run.mjs cli|node|wasm');
  process.exit(2);
}

async function runPackage(name, list) {
  process.env.MTLSKIT_FORCE_WASM = name === 'wasm' ? '1' : '0';
  const mtlskit = createRequire(import.meta.url)(join(root, 'node', 'index.js'));
  const wanted = name === 'wasm' ? 'wasm' : 'native';
  if (mtlskit.runtime !== wanted) {
    throw new Error(`the npm package loaded its ${mtlskit.runtime} build, not ${wanted}`);
  }
  // the package takes milliseconds (or a Date); vectors give seconds
  const call = (fn, request, time) => mtlskit[PACKAGE_FUNCTIONS[fn]](request, time * 1000);
  return runAll(list, call, (bytes) => bytes);
}

/** Every vector through one `mtlskit api` process: first calls, then the `then` calls. */
async function runCli(list) {
  const binary = process.env.MTLSKIT_BIN ?? join(root, 'target', 'release', 'mtlskit');
  const child = spawn(binary, ['api'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (calls) => {
    child.stdin.write(calls.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const answers = [];
    for (let count = 0; count < calls.length; count += 1) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`mtlskit api stopped after ${count} of ${calls.length} answers`);
      answers.push(JSON.parse(value));
    }
    return answers;
  };
  const toArray = (bytes) => Array.from(bytes);
  const first = await ask(list.map((vector) => ({
    function: vector.function, request: decode(vector.request, null, toArray), time: vector.time,
  })));
  const chained = list.map((vector, index) => [vector, index]).filter(([vector, index]) => vector.then && first[index].ok);
  const second = await ask(chained.map(([vector, index]) => ({
    function: vector.then.function, request: decode(vector.then.request, first[index].ok, toArray), time: vector.time,
  })));
  chained.forEach(([, index], position) => { first[index] = second[position]; });
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`mtlskit api exited with ${code}`);
  return Object.fromEntries(list.map((vector, index) => [vector.id, first[index]]));
}
