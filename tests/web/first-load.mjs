// A probe for the page's first load (run by hand, not a test): where the time from navigation
// start to the page being ready goes, and an interleaved A/B of pages served at two addresses.
//
//   node tests/web/first-load.mjs trace URL          milestones of a Chromium trace, medians
//   node tests/web/first-load.mjs ab URL1,URL2[,...]  ready time of each, rounds interleaved
//
// RUNS (default 9 / 15) fresh contexts; SETTLE=1000 opens the tab that long before navigating.
// Serve an older page with any static server (`python3 -m http.server -d DIR --bind 127.0.0.1`
// is single-threaded: slower than `mtlskit web`; a page with an inline script also needs its
// hash in that server's policy, if it sends one).
import { launch } from './harness.mjs';

const [mode, urls] = process.argv.slice(2);
if (!['trace', 'ab'].includes(mode) || !urls) {
  console.error('usage: node tests/web/first-load.mjs trace URL | ab URL1,URL2[,...]');
  process.exit(2);
}
const runs = Number(process.env.RUNS ?? (mode === 'trace' ? 9 : 15));
const settle = Number(process.env.SETTLE ?? 0);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const browser = await launch();

/** One fresh context: navigates to `url` and resolves with the ready time (and the trace). */
async function load(url, traced) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (settle) await page.waitForTimeout(settle);
    if (traced) await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.wasm', 'blink', 'loading', 'toplevel', 'blink.user_timing'] });
    await page.goto(url);
    await page.waitForFunction(() => document.body?.dataset.state === 'ready', null, { timeout: 15_000 });
    const ready = await page.evaluate(() => performance.getEntriesByName('mtlskit-ready')[0].startTime);
    const responses = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('resource')
      .map((entry) => [new URL(entry.name).pathname, entry.responseEnd])));
    const trace = traced ? JSON.parse((await browser.stopTracing()).toString()).traceEvents : null;
    return { ready, responses, trace };
  } finally {
    await context.close();
  }
}

/** Milestones (ms after navigation start) of one traced load. */
function milestones({ ready, responses, trace }) {
  const threads = new Map(trace.filter((event) => event.ph === 'M' && event.name === 'thread_name')
    .map((event) => [`${event.pid}:${event.tid}`, event.args.name]));
  const mark = trace.find((event) => event.name === 'mtlskit-ready');
  const start = mark.ts - ready * 1000;
  const page = trace.filter((event) => event.pid === mark.pid && event.ts >= start);
  const thread = (event) => threads.get(`${event.pid}:${event.tid}`);
  const first = (test) => page.find(test);
  const at = (event) => (event ? (event.ts - start) / 1000 : undefined);
  const end = (event) => (event ? (event.ts + (event.dur ?? 0) - start) / 1000 : undefined);
  const script = (event, name) => (event.args?.fileName ?? event.args?.data?.url ?? '').endsWith(name);
  return {
    'HTML received': at(first((event) => event.name === 'responseEnd')),
    'style.css received': responses['/style.css'],
    'page parsed (domInteractive)': at(page.filter((event) => event.name === 'domInteractive').at(-1)),
    'first layout done': end(first((event) => event.name === 'Layout' && thread(event) === 'CrRendererMain')),
    'module compiled (main thread)': end(first((event) => event.name === 'wasm.FinishStreaming')),
    "worker's first task": at(first((event) => thread(event) === 'DedicatedWorker thread' && event.ph === 'X')),
    'worker script compiled': end(first((event) => event.name === 'v8.compileModule' && script(event, 'worker.js'))),
    'module instantiated': end(first((event) => event.name === 'wasm.AsyncInstantiate' || event.name === 'wasm.SyncInstantiate')),
    'main.js evaluated': end(first((event) => event.name === 'v8.evaluateModule' && thread(event) === 'CrRendererMain')),
    ready,
  };
}

try {
  if (mode === 'trace') {
    const table = new Map();
    for (let run = 0; run < runs; run += 1) {
      for (const [name, value] of Object.entries(milestones(await load(urls, true)))) {
        if (value !== undefined) table.set(name, [...(table.get(name) ?? []), value]);
      }
    }
    for (const [name, values] of [...table].sort((a, b) => median(a[1]) - median(b[1]))) {
      console.log(`${name.padEnd(32)} median ${median(values).toFixed(1).padStart(7)} ms  [${values.map((value) => value.toFixed(0)).join(' ')}]`);
    }
  } else {
    const addresses = urls.split(',');
    const times = addresses.map(() => []);
    for (let round = 0; round < runs; round += 1) {
      for (const [index, url] of addresses.entries()) times[index].push((await load(url, false)).ready);
    }
    for (const [index, url] of addresses.entries()) {
      console.log(`${url}  median ${median(times[index]).toFixed(1)} ms  [${times[index].map((time) => time.toFixed(0)).join(' ')}]`);
    }
  }
} finally {
  await browser.close();
}
