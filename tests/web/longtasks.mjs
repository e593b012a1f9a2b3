// Where the main thread's long tasks fall while the page draws the system bundle x20 (2,880
// certificates here): four drops, each on a fresh page, printing each long task's start (ms after the
// drop) and duration, when the first card appeared and when all had. A probe for the bench's
// "2,880-certificate bundle" row (BENCHMARKS.md), not a test: `node tests/web/longtasks.mjs`
// after `make web` (MTLSKIT_BIN as for bench.mjs).
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, drop, settled } from './harness.mjs';
// The same input as bench.mjs's bigBundle: the system bundle 20 times, counted, not assumed.
const bundle = readFileSync('/etc/ssl/certs/ca-certificates.crt');
const twenty = Buffer.concat(Array(20).fill(bundle));
const count = (bundle.toString('latin1').match(/BEGIN CERTIFICATE/g) ?? []).length * 20;
const server = await startServer();
const browser = await launch();
try {
  for (let run = 0; run < 4; run += 1) {
    const page = await openPage(browser, server.url);
    await drop(page, [['bundle-x20.pem', twenty]], () => {
      window.lt = [];
      new PerformanceObserver((list) => window.lt.push(...list.getEntries().map((entry) => [Math.round(entry.startTime - window.t0), Math.round(entry.duration)])))
        .observe({ type: 'longtask', buffered: false });
      window.t0 = performance.now();
      window.firstCard = null;
      new MutationObserver(() => { if (window.firstCard === null && document.querySelector('#cards .card')) window.firstCard = Math.round(performance.now() - window.t0); })
        .observe(document.body, { childList: true, subtree: true });
    });
    await settled(page);
    const result = await page.evaluate(() => ({
      lt: window.lt, first: window.firstCard, all: Math.round(performance.now() - window.t0), cards: document.querySelectorAll('#cards .card').length,
    }));
    if (result.cards !== count) throw new Error(`the page drew ${result.cards} cards for the ${count} certificates`);
    console.log(JSON.stringify(result));
    await page.close();
  }
} finally { await browser.close(); server.stop(); }
